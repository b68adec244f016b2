// The engine's public entry: everything other folders (queue, bot, CLI, bench) use comes from here.
import { initBackend } from './backend.js';
import { runStylize, type RunDefaults } from './stylize.js';
import type { BackendName, StylizeOptions, StylizeResult } from './types.js';
import { Vgg } from './vgg.js';
import { disposeVggWeights, loadVggWeights } from './weights.js';

export * from './types.js';
export { ImageInputError, CancelledError, ModelError, OptionsError } from './errors.js';
export { PRESETS, presetRatio } from './presets.js';
export type { Preset } from './presets.js';
export { probeImage } from './images.js';

export interface EngineOptions {
  /** Folder with model.json and its weight shards (tfjs layers format). */
  weightsDir: string;
  /** Default: the best that loads; the environment variable STYLIZE_BACKEND overrides both. */
  backend?: BackendName;
}

export interface Engine {
  readonly backend: BackendName;
  readonly threads: number;
  /** Why the backend runs slower than it could (e.g. no wasm threads), for the operator; usually undefined. */
  readonly backendNote: string | undefined;
  /** Paper names of the layers the weights provide, e.g. conv1_1..conv3_4 for the partial model. */
  readonly availableLayers: string[];
  /** Default long side of the output for this backend. */
  readonly defaultSize: number;
  /** Runs one job; concurrent calls wait their turn (one run at a time uses the whole machine anyway). */
  stylize(content: Buffer, style: Buffer, options?: StylizeOptions): Promise<StylizeResult>;
  dispose(): void;
}

/**
 * Defaults per backend, chosen for speed: a wasm job at 256 px takes about a minute or two on two cores;
 * a GPU does 512 px with more iterations in similar time.
 */
const DEFAULTS: Record<BackendName, RunDefaults> = {
  'tensorflow-gpu': { size: 512, iterations: 300, optimizer: 'lbfgs', init: 'content', tvWeight: 0, previewEvery: 20 },
  tensorflow: { size: 384, iterations: 150, optimizer: 'lbfgs', init: 'content', tvWeight: 0, previewEvery: 10 },
  wasm: { size: 256, iterations: 100, optimizer: 'lbfgs', init: 'content', tvWeight: 0, previewEvery: 10 },
  cpu: { size: 128, iterations: 60, optimizer: 'lbfgs', init: 'content', tvWeight: 0, previewEvery: 10 },
};

export async function loadEngine(options: EngineOptions): Promise<Engine> {
  const backend = await initBackend(options.backend);
  const weights = await loadVggWeights(options.weightsDir);
  const vgg = new Vgg(weights);
  disposeVggWeights(weights); // Vgg keeps its own prepared copies
  const defaults = DEFAULTS[backend.name];
  let queue: Promise<unknown> = Promise.resolve();
  let disposed = false;
  return {
    backend: backend.name,
    threads: backend.threads,
    backendNote: backend.note,
    availableLayers: vgg.layerNames,
    defaultSize: defaults.size,
    stylize(content, style, runOptions) {
      if (disposed) return Promise.reject(new Error('The engine has been disposed.'));
      const run = queue.then(() => runStylize({ vgg, backend: backend.name, defaults }, content, style, runOptions));
      queue = run.catch(() => undefined);
      return run;
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      // A run still in flight keeps using the network; free it once the queue is empty.
      void queue.then(() => vgg.dispose());
    },
  };
}
