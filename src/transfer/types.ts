// The engine's public contract: what the queue, the CLI and the bench rely on.
// Everything the engine exports for other folders goes through src/transfer/index.ts.

/** The style ratios, named for what the user gets; each maps to the paper's alpha/beta (labels: src/wording). */
export type PresetName = 'photo' | 'balanced' | 'painterly' | 'painting';

export type InitMode = 'noise' | 'content' | 'style';
export type OptimizerName = 'lbfgs' | 'adam';
export type OnnxBackendName = 'onnx-cuda' | 'onnx-webgpu' | 'onnx-cpu';
export type TfjsBackendName = 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';
export type BackendName = OnnxBackendName | TfjsBackendName;

/**
 * Every backend, fastest first (measured; see the README's backend table): the order in which the engine
 * tries them. ONNX Runtime on the CPU is 11-16x faster than TensorFlow.js' wasm; onnx-webgpu is tried
 * before onnx-cpu only where the GPU is real hardware (software Vulkan is far slower than onnx-cpu).
 */
export const BACKEND_ORDER: readonly BackendName[] = ['onnx-cuda', 'onnx-webgpu', 'onnx-cpu', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];

/** Losses as the paper defines them: content and style unweighted, total = alpha*content + beta*style (+ tv). */
export interface Losses {
  content: number;
  style: number;
  total: number;
}

export interface Progress {
  iteration: number; // 1-based, counted over all scales
  total: number; // iterations over all scales
  /**
   * Share of the run's time done, 0..1, never decreasing: what a progress bar should show. Iterations at
   * the coarse scales cost a fraction of full-size ones, so iteration / total runs far ahead of the time.
   */
  fraction: number;
  losses: Losses;
  elapsedMs: number;
  /** Estimated time left, from the measured time per iteration at each scale (see progress-estimate.ts). */
  etaMs: number;
  /** Present every `previewEvery` iterations: a small PNG of the current image. */
  preview?: Buffer;
}

export interface StylizeOptions {
  preset?: PresetName; // default 'balanced'
  /** Expert override of the preset: both must be given together. */
  alpha?: number;
  beta?: number;
  /** Long side of the output in pixels; default depends on the backend (fast on wasm, larger on GPU). */
  size?: number;
  iterations?: number;
  seed?: number;
  init?: InitMode;
  optimizer?: OptimizerName;
  preserveColors?: boolean;
  /** Coarse-to-fine schedule; default on. */
  multiScale?: boolean;
  /** Weight of the total-variation term; 0 disables it. */
  tvWeight?: number;
  contentLayers?: string[];
  styleLayers?: string[];
  previewEvery?: number;
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
}

export interface StylizeResult {
  png: Buffer;
  width: number;
  height: number;
  iterations: number;
  seconds: number;
  backend: BackendName;
  /** Seconds this run spent building graphs and creating sessions (ONNX Runtime; 0 when all were reused). */
  setupSeconds?: number;
  layers: { content: string[]; style: string[] };
  alpha: number;
  beta: number;
  initial: Losses;
  final: Losses;
}
