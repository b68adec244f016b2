// The ONNX Runtime executor against the TensorFlow.js reference (autodiff): the losses and the pixel
// gradient of each loss term, on the tiny network (always) and on the real shared weights (when present);
// plus the protobuf writer the graphs are encoded with and the pool that keeps their sessions.
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { InferenceSession } from 'onnxruntime-node';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CentredImage, Executor, StyleGrams } from '../src/transfer/executor.js';
import { loadEngine } from '../src/transfer/index.js';
import { chooseLayers } from '../src/transfer/layers.js';
import { loadOnnxConvs, OnnxExecutor } from '../src/transfer/onnx/executor.js';
import { GramCache, gramKey } from '../src/transfer/onnx/gram-cache.js';
import { ProtoWriter } from '../src/transfer/onnx/protobuf.js';
import { SessionPool } from '../src/transfer/onnx/session-pool.js';
import { toCentred } from '../src/transfer/pixels.js';
import { createTfjsExecutor } from '../src/transfer/tfjs-executor.js';
import { compareExecutors, describeComparison } from './fixtures/executor-gradients.js';
import { makeTinyVggWeights } from './fixtures/tiny-vgg.js';

const SHARED = resolve(dirname(fileURLToPath(import.meta.url)), '../../shared');
const REAL_WEIGHTS = join(SHARED, 'models/vgg19-imagenet-blocks1-3');
const hasReal = existsSync(join(REAL_WEIGHTS, 'model.json'));
if (!hasReal) console.warn(`Skipping the ONNX gradient check on real weights: ${REAL_WEIGHTS} is missing.`);

/** Float32 agreement expected between the hand-written backward pass and autodiff (notes: ~1e-5). */
const GRADIENT_TOLERANCE = 1e-4;
/** Isolated pixels may differ more, where a unit sits at ~0 before its ReLU and the mask flips. */
const OUTLIER_SHARE = 1e-3;

/** Smooth colour ramps with a dark square (photo) and stripes (painting); 64 x 50 makes odd sizes after pooling. */
async function testImages(width: number, height: number): Promise<{ content: CentredImage; style: CentredImage }> {
  const raw = async (f: (x: number, y: number) => [number, number, number]): Promise<CentredImage> => {
    const data = Buffer.alloc(width * height * 3);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(f(x, y), (y * width + x) * 3);
    const png = await sharp(data, { raw: { width, height, channels: 3 } }).png().toBuffer();
    const { data: decoded } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    return toCentred({ data: new Uint8Array(decoded), width, height });
  };
  return {
    content: await raw((x, y) => (x > width / 4 && x < width / 2 && y > height / 3 ? [20, 20, 40] : [(255 * x) / width, (255 * y) / height, 160])),
    style: await raw((x, y) => (Math.floor((x + y) / 4) % 2 === 0 ? [240, 200, 40] : [30, 60, 140])),
  };
}

async function executorsFor(weightsDir: string): Promise<[Executor, Executor]> {
  const onnx = await OnnxExecutor.start({ backend: 'onnx-cpu', convs: await loadOnnxConvs(weightsDir), threads: 2 });
  return [onnx, await createTfjsExecutor('wasm', weightsDir)];
}

