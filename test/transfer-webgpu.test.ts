// The GPU path without a GPU: ONNX Runtime's WebGPU provider on a Vulkan driver (on CI, Mesa's software
// lavapipe, installed by .ci/install-vulkan.sh). A small stylize run on onnx-webgpu, and its gradient
// against onnx-cpu's. Skips where no Vulkan driver is installed, except on CI (CI=true), where the
// GPU path must be tested.
import { existsSync, readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseLayers } from '../src/transfer/layers.js';
import { loadEngine } from '../src/transfer/index.js';
import { loadOnnxConvs, OnnxExecutor } from '../src/transfer/onnx/executor.js';
import { toCentred } from '../src/transfer/pixels.js';
import { compareExecutors, describeComparison } from './fixtures/executor-gradients.js';
import { makeTinyVggWeights } from './fixtures/tiny-vgg.js';

const ICD_DIRS = ['/usr/share/vulkan/icd.d', '/etc/vulkan/icd.d', '/usr/local/share/vulkan/icd.d'];
const hasVulkan = ICD_DIRS.some((dir) => existsSync(dir) && readdirSync(dir).some((name) => name.endsWith('.json')));
const onCi = process.env['CI'] === 'true';
if (!hasVulkan && !onCi) console.warn('Skipping the WebGPU test: no Vulkan driver here (run .ci/install-vulkan.sh as root to install lavapipe).');

/** Noise images: WebGPU on software Vulkan is slow, so 32 x 32. */
async function noisePng(seed: number): Promise<Buffer> {
  const data = Buffer.alloc(32 * 32 * 3);
  for (let i = 0; i < data.length; i++) data[i] = (i * 7919 + seed * 104729) % 251;
  return sharp(data, { raw: { width: 32, height: 32, channels: 3 } }).png().toBuffer();
}

describe.skipIf(!hasVulkan && !onCi)('onnx-webgpu', () => {
  let weightsDir: string;
  beforeAll(async () => {
    // VGG-19's real channel counts (blocks 1-3, like the shared model): ORT 1.30's WebGPU Conv computes
    // wrong values for some channel counts the tiny network uses (6 in, 8 out), never for VGG-19's.
    weightsDir = await makeTinyVggWeights({ fullSize: true, blocks: 3 });
  });
  afterAll(async () => {
    await rm(weightsDir, { recursive: true, force: true });
  });

  it('computes the same losses and pixel gradient as onnx-cpu', async () => {
    const convs = await loadOnnxConvs(weightsDir);
    const gpu = await OnnxExecutor.start({ backend: 'onnx-webgpu', convs, threads: 2 });
    const cpu = await OnnxExecutor.start({ backend: 'onnx-cpu', convs, threads: 2 });
    const decode = async (png: Buffer) => {
      const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
      return toCentred({ data: new Uint8Array(data), width: info.width, height: info.height });
    };
    const rows = await compareExecutors(gpu, cpu, { content: await decode(await noisePng(1)), style: await decode(await noisePng(2)) }, chooseLayers(gpu.layerNames));
    console.log(`onnx-webgpu vs onnx-cpu, random VGG-19 blocks 1-3, 32 x 32: ${describeComparison(rows)}`);
    for (const row of rows) {
      expect(row.lossError, row.term).toBeLessThan(1e-4);
      expect(row.outliers, row.term).toBeLessThanOrEqual(1e-3);
    }
    gpu.dispose();
    cpu.dispose();
  });

  it('stylizes a 32 px image end to end', async () => {
    const engine = await loadEngine({ weightsDir, backend: 'onnx-webgpu' });
    const result = await engine.stylize(await noisePng(3), await noisePng(4), { size: 32, iterations: 4 });
    expect(result.backend).toBe('onnx-webgpu');
    expect([result.width, result.height]).toEqual([32, 32]);
    expect(result.final.total).toBeLessThan(result.initial.total);
    engine.dispose();
  });
});
