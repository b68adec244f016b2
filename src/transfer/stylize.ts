// One style-transfer run: decode, choose layers and weights, then optimise the pixels scale by scale,
// reporting progress and previews, until the iterations are done or the signal aborts.
import { keepContentColours, luminanceImage, matchedLuminance } from './colour.js';
import { CancelledError, OptionsError } from './errors.js';
import type { CentredImage, Executor, LossWeights, ScaleExecutor, ScalePlan, StyleGrams } from './executor.js';
import { decodeImage, encodePng, fitLongSide, resizeImage, type RgbImage } from './images.js';
import { blockOf, chooseLayers } from './layers.js';
import { ImageAverage } from './image-average.js';
import { lanczosResize } from './lanczos.js';
import type { EngineSpeed } from './engine-speed.js';
import { runMemoryPlanner, type MemoryLimits } from './memory-plan.js';
import type { TileSize } from './tiles.js';
import { Adam, type AdamState } from './optimizers/adam.js';
import { Lbfgs } from './optimizers/lbfgs.js';
import type { Objective, Optimizer } from './optimizers/types.js';
import { clipCentred, resizeBilinear, seededNoise, toCentred, toRgb } from './pixels.js';
import { PRESETS } from './presets.js';
import { BudgetSchedule, FixedSchedule, type RunSchedule } from './run-schedule.js';
import { continuedIterations, continuedSizes, planContinuation, planHalving, planLadder, scaleLadder, type Size } from './schedule.js';
import { blendGrams, checkStyleScale, normaliseStyleWeights, styleSizeAt } from './style-target.js';
import { isOnnxBackend, MAX_TIME_BUDGET_MS, MIN_TIME_BUDGET_MS, type ColorMode, type InitMode, type Losses, type OptimizerName, type ScheduleName, type StylizeOptions, type StylizeResult } from './types.js';
import { UserError } from '../wording/index.js';

/** What a run needs from the engine that hosts it. */
export interface RunContext {
  executor: Executor;
  defaults: RunDefaults;
  /** Milliseconds, for timing iterations and keeping a time budget; default performance.now. Tests set their own. */
  clock?: () => number;
  /** The memory budget (memory-plan.ts): where set, large scales run in tiles and a size that cannot fit is refused. */
  memory?: MemoryLimits;
  /** Where the run records the speed of its untiled iterations (the engine's, for predictions). */
  speed?: EngineSpeed;
}

export interface RunDefaults {
  size: number;
  iterations: number;
  optimizer: OptimizerName;
  init: InitMode;
  tvWeight: number;
  previewEvery: number;
}

export const MAX_SIZE = 2048;
export const MAX_ITERATIONS = 5000;
const PREVIEW_LONG_SIDE = 256;
/** Noise init: uniform in +-NOISE_AMPLITUDE around the ImageNet mean colour. */
const NOISE_AMPLITUDE = 32;
/** Adam's step in pixel units (0..255). */
const ADAM_LEARNING_RATE = 4;
interface Settings {
  size: number;
  iterations: number;
  /** When set, the run is planned from this budget (BudgetSchedule) and `iterations` is unused. */
  timeBudgetMs: number | undefined;
  seed: number;
  init: InitMode;
  /** With options.initImage: only scales with a long side above this run (undefined: the picture's own). */
  startAbove: number | undefined;
  optimizer: OptimizerName;
  alpha: number;
  beta: number;
  tvWeight: number;
  multiScale: boolean;
  schedule: ScheduleName;
  preserveColors: boolean;
  styleScale: number;
  /** One per style image, normalised to sum 1. */
  styleWeights: number[];
  previewEvery: number;
}

/** A decoded style image (as the run sees it: luminance only when the colours are kept) and its weight. */
interface WeightedStyle {
  image: RgbImage;
  weight: number;
}

function positiveInteger(option: 'size' | 'iterations', value: number, max: number): number {
  if (!Number.isInteger(value) || value < 1 || value > max) throw new UserError('option-out-of-range', { option, min: 1, max, got: value });
  return value;
}