describe('ONNX Runtime executor', () => {
  let tiny: string;
  beforeAll(async () => {
    tiny = await makeTinyVggWeights();
  });
  afterAll(async () => {
    await rm(tiny, { recursive: true, force: true });
  });

  it('matches TensorFlow.js autodiff term by term on the tiny network (all five blocks, odd sizes)', async () => {
    const [onnx, tfjs] = await executorsFor(tiny);
    const layers = chooseLayers(onnx.layerNames);
    const rows = await compareExecutors(onnx, tfjs, await testImages(64, 50), layers);
    console.log(`ONNX vs TensorFlow.js, tiny network, 64 x 50: ${describeComparison(rows)}`);
    for (const row of rows) {
      expect(row.lossError, row.term).toBeLessThan(GRADIENT_TOLERANCE);
      expect(row.outliers, row.term).toBeLessThanOrEqual(OUTLIER_SHARE);
    }
    onnx.dispose();
    tfjs.dispose();
  });

  it.skipIf(!hasReal)('matches TensorFlow.js autodiff on the real weights (blocks 1-3) at 64 px', async () => {
    const [onnx, tfjs] = await executorsFor(REAL_WEIGHTS);
    const layers = chooseLayers(onnx.layerNames);
    const rows = await compareExecutors(onnx, tfjs, await testImages(64, 64), layers);
    console.log(`ONNX vs TensorFlow.js, real VGG-19 blocks 1-3 (${layers.content.join()} / ${layers.style.join()}), 64 x 64: ${describeComparison(rows)}`);
    for (const row of rows) {
      expect(row.lossError, row.term).toBeLessThan(GRADIENT_TOLERANCE);
      expect(row.outliers, row.term).toBeLessThanOrEqual(OUTLIER_SHARE);
    }
    onnx.dispose();
    tfjs.dispose();
  });

  it('computes the losses alone (forward pass and sums outside the graph) as the loss graph does', async () => {
    const onnx = await OnnxExecutor.start({ backend: 'onnx-cpu', convs: await loadOnnxConvs(tiny), threads: 2 });
    const { content, style } = await testImages(64, 50);
    const scale = await onnx.forScale({ width: 64, height: 50, layers: chooseLayers(onnx.layerNames), weights: { alpha: 1, beta: 1e3, tvWeight: 1e-2 } });
    await scale.setTargets(content, await scale.styleGrams(style));
    const shifted = content.data.map((v, i) => v + 20 * Math.sin(i));
    // The content image (whose features the targets already hold) and another image.
    for (const x of [content.data, shifted]) {
      const alone = await scale.losses(x);
      const { losses } = await scale.evaluate(x);
      for (const term of ['content', 'style', 'total'] as const) {
        expect(Math.abs(alone[term] - losses[term]), term).toBeLessThanOrEqual(GRADIENT_TOLERANCE * Math.max(1, Math.abs(losses[term])));
      }
    }
    expect((await scale.losses(content.data)).content).toBe(0);
    scale.dispose();
    onnx.dispose();
  });

  it('reports its set-up time and reuses a session for the same size', async () => {
    const [onnx, tfjs] = await executorsFor(tiny);
    tfjs.dispose();
    const plan = { width: 32, height: 32, layers: chooseLayers(onnx.layerNames), weights: { alpha: 1, beta: 1, tvWeight: 0 } };
    (await onnx.forScale(plan)).dispose();
    const afterFirst = onnx.setupMs();
    expect(afterFirst).toBeGreaterThan(0);
    (await onnx.forScale({ ...plan, weights: { alpha: 5, beta: 2, tvWeight: 1 } })).dispose();
    expect(onnx.setupMs()).toBe(afterFirst);
    onnx.dispose();
  });

  /** One job's engine work on the executor: each scale's session, style targets and content targets. */
  async function runScales(onnx: OnnxExecutor, sizes: ReadonlyArray<[number, number]>): Promise<StyleGrams[]> {
    const layers = chooseLayers(onnx.layerNames);
    const grams: StyleGrams[] = [];
    for (const [width, height] of sizes) {
      const { content, style } = await testImages(width, height);
      const scale = await onnx.forScale({ width, height, layers, weights: { alpha: 1, beta: 1, tvWeight: 0 } });
      const target = await scale.styleGrams(style);
      grams.push(target);
      await scale.setTargets(content, target);
      await scale.evaluate(content.data);
      scale.dispose();
    }
    return grams;
  }

  it('builds each scale\'s sessions and style targets once: a second job of the same sizes and painting builds none', async () => {
    const onnx = await OnnxExecutor.start({ backend: 'onnx-cpu', convs: await loadOnnxConvs(tiny), threads: 2 });
    const sizes: Array<[number, number]> = [
      [16, 16],
      [32, 25],
      [64, 50],
    ];
    const first = await runScales(onnx, sizes);
    expect(onnx.sessionsBuilt()).toBe(4); // three loss graphs, one targets graph (any size)
    expect(onnx.styleTargetsBuilt()).toBe(3);
    const setup = onnx.setupMs();
    const second = await runScales(onnx, sizes);
    expect(onnx.sessionsBuilt()).toBe(4);
    expect(onnx.styleTargetsBuilt()).toBe(3);
    expect(onnx.setupMs()).toBe(setup);
    second.forEach((grams, i) => {
      for (const [layer, gram] of grams) expect(gram, layer).toEqual(first[i]?.get(layer));
    });
    onnx.dispose();
  });

  it('an engine job again with the same photo, painting and size pays no set-up (multi-scale, whole engine)', async () => {
    const engine = await loadEngine({ weightsDir: tiny, backend: 'onnx-cpu' });
    const raw = async (width: number, height: number, f: (i: number) => number): Promise<Buffer> => {
      const data = Buffer.alloc(width * height * 3);
      for (let i = 0; i < data.length; i++) data[i] = f(i);
      return sharp(data, { raw: { width, height, channels: 3 } }).png().toBuffer();
    };
    const photo = await raw(96, 72, (i) => (i * 7) % 256);
    const painting = await raw(80, 80, (i) => (Math.floor(i / 12) % 2 ? 240 : 30));
    const job = { size: 64, iterations: 6, previewEvery: 0 };
    const first = await engine.stylize(photo, painting, job);
    expect(first.setupSeconds).toBeGreaterThan(0);
    const again = await engine.stylize(photo, painting, job);
    expect(again.setupSeconds).toBe(0);
    engine.dispose();
  });

  it('frees loss sessions beyond its memory bound, so the next job builds its loss session again', async () => {
    // A bound that holds one tiny-network loss session at a time.
    const onnx = await OnnxExecutor.start({ backend: 'onnx-cpu', convs: await loadOnnxConvs(tiny), threads: 2, lossSessionsBytes: 1 });
    await runScales(onnx, [[32, 32]]);
    await runScales(onnx, [[32, 32]]);
    expect(onnx.sessionsBuilt()).toBe(3); // the targets session is kept; the loss session, over the bound, is built again
    onnx.dispose();
  });
});

