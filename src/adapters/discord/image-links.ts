// An image of a /stylize named by a link to a picture already posted on Discord (photo_url, style_url), so
// that a user can reuse it with "Copy Link" instead of uploading it again. Only links to the file hosts
// attachments come from are followed; the download has the attachments' byte cap and time limit, and the
// queue checks the bytes as it checks an upload's.
import type { Attachment } from 'discord.js';
import { UserError, type ImageRole } from '../../wording/index.js';
import { checkDownloadUrl, downloadCapped } from '../shared/download.js';
import { checkAttachment, fetchAttachment, type AttachmentPolicy } from './attachments.js';

export class ImageLink {
  constructor(readonly url: string) {}
}

/** A link option's value as an ImageLink, or undefined when the option was not given. */
export function imageLinkOf(url: string | undefined): ImageLink | undefined {
  return url === undefined ? undefined : new ImageLink(url.trim());
}

/** The checks that need no download; throws UserError (a foreign host names the allowed ones). */
export function checkImage(image: Attachment | ImageLink, role: ImageRole, policy: AttachmentPolicy): void {
  if (!(image instanceof ImageLink)) return checkAttachment(image, role, policy);
  try {
    checkDownloadUrl(image.url, policy.allowedHosts, role);
  } catch (error) {
    if (error instanceof UserError && error.code === 'file-host-not-allowed') {
      throw new UserError('image-link-host-not-allowed', { role, host: new URL(image.url).host, hosts: policy.allowedHosts.join(', ') });
    }
    throw error;
  }
}

/** Downloads an image that passed checkImage; throws UserError (an expired link: the host's 403 or 404). */
export function fetchImage(image: Attachment | ImageLink, role: ImageRole, policy: AttachmentPolicy): Promise<Buffer> {
  return image instanceof ImageLink ? downloadCapped(image.url, { ...policy, role }) : fetchAttachment(image, role, policy);
}
