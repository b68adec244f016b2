// "More style" / "More content" on a finished job: the neighbouring preset in PRESETS order
// (photo -> balanced -> painterly -> painting).
import { type PresetName, PRESETS } from '../../transfer/index.js';

export type RerunDirection = 'more-style' | 'more-content';

const ORDER = Object.keys(PRESETS) as PresetName[];

/** The preset one step towards the painting (more style) or the photo (more content); undefined at either end. */
export function nextPreset(current: PresetName, direction: RerunDirection): PresetName | undefined {
  const index = ORDER.indexOf(current);
  const next = direction === 'more-style' ? index + 1 : index - 1;
  return index < 0 ? undefined : ORDER[next];
}

export function isPresetName(value: string): value is PresetName {
  return (ORDER as string[]).includes(value);
}
