// One style-transfer run: decode, choose layers and weights, then optimise the pixels scale by scale,
// reporting progress and previews, until the iterations are done or the signal aborts.
import * as tf from '@tensorflow/tfjs';
import { keepContentColours } from './colour.js';
import { CancelledError, OptionsError } from './errors.js';
import { decodeImage, encodePng, fitLongSide, resizeImage, type RgbImage } from './images.js';
import { blockOf, chooseLayers, type LayerChoice } from './layers.js';
import { combineLosses, gramMatrix, type LossWeights, type Targets } from './losses.js';
import { Adam } from './optimizers/adam.js';
import { Lbfgs } from './optimizers/lbfgs.js';
import type { Objective, Optimizer } from './optimizers/types.js';
import { PRESETS } from './presets.js';
import { seededRandom } from './random.js';
import { planScales, scaleCost, type Scale } from './schedule.js';
import type { BackendName, InitMode, Losses, OptimizerName, StylizeOptions, StylizeResult } from './types.js';
import { IMAGENET_MEAN_RGB, type Vgg } from './vgg.js';

/** What a run needs from the engine that hosts it. */
export interface RunContext {
  vgg: Vgg;
  backend: BackendName;
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

function positiveInteger(name: string, value: number, max: number): number {
  if (!Number.isInteger(value) || value < 1 || value > max) throw new OptionsError(`${name} must be a whole number from 1 to ${max} (got ${value}).`);
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

/** RGB bytes -> centred-RGB tensor [1, H, W, 3] (the space the optimisation runs in). */
function toCentred(image: RgbImage): tf.Tensor4D {
  return tf.tidy(() => tf.sub(tf.tensor4d(Float32Array.from(image.data), [1, image.height, image.width, 3]), IMAGENET_MEAN_RGB));
}

/** Centred-RGB tensor -> clipped, rounded RGB bytes. */
function toRgb(x: tf.Tensor4D): RgbImage {
  const [, height, width] = x.shape;
  const bytes = tf.tidy(() => tf.clipByValue(tf.round(tf.add(x, IMAGENET_MEAN_RGB)), 0, 255));
  const data = Uint8Array.from(bytes.dataSync());
  bytes.dispose();
  return { data, width, height };
}

/** Keeps pixels inside 0..255 (in centred units). */
function clipCentred(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.clipByValue(tf.add(x, IMAGENET_MEAN_RGB), 0, 255).sub(IMAGENET_MEAN_RGB));
}

/** Seeded uniform noise in +-amplitude: the same on every backend and every run. */
function seededNoise(count: number, seed: number, amplitude: number): Float32Array {
  const random = seededRandom(seed);
  return Float32Array.from({ length: count }, () => (random() * 2 - 1) * amplitude);
}

function initialImage(mode: InitMode, content: RgbImage, style: RgbImage, seed: number): tf.Tensor4D {
  switch (mode) {
    case 'content':
      return toCentred(content);
    case 'style':
      return toCentred(style);
    case 'noise':
      return tf.tensor4d(seededNoise(content.width * content.height * 3, seed, NOISE_AMPLITUDE), [1, content.height, content.width, 3]);
  }
}

/** Content features and style Gram matrices of the two images; the centred inputs are freed by the tidy. */
function computeTargets(vgg: Vgg, content: RgbImage, style: RgbImage, layers: LayerChoice): Targets {
  const targets: Targets = { content: new Map(), style: new Map() };
  tf.tidy(() => {
    for (const [name, f] of vgg.features(toCentred(content), layers.content)) targets.content.set(name, tf.keep(f));
    for (const [name, f] of vgg.features(toCentred(style), layers.style)) targets.style.set(name, tf.keep(gramMatrix(f)));
  });
  return targets;
}

function disposeTargets(targets: Targets): void {
  for (const t of targets.content.values()) t.dispose();
  for (const t of targets.style.values()) t.dispose();
}

function readLosses(parts: { content: tf.Scalar; style: tf.Scalar; total: tf.Scalar }): Losses {
  const values = tf.tidy(() => tf.stack([parts.content, parts.style, parts.total]));
  const [content = Number.NaN, style = Number.NaN, total = Number.NaN] = values.dataSync();
  values.dispose();
  return { content, style, total };
}

/** Loss and pixel gradient at x, through the fast-gradient VGG. */
function makeObjective(vgg: Vgg, targets: Targets, layers: string[], weights: LossWeights): Objective {
  return (x) => {
    let parts: { content: tf.Scalar; style: tf.Scalar } | undefined;
    const { value, grad } = tf.valueAndGrad((image: tf.Tensor) => {
      const losses = combineLosses(image as tf.Tensor4D, vgg.features(image as tf.Tensor4D, layers), targets, weights);
      parts = { content: tf.keep(losses.content), style: tf.keep(losses.style) };
      return losses.total;
    })(x);
    try {
      if (!parts) throw new Error('Internal error: the loss was not computed.');
      return { losses: readLosses({ ...parts, total: value }), grad };
    } catch (error) {
      grad.dispose();
      throw error;
    } finally {
      value.dispose();
      parts?.content.dispose();
      parts?.style.dispose();
    }
  };
}

/** Losses without a gradient (one forward pass): for the initial and final images. */
function evaluateLosses(vgg: Vgg, x: tf.Tensor4D, targets: Targets, layers: string[], weights: LossWeights): Losses {
  const parts = tf.tidy(() => combineLosses(x, vgg.features(x, layers), targets, weights));
  try {
    return readLosses(parts);
  } finally {
    parts.content.dispose();
    parts.style.dispose();
    parts.total.dispose();
  }
}

function makeOptimizer(name: OptimizerName, x0: tf.Tensor4D, objective: Objective): Optimizer {
  return name === 'adam'
    ? new Adam(x0, objective, { learningRate: ADAM_LEARNING_RATE, project: clipCentred })
    : new Lbfgs(x0, objective, { history: 8, initialStep: 8 });
}

async function previewPng(x: tf.Tensor4D): Promise<Buffer> {
  const image = toRgb(x);
  const long = Math.max(image.width, image.height);
  if (long <= PREVIEW_LONG_SIDE) return encodePng(image);
  const size = fitLongSide(image.width, image.height, PREVIEW_LONG_SIDE);
  return encodePng(await resizeImage(image, size.width, size.height));
}

/** Lets timers and abort events run between iterations (each iteration blocks the thread on wasm/cpu). */
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

export async function runStylize(context: RunContext, contentBytes: Buffer, styleBytes: Buffer, options: StylizeOptions = {}): Promise<StylizeResult> {
  const started = performance.now();
  const { vgg } = context;
  const settings = settingsFrom(options, context.defaults);
  const layers = chooseLayers(vgg.layerNames, { content: options.contentLayers, style: options.styleLayers });
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
    throw new OptionsError(`At ${settings.size} px the content image is only ${size.width} x ${size.height}; its short side must be at least ${minSide} px for layer ${allLayers.join(', ')}. Use a larger size.`);
  }
  const scales = planScales(size.width, size.height, settings.iterations, settings.multiScale, minSide);
  const weights: LossWeights = { alpha: settings.alpha, beta: settings.beta, tvWeight: settings.tvWeight };
  const [content, style] = await imagesAt(size, contentImage, styleImage);
  throwIfCancelled(signal);