/** Fills in defaults and refuses values that cannot work, before any pixel is decoded. */
function settingsFrom(options: StylizeOptions, defaults: RunDefaults, styles: number): Settings {
  if ((options.alpha === undefined) !== (options.beta === undefined)) throw new OptionsError('alpha and beta must be given together.');
  for (const [name, value] of [['alpha', options.alpha], ['beta', options.beta], ['tvWeight', options.tvWeight]] as const) {
    if (value !== undefined && !(Number.isFinite(value) && value >= 0)) throw new OptionsError(`${name} must be a number >= 0 (got ${value}).`);
  }
  const preset = PRESETS[options.preset ?? 'balanced'];
  if (!preset) throw new OptionsError(`Unknown preset ${String(options.preset)}; use one of: ${Object.keys(PRESETS).join(', ')}.`);
  const seed = options.seed ?? 0;
  if (!Number.isInteger(seed)) throw new OptionsError(`seed must be a whole number (got ${seed}).`);
  const size = positiveInteger('size', options.size ?? defaults.size, MAX_SIZE);
  const styleScale = checkStyleScale(options.styleScale);
  // The style image is read at styleScale x size: bounded like the output, for the same memory reason.
  if (styleScale * size > MAX_SIZE) throw new OptionsError(`styleScale ${styleScale} at size ${size} would read the style image at ${Math.round(styleScale * size)} px; keep styleScale x size within ${MAX_SIZE}.`);
  if (options.startAbove !== undefined) {
    if (options.initImage === undefined) throw new OptionsError('startAbove needs an initImage to start from.');
    if (!(Number.isInteger(options.startAbove) && options.startAbove >= 1 && options.startAbove < size)) {
      throw new OptionsError(`startAbove must be a whole number from 1 to below the size ${size} (got ${options.startAbove}).`);
    }
  }
  if (options.schedule === 'halving' && (options.timeBudgetMs !== undefined || options.initImage !== undefined)) {
    throw new OptionsError('The halving schedule runs by iteration count from a fresh start: not with timeBudgetMs or initImage.');
  }
  if (options.timeBudgetMs !== undefined) {
    const budget = options.timeBudgetMs;
    if (options.iterations !== undefined) throw new OptionsError('Give either iterations or timeBudgetMs, not both.');
    if (!(Number.isFinite(budget) && budget >= MIN_TIME_BUDGET_MS && budget <= MAX_TIME_BUDGET_MS)) {
      throw new OptionsError(`timeBudgetMs must be from ${MIN_TIME_BUDGET_MS} to ${MAX_TIME_BUDGET_MS} (got ${budget}).`);
    }
  }
  return {
    size,
    timeBudgetMs: options.timeBudgetMs,
    iterations: positiveInteger('iterations', options.iterations ?? (options.initImage ? continuedIterations(defaults.iterations) : defaults.iterations), MAX_ITERATIONS),
    seed,
    init: options.init ?? defaults.init,
    startAbove: options.startAbove,
    optimizer: options.optimizer ?? defaults.optimizer,
    alpha: options.alpha ?? preset.alpha,
    beta: options.beta ?? preset.beta,
    tvWeight: options.tvWeight ?? defaults.tvWeight,
    multiScale: options.multiScale ?? true,
    schedule: options.schedule ?? 'ladder',
    preserveColors: options.preserveColors ?? false,
    styleScale,
    styleWeights: normaliseStyleWeights(options.styleWeights, styles),
    previewEvery: options.previewEvery ?? defaults.previewEvery,
  };
}

async function initialImage(mode: InitMode, content: RgbImage, style: RgbImage, seed: number): Promise<CentredImage> {
  switch (mode) {
    case 'content':
      return toCentred(content);
    case 'style':
      // The output's shape, cut from the middle of the style image: a starting point, not a target.
      return toCentred(await resizeImage(style, content.width, content.height, 'cover'));
    case 'noise':
      return { data: seededNoise(content.width * content.height * 3, seed, NOISE_AMPLITUDE), width: content.width, height: content.height };
  }
}

/**
 * What a run on the ladder carries from one scale to the next besides the image. Adam: its moments, resampled
 * to the new size like the image (they are per pixel, and a sqrt(2) step changes a pixel's neighbourhood
 * little), and its step count, so the bias corrections do not start over. L-BFGS: only its curvature scale
 * (s.y / y.y): its (s, y) pairs are differences of the previous size's loss and would not satisfy the
 * secant condition of the new one (resampled, they can even lose positive curvature), so the history starts
 * empty but the first step is sized by what the run learnt instead of the fixed initialStep.
 */
interface CarriedState {
  adam?: AdamState & Size;
  curvatureScale?: number;
}

