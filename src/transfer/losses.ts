// The paper's losses (Gatys et al. 2016, section 2), on feature maps shaped [1, H, W, N] (N filters,
// M = H*W positions).
import * as tf from '@tensorflow/tfjs';
import type { LossWeights } from './executor.js';

/** L_content = 1/2 * sum (F - P)^2. */
export function contentLoss(features: tf.Tensor4D, target: tf.Tensor4D): tf.Scalar {
  return tf.tidy(() => tf.mul(0.5, tf.sum(tf.squaredDifference(features, target))));
}

/** G_ij = sum_k F_ik F_jk: the N x N inner products of the feature maps over positions. */
export function gramMatrix(features: tf.Tensor4D): tf.Tensor2D {
  return tf.tidy(() => {
    const channels = features.shape[3];
    const flat = tf.reshape(features, [-1, channels]); // M x N
    return tf.matMul(flat, flat, true, false);
  });
}

/**
 * E_l = 1 / (4 N^2 M^2) * sum (G - M A)^2 against a target A normalised per position (a Gram matrix over M'
 * positions divided by M', whatever the style image's size): the paper's value when the style image has
 * this image's size. Computed as sum ((G / M - A) / (2 N))^2, without squaring raw Gram entries (~1e9 at
 * 512 px), which would lose float32 precision.
 */
export function styleLayerLoss(gram: tf.Tensor2D, target: tf.Tensor2D, positions: number): tf.Scalar {
  return tf.tidy(() => {
    const channels = gram.shape[0];
    return tf.sum(tf.square(tf.div(tf.sub(tf.div(gram, positions), target), 2 * channels)));
  });
}

/** The Gram matrix normalised per position: G / M. */
export function normalisedGram(features: tf.Tensor4D): tf.Tensor2D {
  return tf.tidy(() => tf.div(gramMatrix(features), features.shape[1] * features.shape[2]));
}

/** Total variation: the sum of squared differences between neighbouring pixels, against the paper's noise. */
export function totalVariation(image: tf.Tensor4D): tf.Scalar {
  return tf.tidy(() => {
    const [, height, width] = image.shape;
    const down = tf.squaredDifference(tf.slice(image, [0, 1, 0, 0], [-1, height - 1, -1, -1]), tf.slice(image, [0, 0, 0, 0], [-1, height - 1, -1, -1]));
    const right = tf.squaredDifference(tf.slice(image, [0, 0, 1, 0], [-1, -1, width - 1, -1]), tf.slice(image, [0, 0, 0, 0], [-1, -1, width - 1, -1]));
    return tf.add(tf.sum(down), tf.sum(right));
  });
}

/** What a run compares against at one scale: computed once per scale, disposed by the caller. */
export interface Targets {
  content: Map<string, tf.Tensor4D>;
  /** The style target per layer: normalised Gram matrices (G / M), blended over the style images. */
  style: Map<string, tf.Tensor2D>;
}


/** The three loss values as tensors: content and style unweighted, total weighted. */
export type LossTensors = {
  content: tf.Scalar;
  style: tf.Scalar;
  total: tf.Scalar;
};

/**
 * Content loss averaged over the content layers (one layer in the paper), style loss with w_l = 1/L over
 * the L style layers, total = alpha * content + beta * style + tvWeight * TV.
 */
export function combineLosses(
  image: tf.Tensor4D,
  features: Map<string, tf.Tensor4D>,
  targets: Targets,
  weights: LossWeights,
): LossTensors {
  let content: tf.Scalar = tf.scalar(0);
  for (const [layer, target] of targets.content) {
    content = tf.add(content, contentLoss(need(features, layer), target));
  }
  content = tf.div(content, Math.max(1, targets.content.size));
  let style: tf.Scalar = tf.scalar(0);
  for (const [layer, target] of targets.style) {
    const f = need(features, layer);
    style = tf.add(style, styleLayerLoss(gramMatrix(f), target, f.shape[1] * f.shape[2]));
  }
  style = tf.div(style, Math.max(1, targets.style.size));
  let total = tf.add(tf.mul(weights.alpha, content), tf.mul(weights.beta, style)) as tf.Scalar;
  if (weights.tvWeight > 0) total = tf.add(total, tf.mul(weights.tvWeight, totalVariation(image)));
  return { content, style, total };
}

function need(features: Map<string, tf.Tensor4D>, layer: string): tf.Tensor4D {
  const f = features.get(layer);
  if (!f) throw new Error(`Internal error: features of ${layer} were not computed.`);
  return f;
}
