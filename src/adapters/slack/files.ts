// The two images of a Slack job: looked up with files.info, checked from what Slack declares (type, size,
// host), downloaded with the bot token from Slack's own file host only, then validated from the bytes in a
// process of their own.
import type { webApi } from '@slack/bolt';
import { ImageRefusedError, probeInChild } from '../../queue/index.js';
import { checkDownloadUrl, downloadCapped, DownloadError, formatBytes } from '../shared/download.js';
import { isAcceptedMimeType, notAcceptedFormat } from '../shared/formats.js';
import { ROLE_LABEL, type ImageRole } from '../shared/wording.js';

/** An image we will not use; `message` is written for the user, `role` says which field it belongs to. */
export class SlackFileError extends Error {
  override readonly name = 'SlackFileError';
  constructor(
    readonly role: ImageRole,
    message: string,
  ) {
    super(message);
  }
}

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

/** The checks that need no download: a message for the user, or undefined when the file may be fetched. */
export function refuseDeclaredFile(file: DeclaredFile, role: ImageRole, maxBytes: number): string | undefined {
  const who = file.name ? `${ROLE_LABEL[role]} (${file.name})` : ROLE_LABEL[role];
  // Slack sometimes leaves the type out (files.info fills it in): the bytes are checked after download.
  if (file.mimetype !== undefined && !isAcceptedMimeType(file.mimetype)) return notAcceptedFormat(who);
  if (file.size !== undefined && file.size > maxBytes) {
    return `${who} is ${formatBytes(file.size)}; the limit is ${formatBytes(maxBytes)}. Please choose a smaller picture.`;
  }
  return undefined;
}

/** Looks the file up and downloads it; throws SlackFileError. */
async function fetchSlackImage(client: webApi.WebClient, fileId: string, role: ImageRole, policy: FilePolicy): Promise<Buffer> {
  const who = ROLE_LABEL[role];
  let info: webApi.FilesInfoResponse;
  try {
    info = await client.files.info({ file: fileId });
  } catch (error) {
    throw new SlackFileError(role, `${who} could not be read from Slack (${slackErrorCode(error)}). Please upload it again.`);
  }
  const file = info.file;
  const url = file?.url_private_download ?? file?.url_private;
  if (!file || !url) throw new SlackFileError(role, `${who} could not be read from Slack. Please upload it again.`);
  const declared: DeclaredFile = { id: fileId, name: file.name, mimetype: file.mimetype, size: file.size };
  const refusal = refuseDeclaredFile(declared, role, policy.maxBytes);
  if (refusal) throw new SlackFileError(role, refusal);
  try {
    // Checked before the token is attached; downloadCapped checks again and never follows redirects.
    checkDownloadUrl(url, policy.allowedHosts);
    return await downloadCapped(url, {
      allowedHosts: policy.allowedHosts,
      maxBytes: policy.maxBytes,
      timeoutMs: policy.timeoutMs,
      headers: { authorization: `Bearer ${policy.botToken}` },
    });
  } catch (error) {
    if (error instanceof DownloadError) throw new SlackFileError(role, `${who}: ${error.message}`);
    throw error;
  }
}

/** Both images downloaded and checked (in a process of their own); throws SlackFileError for the user. */
export async function fetchSlackImages(client: webApi.WebClient, ids: Record<ImageRole, string>, policy: FilePolicy): Promise<Record<ImageRole, Buffer>> {
  const [content, style] = await Promise.all([fetchSlackImage(client, ids.content, 'content', policy), fetchSlackImage(client, ids.style, 'style', policy)]);
  try {
    await probeInChild({ content, style });
  } catch (error) {
    if (error instanceof ImageRefusedError) throw new SlackFileError(error.role, error.message);
    throw error;
  }
  return { content, style };
}

/** The `error` code of a failed Web API call ("file_not_found"...), for messages and logs. */
export function slackErrorCode(error: unknown): string {
  const data = (error as { data?: { error?: unknown } } | undefined)?.data;
  if (typeof data?.error === 'string') return data.error;
  return error instanceof Error ? error.message : String(error);
}
