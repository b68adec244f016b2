// Downloads a user's file from a chat platform's file host: only from hosts the operator allowed, with a
// byte cap enforced while the body streams in and a time limit. Shared by the chat adapters.
import { request } from 'undici';

/** A download refused or failed; `message` is written for the end user. */
export class DownloadError extends Error {
  override readonly name = 'DownloadError';
  constructor(
    readonly reason: 'host' | 'too-large' | 'http' | 'timeout' | 'network',
    message: string,
  ) {
    super(message);
  }
}

export interface DownloadOptions {
  /** Host names (or host:port) the file may come from. */
  allowedHosts: readonly string[];
  maxBytes: number;
  timeoutMs: number;
  /** Sent only after the host check passed (e.g. a bot token the file host needs). */
  headers?: Record<string, string>;
}

/**
 * The URL parsed, or a DownloadError when it is not on an allowed host. https only, except plain http to
 * 127.0.0.1 when that host is listed (local test servers). An entry with a port matches that port only.
 */
export function checkDownloadUrl(raw: string, allowedHosts: readonly string[]): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new DownloadError('host', 'The file link is not a valid address.');
  }
  const hostname = url.hostname.toLowerCase();
  const host = url.host.toLowerCase();
  const listed = allowedHosts.some((entry) => {
    const allowed = entry.toLowerCase();
    return allowed.includes(':') ? allowed === host : allowed === hostname;
  });
  const schemeOk = url.protocol === 'https:' || (url.protocol === 'http:' && hostname === '127.0.0.1');
  if (!listed || !schemeOk || url.username !== '' || url.password !== '') {
    throw new DownloadError('host', `I only download files uploaded to the chat itself; ${hostname || 'that address'} is not an allowed file host.`);
  }
  return url;
}

/** Downloads the file into memory; throws DownloadError with a user-facing message. */
export async function downloadCapped(raw: string, options: DownloadOptions): Promise<Buffer> {
  const url = checkDownloadUrl(raw, options.allowedHosts);
  const signal = AbortSignal.timeout(options.timeoutMs);
  const tooLarge = () =>
    new DownloadError('too-large', `The file is larger than the ${formatBytes(options.maxBytes)} limit.`);
  try {
    // undici's request() does not follow redirects, so a redirect can never lead to another host.
    const response = await request(url, { method: 'GET', headers: options.headers ?? {}, signal });
    if (response.statusCode !== 200) {
      await response.body.dump();
      throw new DownloadError('http', `The file could not be downloaded (the file host answered ${response.statusCode}).`);
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
    if (error instanceof DownloadError) throw error;
    if (signal.aborted) {
      throw new DownloadError('timeout', `The file took longer than ${Math.round(options.timeoutMs / 1000)} s to download; please try again.`);
    }
    throw new DownloadError('network', 'The file could not be downloaded; please try again.');
  }
}

/** "10 MiB", "512 KiB", "900 bytes". */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${+(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} bytes`;
}
