// The two images of a /stylize: checked from what Discord tells us (type, declared size, host) before any
// byte is fetched, then downloaded with a cap (the queue checks the bytes themselves). Every refusal is a
// UserError that names the image.
import type { Attachment } from 'discord.js';
import { UserError, type ImageRole } from '../../wording/index.js';
import { checkDownloadUrl, downloadCapped } from '../shared/download.js';
import { isAcceptedMimeType } from '../shared/formats.js';

export interface AttachmentPolicy {
  allowedHosts: readonly string[];
  maxBytes: number;
  timeoutMs: number;
}

/** The smaller of our own cap and the upload limit Discord reports for this interaction. */
export function attachmentByteCap(ownLimit: number, interactionLimit: number | null | undefined): number {
  return typeof interactionLimit === 'number' && interactionLimit > 0 ? Math.min(ownLimit, interactionLimit) : ownLimit;
}

/** The checks that need no download; throws UserError. */
export function checkAttachment(attachment: Attachment, role: ImageRole, policy: AttachmentPolicy): void {
  const fileName = attachment.name;
  if (!isAcceptedMimeType(attachment.contentType)) throw new UserError('image-not-accepted', { role, fileName });
  if (attachment.size > policy.maxBytes) throw new UserError('image-too-large', { role, fileName, bytes: attachment.size, maxBytes: policy.maxBytes });
  checkDownloadUrl(attachment.url, policy.allowedHosts, role);
}

/**
 * Downloads an attachment that passed checkAttachment; throws UserError. The bytes are checked by the queue
 * when the job is submitted, in a process of their own (the bot never parses an upload).
 */
export function fetchAttachment(attachment: Attachment, role: ImageRole, policy: AttachmentPolicy): Promise<Buffer> {
  return downloadCapped(attachment.url, { ...policy, role });
}
