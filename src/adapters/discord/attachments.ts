// The two images of a /stylize: checked from what Discord tells us (type, declared size, host) before any
// byte is fetched, then downloaded with a cap and validated from the bytes themselves.
import type { Attachment } from 'discord.js';
// The engine's modules directly, not its index: that would load TensorFlow.js into the bot process.
import { ImageInputError } from '../../transfer/errors.js';
import { probeImage } from '../../transfer/images.js';
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

/** Downloads an attachment that passed checkAttachment and makes sure the bytes are a usable image. */
export async function fetchAttachmentImage(attachment: Attachment, role: ImageRole, policy: AttachmentPolicy): Promise<Buffer> {
  const who = ROLE_LABEL[role];
  try {
    const bytes = await downloadCapped(attachment.url, policy);
    await probeImage(bytes, { role });
    return bytes;
  } catch (error) {
    if (error instanceof ImageInputError) throw new AttachmentRejectedError(error.message);
    if (error instanceof DownloadError) throw new AttachmentRejectedError(`${who}: ${error.message}`);
    throw error;
  }
}
