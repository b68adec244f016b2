// Which VGG layers a run uses. The paper's choice needs blocks 4 and 5; with partial weights (e.g. the
// shared blocks 1-3) the choice falls back to the deepest comparable layers, and the result says which.
import { OptionsError } from './errors.js';

export const PAPER_CONTENT_LAYER = 'conv4_2';
export const PAPER_STYLE_LAYERS: readonly string[] = ['conv1_1', 'conv2_1', 'conv3_1', 'conv4_1', 'conv5_1'];
/** Content layer fallbacks, deepest first: conv4_2 is the paper's; shallower keeps more photo detail. */
const CONTENT_FALLBACK: readonly string[] = [PAPER_CONTENT_LAYER, 'conv3_2', 'conv2_2'];

export interface LayerChoice {
  content: string[];
  style: string[];
}

function checkExplicit(kind: 'content' | 'style', wanted: readonly string[], available: readonly string[]): string[] {
  if (wanted.length === 0) throw new OptionsError(`At least one ${kind} layer is needed.`);
  const missing = wanted.filter((name) => !available.includes(name));
  if (missing.length > 0) {
    throw new OptionsError(
      `The ${kind} layer${missing.length > 1 ? 's' : ''} ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} not in these weights; available: ${available.join(', ')}.`,
    );
  }
  return [...new Set(wanted)];
}

/** Explicit layers are checked; otherwise the paper's, or the best the weights allow. */
export function chooseLayers(available: readonly string[], requested: { content?: string[]; style?: string[] } = {}): LayerChoice {
  const content = requested.content
    ? checkExplicit('content', requested.content, available)
    : CONTENT_FALLBACK.filter((name) => available.includes(name)).slice(0, 1);
  const style = requested.style
    ? checkExplicit('style', requested.style, available)
    : PAPER_STYLE_LAYERS.filter((name) => available.includes(name));
  if (content.length === 0) {
    throw new OptionsError(`These weights have none of the content layers ${CONTENT_FALLBACK.join(', ')}; available: ${available.join(', ')}.`);
  }
  if (style.length === 0) {
    throw new OptionsError(`These weights have none of the style layers ${PAPER_STYLE_LAYERS.join(', ')}; available: ${available.join(', ')}.`);
  }
  return { content, style };
}

/** Block number (1-based) of a paper layer name such as conv3_1. */
export function blockOf(layer: string): number {
  const match = /^conv(\d)_\d$/.exec(layer);
  if (!match) throw new OptionsError(`${layer} is not a VGG layer name (expected e.g. conv4_2).`);
  return Number(match[1]);
}

/** The deepest block (1-based) of the layers a run uses: each block before it adds a 2x2 pooling. */
export function deepestBlock(layers: LayerChoice): number {
  return Math.max(...[...layers.content, ...layers.style].map(blockOf));
}
