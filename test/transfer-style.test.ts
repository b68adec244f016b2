// The style as the painter meant it (issue 19), on both executors with the tiny VGG fixture: the style image
// keeps its aspect ratio at every scale, Gram matrices are normalised per position (a texture gives the
// same target whatever its extent), styleScale sets the brush size, several styles blend by weight, and
// "keep my photo's colours" is the luminance-only transfer.
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CentredImage, Executor, ScaleExecutor, StyleGrams } from '../src/transfer/executor.js';
import { decodeImage, resizeImage, type RgbImage } from '../src/transfer/images.js';
import { OptionsError, type StylizeOptions, type StylizeResult } from '../src/transfer/index.js';
import { loadOnnxConvs, OnnxExecutor } from '../src/transfer/onnx/executor.js';
import { toCentred } from '../src/transfer/pixels.js';
import { blendGrams, normaliseStyleWeights, styleSizeAt } from '../src/transfer/style-target.js';
import { runStylize, type RunDefaults } from '../src/transfer/stylize.js';
import { createTfjsExecutor } from '../src/transfer/tfjs-executor.js';
import { makeTinyVggWeights } from './fixtures/tiny-vgg.js';

const REAL_WEIGHTS = join(resolve(dirname(fileURLToPath(import.meta.url)), '../../shared'), 'models/vgg19-imagenet-blocks1-3');
const hasReal = existsSync(join(REAL_WEIGHTS, 'model.json'));
if (!hasReal) console.warn(`Skipping the brush-size check on real weights: ${REAL_WEIGHTS} is missing.`);

const DEFAULTS: RunDefaults = { size: 64, iterations: 10, optimizer: 'lbfgs', init: 'content', tvWeight: 0, previewEvery: 0 };

function png(width: number, height: number, pixel: (x: number, y: number) => readonly number[]): Promise<Buffer> {
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(pixel(x, y).map(Math.round), (y * width + x) * 3);
  return sharp(data, { raw: { width, height, channels: 3 } }).png().toBuffer();
}

/** A photo-like picture: colour ramps with a dark square (muted colours, as most photos have). */
const photo = (width: number, height: number): Promise<Buffer> =>
  png(width, height, (x, y) => (x > width / 4 && x < width / 2 && y > height / 3 && y < (2 * height) / 3 ? [50, 45, 70] : [70 + (150 * x) / width, 60 + (140 * y) / height, 150]));

/** Diagonal stripes of period `period` (x + y): exactly periodic over any multiple of `period`, so tiles join without seams. */
const stripes = (width: number, height: number, period: number): Promise<Buffer> =>
  png(width, height, (x, y) => (Math.floor(((x + y) % period) / (period / 2)) === 0 ? [240, 200, 40] : [30, 60, 140]));

/** A texture with structure at several sizes, exactly periodic over `tile` pixels (seamless when tiled). */
const periodicTexture = (width: number, height: number, tile: number): Promise<Buffer> =>
  png(width, height, (x, y) => {
    const u = (2 * Math.PI * x) / tile;
    const v = (2 * Math.PI * y) / tile;
    return [128 + 100 * Math.sin(4 * u) * Math.cos(2 * v), 128 + 90 * Math.sin(3 * u + 5 * v), 128 + 110 * Math.cos(8 * v - u)];
  });

async function centred(bytes: Buffer): Promise<CentredImage> {
  return toCentred(await decodeImage(bytes));
}

/** A run's view of the executor: every style image it measured and every target it set. */
interface Seen {
  styleSizes: Array<{ width: number; height: number }>;
  grams: StyleGrams[];
  targets: StyleGrams[];
}