function resampled(state: AdamState & Size, size: Size): AdamState {
  const resize = (data: Float32Array): Float32Array => resizeBilinear({ data, width: state.width, height: state.height }, size.width, size.height).data;
  return { m: resize(state.m), v: resize(state.v), t: state.t };
}

function makeOptimizer(name: OptimizerName, x0: CentredImage, objective: Objective, carried: CarriedState | undefined): Optimizer {
  return name === 'adam'
    ? new Adam(x0.data, objective, { learningRate: ADAM_LEARNING_RATE, project: clipCentred, ...(carried?.adam ? { state: resampled(carried.adam, x0) } : {}) })
    : new Lbfgs(x0.data, objective, { history: 8, initialStep: 8, ...(carried?.curvatureScale !== undefined ? { curvatureScale: carried.curvatureScale } : {}) });
}

function carriedFrom(optimizer: Optimizer, size: Size): CarriedState {
  if (optimizer instanceof Adam) return { adam: { ...optimizer.state(), ...size } };
  if (optimizer instanceof Lbfgs) {
    const curvatureScale = optimizer.curvatureScale();
    return curvatureScale === undefined ? {} : { curvatureScale };
  }
  return {};
}

async function previewPng(x: CentredImage): Promise<Buffer> {
  const image = toRgb(x);
  const long = Math.max(image.width, image.height);
  if (long <= PREVIEW_LONG_SIDE) return encodePng(image);
  const size = fitLongSide(image.width, image.height, PREVIEW_LONG_SIDE);
  return encodePng(await resizeImage(image, size.width, size.height));
}

/** Lets timers and abort events run between iterations (an iteration blocks the thread on wasm, cpu and onnx-cpu). */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError();
}

/** What sets a scale's targets: the decoded originals, resized from there at every scale. */
interface TargetSources {
  /** The photo (sharp's lanczos), or the picture a run goes on from (StylizeOptions.initImage), at a scale's size. */
  contentAt(size: Size): Promise<RgbImage>;
  /** The style images with a weight above 0. */
  styles: readonly WeightedStyle[];
  styleScale: number;
  /** The smallest side the deepest layer needs. */
  minSide: number;
}

/**
 * The style target at one scale: each style image with its own aspect ratio, its long side styleScale
 * times the scale's, and the weighted sum of their normalised Gram matrices.
 */
async function styleTargetAt(scaled: ScaleExecutor, scale: { width: number; height: number }, sources: TargetSources): Promise<StyleGrams> {
  const grams: StyleGrams[] = [];
  for (const { image } of sources.styles) {
    const size = styleSizeAt(image, Math.max(scale.width, scale.height), sources.styleScale, sources.minSide);
    grams.push(await scaled.styleGrams(toCentred(await resizeImage(image, size.width, size.height))));
  }
  return blendGrams(grams, sources.styles.map((s) => s.weight));
}

/** The executor for one scale, its targets set from the decoded originals resized for that scale. */
async function scaleExecutor(executor: Executor, scale: { width: number; height: number }, sources: TargetSources, plan: Omit<ScalePlan, 'width' | 'height'>): Promise<ScaleExecutor> {
  const scaled = await executor.forScale({ ...plan, width: scale.width, height: scale.height });
  try {
    const style = await styleTargetAt(scaled, scale, sources);
    await scaled.setTargets(toCentred(await sources.contentAt(scale)), style);
    return scaled;
  } catch (error) {
    scaled.dispose();
    throw error;
  }
}

function colourModeOf(preserveColors: boolean, executor: Executor): ColorMode {
  if (!preserveColors) return 'style';
  return executor.luminanceTransfer ? 'luminance' : 'swap';
}

/**
 * One run. `styleBytes` is one style image or up to MAX_STYLES of them, blended by options.styleWeights.
 */
