// The help text, the same on every platform: how to start a job there, the style ratios with their
// effect, the style library, the limits and how long images are kept. Each platform only adds its markup.
import type { PlatformName } from '../../wording/index.js';
import { PRESETS, type PresetName } from '../../transfer/index.js';
import { STYLE_LIBRARY } from '../../styles/library.js';
import { say } from '../../wording/index.js';
import { MAX_SIZE, MIN_SIZE } from './options.js';

/** The settings the help text states, read from the running bot. */
export interface HelpFacts {
  maxBytes: number;
  maxPerUser: number;
  maxQueueLength: number;
  jobTimeoutMs: number;
  /** How long a finished job's images are kept. */
  keptMs: number;
}

/** One line each; `heading` marks up the section titles. */
export function helpLines(platform: PlatformName, facts: HelpFacts, heading: (text: string) => string): string[] {
  return [
    say(platform === 'discord' ? 'help-intro-discord' : 'help-intro-slack'),
    '',
    heading(say('help-presets-heading')),
    ...(Object.keys(PRESETS) as PresetName[]).map((preset) => `• ${say('help-preset-line', { preset })}`),
    '',
    heading(say('help-library-heading')),
    ...STYLE_LIBRARY.map((style) => `• ${say('help-library-line', { id: style.id, name: style.name, credit: style.credit, description: style.description })}`),
    '',
    say('help-limits', {
      maxBytes: facts.maxBytes,
      maxPerUser: facts.maxPerUser,
      maxQueueLength: facts.maxQueueLength,
      timeoutMs: facts.jobTimeoutMs,
      minSize: MIN_SIZE,
      maxSize: MAX_SIZE,
    }),
    say('help-privacy', { keptMs: facts.keptMs }),
  ];
}