/** The real executor, watched: what the run passes to it is the thing under test here. */
function watched(executor: Executor, overrides: Partial<Pick<Executor, 'luminanceTransfer'>> = {}): { executor: Executor; seen: Seen } {
  const seen: Seen = { styleSizes: [], grams: [], targets: [] };
  const wrap = (scale: ScaleExecutor): ScaleExecutor => ({
    async styleGrams(image) {
      seen.styleSizes.push({ width: image.width, height: image.height });
      const grams = await scale.styleGrams(image);
      seen.grams.push(grams);
      return grams;
    },
    setTargets(content, style) {
      seen.targets.push(style);
      return scale.setTargets(content, style);
    },
    evaluate: (x) => scale.evaluate(x),
    losses: (x) => scale.losses(x),
    dispose: () => scale.dispose(),
  });
  const view: Executor = {
    backend: executor.backend,
    threads: executor.threads,
    note: executor.note,
    layerNames: executor.layerNames,
    luminanceTransfer: overrides.luminanceTransfer ?? executor.luminanceTransfer,
    tiles: executor.tiles,
    forScale: async (plan) => wrap(await executor.forScale(plan)),
    setupMs: () => executor.setupMs(),
    dispose: () => executor.dispose(),
  };
  return { executor: view, seen };
}

/** Frobenius norm of a - b over that of b, over every layer. */
function relativeDifference(a: StyleGrams, b: StyleGrams, layers: readonly string[] = [...b.keys()]): number {
  let diff = 0;
  let norm = 0;
  for (const layer of layers) {
    const x = a.get(layer) as Float32Array;
    const y = b.get(layer) as Float32Array;
    y.forEach((v, i) => {
      diff += ((x[i] as number) - v) ** 2;
      norm += v * v;
    });
  }
  return Math.sqrt(diff / norm);
}

/** The radius (cycles per image) of the peak of the radially averaged power spectrum of the luminance, DC left out. */
async function spectrumPeak(pngBytes: Buffer): Promise<number> {
  const { data, info } = await sharp(pngBytes).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const { width, height } = info;
  const luma = new Float64Array(width * height);
  for (let i = 0; i < luma.length; i++) luma[i] = 0.299 * (data[3 * i] ?? 0) + 0.587 * (data[3 * i + 1] ?? 0) + 0.114 * (data[3 * i + 2] ?? 0);
  const mean = luma.reduce((a, b) => a + b, 0) / luma.length;
  const power = new Float64Array(Math.ceil(Math.hypot(width, height) / 2) + 1);
  const count = new Float64Array(power.length);
  // A plain 2D DFT: 64 x 64 images, a few million operations.
  for (let ky = 0; ky < height; ky++) {
    for (let kx = 0; kx < width; kx++) {
      let re = 0;
      let im = 0;
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          const angle = -2 * Math.PI * ((kx * x) / width + (ky * y) / height);
          const v = (luma[y * width + x] as number) - mean;
          re += v * Math.cos(angle);
          im += v * Math.sin(angle);
        }
      }
      const fx = kx <= width / 2 ? kx : kx - width;
      const fy = ky <= height / 2 ? ky : ky - height;
      const r = Math.round(Math.hypot(fx, fy));
      power[r] = (power[r] as number) + re * re + im * im;
      count[r] = (count[r] as number) + 1;
    }
  }
  let peak = 1;
  for (let r = 1; r < Math.min(width, height) / 2; r++) if ((power[r] as number) / (count[r] as number) > (power[peak] as number) / (count[peak] as number)) peak = r;
  return peak;
}

function cbcr(image: RgbImage, i: number): [number, number] {
  const [r, g, b] = [image.data[i] ?? 0, image.data[i + 1] ?? 0, image.data[i + 2] ?? 0];
  return [128 - 0.168736 * r - 0.331264 * g + 0.5 * b, 128 + 0.5 * r - 0.418688 * g - 0.081312 * b];
}

