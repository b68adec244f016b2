// The user-facing style ratios. Names say what the user sees; each maps to one of the paper's
// alpha/beta ratios (Gatys et al. 2016, Fig. 3: 1e-2 content-dominated ... 1e-5 style-dominated).
import type { PresetName } from './types.js';

export interface Preset {
  /** Weight of the content loss. */
  alpha: number;
  /** Weight of the style loss. */
  beta: number;
  label: string;
  description: string;
}

/** The paper's alpha/beta ratio per preset. */
const PAPER_RATIOS: Record<PresetName, number> = {
  photo: 1e-2,
  balanced: 1e-3,
  painterly: 1e-4,
  painting: 1e-5,
};

/**
 * Our losses are the paper's formulas on the unnormalized Keras VGG-19 (the paper rescaled its network so
 * each filter's mean activation is 1). That rescaling changes the style loss (4th power of activations)
 * far more than the content loss (2nd power), so the paper's ratios cannot be used as they are: the style
 * weight is multiplied by this factor, measured on the real weights (see README, "engine" section) so that
 * the four presets span from "mostly the photo" to "mostly the painting".
 */
export const STYLE_SCALE = 1;

/** Content weight shared by every preset; beta follows from the ratio. */
const ALPHA = 1;

function preset(name: PresetName, label: string, description: string): Preset {
  return { alpha: ALPHA, beta: (ALPHA / PAPER_RATIOS[name]) * STYLE_SCALE, label, description };
}

/** In order from "mostly the photo" to "mostly the painting". */
export const PRESETS: Readonly<Record<PresetName, Preset>> = {
  photo: preset('photo', 'Mostly photo', 'Your photo with a light touch of the painting.'),
  balanced: preset('balanced', 'Balanced', 'Photo and painting in balance.'),
  painterly: preset('painterly', 'Painterly', 'Strong brushwork; the photo is still recognisable.'),
  painting: preset('painting', 'Mostly painting', "The painting's texture dominates; only the layout of the photo remains."),
};

/** The paper's alpha/beta ratio a preset stands for (what the user picks, e.g. 1e-3). */
export function presetRatio(name: PresetName): number {
  return PAPER_RATIOS[name];
}
