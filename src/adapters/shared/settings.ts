// The "settings used" lines posted with a finished image, the same on every platform.
import { presetRatio, PRESETS, type StylizeResult } from '../../transfer/index.js';
import type { JobOptions } from '../../queue/index.js';

export type ResultSummary = Omit<StylizeResult, 'png'>;

/** One line per setting, plain text (no platform markup), e.g. "Style ratio: Balanced (α/β = 1e-3)". */
export function describeSettings(options: JobOptions, result?: ResultSummary): string[] {
  const preset = PRESETS[options.preset];
  const ratio = result ? result.alpha / result.beta : presetRatio(options.preset);
  const lines = [`Style ratio: ${preset.label} (α/β = ${ratio.toExponential(0)})`];
  if (result) {
    lines.push(`Size: ${result.width}×${result.height} px`);
    lines.push(`Iterations: ${result.iterations} in ${result.seconds.toFixed(1)} s on ${result.backend}`);
    lines.push(`Layers: content ${result.layers.content.join(', ')}; style ${result.layers.style.join(', ')}`);
  } else if (options.size !== undefined) {
    lines.push(`Size: ${options.size} px (long side)`);
  }
  if (options.seed !== undefined) lines.push(`Seed: ${options.seed}`);
  lines.push(`Keep colours: ${options.preserveColors ? 'yes' : 'no'}`);
  return lines;
}
