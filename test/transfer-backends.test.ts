// Which backends the engine tries, in which order, and what it says about the ones it passes over.
import { describe, expect, it } from 'vitest';
import { backendCandidates, backendFromEnv, onnxThreadsFromEnv } from '../src/transfer/backend-choice.js';
import { BACKEND_ORDER } from '../src/transfer/types.js';

const machine = (hardwareWebGpu: boolean, onnxCudaFiles: boolean) => ({ hardwareWebGpu: () => hardwareWebGpu, onnxCudaFiles: () => onnxCudaFiles });

describe('backend choice', () => {
  it('tries ONNX Runtime first, with onnx-cpu ahead of every TensorFlow.js backend', () => {
    expect(BACKEND_ORDER).toEqual(['onnx-cuda', 'onnx-webgpu', 'onnx-cpu', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']);
    expect(backendCandidates(undefined, {}, machine(true, true))).toEqual({ order: [...BACKEND_ORDER], skipped: [] });
  });

  it('passes over CUDA when its files are not installed and WebGPU when there is no GPU, saying why', () => {
    const choice = backendCandidates(undefined, {}, machine(false, false));
    expect(choice.order).toEqual(['onnx-cpu', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']);
    expect(choice.skipped.join('\n')).toMatch(/onnx-cuda not installed .*README/);
    expect(choice.skipped.join('\n')).toMatch(/onnx-webgpu not tried: no GPU here/);
  });

  it('takes the one asked for (STYLIZE_BACKEND over the argument), even WebGPU on a machine without a GPU', () => {
    expect(backendCandidates('wasm', {}, machine(false, false))).toEqual({ order: ['wasm'], requested: 'wasm', skipped: [] });
    expect(backendCandidates('wasm', { STYLIZE_BACKEND: 'onnx-webgpu' }, machine(false, false)).order).toEqual(['onnx-webgpu']);
    expect(() => backendFromEnv({ STYLIZE_BACKEND: 'onnx' })).toThrow(/STYLIZE_BACKEND=onnx is not a backend; use one of: onnx-cuda, onnx-webgpu, onnx-cpu/);
  });

  it('uses one ONNX Runtime thread per core unless STYLIZE_ONNX_THREADS says otherwise', () => {
    expect(onnxThreadsFromEnv({})).toBeGreaterThanOrEqual(1);
    expect(onnxThreadsFromEnv({ STYLIZE_ONNX_THREADS: '3' })).toBe(3);
    expect(() => onnxThreadsFromEnv({ STYLIZE_ONNX_THREADS: 'many' })).toThrow(/STYLIZE_ONNX_THREADS=many must be a whole number/);
  });
});
