// Loading the weights and running the VGG network: formats, errors, layer fallback, and the fast
// flipped-kernel input gradient against tfjs' own autodiff.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../src/transfer/backend.js';
import { ModelError } from '../src/transfer/errors.js';
import { convRelu, convReluAutodiff, flipForInputGradient, Vgg } from '../src/transfer/vgg.js';
import { disposeVggWeights, loadVggWeights } from '../src/transfer/weights.js';
import { makeTinyVggWeights } from './fixtures/tiny-vgg.js';

const SHARED_PARTIAL = resolve(dirname(fileURLToPath(import.meta.url)), '../../shared/models/vgg19-imagenet-blocks1-3');
const hasShared = existsSync(join(SHARED_PARTIAL, 'model.json'));
if (!hasShared) console.warn(`Skipping the real-weights loading test: ${SHARED_PARTIAL} is missing.`);

let tiny: string;
beforeAll(async () => {
  await initBackend('wasm');
  tiny = await makeTinyVggWeights();
});
afterAll(async () => {
  await rm(tiny, { recursive: true, force: true });
});

function maxDifference(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] ?? Number.NaN);
}

describe('weights', () => {
  it('loads the tiny fixture: all 16 conv layers under paper names', async () => {
    const before = tf.memory().numTensors;
    const weights = await loadVggWeights(tiny);
    expect(weights.layers.map((l) => l.name)).toEqual([
      'conv1_1', 'conv1_2', 'conv2_1', 'conv2_2', 'conv3_1', 'conv3_2', 'conv3_3', 'conv3_4',
      'conv4_1', 'conv4_2', 'conv4_3', 'conv4_4', 'conv5_1', 'conv5_2', 'conv5_3', 'conv5_4',
    ]);
    expect(weights.layers[0]?.kernel.shape).toEqual([3, 3, 3, 4]);
    expect(tf.memory().numTensors).toBe(before + 32);
    disposeVggWeights(weights);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('loads a network cut after block 3, like the shared partial model', async () => {
    const dir = await makeTinyVggWeights({ blocks: 3 });
    const weights = await loadVggWeights(dir);
    expect(weights.layers.map((l) => l.name).at(-1)).toBe('conv3_4');
    disposeVggWeights(weights);
    await rm(dir, { recursive: true, force: true });
  });

  it.skipIf(!hasShared)('loads the real partial VGG-19 (blocks 1-3) from ../shared', async () => {
    const weights = await loadVggWeights(SHARED_PARTIAL);
    expect(weights.layers.map((l) => l.name)).toEqual(['conv1_1', 'conv1_2', 'conv2_1', 'conv2_2', 'conv3_1', 'conv3_2', 'conv3_3', 'conv3_4']);
    expect(weights.layers[7]?.kernel.shape).toEqual([3, 3, 256, 256]);
    disposeVggWeights(weights);
  });

  it('says to run models:fetch when the folder or model.json is missing', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'no-vgg-'));
    await expect(loadVggWeights(join(empty, 'nowhere'))).rejects.toThrow(ModelError);
    await expect(loadVggWeights(empty)).rejects.toThrow(/npm run models:fetch/);
    await rm(empty, { recursive: true, force: true });
  });

  it('refuses truncated shards and wrong shapes without leaking tensors', async () => {
    const before = tf.memory().numTensors;
    const dir = await makeTinyVggWeights();
    const shard = join(dir, 'group1-shard1of1.bin');
    const bytes = await readFile(shard);
    await writeFile(shard, bytes.subarray(0, bytes.length - 100));
    await expect(loadVggWeights(dir)).rejects.toThrow(/truncated or corrupt/);
    await writeFile(shard, bytes);
    const model = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as { weightsManifest: Array<{ weights: Array<{ name: string; shape: number[] }> }> };
    const weights = model.weightsManifest[0]?.weights ?? [];
    // Swap conv1_2's kernel shape so that the byte count still matches but the chain breaks.
    const kernel = weights.find((w) => w.name === 'block1_conv2/kernel');
    if (kernel) kernel.shape = [3, 3, 2, 8];
    await writeFile(join(dir, 'model.json'), JSON.stringify(model));
    await expect(loadVggWeights(dir)).rejects.toThrow(/block1_conv2 .* wrong shape/);
    expect(tf.memory().numTensors).toBe(before);
    await rm(dir, { recursive: true, force: true });
  });

  it('loads the full-size random stand-in the benchmark uses (VGG-19 channel counts)', async () => {
    const dir = await makeTinyVggWeights({ fullSize: true, blocks: 2 });
    const weights = await loadVggWeights(dir);
    expect(weights.layers.map((l) => [l.name, l.kernel.shape[3]])).toEqual([['conv1_1', 64], ['conv1_2', 64], ['conv2_1', 128], ['conv2_2', 128]]);
    disposeVggWeights(weights);
    await rm(dir, { recursive: true, force: true });
  });
});

