// How an image size runs within the engine's memory (issue 21): whole, or tile by tile (tiles.ts) with the
// tile size picked here, from a prediction of the run's peak memory (RSS) and of its time per iteration
// made before it starts. A size that fits no plan is refused with the largest size that fits.
//
// The memory model, in bytes, for one scale of width x height = P pixels:
//   process      Node, ONNX Runtime, sharp, and the weights as JavaScript arrays (two copies while loading)
//   sessions     each ONNX Runtime session's copy of the weights of the layers used, in its own layout, and
//                the smaller scales' loss sessions the pool keeps idle beside a whole image (weights, arena)
//   arena        the loss session's working memory: ARENA x the network's activations per pixel x the
//                pixels it runs on (the image, or one window)
//   forward      the targets graph's pass (style targets, content features): FORWARD x activations x pixels
//   buffers      the run's own arrays per pixel of the image: the image, its gradient, the optimiser's state
//                (L-BFGS: 8 pairs of image-sized vectors), the content image; in tiles also the content
//                features of the whole image
// Fitted to the README's measurements (random full-size VGG-19, onnx-cpu, single scale, Adam: peak RSS 0.90
// GB at 128 px and 1.28 GB at 512 px); `npm run bench -- --predict-sizes ...` prints predicted against
// measured, which is how these constants are to be checked and corrected.
import { totalmem } from 'node:os';
import { blockOf, deepestBlock, type LayerChoice } from './layers.js';
import { LOSS_SESSIONS_BYTES, lossSessionEstimate, SESSION_BYTES_PER_WEIGHT_BYTE } from './onnx/session-costs.js';
import { haloFor, tileGrid, windowSide, type TileSize } from './tiles.js';
import type { OptimizerName } from './types.js';
import type { ConvShape } from './weights-file.js';
import { UserError } from '../wording/index.js';

const MB = 1024 ** 2;
/** Node, ONNX Runtime and sharp loaded, no network. */
const PROCESS_BYTES = 400 * MB;
/** The weights as JavaScript arrays: the file's and the executor's own layout. */
const JS_WEIGHT_COPIES = 2;
/** A targets session's weights per weight byte (forward kernels only). */
const TARGETS_SESSION_PER_WEIGHT_BYTE = 1.5;
/**
 * Working memory per byte of activations (ReLU outputs of the layers used, per pixel): the loss session's
 * arena holds the forward activations, the backward pass's and the blocked-layout copies. ONNX Runtime:
 * fitted to the 128 to 512 px rise of the peak RSS (1.3x); TensorFlow.js' autodiff keeps far more
 * (wasm: 2.98 GB at 512 px against onnx-cpu's 1.32 GB).
 */
const ARENA_PER_ACTIVATION_BYTE = { onnx: 1.3, tfjs: 6 } as const;
/** The targets graph's pass: intermediates freed as the pass goes. */
const FORWARD_PER_ACTIVATION_BYTE = 0.5;
/** Image-sized float arrays ([h, w, 3]) a run holds besides the optimiser's: image, gradient, content, start. */
const RUN_IMAGES = 4;
const OPTIMIZER_IMAGES: Record<OptimizerName, number> = {
  // 8 (s, y) pairs, the direction, the trial point and its gradient.
  lbfgs: 2 * 8 + 3,
  // Two moments, the trial point.
  adam: 3,
};
/**
 * A tiled iteration runs each window's forward pass twice (the Gram sums, then the gradient) and copies each
 * window in and out: 0.55 more than its windows' pixels run once, fitted to the bench's tiled rows (1024, 1448
 * and 2048 px took 1.29x, 1.17x and 1.06x what 0.35 predicted).
 */
