// A job's run time picked by its owner (issue 21): the chat offers a few whole minutes, the engine plans its
// iterations so that the run ends within them (StylizeOptions.timeBudgetMs) and the queue's job time limit
// caps them. The limit also covers what the budget does not: starting an engine that died, reading the
// images, the final losses and the PNG, and the engine's own overrun of a few percent; the headroom keeps a
// budgeted job clear of the limit, so it never fails for a time it was promised.
import { MAX_TIME_BUDGET_MS, MIN_TIME_BUDGET_MS } from '../transfer/index.js';
import type { EngineJobOptions } from './engine-messages.js';

/** The run times the chat offers, in minutes (those within the job time limit, see runMinutesWithin). */
export const RUN_MINUTES = [1, 2, 5, 10] as const;

/** The limit keeps at least this much beyond a budget, and at least HEADROOM_SHARE of itself. */
export const MIN_HEADROOM_MS = 60_000;
export const HEADROOM_SHARE = 0.2;

/** The longest budget a job gets under this time limit (0 when the limit leaves no room for one). */
export function longestBudgetMs(jobTimeoutMs: number): number {
  const room = jobTimeoutMs - Math.max(MIN_HEADROOM_MS, jobTimeoutMs * HEADROOM_SHARE);
  return room >= MIN_TIME_BUDGET_MS ? Math.min(room, MAX_TIME_BUDGET_MS) : 0;
}

/** The run times the chat may offer under this limit: each one runs in full. */
export function runMinutesWithin(jobTimeoutMs: number): number[] {
  const longest = longestBudgetMs(jobTimeoutMs);
  return RUN_MINUTES.filter((minutes) => minutes * 60_000 <= longest);
}

/**
 * The engine's time budget for a job whose owner picked `runMinutes`, capped by the limit; undefined when
 * none was picked (the engine's fixed iterations, as before run times), the value is unusable (a damaged
 * record) or the limit leaves no room for a budget.
 */
export function timeBudgetOf(runMinutes: unknown, jobTimeoutMs: number): number | undefined {
  if (typeof runMinutes !== 'number' || !Number.isFinite(runMinutes) || runMinutes <= 0) return undefined;
  const longest = longestBudgetMs(jobTimeoutMs);
  return longest > 0 ? Math.max(MIN_TIME_BUDGET_MS, Math.min(runMinutes * 60_000, longest)) : undefined;
}

/**
 * Engine options with their budget capped by this limit: a cluster worker applies its own limit to what a
 * front-end dispatched, since its timer is the one that stops the job. No budget stays none.
 */
export function budgetWithin(options: EngineJobOptions, jobTimeoutMs: number): EngineJobOptions {
  if (options.timeBudgetMs === undefined) return options;
  const longest = longestBudgetMs(jobTimeoutMs);
  const capped: EngineJobOptions = { ...options };
  if (longest > 0) capped.timeBudgetMs = Math.max(MIN_TIME_BUDGET_MS, Math.min(options.timeBudgetMs, longest));
  else delete capped.timeBudgetMs;
  return capped;
}
