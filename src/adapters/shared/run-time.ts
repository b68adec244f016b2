// The painting time a user may pick (issue 21), the same on every platform: the whole minutes that fit the
// queue's job time limit (src/queue/run-time.ts caps them again when the job runs), and reading one back.
import { runMinutesWithin, type JobOptions } from '../../queue/index.js';

/** The minutes the command and the forms offer under this job time limit; none when no budget fits. */
export function offeredMinutes(jobTimeoutMs: number): number[] {
  return runMinutesWithin(jobTimeoutMs);
}

/** A chosen value (a command's integer, a form's select) as minutes, when it is one of those offered. */
export function readMinutes(value: unknown, jobTimeoutMs: number): number | undefined {
  const minutes = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof minutes === 'number' && offeredMinutes(jobTimeoutMs).includes(minutes) ? minutes : undefined;
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
