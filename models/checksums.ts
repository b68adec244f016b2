// Hashing and checking a downloaded or user-supplied weights file against the pinned checksums.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { WeightsSource } from './manifest.js';

export interface FileDigest {
  bytes: number;
  sha256: string;
  md5: string;
}

/** The file does not match the pinned checksums; `message` is for the user. */
export class ChecksumError extends Error {
  override readonly name = 'ChecksumError';
}

/** Streams the file once through both hashes (the file is 80 MB: never held in memory whole). */
export async function digestFile(path: string): Promise<FileDigest> {
  const sha256 = createHash('sha256');
  const md5 = createHash('md5');
  let bytes = 0;
  for await (const chunk of createReadStream(path)) {
    const data = chunk as Buffer;
    bytes += data.length;
    sha256.update(data);
    md5.update(data);
  }
  return { bytes, sha256: sha256.digest('hex'), md5: md5.digest('hex') };
}

/** Throws ChecksumError unless size and every pinned digest match. */
export function verifyDigest(digest: FileDigest, source: WeightsSource, path: string): void {
  if (source.sha256 === undefined && source.md5 === undefined) {
    throw new ChecksumError(`No checksum is pinned for ${source.fileName}; refusing to use an unverified file.`);
  }
  const problems: string[] = [];
  if (source.bytes !== undefined && digest.bytes !== source.bytes) problems.push(`size ${digest.bytes} bytes, expected ${source.bytes}`);
  if (source.sha256 !== undefined && digest.sha256 !== source.sha256.toLowerCase()) problems.push(`SHA-256 ${digest.sha256}, expected ${source.sha256}`);
  if (source.md5 !== undefined && digest.md5 !== source.md5.toLowerCase()) problems.push(`MD5 ${digest.md5}, expected ${source.md5}`);
  if (problems.length > 0) {
    throw new ChecksumError(
      `${path} is not the expected ${source.fileName} (${problems.join('; ')}). ` +
        'The file is damaged, incomplete or a different file: download it again.',
    );
  }
}
