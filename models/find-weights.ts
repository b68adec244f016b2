// Where the engine's weights are, for the bot's first start and the command line. Order: the folder named
// by STYLIZE_WEIGHTS_DIR, then models/weights/vgg19 (what `npm run models:fetch` writes). The partial model
// in ../shared is test material, never a default; `--weights DIR` can point at it explicitly.
import { access } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DEFAULT_WEIGHTS_DIR, VGG19_KERAS_NOTOP, type WeightsSource } from './manifest.js';

export type WeightsLookup =
  | { found: true; dir: string; from: 'STYLIZE_WEIGHTS_DIR' | 'default' }
  | { found: false; message: string };

/** How to install the weights on a machine without network access. */
export function offlineInstructions(source: WeightsSource = VGG19_KERAS_NOTOP): string {
  return `Without network access, download ${source.urls[0] ?? source.fileName} on another machine, copy it here and run \`npm run models:fetch -- --file PATH\`.`;
}

/** How to get the weights, for messages shown when they are missing. */
export function howToGetWeights(): string {
  return `Run \`npm run models:fetch\` to download and convert the VGG-19 weights (80 MB). ${offlineInstructions()}`;
}

export async function pathExists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** True when `dir` holds a converted model. */
export function hasModel(dir: string): Promise<boolean> {
  return pathExists(join(dir, 'model.json'));
}

export async function findWeights(env: NodeJS.ProcessEnv = process.env): Promise<WeightsLookup> {
  const configured = env['STYLIZE_WEIGHTS_DIR']?.trim();
  if (configured) {
    const dir = resolve(configured);
    // An explicit setting that points nowhere is a mistake to report, not a reason to quietly use another model.
    if (await hasModel(dir)) return { found: true, dir, from: 'STYLIZE_WEIGHTS_DIR' };
    return { found: false, message: `STYLIZE_WEIGHTS_DIR is set to ${dir}, but there is no model.json in it. ${howToGetWeights()}` };
  }
  if (await hasModel(DEFAULT_WEIGHTS_DIR)) return { found: true, dir: DEFAULT_WEIGHTS_DIR, from: 'default' };
  return { found: false, message: `No VGG-19 weights in ${DEFAULT_WEIGHTS_DIR}. ${howToGetWeights()}` };
}
