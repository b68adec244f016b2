// One style-transfer run: decode, choose layers and weights, then optimise the pixels scale by scale,
// reporting progress and previews, until the iterations are done or the signal aborts.
import { keepContentColours } from './colour.js';
import { CancelledError, OptionsError } from './errors.js';
import type { CentredImage, Executor, LossWeights, ScaleExecutor, ScalePlan } from './executor.js';
import { decodeImage, encodePng, fitLongSide, resizeImage, type RgbImage } from './images.js';
import { blockOf, chooseLayers } from './layers.js';
import { Adam } from './optimizers/adam.js';
import { Lbfgs } from './optimizers/lbfgs.js';
import type { Objective, Optimizer } from './optimizers/types.js';
import { clipCentred, resizeBilinear, seededNoise, toCentred, toRgb } from './pixels.js';
import { PRESETS } from './presets.js';
import { ProgressEstimate } from './progress-estimate.js';
import { planScales } from './schedule.js';
import type { InitMode, Losses, OptimizerName, StylizeOptions, StylizeResult } from './types.js';
import { UserError } from '../wording/index.js';

/** What a run needs from the engine that hosts it. */
export interface RunContext {
  executor: Executor;
  defaults: RunDefaults;
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
  seed: number;
  init: InitMode;
  optimizer: OptimizerName;
  alpha: number;
  beta: number;
  tvWeight: number;
  multiScale: boolean;
  preserveColors: boolean;
  previewEvery: number;
}

function positiveInteger(option: 'size' | 'iterations', value: number, max: number): number {
  if (!Number.isInteger(value) || value < 1 || value > max) throw new UserError('option-out-of-range', { option, min: 1, max, got: value });
  return value;
}

/** Fills in defaults and refuses values that cannot work, before any pixel is decoded. */
function settingsFrom(options: StylizeOptions, defaults: RunDefaults): Settings {
  if ((options.alpha === undefined) !== (options.beta === undefined)) throw new OptionsError('alpha and beta must be given together.');
  for (const [name, value] of [['alpha', options.alpha], ['beta', options.beta], ['tvWeight', options.tvWeight]] as const) {
    if (value !== undefined && !(Number.isFinite(value) && value >= 0)) throw new OptionsError(`${name} must be a number >= 0 (got ${value}).`);
  }
  const preset = PRESETS[options.preset ?? 'balanced'];
  if (!preset) throw new OptionsError(`Unknown preset ${String(options.preset)}; use one of: ${Object.keys(PRESETS).join(', ')}.`);
  const seed = options.seed ?? 0;
  if (!Number.isInteger(seed)) throw new OptionsError(`seed must be a whole number (got ${seed}).`);
  return {
    size: positiveInteger('size', options.size ?? defaults.size, MAX_SIZE),
    iterations: positiveInteger('iterations', options.iterations ?? defaults.iterations, MAX_ITERATIONS),
    seed,
    init: options.init ?? defaults.init,
    optimizer: options.optimizer ?? defaults.optimizer,
    alpha: options.alpha ?? preset.alpha,
    beta: options.beta ?? preset.beta,
    tvWeight: options.tvWeight ?? defaults.tvWeight,
    multiScale: options.multiScale ?? true,
    preserveColors: options.preserveColors ?? false,
    previewEvery: options.previewEvery ?? defaults.previewEvery,
  };
}

function initialImage(mode: InitMode, content: RgbImage, style: RgbImage, seed: number): CentredImage {
  switch (mode) {
    case 'content':
      return toCentred(content);
    case 'style':
      return toCentred(style);
    case 'noise':
      return { data: seededNoise(content.width * content.height * 3, seed, NOISE_AMPLITUDE), width: content.width, height: content.height };
  }
}

