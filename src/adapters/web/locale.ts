// The reader's language from the browser's Accept-Language header ("de-DE,de;q=0.9,en;q=0.8"): the
// first language, by the browser's order of preference, that the bot writes in; English when none is.
import { DEFAULT_LOCALE, isLocale, localeFrom, type Locale } from '../../wording/index.js';

export function localeOfBrowser(header: string | undefined): Locale {
  const ranked = (header ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = Number(params.map((param) => param.trim()).find((param) => param.startsWith('q='))?.slice(2) ?? '1');
      return { tag: tag.trim(), q: Number.isFinite(q) ? q : 0, index };
    })
    .filter((entry) => entry.tag !== '' && entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranked) {
    const language = tag.split(/[-_]/)[0]?.toLowerCase();
    if (isLocale(language)) return localeFrom(language);
  }
  return DEFAULT_LOCALE;
}
