// The help text, the same on every platform: how to start a job there, the style ratios with their
// effect, the style library, the limits and how long images are kept. Each platform only adds its markup.
import type { Locale, PlatformName } from '../../wording/index.js';
import { PRESETS, type PresetName } from '../../transfer/index.js';
import { paintingWords, STYLE_LIBRARY } from '../../styles/library.js';
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

/** One line each, in the reader's language; `heading` marks up the section titles. */
export function helpLines(platform: PlatformName, facts: HelpFacts, heading: (text: string) => string, locale: Locale): string[] {
  return [
    say(platform === 'discord' ? 'help-intro-discord' : 'help-intro-slack', {}, locale),
    '',
    heading(say('help-presets-heading', {}, locale)),
    ...(Object.keys(PRESETS) as PresetName[]).map((preset) => `• ${say('help-preset-line', { preset }, locale)}`),
    '',
    heading(say('help-library-heading', {}, locale)),
    ...STYLE_LIBRARY.map((style) => `• ${say('help-library-line', { id: style.id, ...paintingWords(style, locale) }, locale)}`),
    '',
    say(
      'help-limits',
      {
        maxBytes: facts.maxBytes,
        maxPerUser: facts.maxPerUser,
        maxQueueLength: facts.maxQueueLength,
        timeoutMs: facts.jobTimeoutMs,
        minSize: MIN_SIZE,
        maxSize: MAX_SIZE,
      },
      locale,
    ),
    say('help-privacy', { keptMs: facts.keptMs }, locale),
  ];
}
