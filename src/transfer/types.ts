// The engine's public contract: what the queue, the CLI and the bench rely on.
// Everything the engine exports for other folders goes through src/transfer/index.ts.

/** The style ratios, named for what the user gets; each maps to the paper's alpha/beta (labels: src/wording). */
export type PresetName = 'photo' | 'balanced' | 'painterly' | 'painting';

export type InitMode = 'noise' | 'content' | 'style';
export type OptimizerName = 'lbfgs' | 'adam';
/** See StylizeOptions.schedule. */
export type ScheduleName = 'ladder' | 'halving';
export type OnnxBackendName = 'onnx-cuda' | 'onnx-webgpu' | 'onnx-cpu';

export function isOnnxBackend(name: BackendName): name is OnnxBackendName {
  return name.startsWith('onnx-');
}
export type TfjsBackendName = 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';
export type BackendName = OnnxBackendName | TfjsBackendName;

/**
 * Every backend, fastest first (measured; see the README's backend table): the order in which the engine
 * tries them. ONNX Runtime on the CPU is 11-16x faster than TensorFlow.js' wasm; onnx-webgpu is tried
 * before onnx-cpu only where the GPU is real hardware (software Vulkan is far slower than onnx-cpu).
 */
export const BACKEND_ORDER: readonly BackendName[] = ['onnx-cuda', 'onnx-webgpu', 'onnx-cpu', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];

/** The range of StylizeOptions.timeBudgetMs. */
export const MIN_TIME_BUDGET_MS = 1_000;
export const MAX_TIME_BUDGET_MS = 60 * 60_000;

/** Most style images one run blends. */
export const MAX_STYLES = 4;
/** The range of StylizeOptions.styleScale (the style image's long side relative to the output's). */
export const MIN_STYLE_SCALE = 0.25;
export const MAX_STYLE_SCALE = 4;

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
  /**
   * Plan the run from a time budget instead of an iteration count (not both): scales a sqrt(2) apart, the
   * optimiser carried from scale to scale, the output an average of the last iterates, and as many
   * iterations as end the run within 90-105% of this many milliseconds on the speed measured as it runs.
   * A caller with a job time limit passes the smaller of the two. MIN_TIME_BUDGET_MS..MAX_TIME_BUDGET_MS.
   */
  timeBudgetMs?: number;
  seed?: number;
  init?: InitMode;
  /**
   * Go on from this picture (PNG, JPEG...: a previous result at a smaller size, "Bigger") instead of `init`:
   * it is enlarged (Lanczos-3, lanczos.ts) to the first scale that runs, only the scales above `startAbove` run,
   * and it is the content target in the photo's place, so the run keeps it and adds the larger scales'
   * detail (content losses then compare with it). Pass the content and style images and settings of the
   * run that made it. Without `iterations`, 10% of the default's.
   */
  initImage?: Buffer;
  /**
   * With initImage: the long side of what the picture already holds; only scales with a longer side run
   * (sqrt(2) steps up to `size`, see continuedSizes). Default: the picture's own long side. Below `size`.
   */
  startAbove?: number;
  optimizer?: OptimizerName;
  /**
   * Keep the photo's colours: luminance-only transfer (Gatys et al. 2017), or, on a backend that cannot run
   * it, the photo's chroma put on the result after the run (see StylizeResult.colorMode).
   */
  preserveColors?: boolean;
  /**
   * Size of the style image's brushwork: at every scale the style image keeps its aspect ratio and its long
   * side is styleScale times the scale's long side. Default 1; MIN_STYLE_SCALE..MAX_STYLE_SCALE.
   */
  styleScale?: number;
  /** One weight per style image (>= 0, not all 0), normalised to sum 1; default equal. */
  styleWeights?: number[];
  /** Coarse-to-fine schedule; default on. */
  multiScale?: boolean;
  /**
   * Which scales a run by iteration count goes through. 'ladder' (the default): scaleLadder's sqrt(2) steps
   * with the iterations shared as pixels^-1/3, the optimiser carried from scale to scale and the output an
   * average of the last iterates, as in a budgeted run. 'halving': the schedule before issue 21 (a quarter,
   * a half and the full side, iterations split 0.5/0.3/0.2, the optimiser started afresh at each scale, the
   * last iterate delivered), the baseline the bench's --race measures the default against. Not with
   * timeBudgetMs or initImage.
   */
  schedule?: ScheduleName;
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
  /** The tiles the output size ran in, when it was too large to run whole (README, "Big pictures"). */
  tile?: { core: number; halo: number };
  layers: { content: string[]; style: string[] };
  alpha: number;
  beta: number;
  /** The style scale the run used (1 when none was asked for). */
  styleScale: number;
  /** The style images' weights as used: one per style image, summing to 1. */
  styleWeights: number[];
  colorMode: ColorMode;
  initial: Losses;
  final: Losses;
}

/**
 * How the colours were made: 'style' the style images' colours; 'luminance' the run optimised luminance
 * only and the photo's chroma was put back (Gatys et al. 2017); 'swap' the photo's chroma put on a full
 * colour result after the run (the fallback for a backend that cannot run the luminance transfer).
 */
export type ColorMode = 'style' | 'luminance' | 'swap';
