// Tiles with one global style (issue 21): the grid's geometry, and the tiled gradient of the ONNX Runtime
// executor against the untiled one at 768 px, with a small tile forced so that the image takes many tiles.
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CentredImage, ScalePlan } from '../src/transfer/executor.js';
import { loadEngine } from '../src/transfer/index.js';
import { largestFittingSide, planScaleMemory, type PlanRequest } from '../src/transfer/memory-plan.js';
import { VGG19_SHAPES } from '../src/transfer/weights-file.js';
import { UserError } from '../src/wording/index.js';
import { chooseLayers, deepestBlock } from '../src/transfer/layers.js';
import { loadOnnxConvs, OnnxExecutor } from '../src/transfer/onnx/executor.js';
import { seededNoise } from '../src/transfer/pixels.js';
import { haloFor, tileGrid, windowSide } from '../src/transfer/tiles.js';
import { makeGradientPng } from './fixtures/images.js';
import { makeTinyVggWeights } from './fixtures/tiny-vgg.js';

const SHARED = resolve(dirname(fileURLToPath(import.meta.url)), '../../shared');
const REAL_WEIGHTS = join(SHARED, 'models/vgg19-imagenet-blocks1-3');
const hasReal = existsSync(join(REAL_WEIGHTS, 'model.json'));
if (!hasReal) console.warn(`Skipping the tiled gradient check on real weights: ${REAL_WEIGHTS} is missing.`);

/** A smooth photo-like image with edges: ramps, a disc and a dark square, centred RGB. */
function photo(width: number, height: number): CentredImage {
  const data = new Float32Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const disc = (x - width * 0.6) ** 2 + (y - height * 0.4) ** 2 < (width * 0.2) ** 2;
      const square = x > width * 0.1 && x < width * 0.35 && y > height * 0.55 && y < height * 0.85;
      const rgb = square ? [20, 20, 40] : disc ? [230, 180, 60] : [(255 * x) / width, (255 * y) / height, 128 + 60 * Math.sin(x / 17)];
      for (let c = 0; c < 3; c++) data[(y * width + x) * 3 + c] = (rgb[c] as number) - 120;
    }
  }
  return { data, width, height };
}

/** Diagonal stripes of two colours with some noise: a texture with structure at several scales. */
function painting(width: number, height: number): CentredImage {
  const noise = seededNoise(width * height * 3, 3, 30);
  const data = new Float32Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const rgb = Math.floor((x + 2 * y) / 9) % 2 === 0 ? [240, 200, 40] : [30, 60, 140];
      for (let c = 0; c < 3; c++) data[(y * width + x) * 3 + c] = (rgb[c] as number) - 120 + (noise[(y * width + x) * 3 + c] as number);
    }
  }
  return { data, width, height };
}

function cosineAndError(got: Float32Array, want: Float32Array): { cosine: number; relativeL2: number } {
  let dot = 0;
  let gg = 0;
  let ww = 0;
  let dd = 0;
  for (let i = 0; i < want.length; i++) {
    const g = got[i] as number;
    const w = want[i] as number;
    dot += g * w;
    gg += g * g;
    ww += w * w;
    dd += (g - w) ** 2;
  }
  return { cosine: dot / Math.sqrt(gg * ww), relativeL2: Math.sqrt(dd / ww) };
}

