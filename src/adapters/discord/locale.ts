// The language of the Discord user behind an interaction: Discord sends the client's language with every
// interaction ("de", "en-US", "es-ES"...), so each answer is worded for whoever pressed or typed. And the
// other way: the command's texts in each language, under Discord's locale codes, for its registration.
import { Locale as DiscordLocale, type BaseInteraction } from 'discord.js';
import { DEFAULT_LOCALE, LOCALES, localeFrom, say, type Locale, type PlainMessageKey } from '../../wording/index.js';

export function localeOf(interaction: Pick<BaseInteraction, 'locale'>): Locale {
  return localeFrom(interaction.locale);
}

/** The languages with a catalogue of their own: English is the command's own text. */
type Translated = Exclude<Locale, 'en'>;

/** Discord's locale codes for each language the bot writes in besides English (Spanish: Spain and Latin America). */
const DISCORD_LOCALES: Readonly<Record<Translated, readonly DiscordLocale[]>> = {
  de: [DiscordLocale.German],
  fr: [DiscordLocale.French],
  es: [DiscordLocale.SpanishES, DiscordLocale.SpanishLATAM],
  ja: [DiscordLocale.Japanese],
};

/**
 * A command text in every language but English (English is the command's own text), keyed by Discord's
 * locale codes: what setNameLocalizations and setDescriptionLocalizations take.
 */
export function localizations(text: (locale: Locale) => string): Partial<Record<DiscordLocale, string>> {
  return Object.fromEntries(
    LOCALES.filter((locale) => locale !== DEFAULT_LOCALE).flatMap((locale) => {
      const worded = text(locale);
      return DISCORD_LOCALES[locale as Translated].map((code) => [code, worded]);
    }),
  );
}

/**
 * As localizations, English included (en-US, en-GB): for a name whose English display differs from the
 * name interactions carry ("photo" for the option `content`). Other clients see the carried name.
 */
export function localizationsWithEnglish(text: (locale: Locale) => string): Partial<Record<DiscordLocale, string>> {
  const english = text(DEFAULT_LOCALE);
  return { [DiscordLocale.EnglishUS]: english, [DiscordLocale.EnglishGB]: english, ...localizations(text) };
}

interface Describable<B> {
  setDescription(description: string): B;
  setDescriptionLocalizations(localized: Record<string, string>): B;
}

/** A command's, subcommand's or option's description in English and in every other language. */
export function described<B extends Describable<B>>(builder: B, key: PlainMessageKey): B {
  return builder.setDescription(say(key)).setDescriptionLocalizations(localizations((locale) => say(key, {}, locale)));
}