describe('style arithmetic', () => {
  it('the style size keeps the aspect ratio, scales with styleScale and never goes under the smallest side', () => {
    expect(styleSizeAt({ width: 1000, height: 250 }, 512, 1, 16)).toEqual({ width: 512, height: 128 });
    expect(styleSizeAt({ width: 250, height: 1000 }, 512, 0.5, 16)).toEqual({ width: 64, height: 256 });
    expect(styleSizeAt({ width: 1000, height: 250 }, 64, 0.5, 16)).toEqual({ width: 64, height: 16 });
  });

  it('weights are normalised to sum 1, equal by default, and bad ones are refused plainly', () => {
    expect(normaliseStyleWeights(undefined, 2)).toEqual([0.5, 0.5]);
    expect(normaliseStyleWeights([2, 6], 2)).toEqual(normaliseStyleWeights([1, 3], 2));
    expect(normaliseStyleWeights([1, 3], 2)).toEqual([0.25, 0.75]);
    expect(() => normaliseStyleWeights([1], 2)).toThrow(/one style weight per style image: 2 style images, 1 weight/);
    expect(() => normaliseStyleWeights([0, 0], 2)).toThrow(/At least one style weight must be above 0/);
    expect(() => normaliseStyleWeights([1, -1], 2)).toThrow(/at least 0/);
    expect(() => normaliseStyleWeights(undefined, 5)).toThrow(/1 to 4 style images/);
  });

  it('a blend is the weighted sum, layer by layer; one style is its own target', () => {
    const a = new Map([['conv1_1', Float32Array.of(1, 2, 3, 4)]]);
    const b = new Map([['conv1_1', Float32Array.of(10, 20, 30, 40)]]);
    expect(Array.from(blendGrams([a, b], [0.25, 0.75]).get('conv1_1') ?? [])).toEqual([7.75, 15.5, 23.25, 31]);
    expect(blendGrams([a], [1])).toBe(a);
  });
});

function startExecutor(backend: 'wasm' | 'onnx-cpu', weightsDir: string): Promise<Executor> {
  return backend === 'wasm' ? createTfjsExecutor('wasm', weightsDir) : loadOnnxConvs(weightsDir).then((convs) => OnnxExecutor.start({ backend: 'onnx-cpu', convs, threads: 2 }));
}