describe('tile grid', () => {
  it('covers every pixel with exactly one core, windows of one size inside the image, edges on the pooling stride', () => {
    const align = 16;
    const size = { core: 128, halo: haloFor(align) };
    for (const [width, height, ox, oy] of [
      [768, 768, 0, 0],
      [768, 500, 48, 112],
      [301, 1000, 16, 0],
      [200, 100, 64, 32],
    ] as const) {
      const tiles = tileGrid(width, height, size, align, ox, oy);
      const covered = new Uint8Array(width * height);
      for (const tile of tiles) {
        expect(tile.width).toBe(windowSide(width, size, align));
        expect(tile.height).toBe(windowSide(height, size, align));
        expect(tile.x % align).toBe(0);
        expect(tile.y % align).toBe(0);
        expect(tile.x + tile.width).toBeLessThanOrEqual(width);
        expect(tile.y + tile.height).toBeLessThanOrEqual(height);
        const { left, right, top, bottom } = tile.core;
        // A halo of at least 64 px on every side, or all there is up to the image's edge.
        expect(left).toBeGreaterThanOrEqual(Math.min(64, tile.x + left));
        expect(top).toBeGreaterThanOrEqual(Math.min(64, tile.y + top));
        expect(tile.width - right).toBeGreaterThanOrEqual(Math.min(64, width - tile.x - right));
        expect(tile.height - bottom).toBeGreaterThanOrEqual(Math.min(64, height - tile.y - bottom));
        for (let y = top; y < bottom; y++) for (let x = left; x < right; x++) covered[(tile.y + y) * width + tile.x + x] = (covered[(tile.y + y) * width + tile.x + x] ?? 0) + 1;
      }
      expect(covered.every((n) => n === 1)).toBe(true);
    }
  });
});

