// Downloads a user's file from a chat platform's file host: only from hosts the operator allowed, with a
// byte cap enforced while the body streams in and a time limit. Shared by the chat adapters. A refused or
// failed download is a UserError that names the image.
import { request } from 'undici';
import { UserError, type ImageRole } from '../../wording/index.js';

export interface DownloadOptions {
  /** Which image this is, for the messages. */
  role: ImageRole;
  /** Host names (or host:port) the file may come from. */
  allowedHosts: readonly string[];
  maxBytes: number;
  timeoutMs: number;
  /** Sent only after the host check passed (e.g. a bot token the file host needs). */
  headers?: Record<string, string>;
}

/**
 * The URL parsed, or a UserError when it is not on an allowed host. https only, except plain http to
 * 127.0.0.1 when that host is listed (local test servers). An entry with a port matches that port only.
 */
export function checkDownloadUrl(raw: string, allowedHosts: readonly string[], role: ImageRole): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UserError('file-link-invalid', { role });
  }
  const hostname = url.hostname.toLowerCase();
  const host = url.host.toLowerCase();
  const listed = allowedHosts.some((entry) => {
    const allowed = entry.toLowerCase();
    return allowed.includes(':') ? allowed === host : allowed === hostname;
  });
  const schemeOk = url.protocol === 'https:' || (url.protocol === 'http:' && hostname === '127.0.0.1');
  if (!listed || !schemeOk || url.username !== '' || url.password !== '') {
    throw new UserError('file-host-not-allowed', { role, host: hostname });
  }
  return url;
}

/** Downloads the file into memory; throws UserError. */
export async function downloadCapped(raw: string, options: DownloadOptions): Promise<Buffer> {
  const { role } = options;
  const url = checkDownloadUrl(raw, options.allowedHosts, role);
  const signal = AbortSignal.timeout(options.timeoutMs);
  const tooLarge = () => new UserError('download-too-large', { role, maxBytes: options.maxBytes });
  try {
    // undici's request() does not follow redirects, so a redirect can never lead to another host.
    const response = await request(url, { method: 'GET', headers: options.headers ?? {}, signal });
    if (response.statusCode !== 200) {
      await response.body.dump();
      throw new UserError('download-failed', { role, status: response.statusCode });
    }
    const declared = Number(response.headers['content-length']);
    if (Number.isFinite(declared) && declared > options.maxBytes) {
      await response.body.dump();
      throw tooLarge();
    }
    const chunks: Buffer[] = [];
    let received = 0;
    for await (const chunk of response.body) {
      const bytes = chunk as Buffer;
      received += bytes.length;
      if (received > options.maxBytes) {
        response.body.destroy();
        throw tooLarge();
      }
      chunks.push(bytes);
    }
    return Buffer.concat(chunks, received);
  } catch (error) {
    if (error instanceof UserError) throw error;
    if (signal.aborted) throw new UserError('download-timed-out', { role, timeoutMs: options.timeoutMs });
    throw new UserError('download-network', { role });
  }
}
