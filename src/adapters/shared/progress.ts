// Plain-text progress rendering shared by the chat adapters: a bar, a percentage and durations that read
// well in a chat message ("about 1 min 20 s left").

const FILLED = '█';
const EMPTY = '░';

/** A fixed-width text bar such as `██████░░░░░░░░░░░░░░ 30%`; `done`/`total` are clamped to 0..100 %. */
export function progressBar(done: number, total: number, width = 20): string {
  const fraction = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
  const filled = Math.round(fraction * width);
  return `${FILLED.repeat(filled)}${EMPTY.repeat(width - filled)} ${Math.floor(fraction * 100)}%`;
}

/** A short human duration: "45 s", "3 min 05 s", "1 h 02 min". Negative or non-finite values read "0 s". */
export function formatDuration(ms: number): string {
  const totalSeconds = Number.isFinite(ms) && ms > 0 ? Math.round(ms / 1000) : 0;
  if (totalSeconds < 60) return `${totalSeconds} s`;
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds % 60;
  if (minutes < 60) return `${minutes} min ${String(seconds).padStart(2, '0')} s`;
  const hours = Math.floor(minutes / 60);
  return `${hours} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** "Next in line" for position 1, "3rd in line" otherwise. */
export function formatQueuePosition(position: number): string {
  if (position <= 1) return 'next in line';
  const lastTwo = position % 100;
  const suffix = lastTwo >= 11 && lastTwo <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][position % 10] ?? 'th');
  return `${position}${suffix} in line`;
}
