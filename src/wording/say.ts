// Words a message for its reader: the sentence of a key in the reader's language, English where that
// language has none yet. Every sentence a chat user reads is made here.
import type { MessageKey, MessageParams, Translation, Wording } from './catalogue.js';
import { de } from './de.js';
import { en } from './en.js';
import { es } from './es.js';
import { fr } from './fr.js';
import { ja } from './ja.js';
import { DEFAULT_LOCALE, type Locale } from './vocabulary.js';

/** Per language, the sentences written so far; a missing one falls back to English. */
export const CATALOGUES: Readonly<Record<Locale, Translation>> = { en, de, fr, es, ja };

/** The parameters a key takes: optional when it needs none. */
export type ParamsArg<P> = Record<string, never> extends P ? [params?: P] : [params: P];

type SayArgs<K extends MessageKey> = [...ParamsArg<MessageParams[K]>, locale?: Locale];

/** The sentence for `key`, e.g. say('queue-full', { maxQueueLength: 20 }). */
export function say<K extends MessageKey>(key: K, ...args: SayArgs<K>): string {
  const [params, locale] = args as unknown as [MessageParams[K] | undefined, Locale | undefined];
  // `?.`: a locale read back from an older or newer journal may name no catalogue of this version.
  const sentence = (CATALOGUES[locale ?? DEFAULT_LOCALE]?.[key] ?? en[key]) as (params: MessageParams[K]) => string;
  return sentence(params ?? ({} as MessageParams[K]));
}

/** The sentence for a message carried as data (a UserProblem in an event, a DeliveryHitch...). */
export function tell(message: Wording, locale: Locale = DEFAULT_LOCALE): string {
  return (say as (key: MessageKey, params: unknown, locale: Locale) => string)(message.code, message.params, locale);
}
