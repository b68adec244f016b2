// End-to-end runs of the engine on the tiny VGG fixture: results, progress and previews, determinism,
// cancellation and failures with tensor counts checked, option errors, partial weights.
import { rm } from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancelledError, loadEngine, OptionsError, type BackendName, type Engine, type Progress, type StylizeOptions } from '../src/transfer/index.js';
import { UserError } from '../src/wording/index.js';
import { makeTinyVggWeights } from './fixtures/tiny-vgg.js';

/** A synthetic "photo": smooth colour gradients with a dark square, so it has layout and colour. */
async function photo(width: number, height: number): Promise<Buffer> {
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const inSquare = x > width / 4 && x < width / 2 && y > height / 3 && y < (2 * height) / 3;
      data[i] = inSquare ? 20 : Math.round((255 * x) / width);
      data[i + 1] = inSquare ? 20 : Math.round((255 * y) / height);
      data[i + 2] = inSquare ? 40 : 160;
    }
  }
  return sharp(data, { raw: { width, height, channels: 3 } }).jpeg().toBuffer();
}

/** A synthetic "painting": diagonal stripes in two colours, a texture with nothing in common with the photo. */
async function painting(size: number): Promise<Buffer> {
  const data = Buffer.alloc(size * size * 3);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = (y * size + x) * 3;
      const stripe = Math.floor((x + y) / 4) % 2 === 0;
      data[i] = stripe ? 240 : 30;
      data[i + 1] = stripe ? 200 : 60;
      data[i + 2] = stripe ? 40 : 140;
    }
  }
  return sharp(data, { raw: { width: size, height: size, channels: 3 } }).png().toBuffer();
}

