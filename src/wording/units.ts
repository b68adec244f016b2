// The one way each kind of number is written for people: sizes of files, durations, pixel counts and the
// progress bar. Chat messages, the command line's progress and every error use these. Each takes the
// reader's language for its decimal separator and unit words: French writes Mo and Ko (as Discord does in
// French) and keeps a number with its unit by a no-break space; Japanese writes durations in its own words.
import { DEFAULT_LOCALE, type Locale } from './vocabulary.js';

/** A megabyte is 1024 x 1024 bytes, as Discord's own interface and the STYLIZE_*_MB settings count it. */
const MB = 1024 * 1024;
const KB = 1024;

/** Up to `decimals` decimals, without trailing zeros, in the reader's notation: 1.25 -> "1.3" (en), "1,3" (de). */
function trimmed(value: number, decimals: number, locale: Locale): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: decimals, useGrouping: false }).format(+value.toFixed(decimals));
}

/** Exactly `decimals` decimals: "0.0" (en), "0,0" (fr). */
function fixed(value: number, decimals: number, locale: Locale): string {
  return new Intl.NumberFormat(locale, { minimumFractionDigits: decimals, maximumFractionDigits: decimals, useGrouping: false }).format(value);
}

const BYTES: Readonly<Record<Locale, string>> = { en: 'bytes', de: 'Byte', fr: 'octets', es: 'bytes', ja: 'バイト' };
/** Megabytes and kilobytes: "Mo" and "Ko" in French. */
const MEGABYTES: Readonly<Record<Locale, string>> = { en: 'MB', de: 'MB', fr: 'Mo', es: 'MB', ja: 'MB' };
const KILOBYTES: Readonly<Record<Locale, string>> = { en: 'KB', de: 'KB', fr: 'Ko', es: 'KB', ja: 'KB' };
/** Between a number and its unit: French keeps them on one line (a no-break space). */
const UNIT_GAP: Readonly<Record<Locale, string>> = { en: ' ', de: ' ', fr: '\u00A0', es: ' ', ja: ' ' };
/** Between a number and a unit written as a word: Japanese sets no space before its own words ("900バイト"). */
const WORD_GAP: Readonly<Record<Locale, string>> = { ...UNIT_GAP, ja: '' };
const MEGAPIXELS: Readonly<Record<Locale, string>> = { en: 'megapixels', de: 'Megapixel', fr: 'mégapixels', es: 'megapíxeles', ja: 'メガピクセル' };

/** Duration units: the SI symbols, spaced; Japanese writes 秒, 分, 時間 right after the number. */
function durationUnits(locale: Locale): { s: string; min: string; h: string; gap: string } {
  return locale === 'ja' ? { s: '秒', min: '分', h: '時間', gap: '' } : { s: 's', min: 'min', h: 'h', gap: UNIT_GAP[locale] };
}

/**
 * "10 MB", "2.5 MB", "512 KB", "900 bytes", in French "11,8 Mo" (MB and KB count 1024s). With `unit: 'MB'` always megabytes
 * with one decimal ("0.0 MB", "80.0 MB"), for a progress line whose numbers should not change unit.
 */
export function formatBytes(bytes: number, options: { unit?: 'MB'; locale?: Locale } = {}): string {
  const locale = options.locale ?? DEFAULT_LOCALE;
  const gap = UNIT_GAP[locale] ?? ' ';
  if (options.unit === 'MB') return `${fixed(bytes / MB, 1, locale)}${gap}${MEGABYTES[locale]}`;
  if (bytes >= MB) return `${trimmed(bytes / MB, 1, locale)}${gap}${MEGABYTES[locale]}`;
  if (bytes >= KB) return `${Math.round(bytes / KB)}${gap}${KILOBYTES[locale]}`;
  return `${bytes}${WORD_GAP[locale] ?? ' '}${BYTES[locale]}`;
}

/**
 * A short duration: "1.5 s" (tenths under 10 s), "45 s", "3 min 05 s", "15 min", "1 h 02 min", "2 h"
 * (Japanese: "3分05秒"). Negative or non-finite values read "0 s".
 */
export function formatDuration(ms: number, locale: Locale = DEFAULT_LOCALE): string {
  const unit = durationUnits(locale);
  const of = (amount: string, symbol: string): string => `${amount}${unit.gap}${symbol}`;
  const joined = (first: string, second: string): string => `${first}${unit.gap}${second}`;
  const safe = Number.isFinite(ms) && ms > 0 ? ms : 0;
  if (safe < 9_950) return of(trimmed(safe / 1000, 1, locale), unit.s);
  const totalSeconds = Math.round(safe / 1000);
  if (totalSeconds < 60) return of(String(totalSeconds), unit.s);
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds % 60;
  if (minutes < 60) return seconds === 0 ? of(String(minutes), unit.min) : joined(of(String(minutes), unit.min), of(String(seconds).padStart(2, '0'), unit.s));
  const hours = Math.floor(minutes / 60);
  const restMinutes = minutes % 60;
  return restMinutes === 0 ? of(String(hours), unit.h) : joined(of(String(hours), unit.h), of(String(restMinutes).padStart(2, '0'), unit.min));
}

/** "0.1 megapixels", "50 megapixels": one decimal under ten. */
export function formatMegapixels(pixels: number, locale: Locale = DEFAULT_LOCALE): string {
  return `${fixed(pixels / 1_000_000, pixels < 10_000_000 ? 1 : 0, locale)}${WORD_GAP[locale] ?? ' '}${MEGAPIXELS[locale]}`;
}

/** A fixed-width text bar such as `██████░░░░░░░░░░░░░░ 30%`; `done`/`total` are clamped to 0..100 %. */
export function progressBar(done: number, total: number, width = 20): string {
  const fraction = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
  const filled = Math.round(fraction * width);
  return `${'█'.repeat(filled)}${'░'.repeat(width - filled)} ${Math.floor(fraction * 100)}%`;
}
