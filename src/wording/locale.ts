// The one mapping from a platform's language tag to the language the bot writes in. Discord sends codes
// such as "de", "en-US", "es-ES", "es-419", "ja"; Slack sends "de-DE", "fr-FR", "ja-JP", "es-LA". Only the
// language counts (the region is ignored); a language without a catalogue, or no tag at all, reads English.
import { DEFAULT_LOCALE, LOCALES, type Locale } from './vocabulary.js';

/** The bot's language for a platform's locale tag: "de-DE" -> "de", "pt-BR" -> "en" (no Portuguese catalogue). */
export function localeFrom(tag: string | null | undefined): Locale {
  const language = tag?.trim().split(/[-_]/)[0]?.toLowerCase();
  return LOCALES.find((locale) => locale === language) ?? DEFAULT_LOCALE;
}

/** Whether `value` (say, read back from the journal) is a language the bot writes in. */
export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}
