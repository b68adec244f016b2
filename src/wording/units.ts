// The one way each kind of number is written for people: sizes of files, durations, pixel counts and the
// progress bar. Chat messages, the command line's progress and every error use these.

/** A megabyte is 1024 x 1024 bytes, as Discord's own interface and the STYLIZE_*_MB settings count it. */
const MB = 1024 * 1024;
const KB = 1024;

/** Up to `decimals` decimals, without trailing zeros: 10 -> "10", 1.25 -> "1.3". */
function trimmed(value: number, decimals: number): string {
  return String(+value.toFixed(decimals));
}

/**
 * "10 MB", "2.5 MB", "512 KB", "900 bytes" (MB and KB count 1024s). With `unit: 'MB'` always megabytes
 * with one decimal ("0.0 MB", "80.0 MB"), for a progress line whose numbers should not change unit.
 */
export function formatBytes(bytes: number, options: { unit?: 'MB' } = {}): string {
  if (options.unit === 'MB') return `${(bytes / MB).toFixed(1)} MB`;
  if (bytes >= MB) return `${trimmed(bytes / MB, 1)} MB`;
  if (bytes >= KB) return `${Math.round(bytes / KB)} KB`;
  return `${bytes} bytes`;
}

/**
 * A short duration: "1.5 s" (tenths under 10 s), "45 s", "3 min 05 s", "15 min", "1 h 02 min", "2 h".
 * Negative or non-finite values read "0 s".
 */
export function formatDuration(ms: number): string {
  const safe = Number.isFinite(ms) && ms > 0 ? ms : 0;
  if (safe < 9_950) return `${trimmed(safe / 1000, 1)} s`;
  const totalSeconds = Math.round(safe / 1000);
  if (totalSeconds < 60) return `${totalSeconds} s`;
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds % 60;
  if (minutes < 60) return seconds === 0 ? `${minutes} min` : `${minutes} min ${String(seconds).padStart(2, '0')} s`;
  const hours = Math.floor(minutes / 60);
  const restMinutes = minutes % 60;
  return restMinutes === 0 ? `${hours} h` : `${hours} h ${String(restMinutes).padStart(2, '0')} min`;
}

/** "0.1 megapixels", "50 megapixels": one decimal under ten. */
export function formatMegapixels(pixels: number): string {
  return `${(pixels / 1_000_000).toFixed(pixels < 10_000_000 ? 1 : 0)} megapixels`;
}

/** A fixed-width text bar such as `██████░░░░░░░░░░░░░░ 30%`; `done`/`total` are clamped to 0..100 %. */
export function progressBar(done: number, total: number, width = 20): string {
  const fraction = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
  const filled = Math.round(fraction * width);
  return `${'█'.repeat(filled)}${'░'.repeat(width - filled)} ${Math.floor(fraction * 100)}%`;
}
