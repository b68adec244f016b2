// The paper's losses of an image from its content features and Gram matrices, as the targets graph returns
// them: the same terms the loss graph sums (vgg-graph.ts, losses.ts), here in double precision. For the two
// evaluations a job makes without needing a gradient (its initial and final losses), a forward pass and
// this arithmetic cost half a loss-graph run.
import type { LossWeights } from '../executor.js';
import { blockOf, type LayerChoice } from '../layers.js';
import type { Losses } from '../types.js';

/**
 * Features (content layers) and Gram matrices (style layers) by layer, flat: raw Gram matrices for the image
 * measured, normalised ones (G / M) for the targets.
 */
export interface LayerValues {
  features(layer: string): Float32Array;
  gram(layer: string): Float32Array;
}

/** sum ((a * aScale - b) * scale)^2. */
function sumSquaredDifference(a: Float32Array, b: Float32Array, scale = 1, aScale = 1): number {
  if (a.length !== b.length) throw new Error(`Internal error: ${a.length} values against ${b.length}.`);
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const d = ((a[i] as number) * aScale - (b[i] as number)) * scale;
    sum += d * d;
  }
  return sum;
}

/** Sum of squared differences between neighbouring pixels of a [height, width, 3] image. */
export function totalVariation(image: Float32Array, width: number): number {
  let sum = 0;
  const row = width * 3;
  for (let i = 0; i < image.length; i++) {
    const x = Math.floor(i / 3) % width;
    const here = image[i] as number;
    if (i + row < image.length) sum += ((image[i + row] as number) - here) ** 2;
    if (x + 1 < width) sum += ((image[i + 3] as number) - here) ** 2;
  }
  return sum;
}

/** Adds weight x d TV / d image to `grad` (both [height, width, 3]), TV as totalVariation sums it. */
export function addTotalVariationGradient(image: Float32Array, width: number, weight: number, grad: Float32Array): void {
  const row = width * 3;
  for (let i = 0; i < image.length; i++) {
    const x = Math.floor(i / 3) % width;
    const here = image[i] as number;
    // d/dx of sum (x[j] - x[i])^2 over each neighbour pair: -2 (x[j] - x[i]) at i, +2 (x[j] - x[i]) at j.
    if (i + row < image.length) {
      const d = 2 * weight * ((image[i + row] as number) - here);
      grad[i] = (grad[i] as number) - d;
      grad[i + row] = (grad[i + row] as number) + d;
    }
    if (x + 1 < width) {
      const d = 2 * weight * ((image[i + 3] as number) - here);
      grad[i] = (grad[i] as number) - d;
      grad[i + 3] = (grad[i + 3] as number) + d;
    }
  }
}

/**
 * Content loss 1/2 sum (F - P)^2 averaged over the content layers; style loss sum ((G / M - A) / (2 N))^2
 * against normalised targets A, averaged over the style layers (M: the layer's positions, the image size
 * floor-halved by each pooling);
 * total = alpha content + beta style + tvWeight TV.
 */
export function lossesFromValues(
  image: { data: Float32Array; width: number; height: number },
  values: LayerValues,
  targets: LayerValues,
  layers: LayerChoice,
  weights: LossWeights,
): Losses {
  const content = layers.content.reduce((sum, layer) => sum + 0.5 * sumSquaredDifference(values.features(layer), targets.features(layer)), 0) / layers.content.length;
  const style =
    layers.style.reduce((sum, layer) => {
      const gram = values.gram(layer);
      const channels = Math.round(Math.sqrt(gram.length));
      const shift = blockOf(layer) - 1;
      const positions = (image.width >> shift) * (image.height >> shift);
      return sum + sumSquaredDifference(gram, targets.gram(layer), 1 / (2 * channels), 1 / positions);
    }, 0) / layers.style.length;
  const tv = weights.tvWeight > 0 ? totalVariation(image.data, image.width) : 0;
  return { content, style, total: weights.alpha * content + weights.beta * style + weights.tvWeight * tv };
}