const FIRST_PASS_TIME_SHARE = 0.55;
/**
 * What a tiled scale holds beyond the terms above (the window's copies in and out, the first pass's own
 * session arena, the gradient's sum over windows), per byte of the network's activations per pixel of a
 * window. It goes with the window, not the image: the bench's tiled rows (random full-size VGG-19, Adam,
 * 2.4 GB budget) held 205 and 210 MB above the other terms at 1024 and 1448 px in 384 px cores, and 114 MB
 * at 2048 px in 256 px cores: 0.71, 0.72 and 0.70 of the activations on a window (a fixed part and a part
 * per image pixel, fitted before, overestimated the 2048 px row by 17%).
 */
const TILED_PER_ACTIVATION_BYTE = 0.71;
/** Tile cores tried, largest first: larger ones repeat fewer halo pixels. */
const TILE_CORES: readonly number[] = [1536, 1024, 768, 512, 384, 256, 128];
/** The budget when STYLIZE_MEMORY_MB is not set: this share of the machine's (or the container's) memory. */
const DEFAULT_BUDGET_SHARE = 0.75;

/** What the plan is made for. */
export interface PlanRequest {
  width: number;
  height: number;
  layers: LayerChoice;
  /** The network's conv layers (all of them, as loaded). */
  network: readonly ConvShape[];
  optimizer: OptimizerName;
  /** Whether the executor takes tiles (ONNX Runtime); else only the whole image is planned. */
  tiles: boolean;
  backend: 'onnx' | 'tfjs';
  /** Peak RSS allowed, bytes. */
  budgetBytes: number;
  /** A forced tile core (tests, the bench): used wherever the image is larger than one window. */
  tileCore?: number;
  /** The engine's measured speed: milliseconds per pixel of an untiled iteration; time is not predicted without it. */
  msPerPixel?: number;
  /** The run's scales before this one (multi-scale): the pool may keep their loss sessions idle beside it. */
  smallerScales?: ReadonlyArray<{ width: number; height: number }>;
}

export interface ScaleMemoryPlan {
  /** undefined: the image runs whole. */
  tile: TileSize | undefined;
  /** Windows per iteration, averaged over the grid's offsets (1 when whole). */
  windows: number;
  peakBytes: number;
  /** Predicted milliseconds per iteration, when the engine's speed is known. */
  msPerIteration: number | undefined;
  /** Pixels run through the network per iteration, relative to the image's (1 when whole). */
  relativeWork: number;
}

function usedConvs(network: readonly ConvShape[], layers: LayerChoice): ConvShape[] {
  const names = network.map((c) => `conv${c.block}_${c.conv}`);
  const last = Math.max(...[...layers.content, ...layers.style].map((name) => names.indexOf(name)));
  return network.slice(0, last + 1);
}

function kernelBytes(convs: readonly ConvShape[]): number {
  return convs.reduce((sum, c) => sum + (9 * c.inChannels * c.outChannels + c.outChannels) * 4, 0);
}

/** Bytes of ReLU outputs per image pixel: each block has a quarter of the positions of the one before. */
function activationBytesPerPixel(convs: readonly ConvShape[]): number {
  return convs.reduce((sum, c) => sum + (c.outChannels * 4) / 4 ** (c.block - 1), 0);
}

/** Bytes per image pixel of the content layers' feature maps. */
function contentBytesPerPixel(network: readonly ConvShape[], layers: LayerChoice): number {
  return layers.content.reduce((sum, layer) => {
    const conv = network.find((c) => `conv${c.block}_${c.conv}` === layer);
    return sum + ((conv?.outChannels ?? 0) * 4) / 4 ** (blockOf(layer) - 1);
  }, 0);
}

/** Windows along one axis, averaged over the offsets the grid takes. */
function averageWindows(extent: number, tile: TileSize, align: number): number {
  const offsets = tile.core / align;
  let sum = 0;
  for (let k = 0; k < offsets; k++) sum += tileGrid(extent, 1, tile, align, k * align, 0).length;
  return sum / offsets;
}

/**
 * Loss sessions of the run's smaller scales still held, idle, beside the current one: the pool frees the
 * costliest idle sessions first until the estimates fit LOSS_SESSIONS_BYTES (session-pool.ts), so the
 * smallest stay. Each holds its weights and its arena.
 */
