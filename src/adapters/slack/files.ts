// The two images of a Slack job: looked up with files.info, checked from what Slack declares (type, size,
// host), downloaded with the bot token from Slack's own file host only, then validated from the bytes in a
// process of their own. Every refusal is a UserError that names the image (and so the form's field).
import type { webApi } from '@slack/bolt';
import { probeInChild } from '../../queue/index.js';
import { styleRole, UserError, type ImageRole } from '../../wording/index.js';
import { checkDownloadUrl, downloadCapped } from '../shared/download.js';
import { isAcceptedMimeType } from '../shared/formats.js';

export interface FilePolicy {
  allowedHosts: readonly string[];
  maxBytes: number;
  timeoutMs: number;
  botToken: string;
}

/** What Slack tells about a file (file_input state, message files, files.info). */
export interface DeclaredFile {
  id: string;
  name?: string;
  mimetype?: string;
  size?: number;
}

/** The checks that need no download: why the file is refused, or undefined when it may be fetched. */
export function refuseDeclaredFile(file: DeclaredFile, role: ImageRole, maxBytes: number): UserError | undefined {
  const fileName = file.name;
  // Slack sometimes leaves the type out (files.info fills it in): the bytes are checked after download.
  if (file.mimetype !== undefined && !isAcceptedMimeType(file.mimetype)) return new UserError('image-not-accepted', { role, fileName });
  if (file.size !== undefined && file.size > maxBytes) return new UserError('image-too-large', { role, fileName, bytes: file.size, maxBytes });
  return undefined;
}

/** Looks the file up and downloads it; throws UserError. */
async function fetchSlackImage(client: webApi.WebClient, fileId: string, role: ImageRole, policy: FilePolicy): Promise<Buffer> {
  let info: webApi.FilesInfoResponse;
  try {
    info = await client.files.info({ file: fileId });
  } catch (error) {
    throw new UserError('slack-file-unreadable', { role, detail: slackErrorCode(error) });
  }
  const file = info.file;
  const url = file?.url_private_download ?? file?.url_private;
  if (!file || !url) throw new UserError('slack-file-unreadable', { role });
  const refusal = refuseDeclaredFile({ id: fileId, name: file.name, mimetype: file.mimetype, size: file.size }, role, policy.maxBytes);
  if (refusal) throw refusal;
  // Checked before the token is attached; downloadCapped checks again and never follows redirects.
  checkDownloadUrl(url, policy.allowedHosts, role);
  return downloadCapped(url, {
    role,
    allowedHosts: policy.allowedHosts,
    maxBytes: policy.maxBytes,
    timeoutMs: policy.timeoutMs,
    headers: { authorization: `Bearer ${policy.botToken}` },
  });
}

/** Where each image of a job comes from: a Slack file id, or the bytes of an image already at hand (a library painting). */
export interface ImageSources {
  content: string | Buffer;
  style: string | Buffer;
  /** A blend's style images after the first. */
  extraStyles?: ReadonlyArray<string | Buffer>;
}

/** A job's images, downloaded and checked. */
export interface JobImageBytes {
  content: Buffer;
  style: Buffer;
  extraStyleImages?: Buffer[];
}

/** Every image downloaded and checked (in a process of their own); throws UserError for the user. */
export async function fetchSlackImages(client: webApi.WebClient, sources: ImageSources, policy: FilePolicy): Promise<JobImageBytes> {
  const fetchOne = (source: string | Buffer, role: ImageRole): Promise<Buffer> =>
    typeof source === 'string' ? fetchSlackImage(client, source, role, policy) : Promise.resolve(source);
  const extra = sources.extraStyles ?? [];
  const [content, style, ...extraStyleImages] = await Promise.all([
    fetchOne(sources.content, 'content'),
    fetchOne(sources.style, 'style'),
    ...extra.map((source, index) => fetchOne(source, styleRole(index + 1))),
  ]);
  if (!content || !style) throw new Error('the photo and the style image were not fetched');
  const images: JobImageBytes = extraStyleImages.length > 0 ? { content, style, extraStyleImages } : { content, style };
  await probeInChild(images);
  return images;
}

/** The `error` code of a failed Web API call ("file_not_found"...), for messages and logs. */
export function slackErrorCode(error: unknown): string {
  const data = (error as { data?: { error?: unknown } } | undefined)?.data;
  if (typeof data?.error === 'string') return data.error;
  return error instanceof Error ? error.message : String(error);
}
