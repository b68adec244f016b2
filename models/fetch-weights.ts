// Gets the VGG-19 weights onto this machine: download (or take a local file), check the pinned
// checksums, convert to the TensorFlow.js layers format. `npm run models:fetch` is the command around it.
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { createTerminalProgress } from '../src/transfer/terminal-progress.js';
import { formatBytes } from '../src/wording/index.js';
import { ChecksumError, digestFile, verifyDigest } from './checksums.js';
import { ConversionError, convertKerasH5 } from './convert-keras-h5.js';
import { DownloadError, downloadFile } from './download.js';
import { hasModel, howToGetWeights, offlineInstructions, pathExists } from './find-weights.js';
import type { WeightsSource } from './manifest.js';

/** Fetching failed; `message` says why and what to do. */
export class FetchError extends Error {
  override readonly name = 'FetchError';
}

export interface FetchOptions {
  source: WeightsSource;
  /** Where the converted model goes. */
  outDir: string;
  /** Where downloads are kept between attempts. */
  downloadDir: string;
  /** Use this local .h5 file instead of downloading. */
  file?: string;
  /** Download from this address instead of the source's (a mirror). */
  url?: string;
  /** Convert again even when outDir already holds a model. */
  force?: boolean;
  log: (line: string) => void;
  /** Where the progress bar goes (stderr by default). */
  progressStream?: Writable & { isTTY?: boolean };
}

export interface FetchResult {
  dir: string;
  /** False when the weights were already there and nothing was done. */
  converted: boolean;
  layers: number;
}

async function download(options: FetchOptions, destination: string): Promise<void> {
  const urls = options.url !== undefined ? [options.url] : options.source.urls;
  const failures: string[] = [];
  for (const url of urls) {
    options.log(`Downloading ${options.source.label} from ${url}`);
    let progress: ReturnType<typeof createTerminalProgress> | undefined;
    try {
      await downloadFile(url, destination, {
        onProgress(received, total) {
          const expected = total ?? options.source.bytes;
          if (expected === undefined) return;
          progress ??= createTerminalProgress({ label: 'Download', total: expected, formatAmount: (bytes) => formatBytes(bytes, { unit: 'MB' }), stream: options.progressStream });
          progress.update(received);
        },
      });
      progress?.stop();
      return;
    } catch (error) {
      progress?.stop();
      if (!(error instanceof DownloadError)) throw error;
      options.log(`Download from ${url} failed: ${error.message}.`);
      failures.push(`${url}: ${error.message}`);
    }
  }
  throw new FetchError(`Could not download the VGG-19 weights (${failures.join('; ')}). ${offlineInstructions(options.source)}`);
}

/** Checks the file against the pinned checksums; returns its SHA-256 for the record in model.json. */
async function verify(path: string, source: WeightsSource, log: (line: string) => void): Promise<string> {
  log(`Checking ${path}`);
  const digest = await digestFile(path);
  verifyDigest(digest, source, path);
  log(`Checksums match (SHA-256 ${digest.sha256}).`);
  return digest.sha256;
}

export async function fetchWeights(options: FetchOptions): Promise<FetchResult> {
  const outDir = resolve(options.outDir);
  if (!options.force && (await hasModel(outDir))) {
    options.log(`VGG-19 weights are already in ${outDir}; nothing to do (use --force to convert again).`);
    return { dir: outDir, converted: false, layers: 0 };
  }
  let h5: string;
  let sha256: string;
  if (options.file !== undefined) {
    h5 = resolve(options.file);
    if (!(await pathExists(h5))) throw new FetchError(`${h5} does not exist. ${howToGetWeights()}`);
    sha256 = await verify(h5, options.source, options.log);
  } else {
    h5 = join(resolve(options.downloadDir), options.source.fileName);
    // A finished earlier download is reused when it still verifies; a bad one is removed and fetched again.
    let verified: string | undefined;
    if (await pathExists(h5)) {
      try {
        verified = await verify(h5, options.source, options.log);
      } catch (error) {
        if (!(error instanceof ChecksumError)) throw error;
        options.log(`${error.message} Removing it.`);
        await rm(h5, { force: true });
      }
    }
    if (verified === undefined) {
      await download(options, h5);
      try {
        verified = await verify(h5, options.source, options.log);
      } catch (error) {
        // Keeping a file that failed verification would only make the next run fail the same way.
        await rm(h5, { force: true });
        throw error;
      }
    }
    sha256 = verified;
  }
  options.log(`Converting to TensorFlow.js format in ${outDir}`);
  const layers = await convertKerasH5(h5, outDir, { source: { fileName: options.source.fileName, sha256 } });
  if (layers.length !== options.source.convLayers) {
    await rm(outDir, { recursive: true, force: true });
    throw new ConversionError(`${h5} holds ${layers.length} conv layers, expected ${options.source.convLayers}.`);
  }
  options.log(`Done: ${layers.length} conv layers (${layers.map((l) => l.name).join(', ')}) in ${outDir}.`);
  return { dir: outDir, converted: true, layers: layers.length };
}

/** The errors fetchWeights reports to the user as plain messages (anything else is a bug). */
export function isFetchFailure(error: unknown): error is Error {
  return error instanceof FetchError || error instanceof ChecksumError || error instanceof ConversionError || error instanceof DownloadError;
}
