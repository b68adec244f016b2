// The style side of a run: how large each style image is painted at a scale (its own aspect ratio, its long
// side styleScale times the scale's), and the target the run matches, the weighted sum of the style images'
// normalised Gram matrices (neural-style's -style_scale and -style_blend_weights).
import { OptionsError } from './errors.js';
import type { StyleGrams } from './executor.js';
import { MAX_STYLE_SCALE, MAX_STYLES, MIN_STYLE_SCALE } from './types.js';

export function checkStyleScale(value: number | undefined): number {
  const scale = value ?? 1;
  if (!(Number.isFinite(scale) && scale >= MIN_STYLE_SCALE && scale <= MAX_STYLE_SCALE)) {
    throw new OptionsError(`styleScale must be a number from ${MIN_STYLE_SCALE} to ${MAX_STYLE_SCALE} (got ${value}).`);
  }
  return scale;
}

/** One weight per style image, each >= 0 and not all 0, scaled to sum 1; equal weights when none are given. */
export function normaliseStyleWeights(weights: readonly number[] | undefined, styles: number): number[] {
  if (styles < 1 || styles > MAX_STYLES) throw new OptionsError(`A run takes 1 to ${MAX_STYLES} style images (got ${styles}).`);
  const given = weights ?? Array.from({ length: styles }, () => 1);
  if (given.length !== styles) throw new OptionsError(`Give one style weight per style image: ${styles} style image${styles === 1 ? '' : 's'}, ${given.length} weight${given.length === 1 ? '' : 's'}.`);
  if (!given.every((w) => Number.isFinite(w) && w >= 0)) throw new OptionsError(`Style weights must be numbers of at least 0 (got ${given.join(', ')}).`);
  const sum = given.reduce((a, b) => a + b, 0);
  if (!(sum > 0)) throw new OptionsError('At least one style weight must be above 0.');
  return given.map((w) => w / sum);
}

/**
 * The style image's size at one scale: its aspect ratio kept, its long side styleScale times the scale's
 * long side; enlarged (aspect still kept) where its short side would fall under `minSide`, the smallest side
 * the deepest layer needs.
 */
export function styleSizeAt(style: { width: number; height: number }, scaleLongSide: number, styleScale: number, minSide: number): { width: number; height: number } {
  const long = Math.max(style.width, style.height);
  const short = Math.min(style.width, style.height);
  const factor = Math.max((styleScale * scaleLongSide) / long, minSide / short);
  return { width: Math.max(1, Math.round(style.width * factor)), height: Math.max(1, Math.round(style.height * factor)) };
}

/** sum_k w_k G_k, layer by layer (summed in double precision); weights already normalised. */
export function blendGrams(grams: readonly StyleGrams[], weights: readonly number[]): StyleGrams {
  const first = grams[0];
  if (!first || grams.length !== weights.length) throw new Error(`Internal error: ${grams.length} Gram sets for ${weights.length} weights.`);
  if (grams.length === 1) return first;
  const blended = new Map<string, Float32Array>();
  for (const layer of first.keys()) {
    const sum = new Float64Array(first.get(layer)?.length ?? 0);
    grams.forEach((set, k) => {
      const gram = set.get(layer);
      if (!gram || gram.length !== sum.length) throw new Error(`Internal error: the style images' Gram matrices of ${layer} differ in shape.`);
      const w = weights[k] as number;
      for (let i = 0; i < sum.length; i++) sum[i] = (sum[i] as number) + w * (gram[i] as number);
    });
    blended.set(layer, Float32Array.from(sum));
  }
  return blended;
}
