// The engine's arithmetic on tiny tensors: losses against hand-computed values, the Gram matrix, the
// optimizers on functions whose minimum is known, presets, layer choice, the multi-scale plan, colour.
import { rm } from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../src/transfer/backend.js';
import { keepContentColours } from '../src/transfer/colour.js';
import { OptionsError } from '../src/transfer/errors.js';
import { chooseLayers } from '../src/transfer/layers.js';
import { combineLosses, contentLoss, gramMatrix, normalisedGram, styleLayerLoss, totalVariation } from '../src/transfer/losses.js';
import { Adam } from '../src/transfer/optimizers/adam.js';
import { Lbfgs } from '../src/transfer/optimizers/lbfgs.js';
import type { Objective } from '../src/transfer/optimizers/types.js';
import { PRESETS, presetRatio } from '../src/transfer/presets.js';
import { ProgressEstimate } from '../src/transfer/progress-estimate.js';
import { planHalving, planLadder, plannedWork, type Scale } from '../src/transfer/schedule.js';
import { readConvShapes, relativeNetworkCost, VGG19_SHAPES } from '../src/transfer/weights-file.js';
import { makeTinyVggWeights } from './fixtures/tiny-vgg.js';

beforeAll(async () => {
  await initBackend();
});

const value = (t: tf.Tensor): number => {
  const v = t.dataSync()[0] ?? Number.NaN;
  t.dispose();
  return v;
};

describe('losses', () => {
  // F: 1 x 1 x 2 positions x 2 filters. Filter 0 = [1, 2], filter 1 = [3, 4] over the two positions.
  const features = (): tf.Tensor4D => tf.tensor4d([1, 3, 2, 4], [1, 1, 2, 2]);

  it('content loss is 1/2 sum of squared differences', () => {
    const f = features();
    const p = tf.tensor4d([0, 3, 2, 6], [1, 1, 2, 2]);
    expect(value(contentLoss(f, p))).toBeCloseTo(0.5 * (1 + 0 + 0 + 4));
    tf.dispose([f, p]);
  });

  it('Gram matrix holds the inner products of the filters over positions', () => {
    const f = features();
    const g = gramMatrix(f);
    expect(g.shape).toEqual([2, 2]);
    // [1,2].[1,2] = 5, [1,2].[3,4] = 11, [3,4].[3,4] = 25
    expect(Array.from(g.dataSync())).toEqual([5, 11, 11, 25]);
    tf.dispose([f, g]);
  });

  it('style layer loss is sum (G - M A)^2 / (4 N^2 M^2) against a target normalised per position', () => {
    const g = tf.tensor2d([5, 11, 11, 25], [2, 2]);
    // The raw target [4, 11, 10, 20] of a 2-position image, normalised: divided by M = 2.
    const a = tf.tensor2d([2, 5.5, 5, 10], [2, 2]);
    // N = 2 filters, M = 2 positions: (1 + 0 + 1 + 25) / (4 * 4 * 4)
    expect(value(styleLayerLoss(g, a, 2))).toBeCloseTo(27 / 64);
    tf.dispose([g, a]);
  });

  it('the normalised Gram matrix is G / M', () => {
    const f = features();
    const g = normalisedGram(f);
    expect(Array.from(g.dataSync())).toEqual([2.5, 5.5, 5.5, 12.5]);
    tf.dispose([f, g]);
  });

  it('total variation sums squared neighbour differences', () => {
    const image = tf.tensor4d([0, 1, 3, 7], [1, 2, 2, 1]);
    // vertical: (3-0)^2 + (7-1)^2 = 45; horizontal: (1-0)^2 + (7-3)^2 = 17
    expect(value(totalVariation(image))).toBeCloseTo(62);
    image.dispose();
  });

  it('total = alpha * content + beta * mean of style layers + tv', () => {
    const f = features();
    const target = tf.zeros([1, 1, 2, 2]) as tf.Tensor4D;
    const zeroGram = tf.zeros([2, 2]) as tf.Tensor2D;
    const image = tf.tensor4d([0, 1, 3, 7], [1, 2, 2, 1]);
    const parts = combineLosses(
      image,
      new Map([['a', f], ['b', f]]),
      { content: new Map([['a', target]]), style: new Map([['a', zeroGram], ['b', zeroGram]]) },
      { alpha: 2, beta: 3, tvWeight: 0.5 },
    );
    const content = 0.5 * (1 + 9 + 4 + 16);
    const style = (25 + 121 + 121 + 625) / 64; // both layers equal, so their mean equals one
    expect(value(parts.content)).toBeCloseTo(content);
    expect(value(parts.style)).toBeCloseTo(style);
    expect(value(parts.total)).toBeCloseTo(2 * content + 3 * style + 0.5 * 62, 3);
    tf.dispose([f, target, zeroGram, image]);
  });
});