function idleSessionBytes(request: PlanRequest, weights: number, activations: number, current: number): number {
  if (request.backend !== 'onnx') return 0;
  let room = LOSS_SESSIONS_BYTES - current;
  let bytes = 0;
  const smaller = (request.smallerScales ?? []).map((s) => s.width * s.height).sort((a, b) => a - b);
  for (const pixels of smaller) {
    const estimate = lossSessionEstimate(weights, pixels);
    if (estimate > room) break;
    room -= estimate;
    bytes += weights * SESSION_BYTES_PER_WEIGHT_BYTE + ARENA_PER_ACTIVATION_BYTE.onnx * activations * pixels;
  }
  return bytes;
}

/** Peak memory and time per iteration of one way to run the request's size. */
function predict(request: PlanRequest, tile: TileSize | undefined): ScaleMemoryPlan {
  const { width, height, layers, network, optimizer, backend } = request;
  const pixels = width * height;
  const convs = usedConvs(network, layers);
  const weights = kernelBytes(convs);
  const activations = activationBytesPerPixel(convs);
  const align = 2 ** (deepestBlock(layers) - 1);
  const window = tile ? windowSide(width, tile, align) * windowSide(height, tile, align) : pixels;
  const windows = tile ? averageWindows(width, tile, align) * averageWindows(height, tile, align) : 1;
  const sessions = weights * (SESSION_BYTES_PER_WEIGHT_BYTE + TARGETS_SESSION_PER_WEIGHT_BYTE * (tile ? 2 : 1));
  const arena = ARENA_PER_ACTIVATION_BYTE[backend] * activations * window;
  const forward = FORWARD_PER_ACTIVATION_BYTE * activations * window;
  // Tiles keep the content features of the whole image, and losses() assembles the image's own beside them.
  const buffersPerPixel = 12 * (RUN_IMAGES + OPTIMIZER_IMAGES[optimizer]) + (tile ? 2 * contentBytesPerPixel(network, layers) : 0);
  const buffers = pixels * buffersPerPixel;
  // The scale before this one leaves its arrays to the garbage collector, which need not have taken them
  // when this scale makes its own: a 2048 x 1536 run (1448 x 1086 before it, both in 384 px cores) peaked
  // 379 MB above its last scale alone, 233 MB of which this term gives.
  const previous = Math.max(0, ...(request.smallerScales ?? []).map((s) => s.width * s.height));
  const carried = previous * buffersPerPixel;
  // A tiled scale's session takes the pool's whole bound (onnx/executor.ts): no idle session stays beside it.
  const idle = tile ? 0 : idleSessionBytes(request, weights, activations, lossSessionEstimate(weights, window));
  const tiled = tile ? TILED_PER_ACTIVATION_BYTE * activations * window : 0;
  const peakBytes = PROCESS_BYTES + JS_WEIGHT_COPIES * kernelBytes(network) + sessions + idle + arena + forward + buffers + carried + tiled;
  const relativeWork = tile ? ((windows * window) / pixels) * (1 + FIRST_PASS_TIME_SHARE) : 1;
  const msPerIteration = request.msPerPixel === undefined ? undefined : request.msPerPixel * pixels * relativeWork;
  return { tile, windows, peakBytes, msPerIteration, relativeWork };
}

/** The ways to run the size: whole, and (where the executor tiles) each tile core that cuts the image. */
function candidates(request: PlanRequest): Array<TileSize | undefined> {
  if (!request.tiles) return [undefined];
  const align = 2 ** (deepestBlock(request.layers) - 1);
  const halo = haloFor(align);
  const cuts = (core: number): boolean => windowSide(request.width, { core, halo }, align) < request.width || windowSide(request.height, { core, halo }, align) < request.height;
  if (request.tileCore !== undefined) {
    const core = Math.max(align, Math.round(request.tileCore / align) * align);
    return [cuts(core) ? { core, halo } : undefined];
  }
  return [undefined, ...TILE_CORES.filter(cuts).map((core) => ({ core, halo }))];
}

