// Keeping a text within a platform's limit (platform-limits.ts) without sending it over: a long list shows
// its first items and "and N more", a long text is cut between words, a long help is split into messages.
import { say, type Locale } from '../../wording/index.js';

/**
 * How many of `total` items fit: the most for which `render(shown)` (the whole message with the first
 * `shown` items and, below `total`, the "and N more" of listMore) is within `max` characters; all when they
 * fit, none at worst. The length of `render` must not shrink as `shown` grows, except when nothing is left out.
 */
export function fitCount(total: number, max: number, render: (shown: number) => string): number {
  if (render(total).length <= max) return total;
  let low = 0;
  let high = total - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (render(middle).length <= max) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** "and 37 more", in the reader's language; empty when nothing is left out. */
export function listMore(left: number, locale: Locale | undefined): string {
  return left > 0 ? say('list-and-more', { count: left }, locale) : '';
}

/** Items joined by ", ", the first `shown` of them, then "and N more" for the others. */
export function joinShown(items: readonly string[], shown: number, locale: Locale | undefined): string {
  const more = listMore(items.length - shown, locale);
  const listed = items.slice(0, shown).join(', ');
  return [listed, more].filter((part) => part !== '').join(' ');
}

/**
 * `text` within `max` characters, cut at the last space that fits with "…" after it: not inside a word,
 * unless that would drop more than half of what fits (one very long word, or Japanese, written without
 * spaces), which is cut at the last character that fits.
 */
export function cutAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  const room = text.slice(0, max - 1);
  const space = room.lastIndexOf(' ');
  const kept = space >= room.length / 2 ? room.slice(0, space) : room;
  return `${kept.replace(/[\s,;:.·–-]+$/u, '')}…`;
}

/**
 * Lines as few messages as fit, each within `max` characters. Messages break between sections (the parts
 * that empty lines separate) where they can, else between lines; a line too long for a message is cut.
 */
export function pagesOf(lines: readonly string[], max: number): string[] {
  const sections: string[][] = [[]];
  for (const line of lines) {
    if (line === '') sections.push([]);
    else sections.at(-1)?.push(cutAtWord(line, max));
  }
  const pages: string[] = [];
  let page = '';
  const add = (text: string, separator: string): void => {
    if (page !== '' && page.length + separator.length + text.length <= max) {
      page = `${page}${separator}${text}`;
      return;
    }
    if (page !== '') pages.push(page);
    page = text;
  };
  for (const section of sections.filter((part) => part.length > 0)) {
    const whole = section.join('\n');
    if (whole.length <= max) add(whole, '\n\n');
    else section.forEach((line, index) => add(line, index === 0 ? '\n\n' : '\n'));
  }
  if (page !== '') pages.push(page);
  return pages;
}
