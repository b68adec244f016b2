// When a waiting job should start: the time the running job has left, then the estimated time of every
// job ahead of it, in the order they will run (the fair order). Recomputed whenever the line moves, a job
// starts or ends, or the running job reports progress; a waiting job is told again only when its place
// changed or its expected start moved enough to change what a person would read.

/** What a waiting job was last told, with its expected start on the queue's clock. */
export interface Announced {
  position: number;
  startsAt?: number;
}

/**
 * A shift smaller than this is not worth a message edit: "about 4 min" reads the same. The adapters may
 * count down between events; this bounds how far their count can drift from the estimate.
 */
export const MIN_SHIFT_MS = 30_000;
/** ...nor a shift smaller than this share of the wait. */
export const MIN_SHIFT_SHARE = 0.2;

/**
 * Start times (ms from now) of the waiting jobs, given the running job's time left (0 when none runs,
 * undefined when unknown) and each waiting job's estimate in running order. Unknown from the first
 * unknown estimate on.
 */
export function startTimes(runningLeftMs: number | undefined, estimates: ReadonlyArray<number | undefined>): Array<number | undefined> {
  let startsIn = runningLeftMs;
  return estimates.map((estimate) => {
    const mine = startsIn;
    startsIn = startsIn === undefined || estimate === undefined ? undefined : startsIn + estimate;
    return mine;
  });
}

/** Whether a waiting job should hear about its place and start time again. */
export function worthAnnouncing(before: Announced | undefined, now: Announced, clockNow: number): boolean {
  if (!before || before.position !== now.position) return true;
  if (before.startsAt === undefined || now.startsAt === undefined) return before.startsAt !== now.startsAt;
  const waitMs = Math.max(0, now.startsAt - clockNow);
  return Math.abs(now.startsAt - before.startsAt) >= Math.max(MIN_SHIFT_MS, MIN_SHIFT_SHARE * waitMs);
}