describe('Gram target cache', () => {
  const image = (seed: number, width = 4, height = 2): CentredImage => ({ data: Float32Array.from({ length: width * height * 3 }, (_, i) => Math.sin(seed + i)), width, height });
  const grams = (bytes: number): StyleGrams => new Map([['conv1_1', new Float32Array(bytes / 4).fill(bytes)]]);

  it('keys by the pixels, the size and the layers', () => {
    const a = image(1);
    expect(gramKey(a, 'x')).toBe(gramKey({ ...a, data: a.data.slice() }, 'x'));
    expect(gramKey(a, 'x')).not.toBe(gramKey(image(2), 'x'));
    expect(gramKey(a, 'x')).not.toBe(gramKey({ ...a, width: 2, height: 4 }, 'x'));
    expect(gramKey(a, 'x')).not.toBe(gramKey(a, 'y'));
  });

  it('returns identical targets without computing them again, and keeps at most its budget, least recently used out', async () => {
    const cache = new GramCache(100);
    let computed = 0;
    const get = (key: string, bytes = 40) => cache.get(key, () => (computed++, Promise.resolve(grams(bytes))));
    const first = await get('a');
    const again = await get('a');
    expect(computed).toBe(1);
    expect(again.get('conv1_1')).toBe(first.get('conv1_1'));
    await get('b');
    await get('a'); // a is now the most recently used
    await get('c'); // 120 bytes: b goes
    expect(cache.heldBytes()).toBe(80);
    expect(cache.size()).toBe(2);
    await get('a');
    expect(computed).toBe(3);
    await get('b');
    expect(computed).toBe(4);
    await get('huge', 200); // larger than the budget: returned, not kept
    expect(cache.heldBytes()).toBeLessThanOrEqual(100);
    await get('huge', 200);
    expect(computed).toBe(6);
  });
});

