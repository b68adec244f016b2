// The /stylize settings every platform offers, with the same bounds and default everywhere.
import type { PresetName } from '../../transfer/index.js';

export const DEFAULT_PRESET: PresetName = 'balanced';
/** Output long side a user may ask for; the engine picks its own default when none is given. */
export const MIN_SIZE = 32;
export const MAX_SIZE = 1024;
export const MAX_SEED = 2 ** 31 - 1;
