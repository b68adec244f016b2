// What the engine asks of a compute backend: the losses and the pixel gradient of one image size. The
// optimisers, the schedule and everything around them are shared; TensorFlow.js (autodiff, the reference)
// and ONNX Runtime (hand-written backward graph, fast) each implement this.
import type { LayerChoice } from './layers.js';
import type { TileSize } from './tiles.js';
import type { BackendName, Losses } from './types.js';

/** alpha and beta weigh content and style; tvWeight the total-variation term (0 = off). */
export interface LossWeights {
  alpha: number;
  beta: number;
  tvWeight: number;
}

/** An image of centred-RGB floats (RGB 0..255 minus the ImageNet mean), row-major [height, width, 3]. */
export interface CentredImage {
  data: Float32Array;
  width: number;
  height: number;
}

export interface Evaluation {
  /** The value minimised (the weighted total), and its parts for reporting. */
  losses: Losses;
  /** d total / d pixels, same layout as the image. */
  grad: Float32Array;
}

/**
 * Gram matrices normalised per position (G / M, M the layer's positions), by style layer, N x N row-major:
 * a texture gives the same values whatever the size of the image it fills, so style images of any size and
 * shape compare with each other and with the image being optimised.
 */
export type StyleGrams = ReadonlyMap<string, Float32Array>;

/** The loss and gradient at one image size, against the targets set last. */
export interface ScaleExecutor {
  /** The normalised Gram matrices of the plan's style layers for an image of any size (a forward pass). */
  styleGrams(image: CentredImage): Promise<StyleGrams>;
  /** Content features of `content` (this scale's size) and the style target (normalised Gram matrices). */
  setTargets(content: CentredImage, style: StyleGrams): Promise<void>;
  /** Asynchronous for ONNX Runtime's API; its CPU provider still blocks the thread while it computes. */
  evaluate(x: Float32Array): Promise<Evaluation>;
  /** The losses alone (for the initial and final images): the same forward pass, without the gradient where that saves time. */
  losses(x: Float32Array): Promise<Losses>;
  dispose(): void;
}

export interface ScalePlan {
  width: number;
  height: number;
  layers: LayerChoice;
  weights: LossWeights;
  /**
   * Take the gradient tile by tile (tiles.ts) where the image is larger than one window; an executor
   * whose `tiles` is false ignores it and runs the image whole.
   */
  tile?: TileSize;
}

export interface Executor {
  readonly backend: BackendName;
  readonly threads: number;
  /** Why the backend runs slower than it could, or which backends were skipped and why. */
  readonly note: string | undefined;
  /** Paper names of the conv layers the weights provide, in order. */
  readonly layerNames: string[];
  /**
   * Whether the run can optimise luminance only (Gatys et al. 2017) for "keep my photo's colours"; a backend
   * that cannot gets the photo's chroma put on its result after the run instead.
   */
  readonly luminanceTransfer: boolean;
  /**
   * Whether forScale honours ScalePlan.tile (ONNX Runtime). TensorFlow.js runs every image whole: its
   * autodiff holds the whole network's activations, so its size limit is the memory the whole image needs.
   */
  readonly tiles: boolean;
  /** The executor for one image size (ONNX Runtime builds or reuses a session for it). */
  forScale(plan: ScalePlan): Promise<ScaleExecutor>;
  /** Milliseconds spent so far building graphs and creating sessions (0 where there is nothing to build). */
  setupMs(): number;
  dispose(): void;
}
