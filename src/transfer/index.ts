// The engine's public entry: everything other folders (queue, bot, CLI, bench) use comes from here. It
// loads no backend by itself: the executor for the chosen backend is imported when an engine starts.
import { backendCandidates, onnxThreadsFromEnv } from './backend-choice.js';
import { ModelError } from './errors.js';
import type { Executor } from './executor.js';
import { runStylize, type RunDefaults } from './stylize.js';
import { EngineSpeed } from './engine-speed.js';
import { chooseLayers } from './layers.js';
import { memoryBudgetBytes, planScaleMemory, type ScaleMemoryPlan } from './memory-plan.js';
import { isOnnxBackend, type BackendName, type OptimizerName, type StylizeOptions, type StylizeResult, type TfjsBackendName } from './types.js';
import { readConvShapes, relativeNetworkCost, type ConvShape } from './weights-file.js';

export * from './types.js';
export { CancelledError, ModelError, OptionsError } from './errors.js';
export { PRESETS, presetRatio } from './presets.js';
export { probeImage } from './images.js';
export { MAX_SIZE as MAX_OUTPUT_SIZE } from './stylize.js';
export { continuedIterations, continuedWork, plannedWork } from './schedule.js';
export type { ScaleMemoryPlan } from './memory-plan.js';
export type { ImageRole } from './images.js';

export interface EngineOptions {
  /** Folder with model.json and its weight shards (tfjs layers format). */
  weightsDir: string;
  /** Default: the best that loads; the environment variable STYLIZE_BACKEND overrides both. */
  backend?: BackendName;
  /** Peak memory a run may plan for, bytes; default STYLIZE_MEMORY_MB, else 75% of the machine's (memory-plan.ts). */
  memoryBytes?: number;
  /** Forces this tile core on every scale larger than one window (tests, the bench). */
  tileCore?: number;
}

/** How a size would run (the bench's prediction): whole or in tiles, its peak memory and time per iteration. */
export interface SizePrediction {
  /** Undefined where no plan fits the memory budget. */
  plan: ScaleMemoryPlan | undefined;
  budgetBytes: number;
}

export interface Engine {
  readonly backend: BackendName;
  readonly threads: number;
  /** Why the backend runs slower than it could, or which faster ones were passed over and why; usually undefined. */
  readonly backendNote: string | undefined;
  /** Paper names of the layers the weights provide, e.g. conv1_1..conv3_4 for the partial model. */
  readonly availableLayers: string[];
  /** Default long side of the output for this backend. */
  readonly defaultSize: number;
  /** Iterations of a run that names none (over all scales), for this backend. */
  readonly defaultIterations: number;
  /** What an iteration costs on the loaded network relative to the real VGG-19 (1 for its weights). */
  readonly networkCost: number;
  /** Milliseconds spent so far building graphs and creating sessions (ONNX Runtime; 0 on TensorFlow.js). */
  setupMs(): number;
  /** Milliseconds per pixel of an untiled iteration, measured over the latest ones; undefined before any. */
  msPerPixel(): number | undefined;
  /**
   * How a width x height picture would run: its plan within the memory budget, with the time per iteration
   * from `msPerPixel` (else the engine's own measured speed).
   */
  predict(width: number, height: number, options?: { optimizer?: OptimizerName; msPerPixel?: number }): SizePrediction;
  /**
   * Runs one job; concurrent calls wait their turn (one run at a time uses the whole machine anyway). `style`
   * is one style image or up to MAX_STYLES, blended by options.styleWeights.
   */
  stylize(content: Buffer, style: Buffer | readonly Buffer[], options?: StylizeOptions): Promise<StylizeResult>;
  dispose(): void;
}

/**
 * Defaults per backend, chosen for speed (README backend table): a wasm job at 256 px takes a minute or
 * two on two cores; onnx-cpu does a 512 px job with more iterations in about the same time (0.3 s per
 * iteration at 256 px, 1.2 s at 512 px). The GPU rows follow the tensorflow-gpu ones (not yet measured).
 * The iterations go up the ladder (planLadder) and do half the work (plannedWork) that the halving
 * schedule's counts before issue 21 (300, 150, 150, 100 and 60) did at each row's size. The issue asks the
 * default job to reach the old one's final style loss at least 1.5x sooner: on onnx-cpu at 512 px (random
 * full-size VGG-19, L-BFGS), 88 iterations (1/1.77 of the work) ended at 0.797x its style loss, and a
 * budgeted ladder run in half its time at 0.912x; half the work leaves margin on both time and loss. The
 * bench's --race measured 77 iterations: 0.779x the style loss, 1.97x sooner (README).
 */
