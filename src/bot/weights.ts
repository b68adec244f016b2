// The engine's weights at start: use them where they are, fetch them on the first start (with the
// models/ command's progress bar), or say exactly what to run when that is not possible.
import { fetchWeights, isFetchFailure } from '../../models/fetch-weights.js';
import { findWeights } from '../../models/find-weights.js';
import { DEFAULT_WEIGHTS_DIR, DOWNLOAD_DIR, VGG19_KERAS_NOTOP } from '../../models/manifest.js';

export type WeightsAtStart = { ok: true; dir: string } | { ok: false; message: string };

/**
 * `weightsDir` is STYLIZE_WEIGHTS_DIR: when set, it must already hold the model (a wrong path is reported,
 * never replaced by a download). Unset, the default folder is used and filled on the first start.
 */
export async function weightsAtStart(weightsDir: string | undefined, say: (line: string) => void): Promise<WeightsAtStart> {
  const lookup = await findWeights(weightsDir ? { STYLIZE_WEIGHTS_DIR: weightsDir } : {});
  if (lookup.found) return { ok: true, dir: lookup.dir };
  if (weightsDir) return { ok: false, message: lookup.message };
  say(`First start: the engine needs the VGG-19 weights (80 MB, once). Fetching them into ${DEFAULT_WEIGHTS_DIR}.`);
  try {
    const result = await fetchWeights({ source: VGG19_KERAS_NOTOP, outDir: DEFAULT_WEIGHTS_DIR, downloadDir: DOWNLOAD_DIR, log: say });
    return { ok: true, dir: result.dir };
  } catch (error) {
    if (isFetchFailure(error)) return { ok: false, message: error.message };
    throw error;
  }
}

/**
 * The weights `npm start` needs: those of its engine, or none for a cluster's front-end, whose engine
 * workers (`npm run worker`) run the jobs and check their own weights.
 */
export async function botWeightsAtStart(config: { cluster?: unknown; weightsDir?: string }, say: (line: string) => void): Promise<{ ok: true; dir?: string } | { ok: false; message: string }> {
  if (config.cluster) return { ok: true };
  return weightsAtStart(config.weightsDir, say);
}