describe('protobuf writer', () => {
  it('writes varints, negative int64s, floats, strings and packed fields as the wire format says', () => {
    const hex = (w: ProtoWriter): string => Buffer.from(w.finish()).toString('hex');
    expect(hex(new ProtoWriter().int(1, 300))).toBe('08ac02');
    expect(hex(new ProtoWriter().int(1, -1))).toBe('08ffffffffffffffffff01');
    expect(hex(new ProtoWriter().float(2, 1))).toBe('150000803f');
    expect(hex(new ProtoWriter().string(3, 'ab'))).toBe('1a026162');
    expect(hex(new ProtoWriter().packedInts(4, [1, 150]))).toBe('2203019601');
    expect(hex(new ProtoWriter().message(5, new ProtoWriter().int(1, 1)))).toBe('2a020801');
  });
});

describe('session pool', () => {
  /** Stands in for an ORT session: only release() is called by the pool. */
  const fakeSession = (log: string[], name: string) => Promise.resolve({ release: () => Promise.resolve(void log.push(name)) } as unknown as InferenceSession);

  it('keeps the costs of its sessions within the budget: idle ones go least recently used first, a key is reused', async () => {
    const freed: string[] = [];
    const pool = new SessionPool(2);
    const created: string[] = [];
    const acquire = (key: string) => pool.acquire(key, () => (created.push(key), fakeSession(freed, key)));
    await Promise.all(['512', '128'].map(acquire));
    pool.done('128'); // in use: 512; idle: 128
    await acquire('256'); // 128 goes, so that 256 fits beside 512
    pool.done('256');
    pool.done('512'); // idle: 256, 512
    await new Promise((resolve) => setImmediate(resolve));
    expect(freed).toEqual(['128']);
    await acquire('512');
    expect(created).toEqual(['512', '128', '256']); // 512 reused
    expect(pool.sessionsCreated()).toBe(3);
    pool.dispose();
    await new Promise((resolve) => setImmediate(resolve));
    expect(freed).toEqual(['128', '256', '512']);
  });

  it('frees the costliest idle session first, never one in use, and keeps every scale of a job that fits', async () => {
    const freed: string[] = [];
    const pool = new SessionPool(10);
    const acquire = (key: string, cost: number) => pool.acquire(key, () => fakeSession(freed, key), cost);
    // A multi-scale job whose scales fit together: a second job builds nothing.
    for (const [key, cost] of [['a', 1], ['b', 2], ['c', 4]] as const) {
      await acquire(key, cost);
      pool.done(key);
    }
    for (const [key, cost] of [['a', 1], ['b', 2], ['c', 4]] as const) {
      await acquire(key, cost);
      pool.done(key);
    }
    expect(pool.sessionsCreated()).toBe(3);
    // A bigger size: the costliest idle one (c) goes first, then b; a stays.
    await acquire('d', 8);
    await new Promise((resolve) => setImmediate(resolve));
    expect(freed).toEqual(['c', 'b']);
    // Over the budget while in use: nothing in use is freed.
    await acquire('e', 8);
    await new Promise((resolve) => setImmediate(resolve));
    expect(freed).toEqual(['c', 'b', 'a']);
    pool.done('d');
    await new Promise((resolve) => setImmediate(resolve));
    expect(freed).toEqual(['c', 'b', 'a', 'd']);
    pool.dispose();
  });

  it('forgets a session that failed to start, so the next job tries again', async () => {
    const pool = new SessionPool(1);
    await expect(pool.acquire('a', () => Promise.reject(new Error('no provider')))).rejects.toThrow('no provider');
    await new Promise((resolve) => setImmediate(resolve));
    await expect(pool.acquire('a', () => fakeSession([], 'a'))).resolves.toBeDefined();
  });
});