describe('network', () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    it(`the flipped-kernel input gradient equals autodiff (${backend})`, async () => {
      await tf.setBackend(backend);
      const x = tf.randomNormal([1, 7, 5, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
      const kernel = tf.randomNormal([3, 3, 3, 4], 0, 1, 'float32', 2) as tf.Tensor4D;
      const bias = tf.randomNormal([4], 0, 1, 'float32', 3) as tf.Tensor1D;
      const weightsOut = tf.randomNormal([1, 7, 5, 4], 0, 1, 'float32', 4);
      // A loss that weights every output differently, so any misplaced gradient entry shows.
      const loss = (conv: (v: tf.Tensor4D) => tf.Tensor4D) => (v: tf.Tensor) => tf.sum(tf.mul(conv(v as tf.Tensor4D), weightsOut)) as tf.Scalar;
      const gradKernel = flipForInputGradient(kernel);
      const fast = tf.grad(loss((v) => convRelu(v, { kernel, bias, gradKernel })))(x);
      const reference = tf.grad(loss((v) => convReluAutodiff(v, kernel, bias)))(x);
      expect(maxDifference(fast, reference)).toBeLessThan(1e-4);
      tf.dispose([x, kernel, bias, gradKernel, weightsOut, fast, reference]);
      await tf.setBackend('wasm');
    });
  }

  it('the whole network gradient equals autodiff through plain conv2d + avgPool', async () => {
    const weights = await loadVggWeights(tiny);
    const vgg = new Vgg(weights);
    const x = tf.randomNormal([1, 16, 12, 3], 0, 50, 'float32', 5) as tf.Tensor4D;
    const fast = tf.grad((v: tf.Tensor) => tf.sum(tf.square(vgg.features(v as tf.Tensor4D, ['conv3_1']).get('conv3_1') as tf.Tensor)) as tf.Scalar)(x);
    const reference = tf.grad((v: tf.Tensor) => {
      // The same network written the plain way: BGR swap on the input, tfjs' own gradients.
      let h = tf.reverse(v, 3) as tf.Tensor4D;
      for (const layer of weights.layers.slice(0, 5)) {
        if (layer.name === 'conv2_1' || layer.name === 'conv3_1') h = tf.avgPool(h, 2, 2, 'valid');
        h = convReluAutodiff(h, layer.kernel, layer.bias);
      }
      return tf.sum(tf.square(h)) as tf.Scalar;
    })(x);
    const scale = tf.tidy(() => tf.max(tf.abs(reference)).dataSync()[0] ?? 1);
    expect(scale).toBeGreaterThan(0);
    expect(maxDifference(fast, reference) / scale).toBeLessThan(1e-4);
    tf.dispose([x, fast, reference]);
    vgg.dispose();
    disposeVggWeights(weights);
  });

  it('computes only up to the deepest requested layer and leaks nothing', async () => {
    const weights = await loadVggWeights(tiny);
    const vgg = new Vgg(weights);
    disposeVggWeights(weights);
    const before = tf.memory().numTensors;
    const x = tf.zeros([1, 32, 32, 3]) as tf.Tensor4D;
    let shapes: [string, number[]][] = [];
    tf.tidy(() => {
      shapes = [...vgg.features(x, ['conv1_1', 'conv2_1', 'conv5_1']).entries()].map(([name, f]) => [name, f.shape]);
    });
    expect(shapes).toEqual([['conv1_1', [1, 32, 32, 4]], ['conv2_1', [1, 16, 16, 6]], ['conv5_1', [1, 2, 2, 8]]]);
    // Asking for conv1_1 only must not run the deeper layers: far fewer tensors are created.
    const count = (layers: string[]): number => {
      const start = tf.memory().numTensors;
      let peak = 0;
      tf.tidy(() => {
        vgg.features(x, layers);
        peak = tf.memory().numTensors - start;
      });
      return peak;
    };
    expect(count(['conv1_1'])).toBeLessThan(count(['conv5_1']) / 4);
    expect(() => tf.tidy(() => { vgg.features(x, ['conv6_1']); })).toThrow(/conv6_1/);
    x.dispose();
    expect(tf.memory().numTensors).toBe(before);
    vgg.dispose();
  });
});
