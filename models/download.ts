// Downloads one file over HTTP(S) to disk, reporting bytes as they arrive. The file is written under a
// temporary name and renamed at the end, so an interrupted download never looks like a finished one.
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { fetch } from 'undici';

/** The download failed for a reason the user can act on; `message` says what happened and what to do. */
export class DownloadError extends Error {
  override readonly name = 'DownloadError';
  constructor(
    message: string,
    /** True when no server answered at all (offline, DNS, refused, timed out). */
    readonly unreachable: boolean,
  ) {
    super(message);
  }
}

export interface DownloadOptions {
  /** Called with bytes received so far and the expected total (from Content-Length, or undefined). */
  onProgress?: (received: number, total: number | undefined) => void;
  signal?: AbortSignal;
}

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused',
  ENOTFOUND: 'the host name could not be resolved (no network or DNS?)',
  EAI_AGAIN: 'the host name could not be resolved (no network or DNS?)',
  ECONNRESET: 'the connection was reset',
  ETIMEDOUT: 'the connection timed out',
  ENETUNREACH: 'the network is unreachable',
  EHOSTUNREACH: 'the host is unreachable',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
  UND_ERR_HEADERS_TIMEOUT: 'the server did not answer in time',
  UND_ERR_BODY_TIMEOUT: 'the download stalled',
  UND_ERR_SOCKET: 'the connection was closed',
};

/** undici reports network failures as "fetch failed" with the system error as `cause`; find its code. */
function networkReason(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code in NETWORK_CODES) return NETWORK_CODES[code];
    current = current.cause;
  }
  return undefined;
}

/** Downloads `url` to `destination`; throws DownloadError with a plain reason on any failure. */
export async function downloadFile(url: string, destination: string, options: DownloadOptions = {}): Promise<{ bytes: number }> {
  await mkdir(dirname(destination), { recursive: true });
  const partial = `${destination}.part`;
  let received = 0;
  try {
    const response = await fetch(url, { signal: options.signal, redirect: 'follow' });
    if (!response.ok || response.body === null) {
      await response.body?.cancel();
      throw new DownloadError(`the server answered HTTP ${response.status} ${response.statusText}`.trim(), false);
    }
    const length = Number(response.headers.get('content-length'));
    const total = Number.isFinite(length) && length > 0 ? length : undefined;
    options.onProgress?.(0, total);
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        received += chunk.length;
        options.onProgress?.(received, total);
        callback(null, chunk);
      },
    });
    await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), counter, createWriteStream(partial));
    if (total !== undefined && received !== total) {
      throw new DownloadError(`the download stopped after ${received} of ${total} bytes`, false);
    }
    await rename(partial, destination);
    return { bytes: received };
  } catch (error) {
    await rm(partial, { force: true });
    if (error instanceof DownloadError) throw error;
    if (options.signal?.aborted) throw new DownloadError('the download was cancelled', false);
    const reason = networkReason(error);
    if (reason !== undefined) throw new DownloadError(reason, true);
    throw new DownloadError(error instanceof Error ? error.message : String(error), false);
  }
}