// The same assertions on both executors: TensorFlow.js (the reference) and ONNX Runtime.
describe.each(['wasm', 'onnx-cpu'] satisfies BackendName[])('%s', (backend) => {
  let weightsDir: string;
  let engine: Engine;
  let content: Buffer;
  let style: Buffer;
  const FAST: StylizeOptions = { size: 48, iterations: 6 };

  beforeAll(async () => {
    weightsDir = await makeTinyVggWeights();
    engine = await loadEngine({ weightsDir, backend });
    content = await photo(96, 72);
    style = await painting(80);
  });
  afterAll(async () => {
    engine.dispose();
    await rm(weightsDir, { recursive: true, force: true });
  });

  describe(`engine on ${backend}`, () => {
    it('reports its backend, threads, layers and default size', () => {
      expect(engine.backend).toBe(backend);
      expect(engine.threads).toBeGreaterThanOrEqual(1);
      expect(engine.availableLayers).toHaveLength(16);
      expect(engine.defaultSize).toBe(backend === 'wasm' ? 256 : 512);
    });

    it('stylizes end to end: PNG of the working size, losses, layers, progress with ETA', async () => {
      const before = tf.memory().numTensors;
      const progress: Progress[] = [];
      const result = await engine.stylize(content, style, { size: 64, iterations: 12, previewEvery: 5, onProgress: (p) => progress.push(p) });
      expect(tf.memory().numTensors).toBe(before);
      expect([result.width, result.height]).toEqual([64, 48]);
      const meta = await sharp(result.png).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['png', 64, 48]);
      expect(result.layers).toEqual({ content: ['conv4_2'], style: ['conv1_1', 'conv2_1', 'conv3_1', 'conv4_1', 'conv5_1'] });
      expect(result.backend).toBe(backend);
      expect(result.iterations).toBe(12);
      expect(result.alpha).toBeGreaterThan(0);
      expect(result.initial.content).toBe(0); // content init
      expect(result.final.style).toBeLessThan(result.initial.style / 2);
      expect(result.final.total).toBeLessThan(result.initial.total);
      expect(progress.map((p) => p.iteration)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
      expect(progress.every((p) => p.total === 12 && p.etaMs >= 0 && Number.isFinite(p.losses.total))).toBe(true);
      expect(progress.at(-1)?.etaMs).toBe(0);
      expect(progress.every((p, i) => p.fraction >= (progress[i - 1]?.fraction ?? 0) && p.fraction <= 1)).toBe(true);
      expect(progress.at(-1)?.fraction).toBe(1);
      expect(progress.filter((p) => p.preview).map((p) => p.iteration)).toEqual([5, 10]);
      const preview = await sharp(progress[4]?.preview).metadata();
      expect(preview.format).toBe('png');
      expect(Math.max(preview.width ?? 0, preview.height ?? 0)).toBeLessThanOrEqual(256);
    });

    it('same seed, same inputs: identical bytes; another seed: another image', async () => {
      const options: StylizeOptions = { ...FAST, init: 'noise', seed: 7 };
      const a = await engine.stylize(content, style, options);
      const b = await engine.stylize(content, style, options);
      const c = await engine.stylize(content, style, { ...options, seed: 8 });
      expect(a.png.equals(b.png)).toBe(true);
      expect(a.png.equals(c.png)).toBe(false);
    });

    it('runs with Adam, multi-scale off and total variation', async () => {
      const before = tf.memory().numTensors;
      const result = await engine.stylize(content, style, { ...FAST, optimizer: 'adam', multiScale: false, tvWeight: 1e-3 });
      expect(tf.memory().numTensors).toBe(before);
      expect(result.final.total).toBeLessThan(result.initial.total);
    });

    it("starts from the style image, and keeps the photo's colours when asked", async () => {
      const before = tf.memory().numTensors;
      const result = await engine.stylize(content, style, { ...FAST, init: 'style', preserveColors: true });
      expect(tf.memory().numTensors).toBe(before);
      // The painting's stripes are yellow/blue; the photo has no yellow-on-blue. Compare mean chroma (Cb).
      const meanCb = async (png: Buffer): Promise<number> => {
        const { data } = await sharp(png).resize(48, 36, { fit: 'fill' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
        let sum = 0;
        for (let i = 0; i < data.length; i += 3) sum += -0.168736 * (data[i] ?? 0) - 0.331264 * (data[i + 1] ?? 0) + 0.5 * (data[i + 2] ?? 0);
        return sum / (data.length / 3);
      };
      const [out, photoCb, paintingCb] = await Promise.all([meanCb(result.png), meanCb(content), meanCb(style)]);
      expect(Math.abs(out - photoCb)).toBeLessThan(Math.abs(paintingCb - photoCb) / 4);
    });

    it('cancels within one iteration, frees every tensor and throws CancelledError', async () => {
      const before = tf.memory().numTensors;
      const controller = new AbortController();
      let seen = 0;
      const run = engine.stylize(content, style, {
        size: 64,
        iterations: 50,
        signal: controller.signal,
        onProgress: (p) => {
          seen = p.iteration;
          if (p.iteration === 3) controller.abort();
        },
      });
      await expect(run).rejects.toThrow(CancelledError);
      expect(seen).toBe(3);
      expect(tf.memory().numTensors).toBe(before);
      await expect(engine.stylize(content, style, { ...FAST, signal: AbortSignal.abort() })).rejects.toThrow(CancelledError);
      expect(tf.memory().numTensors).toBe(before);
    });

    it('a failure mid-run (progress callback throws) frees every tensor', async () => {
      const before = tf.memory().numTensors;
      const run = engine.stylize(content, style, {
        ...FAST,
        onProgress: (p) => {
          if (p.iteration === 2) throw new Error('client went away');
        },
      });
      await expect(run).rejects.toThrow('client went away');
      expect(tf.memory().numTensors).toBe(before);
    });

    it('bad images and bad options are typed errors with plain messages, and leak nothing', async () => {
      const before = tf.memory().numTensors;
      await expect(engine.stylize(Buffer.alloc(0), style, FAST)).rejects.toThrow(UserError);
      await expect(engine.stylize(content, Buffer.from('not an image'), FAST)).rejects.toThrow(/style image/);
      await expect(engine.stylize(content, style, { ...FAST, alpha: 1 })).rejects.toThrow(OptionsError);
      await expect(engine.stylize(content, style, { ...FAST, size: 0 })).rejects.toThrow(/size must be/);
      await expect(engine.stylize(content, style, { ...FAST, styleLayers: ['conv6_1'] })).rejects.toThrow(/conv6_1 is not in these weights/);
      await expect(engine.stylize(content, style, { ...FAST, size: 8 })).rejects.toThrow(/choose a larger size/);
      expect(tf.memory().numTensors).toBe(before);
    });

    it('with partial weights (blocks 1-3) falls back to conv3_2 and conv1_1..conv3_1 and says so', async () => {
      const dir = await makeTinyVggWeights({ blocks: 3 });
      const partial = await loadEngine({ weightsDir: dir, backend });
      expect(partial.availableLayers.at(-1)).toBe('conv3_4');
      const result = await partial.stylize(content, style, FAST);
      expect(result.layers).toEqual({ content: ['conv3_2'], style: ['conv1_1', 'conv2_1', 'conv3_1'] });
      partial.dispose();
      await rm(dir, { recursive: true, force: true });
    });
  });
});
