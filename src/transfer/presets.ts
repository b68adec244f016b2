// The style ratios. Each name maps to one of the paper's alpha/beta ratios (Gatys et al. 2016, Fig. 3: 1e-2
// content-dominated ... 1e-5 style-dominated); what users read about them (labels, descriptions) is in
// src/wording.
import type { PresetName } from './types.js';

export interface Preset {
  /** Weight of the content loss. */
  alpha: number;
  /** Weight of the style loss. */
  beta: number;
}

/** The paper's alpha/beta ratio per preset. */
const PAPER_RATIOS: Record<PresetName, number> = {
  photo: 1e-2,
  balanced: 1e-3,
  painterly: 1e-4,
  painting: 1e-5,
};

/*
 * Calibration. Our losses are the paper's formulas on the unnormalised Keras VGG-19 (the paper rescaled its
 * network so each filter's mean activation is 1), so the paper's ratios need not give the paper's balance.
 * Measured on the real blocks 1-3 weights (tubingen.jpg in the style of starry_night.jpg, 160 px, 60
 * iterations; test/transfer-real-weights.test.ts checks the order) the ratios as they are span from a photo
 * with a light touch of the painting to the painting's texture on the photo's layout, so beta = alpha/ratio
 * is used unchanged. Checked again when style targets became Gram matrices normalised per position of a
 * style image that keeps its shape (README, "The Fig. 3 check", 128 px): each preset's content and style
 * loss moved by under 10%, so the ratios stay. Re-check with the full model (conv4_2 and conv5_1 shift the
 * balance).
 */

/** Content weight shared by every preset; beta follows from the ratio. */
const ALPHA = 1;

function preset(name: PresetName): Preset {
  return { alpha: ALPHA, beta: ALPHA / PAPER_RATIOS[name] };
}

/** In order from "mostly the photo" to "mostly the style". */
export const PRESETS: Readonly<Record<PresetName, Preset>> = {
  photo: preset('photo'),
  balanced: preset('balanced'),
  painterly: preset('painterly'),
  painting: preset('painting'),
};

/** The paper's alpha/beta ratio a preset stands for (what the user picks, e.g. 1e-3). */
export function presetRatio(name: PresetName): number {
  return PAPER_RATIOS[name];
}
