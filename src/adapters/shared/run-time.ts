// The painting time a user may pick (issue 21), the same on every platform: the whole minutes that fit the
// queue's job time limit (src/queue/run-time.ts caps them again when the job runs), and reading one back.
import { runMinutesWithin, type JobOptions } from '../../queue/index.js';

/** The minutes the command and the forms offer under this job time limit; none when no budget fits. */
export function offeredMinutes(jobTimeoutMs: number): number[] {
  return runMinutesWithin(jobTimeoutMs);
}

/**
 * A chosen value (a command's integer, a form's select) as the minutes the job gets: the longest offered
 * time up to it. A choice made under a longer limit than today's (a command registered, a form opened
 * before the limit was lowered) is capped to what fits now, and the job shows that; none when nothing does.
 */
export function readMinutes(value: unknown, jobTimeoutMs: number): number | undefined {
  const minutes = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof minutes !== 'number' || !Number.isFinite(minutes)) return undefined;
  return offeredMinutes(jobTimeoutMs).filter((offered) => offered <= minutes).at(-1);
}

/** The options with this painting time; none leaves the engine's usual run. */
export function withMinutes(options: JobOptions, minutes: number | undefined): JobOptions {
  const next: JobOptions = { ...options };
  if (minutes === undefined) delete next.runMinutes;
  else next.runMinutes = minutes;
  return next;
}

/** The painting time a job shows: what its owner picked, when the record holds a usable one. */
export function pickedMinutes(options: Pick<JobOptions, 'runMinutes'>): number | undefined {
  const minutes = options.runMinutes;
  return typeof minutes === 'number' && Number.isFinite(minutes) && minutes > 0 ? minutes : undefined;
}