  const owned = new Set<{ dispose(): void }>();
  const own = <T extends { dispose(): void }>(thing: T): T => {
    owned.add(thing);
    return thing;
  };
  const release = (thing: { dispose(): void }): void => {
    owned.delete(thing);
    thing.dispose();
  };
  try {
    // Initial and final losses are both measured at the output size, so they compare.
    const fullTargets = own(targetsHandle(computeTargets(vgg, content, style, layers)));
    let x = own(initialImage(settings.init, content, style, settings.seed));
    const initial = evaluateLosses(vgg, x, fullTargets.targets, allLayers, weights);

    const totalCost = scales.reduce((sum, s) => sum + s.iterations * scaleCost(s), 0);
    let doneCost = 0;
    let iteration = 0;
    const total = scales.reduce((sum, s) => sum + s.iterations, 0);

    for (const scale of scales) {
      const last = scale === scales[scales.length - 1];
      const targets = last ? fullTargets : own(targetsHandle(await scaleTargets(vgg, scale, contentImage, styleImage, layers)));
      const start = own(tf.tidy(() => (sameSize(x, scale) ? x.clone() : tf.image.resizeBilinear(x, [scale.height, scale.width], true))));
      release(x);
      const optimizer = own(makeOptimizer(settings.optimizer, start as tf.Tensor4D, makeObjective(vgg, targets.targets, allLayers, weights)));
      owned.delete(start); // the optimizer owns it now
      for (let i = 0; i < scale.iterations; i++) {
        await yieldToEventLoop();
        throwIfCancelled(signal);
        const losses = optimizer.step();
        iteration += 1;
        doneCost += scaleCost(scale);
        if (onProgress) {
          const elapsedMs = performance.now() - started;
          const preview = settings.previewEvery > 0 && iteration % settings.previewEvery === 0 ? await previewPng(optimizer.x as tf.Tensor4D) : undefined;
          onProgress({ iteration, total, losses, elapsedMs, etaMs: (elapsedMs / doneCost) * (totalCost - doneCost), ...(preview ? { preview } : {}) });
        }
      }
      x = own(clipCentred(optimizer.x) as tf.Tensor4D);
      release(optimizer);
      if (!last) release(targets);
    }

    let output = toRgb(x);
    if (settings.preserveColors) output = keepContentColours(output, content);
    const outputTensor = own(toCentred(output));
    const final = evaluateLosses(vgg, outputTensor, fullTargets.targets, allLayers, weights);
    const png = await encodePng(output);
    return {
      png,
      width: output.width,
      height: output.height,
      iterations: total,
      seconds: (performance.now() - started) / 1000,
      backend: context.backend,
      layers,
      alpha: settings.alpha,
      beta: settings.beta,
      initial,
      final,
    };
  } finally {
    for (const thing of owned) thing.dispose();
  }
}

function sameSize(x: tf.Tensor4D, scale: Scale): boolean {
  return x.shape[1] === scale.height && x.shape[2] === scale.width;
}

async function scaleTargets(vgg: Vgg, scale: Scale, contentImage: RgbImage, styleImage: RgbImage, layers: LayerChoice): Promise<Targets> {
  const [content, style] = await imagesAt(scale, contentImage, styleImage);
  return computeTargets(vgg, content, style, layers);
}

/** Targets as one disposable thing. */
function targetsHandle(targets: Targets): { targets: Targets; dispose(): void } {
  return { targets, dispose: () => disposeTargets(targets) };
}
