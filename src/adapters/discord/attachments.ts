// The two images of a /stylize: checked from what Discord tells us (type, declared size, host) before any
// byte is fetched, then downloaded with a cap (the queue checks the bytes themselves).
import type { Attachment } from 'discord.js';
import { checkDownloadUrl, downloadCapped, DownloadError, formatBytes } from '../shared/download.js';
import { isAcceptedMimeType, notAcceptedFormat } from '../shared/formats.js';
import { ROLE_LABEL, type ImageRole } from '../shared/wording.js';

/** An attachment we will not use; `message` is written for the user. */
export class AttachmentRejectedError extends Error {
  override readonly name = 'AttachmentRejectedError';
}

export interface AttachmentPolicy {
  allowedHosts: readonly string[];
  maxBytes: number;
  timeoutMs: number;
}

/** The smaller of our own cap and the upload limit Discord reports for this interaction. */
export function attachmentByteCap(ownLimit: number, interactionLimit: number | null | undefined): number {
  return typeof interactionLimit === 'number' && interactionLimit > 0 ? Math.min(ownLimit, interactionLimit) : ownLimit;
}

/** The checks that need no download; throws AttachmentRejectedError. */
export function checkAttachment(attachment: Attachment, role: ImageRole, policy: AttachmentPolicy): void {
  const who = ROLE_LABEL[role];
  if (!isAcceptedMimeType(attachment.contentType)) throw new AttachmentRejectedError(notAcceptedFormat(`${who} (${attachment.name})`));
  if (attachment.size > policy.maxBytes) {
    throw new AttachmentRejectedError(
      `${who} (${attachment.name}) is ${formatBytes(attachment.size)}; the limit is ${formatBytes(policy.maxBytes)}. Please send a smaller picture.`,
    );
  }
  try {
    checkDownloadUrl(attachment.url, policy.allowedHosts);
  } catch (error) {
    if (error instanceof DownloadError) throw new AttachmentRejectedError(`${who}: ${error.message}`);
    throw error;
  }
}

/**
 * Downloads an attachment that passed checkAttachment. The bytes are checked by the queue when the job is
 * submitted, in a process of their own (the bot never parses an upload).
 */
export async function fetchAttachment(attachment: Attachment, role: ImageRole, policy: AttachmentPolicy): Promise<Buffer> {
  try {
    return await downloadCapped(attachment.url, policy);
  } catch (error) {
    if (error instanceof DownloadError) throw new AttachmentRejectedError(`${ROLE_LABEL[role]}: ${error.message}`);
    throw error;
  }
}