describe('tiled gradient (ONNX Runtime, onnx-cpu)', () => {
  let tiny: string;
  beforeAll(async () => {
    tiny = await makeTinyVggWeights();
  });
  afterAll(async () => {
    await rm(tiny, { recursive: true, force: true });
  });

  /** One evaluation at width x height, whole and in tiles of `core` px with a 64 px halo. */
  async function compare(weightsDir: string, width: number, height: number, core: number): Promise<{ cosine: number; relativeL2: number; lossError: number; tiles: number }> {
    const executor = await OnnxExecutor.start({ backend: 'onnx-cpu', convs: await loadOnnxConvs(weightsDir), threads: 2 });
    try {
      const content = photo(width, height);
      const style = painting(Math.min(512, width), Math.min(384, height));
      const noise = seededNoise(content.data.length, 5, 20);
      const x = content.data.map((v, i) => v + (noise[i] as number));
      const layers = chooseLayers(executor.layerNames);
      const plan: ScalePlan = { width, height, layers, weights: { alpha: 1, beta: 1e3, tvWeight: 1e-3 } };
      const results = [];
      for (const tile of [undefined, { core, halo: 64 }]) {
        const scale = await executor.forScale(tile ? { ...plan, tile } : plan);
        try {
          await scale.setTargets(content, await scale.styleGrams(style));
          results.push(await scale.evaluate(x));
        } finally {
          scale.dispose();
        }
      }
      const [whole, tiled] = results as [(typeof results)[0], (typeof results)[0]];
      const tiles = tileGrid(width, height, { core, halo: 64 }, 2 ** (deepestBlock(layers) - 1)).length; // with no offset; an offset grid has more
      return { ...cosineAndError(tiled.grad, whole.grad), lossError: Math.abs(tiled.losses.total - whole.losses.total) / whole.losses.total, tiles };
    } finally {
      executor.dispose();
    }
  }

  it('frees the idle loss sessions of other sizes when a scale opens in tiles, and keeps its own for the next job', async () => {
    const executor = await OnnxExecutor.start({ backend: 'onnx-cpu', convs: await loadOnnxConvs(tiny), threads: 2 });
    try {
      const layers = chooseLayers(executor.layerNames);
      const open = async (side: number, tile?: { core: number; halo: number }): Promise<void> => {
        const plan: ScalePlan = { width: side, height: side, layers, weights: { alpha: 1, beta: 1, tvWeight: 0 }, ...(tile ? { tile } : {}) };
        (await executor.forScale(plan)).dispose();
      };
      await open(32);
      await open(48);
      const before = executor.sessionsBuilt();
      await open(32); // kept
      expect(executor.sessionsBuilt()).toBe(before);
      await open(320, { core: 64, halo: 64 });
      const withTiles = executor.sessionsBuilt();
      expect(withTiles).toBe(before + 2); // the masked targets graph and the window's loss graph
      await open(320, { core: 64, halo: 64 }); // kept
      await open(32); // freed by the tiled scale: built again
      expect(executor.sessionsBuilt()).toBe(withTiles + 1);
    } finally {
      executor.dispose();
    }
  });

  it('matches the untiled gradient at 768 px (128 px cores, 36-49 tiles) on the tiny network (five blocks; the halo does not cover conv5_1 whole)', async () => {
    const { cosine, relativeL2, lossError, tiles } = await compare(tiny, 768, 768, 128);
    console.log(`tiled vs untiled, tiny network, 768 px, ${tiles}+ tiles: cosine ${cosine.toFixed(6)}, relative L2 error ${relativeL2.toExponential(2)}, loss ${lossError.toExponential(2)}`);
    expect(cosine).toBeGreaterThanOrEqual(0.99);
    expect(relativeL2).toBeLessThanOrEqual(0.05);
    expect(lossError).toBeLessThan(0.01);
  }, 120_000);

  it('matches it at odd sizes too (windows that end at the edge start on the pooling stride; floor pooling as whole)', async () => {
    const { cosine, relativeL2, lossError, tiles } = await compare(tiny, 301, 250, 64);
    console.log(`tiled vs untiled, tiny network, 301 x 250 px, ${tiles}+ tiles: cosine ${cosine.toFixed(6)}, relative L2 error ${relativeL2.toExponential(2)}, loss ${lossError.toExponential(2)}`);
    expect(cosine).toBeGreaterThanOrEqual(0.99);
    expect(relativeL2).toBeLessThanOrEqual(0.05);
    expect(lossError).toBeLessThan(0.01);
  }, 120_000);

  // A strip, cut across its length only: at 768 x 768 the real network's two evaluations took three minutes
  // on the shared 2-core machine (cosine 1.000000, relative L2 error 1e-7). The halo covers blocks 1-3 whole.
  it.skipIf(!hasReal)('matches the untiled gradient at 384 x 128 px (128 px cores, 3-4 tiles) on the real VGG-19 blocks 1-3', async () => {
    const { cosine, relativeL2, lossError, tiles } = await compare(REAL_WEIGHTS, 384, 128, 128);
    console.log(`tiled vs untiled, real blocks 1-3, 384 x 128 px, ${tiles}+ tiles: cosine ${cosine.toFixed(6)}, relative L2 error ${relativeL2.toExponential(2)}, loss ${lossError.toExponential(2)}`);
    expect(cosine).toBeGreaterThanOrEqual(0.99);
    expect(relativeL2).toBeLessThanOrEqual(0.05);
    expect(lossError).toBeLessThan(0.01);
  }, 300_000);
});