function makeOptimizer(name: OptimizerName, x0: Float32Array, objective: Objective): Optimizer {
  return name === 'adam'
    ? new Adam(x0, objective, { learningRate: ADAM_LEARNING_RATE, project: clipCentred })
    : new Lbfgs(x0, objective, { history: 8, initialStep: 8 });
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

/** Centred images of both inputs at one scale, resized from the decoded originals (sharp's lanczos). */
async function imagesAt(scale: { width: number; height: number }, content: RgbImage, style: RgbImage): Promise<[RgbImage, RgbImage]> {
  return Promise.all([resizeImage(content, scale.width, scale.height), resizeImage(style, scale.width, scale.height)]);
}

/** The executor for one scale, its targets set from the decoded originals resized to that scale. */
async function scaleExecutor(executor: Executor, scale: { width: number; height: number }, content: RgbImage, style: RgbImage, plan: Omit<ScalePlan, 'width' | 'height'>): Promise<ScaleExecutor> {
  const scaled = await executor.forScale({ ...plan, width: scale.width, height: scale.height });
  try {
    const [c, s] = await imagesAt(scale, content, style);
    await scaled.setTargets(toCentred(c), toCentred(s));
    return scaled;
  } catch (error) {
    scaled.dispose();
    throw error;
  }
}

export async function runStylize(context: RunContext, contentBytes: Buffer, styleBytes: Buffer, options: StylizeOptions = {}): Promise<StylizeResult> {
  const started = performance.now();
  const { executor } = context;
  const setupBefore = executor.setupMs();
  const settings = settingsFrom(options, context.defaults);
  const layers = chooseLayers(executor.layerNames, { content: options.contentLayers, style: options.styleLayers });
  const allLayers = [...new Set([...layers.content, ...layers.style])];
  // Each pooling halves the image; the deepest layer must still see at least one position.
  const minSide = 2 ** (Math.max(...allLayers.map(blockOf)) - 1);
  const { signal, onProgress } = options;
  throwIfCancelled(signal);

  const [contentImage, styleImage] = await Promise.all([
    decodeImage(contentBytes, { role: 'content' }),
    decodeImage(styleBytes, { role: 'style' }),
  ]);
  const size = fitLongSide(contentImage.width, contentImage.height, settings.size);
  if (Math.min(size.width, size.height) < minSide) {
    throw new UserError('image-too-small-for-size', { size: settings.size, width: size.width, height: size.height, minSide, layers: allLayers });
  }
  const scales = planScales(size.width, size.height, settings.iterations, settings.multiScale, minSide);
  const weights: LossWeights = { alpha: settings.alpha, beta: settings.beta, tvWeight: settings.tvWeight };
  const [content, style] = await imagesAt(size, contentImage, styleImage);
  throwIfCancelled(signal);

  const open = new Set<ScaleExecutor>();
  try {
    const start = initialImage(settings.init, content, style, settings.seed);
    let x = start;
    const progress = new ProgressEstimate(scales);
    let iteration = 0;
    const total = scales.reduce((sum, s) => sum + s.iterations, 0);
    let full: ScaleExecutor | undefined;
    let initial: Losses | undefined;

    for (const [scaleIndex, scale] of scales.entries()) {
      const last = scaleIndex === scales.length - 1;
      // The output size opens last, after the coarse scales have closed: one size's session and working
      // memory at a time. Initial and final losses are both measured there, so they compare.
      const scaled = await scaleExecutor(executor, scale, contentImage, styleImage, { layers, weights });
      open.add(scaled);
      if (last) {
        full = scaled;
        initial = await full.losses(start.data);
      }
      const optimizer = makeOptimizer(settings.optimizer, resizeBilinear(x, scale.width, scale.height).data, (v) => scaled.evaluate(v));
      // Each iteration is timed from the end of the one before (previews and reporting included): the
      // scale's set-up is not an iteration's cost, everything after it is.
      let mark = performance.now();
      for (let i = 0; i < scale.iterations; i++) {
        await yieldToEventLoop();
        throwIfCancelled(signal);
        const losses = await optimizer.step();
        iteration += 1;
        const preview = onProgress && settings.previewEvery > 0 && iteration % settings.previewEvery === 0 ? await previewPng({ ...scale, data: optimizer.x }) : undefined;
        const now = performance.now();
        progress.record(scaleIndex, now - mark);
        mark = now;
        if (onProgress) {
          const elapsedMs = now - started;
          const etaMs = progress.remainingMs() ?? 0;
          onProgress({ iteration, total, fraction: progress.fraction(elapsedMs), losses, elapsedMs, etaMs, ...(preview ? { preview } : {}) });
        }
      }
      x = { width: scale.width, height: scale.height, data: clipCentred(optimizer.x.slice()) };
      if (!last) {
        open.delete(scaled);
        scaled.dispose();
      }
    }
    if (!full || !initial) throw new Error('Internal error: no scale at the output size.');

    let output = toRgb(x);
    if (settings.preserveColors) output = keepContentColours(output, content);
    const final = await full.losses(toCentred(output).data);
    const png = await encodePng(output);
    return {
      png,
      width: output.width,
      height: output.height,
      iterations: total,
      seconds: (performance.now() - started) / 1000,
      backend: executor.backend,
      setupSeconds: (executor.setupMs() - setupBefore) / 1000,
      layers,
      alpha: settings.alpha,
      beta: settings.beta,
      initial,
      final,
    };
  } finally {
    for (const scaled of open) scaled.dispose();
  }
}