/**
 * The plan that fits the budget in the least time (the whole image where it fits: tiles only add work),
 * or undefined where none fits.
 */
export function planScaleMemory(request: PlanRequest): ScaleMemoryPlan | undefined {
  let best: ScaleMemoryPlan | undefined;
  for (const tile of candidates(request)) {
    const plan = predict(request, tile);
    if (plan.peakBytes <= request.budgetBytes && (!best || plan.relativeWork < best.relativeWork)) best = plan;
  }
  return best;
}

/**
 * The largest long side, up to `maxSide`, whose size (the aspect of width x height kept, the smaller scales
 * in proportion) some plan fits; 0 where none does.
 */
export function largestFittingSide(request: PlanRequest, maxSide: number): number {
  const long = Math.max(request.width, request.height);
  const scaled = (size: { width: number; height: number }, side: number): { width: number; height: number } => ({
    width: Math.max(1, Math.round((size.width * side) / long)),
    height: Math.max(1, Math.round((size.height * side) / long)),
  });
  const fits = (side: number): boolean => {
    const smallerScales = request.smallerScales?.map((size) => scaled(size, side));
    return planScaleMemory({ ...request, ...scaled(request, side), ...(smallerScales ? { smallerScales } : {}) }) !== undefined;
  };
  let low = 0;
  let high = maxSide;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (fits(mid)) low = mid;
    else high = mid - 1;
  }
  return low;
}

/**
 * The engine's memory budget: STYLIZE_MEMORY_MB when set, else 75% of the memory the process may use
 * (the container's limit where there is one, else the machine's).
 */
export function memoryBudgetBytes(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.STYLIZE_MEMORY_MB?.trim();
  if (text) {
    const mb = Number(text);
    if (!(Number.isFinite(mb) && mb > 0)) throw new Error(`STYLIZE_MEMORY_MB must be a number of megabytes above 0 (got ${text}).`);
    return mb * MB;
  }
  const limit = process.constrainedMemory?.() ?? 0;
  const machine = totalmem();
  return DEFAULT_BUDGET_SHARE * (limit > 0 && limit < machine ? limit : machine);
}

/** The engine's memory settings for runs: the budget, the network's shapes, and a forced tile core (tests, bench). */
export interface MemoryLimits {
  budgetBytes: number;
  network: readonly ConvShape[];
  tileCore?: number;
}

/**
 * Plans each scale of a run: `tileAt` gives the tile size of a scale, and `check`
 * refuses, before the run starts, a run whose output size (the last of `sizes`, the run's scales) no plan
 * fits, naming the largest long side that fits.
 */
export function runMemoryPlanner(limits: MemoryLimits, run: Pick<PlanRequest, 'layers' | 'optimizer' | 'tiles' | 'backend' | 'msPerPixel'>, maxSide: number) {
  const request = (size: { width: number; height: number }): PlanRequest => ({
    ...run,
    ...size,
    network: limits.network,
    budgetBytes: limits.budgetBytes,
    ...(limits.tileCore !== undefined ? { tileCore: limits.tileCore } : {}),
  });
  return {
    /** The tile size of a scale (undefined: whole), after the run's `smallerScales` before it. */
    tileAt: (size: { width: number; height: number }, smallerScales: ReadonlyArray<{ width: number; height: number }>): TileSize | undefined =>
      planScaleMemory({ ...request(size), smallerScales })?.tile,
    check(sizes: ReadonlyArray<{ width: number; height: number }>, requestedSide: number): void {
      const output = sizes[sizes.length - 1];
      if (!output) return;
      const asked = { ...request(output), smallerScales: sizes.slice(0, -1) };
      if (planScaleMemory(asked)) return;
      throw new UserError('size-exceeds-memory', { size: requestedSide, largestSize: largestFittingSide(asked, maxSide) });
    },
  };
}
