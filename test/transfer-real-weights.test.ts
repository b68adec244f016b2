// The engine on real ImageNet weights: the partial VGG-19 (blocks 1-3) in ../shared/models with the
// shared photo and painting. It checks what the product promises: the style moves a long way towards the
// painting while the photo's layout stays.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEngine, type Engine } from '../src/transfer/index.js';

const shared = resolve(dirname(fileURLToPath(import.meta.url)), '../../shared');
const weightsDir = join(shared, 'models/vgg19-imagenet-blocks1-3');
const imagesDir = join(shared, 'testdata/images');
const present = existsSync(join(weightsDir, 'model.json')) && existsSync(join(imagesDir, 'tubingen.jpg')) && existsSync(join(imagesDir, 'starry_night.jpg'));
const title = present ? 'on real weights' : `on real weights: SKIPPED, ${weightsDir} or ${imagesDir} is missing`;
if (!present) console.warn(`Skipping the real-weights engine test: ${weightsDir} or the shared test images are missing.`);

describe.skipIf(!present)(title, () => {
  let engine: Engine;
  let photo: Buffer;
  let painting: Buffer;
  beforeAll(async () => {
    engine = await loadEngine({ weightsDir, backend: 'wasm' });
    [photo, painting] = await Promise.all([readFile(join(imagesDir, 'tubingen.jpg')), readFile(join(imagesDir, 'starry_night.jpg'))]);
  });
  afterAll(() => engine.dispose());

  it('cuts the style loss tenfold while the output keeps the photo\'s layout', async () => {
    const size = 96;
    const tensors = tf.memory().numTensors;
    const result = await engine.stylize(photo, painting, { size, iterations: 40, preset: 'photo', init: 'content', seed: 1, previewEvery: 0 });
    // The partial model has no conv4_2 or conv5_1: the engine falls back to its deepest layers and says so.
    expect(result.layers).toEqual({ content: ['conv3_2'], style: ['conv1_1', 'conv2_1', 'conv3_1'] });
    expect(result.final.style).toBeLessThan(result.initial.style / 10);

    // The painting itself, measured against the photo, is the yardstick for "lost the layout" (measured
    // here: the output's content loss is about 6x below it, the style loss down 13x).
    const paintingItself = await engine.stylize(photo, painting, { size, iterations: 1, init: 'style', previewEvery: 0 });
    expect(result.final.content).toBeLessThan(paintingItself.initial.content / 5);

    const meta = await sharp(result.png).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', result.width, result.height]);
    expect(Math.max(result.width, result.height)).toBe(size);
    expect(tf.memory().numTensors).toBe(tensors);
  });

  // The Fig. 3 check (Gatys et al. 2016): the four presets span from the photo to the painting, in order,
  // on ONNX Runtime (the executors agree to 1e-5: transfer-onnx); the figures go to the log.
  it('orders the four presets from "mostly the photo" to "mostly the painting"', async () => {
    const onnx = await loadEngine({ weightsDir, backend: 'onnx-cpu' });
    try {
      const runs = [];
      for (const preset of ['photo', 'balanced', 'painterly', 'painting'] as const) {
        const result = await onnx.stylize(photo, painting, { size: 64, iterations: 100, preset, init: 'content', seed: 1, previewEvery: 0 });
        console.log(`Fig. 3 check, 64 px, 100 iterations: ${preset} content ${result.final.content.toPrecision(3)}, style ${result.final.style.toPrecision(3)} (from ${result.initial.style.toPrecision(3)})`);
        runs.push(result.final);
      }
      // Each step keeps less of the photo and more of the painting. On blocks 1-3 at 64 px, painterly and
      // painting reach the same floor of the style loss (measured 2.87e5 and 2.88e5; the delivered average
      // of the last iterates needs the 100 iterations to get there: at 50, 5.17e5 and 5.30e5); at 128 px
      // they part (README, "The Fig. 3 check"), so the last step is held to within 2% there.
      for (let i = 1; i < runs.length; i++) {
        expect(runs[i]?.content).toBeGreaterThan(runs[i - 1]?.content ?? Infinity);
        expect(runs[i]?.style).toBeLessThan((runs[i - 1]?.style ?? 0) * (i === runs.length - 1 ? 1.02 : 1));
      }
    } finally {
      onnx.dispose();
    }
  });
});