describe('memory plan', () => {
  const GB = 1024 ** 3;
  const request = (width: number, height: number, budgetGb: number, extra: Partial<PlanRequest> = {}): PlanRequest => ({
    width,
    height,
    layers: chooseLayers(VGG19_SHAPES.map((c) => `conv${c.block}_${c.conv}`)),
    network: VGG19_SHAPES,
    optimizer: 'lbfgs',
    tiles: true,
    backend: 'onnx',
    budgetBytes: budgetGb * GB,
    ...extra,
  });

  it('runs a size whole where it fits, in the largest tiles that fit where it does not, and predicts more time for tiles', () => {
    const whole = planScaleMemory(request(2048, 2048, 64, { msPerPixel: 0.004 }));
    expect(whole?.tile).toBeUndefined();
    expect(whole?.msPerIteration).toBeCloseTo(0.004 * 2048 * 2048);
    const tiled = planScaleMemory(request(2048, 2048, 4, { msPerPixel: 0.004 }));
    expect(tiled?.tile?.halo).toBeGreaterThanOrEqual(64);
    expect(tiled?.peakBytes).toBeLessThanOrEqual(4 * GB);
    expect(tiled?.peakBytes).toBeLessThan(whole?.peakBytes as number);
    expect(tiled?.msPerIteration).toBeGreaterThan(whole?.msPerIteration as number);
    // A smaller budget: smaller tiles, more of them, more work.
    const smaller = planScaleMemory(request(2048, 2048, 3));
    expect(smaller?.tile?.core).toBeLessThan(tiled?.tile?.core as number);
    expect(smaller?.windows).toBeGreaterThan(tiled?.windows as number);
    // TensorFlow.js takes no tiles: the same budget refuses the size.
    expect(planScaleMemory(request(2048, 2048, 4, { tiles: false, backend: 'tfjs' }))).toBeUndefined();
  });

  it('counts the smaller scales\' loss sessions the pool keeps idle, only while their estimates fit its bound, and the arrays the scale before leaves', () => {
    const alone = planScaleMemory(request(512, 384, 64));
    const multi = planScaleMemory(request(512, 384, 64, { smallerScales: [{ width: 128, height: 96 }, { width: 256, height: 192 }] }));
    expect(multi?.peakBytes).toBeGreaterThan(alone?.peakBytes as number);
    // Beside a 2048 px session (estimated far above the pool's 1 GiB), the pool keeps none; nor beside tiles.
    // What the smaller scales add there is the arrays of the one just before, in proportion to its pixels.
    const added = (width: number, height: number, previous: number, extra: Partial<PlanRequest> = {}): number => {
      const single = planScaleMemory(request(width, height, 64, extra))?.peakBytes as number;
      const after = planScaleMemory(request(width, height, 64, { ...extra, smallerScales: [{ width: previous / 2, height: previous / 2 }, { width: previous, height: previous }] }))?.peakBytes as number;
      return after - single;
    };
    expect(added(2048, 2048, 1024)).toBeGreaterThan(0);
    expect(added(2048, 2048, 1024)).toBeCloseTo(4 * added(2048, 2048, 512), 0);
    expect(planScaleMemory(request(1024, 1024, 64, { tileCore: 512 }))?.tile).toBeDefined();
    expect(added(1024, 1024, 512, { tileCore: 512 })).toBeCloseTo(4 * added(1024, 1024, 256, { tileCore: 512 }), 0);
  });

  it('names the largest size that fits, keeping the aspect: that size fits and one pixel more does not', () => {
    const asked = request(2048, 1024, 1.5);
    expect(planScaleMemory(asked)).toBeUndefined();
    const largest = largestFittingSide(asked, 2048);
    expect(largest).toBeGreaterThan(256);
    expect(largest).toBeLessThan(2048);
    expect(planScaleMemory(request(largest, largest / 2, 1.5))).toBeDefined();
    expect(planScaleMemory(request(largest + 1, Math.round((largest + 1) / 2), 1.5))).toBeUndefined();
    // Below what the process and the network need before any pixel: nothing fits.
    expect(largestFittingSide(request(512, 512, 0.5), 2048)).toBe(0);
  });
});