describe.each(['wasm', 'onnx-cpu'] as const)('%s', (backend) => {
  let weightsDir: string;
  let executor: Executor;
  let content: Buffer;
  let painting: Buffer;

  async function run(style: Buffer | Buffer[], options: StylizeOptions, overrides: Partial<Pick<Executor, 'luminanceTransfer'>> = {}): Promise<{ result: StylizeResult; seen: Seen }> {
    const view = watched(executor, overrides);
    const result = await runStylize({ executor: view.executor, defaults: DEFAULTS }, content, style, options);
    return { result, seen: view.seen };
  }

  beforeAll(async () => {
    weightsDir = await makeTinyVggWeights();
    executor = await startExecutor(backend, weightsDir);
    content = await photo(64, 48);
    painting = await stripes(80, 80, 8);
  });
  afterAll(async () => {
    executor.dispose();
    await rm(weightsDir, { recursive: true, force: true });
  });

  it('a 1000 x 250 style image for a 512 x 512 output keeps its aspect ratio at every scale', async () => {
    const square = await photo(512, 512);
    const wide = await stripes(1000, 250, 20);
    const view = watched(executor);
    const result = await runStylize({ executor: view.executor, defaults: DEFAULTS }, square, wide, { size: 512, iterations: 5 });
    expect([result.width, result.height]).toEqual([512, 512]);
    expect(view.seen.styleSizes.map((s) => Math.max(s.width, s.height))).toEqual([128, 181, 256, 362, 512]);
    for (const size of view.seen.styleSizes) expect(Math.abs(size.width / size.height / 4 - 1)).toBeLessThan(0.01);
    expect(result.styleScale).toBe(1);
  });

  it('the normalised Gram of a periodic texture and of the same texture tiled 2 x 2 agree within 3% (conv1_1 to conv3_1)', async () => {
    const layers = ['conv1_1', 'conv2_1', 'conv3_1'];
    const tile = 256;
    const [one, tiled] = [await centred(await periodicTexture(tile, tile, tile)), await centred(await periodicTexture(2 * tile, 2 * tile, tile))];
    const scale = await executor.forScale({ width: tile, height: tile, layers: { content: ['conv3_1'], style: layers }, weights: { alpha: 1, beta: 1, tvWeight: 0 } });
    try {
      const [a, b] = [await scale.styleGrams(one), await scale.styleGrams(tiled)];
      for (const layer of layers) {
        const difference = relativeDifference(a, b, [layer]);
        console.log(`${backend}: normalised Gram, ${tile} px texture vs tiled 2 x 2, ${layer}: ${(difference * 100).toFixed(2)}%`);
        expect(difference, layer).toBeLessThan(0.03);
      }
    } finally {
      scale.dispose();
    }
  });

  it('the style loss of a fixed image is the same against a texture and against twice its extent at twice the style scale (within 1%)', async () => {
    const tile = 512;
    const [one, tiled] = [await periodicTexture(tile, tile, tile), await periodicTexture(2 * tile, 2 * tile, tile)];
    // conv1_1 to conv3_1 (as for the Gram above): deeper layers of a small image are mostly border.
    const options: StylizeOptions = { size: 256, iterations: 1, multiScale: false, init: 'noise', seed: 2, styleLayers: ['conv1_1', 'conv2_1', 'conv3_1'] };
    // The start image is the photo itself: its loss against each target, before any step.
    const small = await run(one, { ...options, styleScale: 2 });
    const large = await run(tiled, { ...options, styleScale: 4 });
    expect(small.seen.styleSizes).toEqual([{ width: tile, height: tile }]);
    expect(large.seen.styleSizes).toEqual([{ width: 2 * tile, height: 2 * tile }]);
    const difference = Math.abs(large.result.initial.style / small.result.initial.style - 1);
    console.log(`${backend}: style loss against a ${tile} px texture ${small.result.initial.style.toPrecision(5)}, against it tiled 2 x 2 at twice the scale ${large.result.initial.style.toPrecision(5)} (${(difference * 100).toFixed(2)}%)`);
    expect(difference).toBeLessThan(0.01);
  });

  it('blends: the target for weights (0.3, 0.7) is 0.3 G1 + 0.7 G2; (1, 0) paints the first style alone; (2, 6) paints (1, 3)', async () => {
    const other = await photo(40, 60);
    const options: StylizeOptions = { size: 48, iterations: 4, multiScale: false, init: 'noise', seed: 3 };
    const blend = await run([painting, other], { ...options, iterations: 1, styleWeights: [0.3, 0.7] });
    expect(blend.result.styleWeights).toEqual([0.3, 0.7]);
    const [g1, g2] = blend.seen.grams as [StyleGrams, StyleGrams];
    const expected = new Map([...g1.keys()].map((layer) => [layer, (g1.get(layer) as Float32Array).map((v, i) => 0.3 * v + 0.7 * ((g2.get(layer) as Float32Array)[i] as number))]));
    expect(relativeDifference(blend.seen.targets[0] as StyleGrams, expected)).toBeLessThan(1e-6);

    const alone = await run(painting, options);
    const withZero = await run([painting, other], { ...options, styleWeights: [1, 0] });
    expect(withZero.result.png.equals(alone.result.png)).toBe(true);
    expect(withZero.result.styleWeights).toEqual([1, 0]);

    const [twoSix, oneThree] = [await run([painting, other], { ...options, styleWeights: [2, 6] }), await run([painting, other], { ...options, styleWeights: [1, 3] })];
    expect(twoSix.result.png.equals(oneThree.result.png)).toBe(true);
    expect(twoSix.result.styleWeights).toEqual([0.25, 0.75]);
    expect(twoSix.result.png.equals(alone.result.png)).toBe(false);
  });

  it("keeps the photo's colours by luminance-only transfer: chroma within 2 levels on 99% of pixels, style loss halved", async () => {
    const tensors = tf.memory().numTensors;
    const { result } = await run(painting, { size: 64, iterations: 20, preserveColors: true, preset: 'painting' });
    expect(result.colorMode).toBe('luminance');
    expect(result.final.style).toBeLessThan(result.initial.style / 2);
    const [out, expected] = [await decodeImage(result.png), await resizeImage(await decodeImage(content), result.width, result.height)];
    let close = 0;
    for (let i = 0; i < out.data.length; i += 3) {
      const [a, b] = [cbcr(out, i), cbcr(expected, i)];
      if (Math.abs(a[0] - b[0]) <= 2 && Math.abs(a[1] - b[1]) <= 2) close += 1;
    }
    const share = close / (out.width * out.height);
    console.log(`${backend}: luminance-only transfer, chroma within 2 levels on ${(share * 100).toFixed(2)}% of pixels; style loss ${result.initial.style.toPrecision(3)} -> ${result.final.style.toPrecision(3)}`);
    expect(share).toBeGreaterThanOrEqual(0.99);
    // The result is not the photo: its light and dark moved towards the stripes.
    expect(result.png.equals(await sharp(content).png().toBuffer())).toBe(false);
    expect(tf.memory().numTensors).toBe(tensors);
  });

  it('puts the chroma back after the run on a backend that cannot run luminance only, and says so', async () => {
    const { result } = await run(painting, { size: 48, iterations: 2, preserveColors: true }, { luminanceTransfer: false });
    expect(result.colorMode).toBe('swap');
    expect((await run(painting, { size: 48, iterations: 1 })).result.colorMode).toBe('style');
  });

  it('refuses more than four styles, weights that do not fit and a style scale out of range, before any pixel is decoded', async () => {
    const notAnImage = Buffer.from('not decoded');
    await expect(runStylize({ executor, defaults: DEFAULTS }, content, [painting, painting, painting, painting, notAnImage], {})).rejects.toThrow(OptionsError);
    await expect(runStylize({ executor, defaults: DEFAULTS }, content, [painting, notAnImage], { styleWeights: [1] })).rejects.toThrow(/one style weight per style image/);
    await expect(runStylize({ executor, defaults: DEFAULTS }, content, notAnImage, { styleScale: 0.1 })).rejects.toThrow(/styleScale must be a number from 0.25 to 4/);
    await expect(runStylize({ executor, defaults: DEFAULTS }, content, notAnImage, { size: 1024, styleScale: 4 })).rejects.toThrow(/keep styleScale x size within 2048/);
  });
});

