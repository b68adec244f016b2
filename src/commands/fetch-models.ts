// `npm run models:fetch [-- --file PATH] [--url URL] [--out DIR] [--force]`: downloads the Keras ImageNet
// VGG-19 weights, checks them and converts them for the engine. Exit codes: 0 done, 1 failed, 2 bad usage.
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { fetchWeights, isFetchFailure } from '../../models/fetch-weights.js';
import { DEFAULT_WEIGHTS_DIR, DOWNLOAD_DIR, VGG19_KERAS_NOTOP } from '../../models/manifest.js';

const USAGE = `Usage: npm run models:fetch [-- options]

Downloads the ImageNet VGG-19 weights (${VGG19_KERAS_NOTOP.fileName}, 80 MB),
checks their checksum and converts them to ${DEFAULT_WEIGHTS_DIR}.

Options:
  --file PATH   use a copy of ${VGG19_KERAS_NOTOP.fileName} you already have (no network needed)
  --url URL     download from this address instead (a mirror)
  --out DIR     write the converted weights here instead
  --force       convert again even if the weights are already there
  --help        show this text`;

export interface MainIo {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Where downloads are kept; tests point this at a temporary folder. */
  downloadDir: string;
}

const DEFAULT_IO: MainIo = { out: console.log, err: console.error, downloadDir: DOWNLOAD_DIR };

export async function main(argv: string[], io: MainIo = DEFAULT_IO): Promise<number> {
  const { out, err } = io;
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        file: { type: 'string' },
        url: { type: 'string' },
        out: { type: 'string' },
        force: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    err(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    out(USAGE);
    return 0;
  }
  if (values.file !== undefined && values.url !== undefined) {
    err(`Give either --file or --url, not both.\n\n${USAGE}`);
    return 2;
  }
  try {
    await fetchWeights({
      source: VGG19_KERAS_NOTOP,
      outDir: values.out ?? DEFAULT_WEIGHTS_DIR,
      downloadDir: io.downloadDir,
      file: values.file,
      url: values.url,
      force: values.force,
      log: out,
    });
    return 0;
  } catch (error) {
    if (isFetchFailure(error)) {
      err(error.message);
      return 1;
    }
    throw error;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(`models:fetch failed unexpectedly: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      process.exitCode = 1;
    },
  );
}