/** An optimizer objective from a tfjs scalar function: its value and autodiff gradient, tensors freed. */
function tfObjective(f: (v: tf.Tensor) => tf.Scalar): Objective {
  return (x) => {
    const { value: loss, grad } = tf.tidy(() => tf.valueAndGrad(f)(tf.tensor1d(x)));
    const total = value(loss);
    const data = grad.dataSync() as Float32Array;
    grad.dispose();
    return Promise.resolve({ losses: { content: total, style: 0, total }, grad: data });
  };
}

/** f(x, y) = (1 - x)^2 + 100 (y - x^2)^2, minimum 0 at (1, 1). */
const rosenbrock = tfObjective((v) => {
  const [x, y] = tf.split(v, 2);
  return tf.add(tf.square(tf.sub(1, x as tf.Tensor)), tf.mul(100, tf.square(tf.sub(y as tf.Tensor, tf.square(x as tf.Tensor))))).sum();
});

describe('optimizers', () => {
  it('L-BFGS finds the minimum of the Rosenbrock function', async () => {
    const before = tf.memory().numTensors;
    const optimizer = new Lbfgs(Float32Array.of(-1.2, 1), rosenbrock, { history: 6 });
    let losses = await optimizer.losses();
    for (let i = 0; i < 100 && losses.total > 1e-10; i++) losses = await optimizer.step();
    expect(losses.total).toBeLessThan(1e-8);
    const [x = 0, y = 0] = optimizer.x;
    expect(x).toBeCloseTo(1, 3);
    expect(y).toBeCloseTo(1, 3);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('L-BFGS never raises the loss and keeps its memory flat', async () => {
    // An ill-conditioned quadratic: 0.5 * sum(d_i * x_i^2), d from 1 to 100 (condition number 100).
    const d = tf.tensor1d(Array.from({ length: 50 }, (_, i) => 10 ** ((2 * i) / 49)));
    const quadratic = tfObjective((v) => tf.mul(0.5, tf.sum(tf.mul(d, tf.square(v)))) as tf.Scalar);
    const optimizer = new Lbfgs(new Float32Array(50).fill(1), quadratic);
    let previous = (await optimizer.losses()).total;
    const counts: number[] = [];
    const pairs: number[] = [];
    for (let i = 0; i < 60; i++) {
      const { total } = await optimizer.step();
      expect(total).toBeLessThanOrEqual(previous);
      expect(Number.isFinite(total)).toBe(true);
      previous = total;
      counts.push(tf.memory().numTensors);
      pairs.push((optimizer as unknown as { pairs: unknown[] }).pairs.length);
    }
    expect(previous).toBeLessThan(1e-6); // from ~550
    expect(new Set(counts.slice(12)).size).toBe(1); // no tensor growth
    expect(Math.max(...pairs)).toBeLessThanOrEqual(8); // history full: no growth
    d.dispose();
  });

  it('L-BFGS survives a NaN region by backtracking', async () => {
    // Undefined (NaN) for x < 0: a full step overshoots into it, the line search must back off.
    const logBarrier = tfObjective((v) => tf.sum(tf.sub(tf.mul(3, v), tf.log(v))) as tf.Scalar);
    const optimizer = new Lbfgs(Float32Array.of(2), logBarrier, { initialStep: 10 });
    let losses = await optimizer.losses();
    for (let i = 0; i < 30; i++) losses = await optimizer.step();
    expect(optimizer.x[0]).toBeCloseTo(1 / 3, 3);
    expect(Number.isFinite(losses.total)).toBe(true);
  });

  it('Adam walks a quadratic to its minimum in pixel-sized steps', async () => {
    const target = tf.tensor1d([10, -20, 30]);
    const objective = tfObjective((v) => tf.sum(tf.squaredDifference(v, target)) as tf.Scalar);
    const optimizer = new Adam(new Float32Array(3), objective, { learningRate: 1 });
    for (let i = 0; i < 300; i++) await optimizer.step();
    const [a = 0, b = 0, c = 0] = optimizer.x;
    expect([a, b, c].map(Math.round)).toEqual([10, -20, 30]);
    target.dispose();
  });
});

describe('presets', () => {
  it('map the four user-facing names to the paper ratios, from photo to painting', () => {
    expect(Object.keys(PRESETS)).toEqual(['photo', 'balanced', 'painterly', 'painting']);
    expect(Object.keys(PRESETS).map((name) => presetRatio(name as keyof typeof PRESETS))).toEqual([1e-2, 1e-3, 1e-4, 1e-5]);
    const styleShare = Object.values(PRESETS).map((p) => p.beta / p.alpha);
    expect([...styleShare].sort((a, b) => a - b)).toEqual(styleShare); // more style at each step
    // What users read about each preset is in the message catalogue (test/wording.test.ts checks it has every one).
  });
});

describe('layer choice', () => {
  const full = ['1_1', '1_2', '2_1', '2_2', '3_1', '3_2', '3_3', '3_4', '4_1', '4_2', '4_3', '4_4', '5_1', '5_2', '5_3', '5_4'].map((n) => `conv${n}`);
  it("uses the paper's layers when the weights have them", () => {
    expect(chooseLayers(full)).toEqual({ content: ['conv4_2'], style: ['conv1_1', 'conv2_1', 'conv3_1', 'conv4_1', 'conv5_1'] });
  });
  it('falls back with partial weights (blocks 1-3, blocks 1-2)', () => {
    expect(chooseLayers(full.slice(0, 8))).toEqual({ content: ['conv3_2'], style: ['conv1_1', 'conv2_1', 'conv3_1'] });
    expect(chooseLayers(full.slice(0, 4))).toEqual({ content: ['conv2_2'], style: ['conv1_1', 'conv2_1'] });
  });
  it('takes explicit layers and refuses ones the weights lack, naming them', () => {
    expect(chooseLayers(full.slice(0, 8), { content: ['conv2_1'], style: ['conv1_2'] })).toEqual({ content: ['conv2_1'], style: ['conv1_2'] });
    expect(() => chooseLayers(full.slice(0, 8), { style: ['conv1_1', 'conv5_1'] })).toThrow(OptionsError);
    expect(() => chooseLayers(full.slice(0, 8), { content: ['conv4_2'] })).toThrow(/conv4_2 is not in these weights; available: conv1_1/);
  });
});

describe('multi-scale plans', () => {
  const total = (plan: Scale[]): number => plan.reduce((sum, s) => sum + s.iterations, 0);

  it('the ladder: sqrt(2) steps, the iterations shared as pixels^-1/3 and summing to the count asked', () => {
    const plan = planLadder(512, 512, 77, true);
    expect(plan.map((s) => s.width)).toEqual([128, 181, 256, 362, 512]);
    expect(plan.map((s) => s.iterations)).toEqual([23, 18, 15, 11, 10]);
    // A quarter of the side, a sixteenth of the pixels: 16^(1/3) = 2.5 times the output size's iterations.
    expect((plan[0] as Scale).iterations / (plan[4] as Scale).iterations).toBeCloseTo(16 ** (1 / 3), 0);
    for (const n of [1, 2, 3, 4, 5, 6, 7, 77, 156, 5000]) expect(total(planLadder(512, 300, n, true))).toBe(n);
  });
  it('the ladder: as many of the largest scales as there are iterations, one when turned off or small', () => {
    expect(planLadder(512, 512, 2, true)).toEqual([{ width: 362, height: 362, iterations: 1 }, { width: 512, height: 512, iterations: 1 }]);
    expect(planLadder(128, 96, 10, true).map((s) => s.width)).toEqual([64, 91, 128]);
    expect(planLadder(64, 64, 10, true)).toEqual([{ width: 64, height: 64, iterations: 10 }]);
    expect(planLadder(512, 512, 10, false)).toEqual([{ width: 512, height: 512, iterations: 10 }]);
    expect(planLadder(1000, 80, 7, true, 64).map((s) => s.height)).toEqual([80]); // too thin to step down
  });
  it('the halving baseline goes 1/4 -> 1/2 -> full with most iterations on the small sizes', () => {
    const plan = planHalving(512, 384, 100, true);
    expect(plan.map((s) => [s.width, s.height])).toEqual([[128, 96], [256, 192], [512, 384]]);
    expect(plan.map((s) => s.iterations)).toEqual([50, 30, 20]);
    expect(planHalving(128, 100, 10, true).map((s) => s.width)).toEqual([64, 128]);
    expect(planHalving(512, 512, 10, false)).toEqual([{ width: 512, height: 512, iterations: 10 }]);
    for (const n of [1, 2, 3, 7, 100]) expect(total(planHalving(512, 300, n, true))).toBe(n);
  });
  it("counts a run's work on the ladder in megapixel-iterations, scale by scale", () => {
    const work = planLadder(512, 512, 77, true).reduce((sum, s) => sum + (s.iterations * s.width * s.height) / 1e6, 0);
    expect(plannedWork(512, 512, 77)).toBeCloseTo(work, 9);
    // The onnx-cpu default: half the work of the 150 iterations by halving it replaced.
    expect(plannedWork(512, 512, 77) / (75 * 0.016384 + 45 * 0.065536 + 30 * 0.262144)).toBeCloseTo(0.5, 2);
    expect(plannedWork(512, 512, 150, false)).toBeCloseTo(150 * 0.262144, 9);
    // Fewer pixels, less work; twice the side, four times the work.
    expect(plannedWork(512, 384, 77) / plannedWork(512, 512, 77)).toBeCloseTo(0.75, 2);
    expect(plannedWork(1024, 1024, 77) / plannedWork(512, 512, 77)).toBeCloseTo(4, 9);
  });
});

describe('network cost', () => {
  it("weighs a network's conv layers up to conv5_1 against VGG-19's, from model.json alone", async () => {
    const full = await makeTinyVggWeights({ fullSize: true, blocks: 1 });
    const tiny = await makeTinyVggWeights();
    try {
      expect(VGG19_SHAPES).toHaveLength(16);
      expect(VGG19_SHAPES[2]).toEqual({ block: 2, conv: 1, inChannels: 64, outChannels: 128 });
      expect(relativeNetworkCost(VGG19_SHAPES)).toBe(1);
      // Multiply-adds per input pixel: block 1 38 592, block 2 55 296, block 3 129 024, block 4 129 024, conv5_1 9 216.
      expect(relativeNetworkCost(VGG19_SHAPES.filter((layer) => layer.block <= 3))).toBeCloseTo(222_912 / 361_152, 9);
      expect(await readConvShapes(full)).toEqual([
        { block: 1, conv: 1, inChannels: 3, outChannels: 64 },
        { block: 1, conv: 2, inChannels: 64, outChannels: 64 },
      ]);
      expect(relativeNetworkCost(await readConvShapes(full))).toBeCloseTo(38_592 / 361_152, 9);
      expect(relativeNetworkCost(await readConvShapes(tiny))).toBeLessThan(0.002);
    } finally {
      await Promise.all([full, tiny].map((dir) => rm(dir, { recursive: true, force: true })));
    }
  });
});

describe('progress by time', () => {
  // Three scales by halving: 75 iterations at 128 px, 45 at 256, 30 at 512.
  const scales = planHalving(512, 512, 150, true);
  /** Runs `count` iterations of `ms` each at scale `index`; returns the time they took. */
  const run = (estimate: ProgressEstimate, index: number, count: number, ms: number): number => {
    for (let i = 0; i < count; i++) estimate.record(index, ms);
    return count * ms;
  };

  it('weights each scale by its cost: half the iterations is a tenth of the time', () => {
    const estimate = new ProgressEstimate(scales);
    expect(estimate.remainingMs()).toBeUndefined();
    expect(estimate.fraction(0)).toBe(0);
    // An iteration at 128 px takes 10 ms, so one at 256 px about 40 and one at 512 px about 160.
    let elapsed = run(estimate, 0, 75, 10);
    expect(estimate.remainingMs()).toBe(45 * 40 + 30 * 160);
    expect(estimate.fraction(elapsed)).toBeCloseTo(750 / 7350, 9); // iteration 75 of 150, yet 10% of the time
    elapsed += run(estimate, 1, 45, 40);
    expect(estimate.fraction(elapsed)).toBeCloseTo(2550 / 7350, 9);
    elapsed += run(estimate, 2, 29, 160);
    expect(estimate.remainingMs()).toBe(160);
    elapsed += run(estimate, 2, 1, 160);
    expect(estimate.remainingMs()).toBe(0);
    expect(estimate.fraction(elapsed)).toBe(1);
  });

  it('counts set-up time as time spent', () => {
    const estimate = new ProgressEstimate(scales);
    const elapsed = 500 + run(estimate, 0, 75, 10); // half a second of decoding and graph building first
    expect(estimate.fraction(elapsed)).toBeCloseTo(1250 / (1250 + 6600), 9);
  });

  it('follows the measured time of a scale that is slower than its pixels say, and the bar never goes back', () => {
    const estimate = new ProgressEstimate(scales);
    let elapsed = run(estimate, 0, 75, 10);
    const atEndOfFirstScale = estimate.fraction(elapsed);
    // 256 px turns out 60 ms an iteration, not 40: 512 px is then expected at 240.
    elapsed += run(estimate, 1, 1, 60);
    expect(estimate.remainingMs()).toBe(44 * 60 + 30 * 240);
    expect(elapsed / (elapsed + 44 * 60 + 30 * 240)).toBeLessThan(atEndOfFirstScale);
    expect(estimate.fraction(elapsed)).toBe(atEndOfFirstScale);
    elapsed += run(estimate, 1, 44, 60);
    expect(estimate.fraction(elapsed)).toBeCloseTo(elapsed / (elapsed + 30 * 240), 9);
  });
});

describe('colour preservation', () => {
  it("keeps the output's luminance and the content's chroma", () => {
    const stylised = { data: new Uint8Array([150, 150, 150, 60, 60, 60]), width: 2, height: 1 };
    const content = { data: new Uint8Array([200, 120, 100, 90, 110, 170]), width: 2, height: 1 };
    const out = keepContentColours(stylised, content);
    const luma = (d: Uint8Array, i: number): number => 0.299 * (d[i] ?? 0) + 0.587 * (d[i + 1] ?? 0) + 0.114 * (d[i + 2] ?? 0);
    expect(luma(out.data, 0)).toBeCloseTo(150, 0);
    expect(luma(out.data, 3)).toBeCloseTo(60, 0);
    expect(out.data[0]).toBeGreaterThan(out.data[2] ?? 0); // reddish like the content
    expect(out.data[5]).toBeGreaterThan(out.data[3] ?? 0); // bluish like the content
    expect(() => keepContentColours(stylised, { ...content, width: 1, height: 2 })).toThrow(RangeError);
  });
});