// The tiny random network paints no clean texture (a few channels); the brush size is checked where the
// features are real: VGG-19 blocks 1-3 (conv1_1..conv3_1), pure texture synthesis from noise on a flat photo.
describe.skipIf(!hasReal).each(['wasm', 'onnx-cpu'] as const)('%s on real weights', (backend) => {
  let executor: Executor;
  beforeAll(async () => {
    executor = await startExecutor(backend, REAL_WEIGHTS);
  });
  afterAll(() => executor.dispose());

  it("styleScale 0.5 against 2.0 moves the peak of the picture's radially averaged power spectrum by at least 1.5x", async () => {
    const flat = await png(64, 64, () => [128, 128, 128]);
    // Stripes of period 16 px at 128 px: painted at 32 px (styleScale 0.5) or 128 px (2.0) for a 64 px picture.
    const texture = await stripes(128, 128, 16);
    const paint = (styleScale: number): Promise<StylizeResult> =>
      runStylize({ executor, defaults: DEFAULTS }, flat, texture, { size: 64, iterations: 20, multiScale: false, init: 'noise', seed: 4, alpha: 0, beta: 1, styleScale });
    const [fine, coarse] = [await paint(0.5), await paint(2)];
    const [fineAt, coarseAt] = [await spectrumPeak(fine.png), await spectrumPeak(coarse.png)];
    console.log(`${backend}, real weights: spectrum peak at ${fineAt} cycles per picture with styleScale 0.5, ${coarseAt} with 2.0 (${(fineAt / coarseAt).toFixed(2)}x)`);
    expect(fineAt / coarseAt).toBeGreaterThanOrEqual(1.5);
  });
});