const DEFAULTS: Record<BackendName, RunDefaults> = {
  'onnx-cuda': { size: 512, iterations: 156, optimizer: 'lbfgs', init: 'content', tvWeight: 0, previewEvery: 20 },
  'onnx-webgpu': { size: 512, iterations: 156, optimizer: 'lbfgs', init: 'content', tvWeight: 0, previewEvery: 20 },
  'onnx-cpu': { size: 512, iterations: 77, optimizer: 'lbfgs', init: 'content', tvWeight: 0, previewEvery: 10 },
  'tensorflow-gpu': { size: 512, iterations: 156, optimizer: 'lbfgs', init: 'content', tvWeight: 0, previewEvery: 20 },
  tensorflow: { size: 384, iterations: 77, optimizer: 'lbfgs', init: 'content', tvWeight: 0, previewEvery: 10 },
  wasm: { size: 256, iterations: 50, optimizer: 'lbfgs', init: 'content', tvWeight: 0, previewEvery: 10 },
  cpu: { size: 128, iterations: 31, optimizer: 'lbfgs', init: 'content', tvWeight: 0, previewEvery: 10 },
};

async function startExecutor(name: BackendName, weightsDir: string): Promise<Executor> {
  if (isOnnxBackend(name)) {
    const { OnnxExecutor, loadOnnxConvs } = await import('./onnx/executor.js');
    return OnnxExecutor.start({ backend: name, convs: await loadOnnxConvs(weightsDir), threads: onnxThreadsFromEnv() });
  }
  const { createTfjsExecutor } = await import('./tfjs-executor.js');
  return createTfjsExecutor(name as TfjsBackendName, weightsDir);
}

function reason(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0]?.trim() || 'unknown error';
}

/**
 * The backend asked for (STYLIZE_BACKEND, else options.backend), or the first that starts in the default
 * order; each one passed over is named with its reason in backendNote. A backend asked for by name that
 * cannot start is an error: silently running 50x slower would be worse than saying so.
 */
async function chooseExecutor(options: EngineOptions): Promise<{ executor: Executor; passedOver: string[] }> {
  const candidates = backendCandidates(options.backend);
  const passedOver = [...candidates.skipped];
  for (const name of candidates.order) {
    try {
      return { executor: await startExecutor(name, options.weightsDir), passedOver };
    } catch (error) {
      // Missing or broken weights would fail on every backend: not a reason to fall back.
      if (error instanceof ModelError) throw error;
      if (candidates.requested) {
        throw new Error(`The ${name} backend could not start: ${reason(error)}. Unset STYLIZE_BACKEND or choose another backend.`, { cause: error });
      }
      passedOver.push(`${name} did not start (${reason(error)})`);
    }
  }
  throw new Error(`No backend could start: ${passedOver.join('; ')}.`);
}

export async function loadEngine(options: EngineOptions): Promise<Engine> {
  const { executor, passedOver } = await chooseExecutor(options);
  const defaults = DEFAULTS[executor.backend];
  const note = [executor.note, ...passedOver].filter((n): n is string => Boolean(n)).join('; ') || undefined;
  let network: ConvShape[];
  let budgetBytes: number;
  try {
    network = await readConvShapes(options.weightsDir);
    budgetBytes = options.memoryBytes ?? memoryBudgetBytes();
  } catch (error) {
    executor.dispose();
    throw error;
  }
  const networkCost = relativeNetworkCost(network);
  const memory = { budgetBytes, network, ...(options.tileCore !== undefined ? { tileCore: options.tileCore } : {}) };
  const speed = new EngineSpeed();
  let queue: Promise<unknown> = Promise.resolve();
  let disposed = false;
  return {
    backend: executor.backend,
    threads: executor.threads,
    backendNote: note,
    availableLayers: executor.layerNames,
    defaultSize: defaults.size,
    defaultIterations: defaults.iterations,
    networkCost,
    setupMs: () => executor.setupMs(),
    msPerPixel: () => speed.msPerPixel(),
    predict(width, height, predictOptions = {}) {
      const msPerPixel = predictOptions.msPerPixel ?? speed.msPerPixel();
      const plan = planScaleMemory({
        width,
        height,
        layers: chooseLayers(executor.layerNames),
        network,
        optimizer: predictOptions.optimizer ?? defaults.optimizer,
        tiles: executor.tiles,
        backend: isOnnxBackend(executor.backend) ? 'onnx' : 'tfjs',
        budgetBytes,
        ...(options.tileCore !== undefined ? { tileCore: options.tileCore } : {}),
        ...(msPerPixel !== undefined ? { msPerPixel } : {}),
      });
      return { plan, budgetBytes };
    },
    stylize(content, style, runOptions) {
      if (disposed) return Promise.reject(new Error('The engine has been disposed.'));
      const run = queue.then(() => runStylize({ executor, defaults, memory, speed }, content, style, runOptions));
      queue = run.catch(() => undefined);
      return run;
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      // A run still in flight keeps using the network; free it once the queue is empty.
      void queue.then(() => executor.dispose());
    },
  };
}
