// Whether a job of some size can finish within the job time limit on this engine, decided before it is
// queued (and before its images are downloaded): a job that is bound to time out would only hold its
// owner and everyone behind them for the whole limit. Refused rather than quietly made smaller: the
// picture would not be the size asked for, and the adapters can offer the largest size that fits.

/**
 * A job is taken when its estimate leaves a fifth of the time limit spare: the estimate is a moving
 * average, and a job runs slower while the machine does something else (another job's downloads, an
 * engine restart, a busy neighbour on a shared host).
 */
export const SIZE_HEADROOM = 0.8;
/**
 * The largest size that fits is rounded down to a multiple of this: round numbers a user can type back,
 * and 32 px is the smallest size the adapters offer.
 */
export const SIZE_STEP = 32;

/** Why a size is refused, with the figures the adapters word it from. */
export interface SizeRefusal {
  ok: false;
  code: 'size-too-slow';
  /** The size checked: the one asked for, or the engine's default when the job names none. */
  size: number;
  /** How long a job of that size should take here. */
  estimatedMs: number;
  /** The job time limit (STYLIZE_JOB_TIMEOUT_MINUTES). */
  limitMs: number;
  /** The largest multiple of SIZE_STEP below `size` that fits; absent when not even SIZE_STEP fits. */
  largestSize?: number;
}

/** `estimatedMs` is absent when nothing is known yet of how fast the engine is (then every size is taken). */
export type SizeCheck = { ok: true; estimatedMs?: number } | SizeRefusal;

/** Checks `size` against the limit; `estimateMs` gives the time of a job of a long side (undefined: unknown). */
export function checkJobSize(size: number, estimateMs: (size: number) => number | undefined, limitMs: number): SizeCheck {
  const budget = limitMs * SIZE_HEADROOM;
  const estimated = estimateMs(size);
  if (estimated === undefined) return { ok: true };
  if (estimated <= budget) return { ok: true, estimatedMs: estimated };
  const refusal: SizeRefusal = { ok: false, code: 'size-too-slow', size, estimatedMs: estimated, limitMs };
  // Scanned from the top, not bisected: the schedule drops a scale below 256 px, so a size a little under
  // 256 costs more than 256 itself, and the time is not monotonic in the size.
  for (let candidate = Math.ceil(size / SIZE_STEP) * SIZE_STEP - SIZE_STEP; candidate >= SIZE_STEP; candidate -= SIZE_STEP) {
    const time = estimateMs(candidate);
    if (time !== undefined && time <= budget) return { ...refusal, largestSize: candidate };
  }
  return refusal;
}