export async function runStylize(context: RunContext, contentBytes: Buffer, styleBytes: Buffer | readonly Buffer[], options: StylizeOptions = {}): Promise<StylizeResult> {
  const clock = context.clock ?? (() => performance.now());
  const started = clock();
  const { executor } = context;
  const setupBefore = executor.setupMs();
  const styleInputs: readonly Buffer[] = Buffer.isBuffer(styleBytes) ? [styleBytes] : styleBytes;
  const settings = settingsFrom(options, context.defaults, styleInputs.length);
  const layers = chooseLayers(executor.layerNames, { content: options.contentLayers, style: options.styleLayers });
  const allLayers = [...new Set([...layers.content, ...layers.style])];
  // Each pooling halves the image; the deepest layer must still see at least one position.
  const minSide = 2 ** (Math.max(...allLayers.map(blockOf)) - 1);
  const { signal, onProgress } = options;
  throwIfCancelled(signal);

  const [photo, ...decodedStyles] = await Promise.all([decodeImage(contentBytes, { role: 'content' }), ...styleInputs.map((bytes) => decodeImage(bytes, { role: 'style' }))]);
  const previous = options.initImage ? await decodeImage(options.initImage) : undefined;
  const colorMode = colourModeOf(settings.preserveColors, executor);
  // Luminance-only transfer: the network sees the photo's luminance and the style images' luminance
  // matched to the photo's mean and spread; the photo's chroma goes back on at the end.
  const luminance = colorMode === 'luminance';
  const contentImage = luminance ? luminanceImage(photo) : photo;
  const styles: WeightedStyle[] = decodedStyles
    .map((image, k) => ({ image: luminance ? matchedLuminance(image, photo) : image, weight: settings.styleWeights[k] as number }))
    .filter((style) => style.weight > 0);
  const size = fitLongSide(contentImage.width, contentImage.height, settings.size);
  if (Math.min(size.width, size.height) < minSide) {
    throw new UserError('image-too-small-for-size', { size: settings.size, width: size.width, height: size.height, minSide, layers: allLayers });
  }
  // A run that goes on from a picture runs only the scales above what the picture already holds.
  const startAbove = previous ? (settings.startAbove ?? Math.max(previous.width, previous.height)) : undefined;
  if (startAbove !== undefined && startAbove >= settings.size) throw new OptionsError(`The picture to start from (${startAbove} px) is not smaller than the size ${settings.size}.`);
  const memory = context.memory
    ? runMemoryPlanner(context.memory, { layers, optimizer: settings.optimizer, tiles: executor.tiles, backend: isOnnxBackend(executor.backend) ? 'onnx' : 'tfjs' }, MAX_SIZE)
    : undefined;
  const schedule: RunSchedule =
    settings.timeBudgetMs === undefined
      ? new FixedSchedule(
          startAbove !== undefined
            ? planContinuation(size.width, size.height, settings.iterations, startAbove, minSide)
            : settings.schedule === 'halving'
              ? planHalving(size.width, size.height, settings.iterations, settings.multiScale, minSide)
              : planLadder(size.width, size.height, settings.iterations, settings.multiScale, minSide),
          started,
        )
      : new BudgetSchedule(
          startAbove === undefined ? scaleLadder(size.width, size.height, settings.multiScale, minSide) : continuedSizes(size.width, size.height, startAbove, minSide),
          started,
          settings.timeBudgetMs,
        );
  memory?.check(schedule.sizes, settings.size);
  // A fresh run on the ladder (by iteration count or budget) and a budgeted continued one carry the
  // optimiser's state from scale to scale and deliver the average of their last iterates; a continued run
  // by iteration count and the halving baseline restart the optimiser at each scale and deliver the last
  // iterate.
  const carries = settings.timeBudgetMs !== undefined || (startAbove === undefined && settings.schedule === 'ladder');
  const weights: LossWeights = { alpha: settings.alpha, beta: settings.beta, tvWeight: settings.tvWeight };
  // The picture to go on from is what the run optimises (its luminance in a luminance-only run) and what
  // it keeps: it is the content target in the photo's place. Against the photo, each larger scale would
  // pull the picture towards the photo's optimum at that size (the content loss grows with the pixels, the
  // style loss does not) and repaint its strokes. Measured on the real blocks 1-3, 6 iterations at 181 px
  // from 128 and at 272 from 192: SSIM to the smaller picture 0.86 and 0.80 against the photo, 0.89 and
  // 0.87 against the picture, whose style loss also ends lower (0.48 and 0.46 of a fresh run's, not 0.81
  // and 0.91).
  // It is enlarged with lanczosResize, not sharp's enlargement, which softens the detail it is made of
  // (lanczos.ts).
  const from = previous && luminance ? luminanceImage(previous) : previous;
  const resize = from ? (at: Size) => Promise.resolve(lanczosResize(from, at.width, at.height)) : (at: Size) => resizeImage(contentImage, at.width, at.height);
  // Each size once: the start, the first scale and the output scale's target may be the same size.
  const resized = new Map<string, Promise<RgbImage>>();
  const contentAt = (at: Size): Promise<RgbImage> => {
    const key = `${at.width}x${at.height}`;
    const known = resized.get(key) ?? resize(at);
    resized.set(key, known);
    return known;
  };
  const sources: TargetSources = { contentAt, styles, styleScale: settings.styleScale, minSide };
  const start = from
    ? toCentred(await contentAt(size))
    : await initialImage(settings.init, await contentAt(size), (styles[0] as WeightedStyle).image, settings.seed);
  const first = schedule.sizes[0] as Size;
  // Enlarged once to the first scale that runs (not the bilinear step between scales).
  let x = from ? toCentred(await contentAt(first)) : start;
  throwIfCancelled(signal);

  const open = new Set<ScaleExecutor>();
  try {
    let iteration = 0;
    let full: ScaleExecutor | undefined;
    let outputTile: TileSize | undefined;
    let initial: Losses | undefined;
    let carried: CarriedState | undefined;
    const last = schedule.sizes.length - 1;

    for (const [scaleIndex, scale] of schedule.sizes.entries()) {
      if (!schedule.runs(scaleIndex, clock())) continue;
      const opening = clock();
      // The output size opens last, after the coarse scales have closed: one size's session and working
      // memory at a time. Initial and final losses are both measured there, so they compare.
      const tile = memory?.tileAt(scale, schedule.sizes.slice(0, scaleIndex));
      const scaled = await scaleExecutor(executor, scale, sources, { layers, weights, ...(tile ? { tile } : {}) });
      open.add(scaled);
      if (scaleIndex === last) {
        full = scaled;
        outputTile = executor.tiles ? tile : undefined;
        const before = clock();
        initial = await full.losses(start.data);
        schedule.measuredLosses(clock() - before);
      }
      schedule.opened(scaleIndex, clock() - opening);
      const optimizer = makeOptimizer(settings.optimizer, resizeBilinear(x, scale.width, scale.height), (v) => scaled.evaluate(v), carried);
      const average = carries ? new ImageAverage(scale.width, scale.height) : undefined;
      // Each iteration is timed from the end of the one before (previews and reporting included): the
      // scale's set-up is not an iteration's cost, everything after it is.
      let mark = clock();
      for (let done = 0; schedule.more(scaleIndex, done, mark); done++) {
        await yieldToEventLoop();
        throwIfCancelled(signal);
        const losses = await optimizer.step();
        average?.add(optimizer.x);
        iteration += 1;
        const preview =
          onProgress && settings.previewEvery > 0 && iteration % settings.previewEvery === 0 ? await previewPng(average?.value() ?? { ...scale, data: optimizer.x }) : undefined;
        const now = clock();
        schedule.iterated(scaleIndex, now - mark);
        if (!tile) context.speed?.record(scale.width * scale.height, now - mark);
        mark = now;
        if (onProgress) {
          onProgress({ iteration, total: schedule.total(now), fraction: schedule.fraction(now), losses, elapsedMs: now - started, etaMs: schedule.remainingMs(now), ...(preview ? { preview } : {}) });
        }
      }
      x = { width: scale.width, height: scale.height, data: clipCentred((average?.value()?.data ?? optimizer.x).slice()) };
      if (carries) carried = carriedFrom(optimizer, scale);
      if (scaleIndex !== last) {
        open.delete(scaled);
        scaled.dispose();
      }
    }
    if (!full || !initial) throw new Error('Internal error: no scale at the output size.');

    // The final losses are those of what the run optimised: the luminance in a luminance-only run, the
    // delivered picture otherwise.
    let output = toRgb(x);
    let optimised = output;
    if (colorMode !== 'style') {
      const photoAtSize = await resizeImage(photo, size.width, size.height);
      if (luminance) optimised = luminanceImage(output);
      output = keepContentColours(optimised, photoAtSize);
      if (!luminance) optimised = output;
    }
    const final = await full.losses(toCentred(optimised).data);
    const png = await encodePng(output);
    return {
      png,
      width: output.width,
      height: output.height,
      iterations: iteration,
      seconds: (clock() - started) / 1000,
      backend: executor.backend,
      setupSeconds: (executor.setupMs() - setupBefore) / 1000,
      ...(outputTile ? { tile: outputTile } : {}),
      layers,
      alpha: settings.alpha,
      beta: settings.beta,
      styleScale: settings.styleScale,
      styleWeights: settings.styleWeights,
      colorMode,
      initial,
      final,
    };
  } finally {
    for (const scaled of open) scaled.dispose();
  }
}