describe('tiles in a run (engine, onnx-cpu, tiny network)', () => {
  let tiny: string;
  beforeAll(async () => {
    tiny = await makeTinyVggWeights();
  });
  afterAll(async () => {
    await rm(tiny, { recursive: true, force: true });
  });

  it('refuses a size that cannot fit before the run starts, naming the largest size that fits, which then runs', async () => {
    const engine = await loadEngine({ weightsDir: tiny, backend: 'onnx-cpu', memoryBytes: 420 * 1024 ** 2 });
    try {
      const photo = await makeGradientPng(300, 200, 3);
      const painting = await makeGradientPng(64, 64, 7);
      let progressed = false;
      const refused = await engine.stylize(photo, painting, { size: 2048, iterations: 1, onProgress: () => void (progressed = true) }).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(UserError);
      const { code, params } = (refused as UserError).problem;
      expect(code).toBe('size-exceeds-memory');
      const largest = (params as { largestSize: number }).largestSize;
      expect(largest).toBeGreaterThanOrEqual(64);
      expect(largest).toBeLessThan(2048);
      expect(progressed).toBe(false);
      expect((refused as Error).message).toContain(`${largest} px`);
      const ran = await engine.stylize(photo, painting, { size: largest, iterations: 1, multiScale: false, previewEvery: 0 });
      expect(Math.max(ran.width, ran.height)).toBe(largest);
    } finally {
      engine.dispose();
    }
  }, 60_000);

  /** Mean |difference| between neighbouring columns, per column boundary x-1 | x, over rows and channels. */
  function columnSteps(data: Uint8Array, width: number, height: number, transpose: boolean): number[] {
    const [along, across] = transpose ? [height, width] : [width, height];
    const at = (a: number, b: number, c: number): number => data[((transpose ? a : b) * width + (transpose ? b : a)) * 3 + c] as number;
    const steps: number[] = [];
    for (let x = 1; x < along; x++) {
      let sum = 0;
      for (let y = 0; y < across; y++) for (let c = 0; c < 3; c++) sum += Math.abs(at(x, y, c) - at(x - 1, y, c));
      steps.push(sum / (across * 3));
    }
    return steps; // steps[x - 1] is the step into column x
  }

  it('leaves no seam: across tile borders the result changes as much as midway between them', async () => {
    const core = 64;
    const engine = await loadEngine({ weightsDir: tiny, backend: 'onnx-cpu', tileCore: core });
    try {
      const side = 320;
      const photo = await makeGradientPng(side, side, 5);
      const painting = await makeGradientPng(128, 128, 11);
      const result = await engine.stylize(photo, painting, { size: side, iterations: 6, multiScale: false, init: 'noise', optimizer: 'lbfgs', previewEvery: 0 });
      expect(result.tile).toEqual({ core, halo: 64 });
      const { data, info } = await sharp(result.png).raw().toBuffer({ resolveWithObject: true });
      const pixels = new Uint8Array(data);
      // Grid lines fall on multiples of the deepest pooling's stride (16 on the five-block network), wherever
      // the random offset puts them; midway between two of them is 8 px on.
      const align = 16;
      for (const transpose of [false, true]) {
        const steps = columnSteps(pixels, info.width, info.height, transpose);
        const band = (centre: number): number[] => [-2, -1, 0, 1].map((d) => centre + d).filter((x) => x >= 1 && x < steps.length + 1);
        const mean = (xs: number[]): number => xs.reduce((a, x) => a + (steps[x - 1] as number), 0) / xs.length;
        const borders: number[] = [];
        const ratios: number[] = [];
        for (let line = align; line < side; line += align) {
          borders.push(line);
          ratios.push(mean(band(line)) / mean(band(line - align / 2)));
        }
        const overall = mean(borders.flatMap(band)) / mean(borders.flatMap((line) => band(line - align / 2)));
        const sorted = [...steps].sort((a, b) => a - b);
        const median = sorted[Math.floor(sorted.length / 2)] as number;
        const worstStep = Math.max(...borders.map((line) => steps[line - 1] as number)) / median;
        console.log(
          `${transpose ? 'rows' : 'columns'}: 4 px bands at borders / midway ${overall.toFixed(3)} (worst border ${Math.max(...ratios).toFixed(3)}); largest border step / median step ${worstStep.toFixed(3)}`,
        );
        expect(overall).toBeLessThanOrEqual(1.1);
        expect(Math.max(...ratios)).toBeLessThanOrEqual(1.2);
        expect(worstStep).toBeLessThanOrEqual(1.1);
      }
    } finally {
      engine.dispose();
    }
  }, 120_000);
});
