// When waiting jobs should start with several engine workers: each job goes to the worker that frees up
// first, in running order. `busyMs` holds the time left of each running job (a worker running none has 0);
// the workers alive are at least as many as those running. Unknown from the first unknown estimate on.
export function startTimesOnWorkers(busyMs: ReadonlyArray<number | undefined>, workers: number, estimates: ReadonlyArray<number | undefined>): Array<number | undefined> {
  const free: Array<number | undefined> = [...busyMs];
  while (free.length < workers) free.push(0);
  if (free.length === 0) return estimates.map(() => undefined);
  let known = true;
  return estimates.map((estimate) => {
    if (!known || free.some((left) => left === undefined)) {
      known = false;
      return undefined;
    }
    const slots = free as number[];
    const soonest = slots.indexOf(Math.min(...slots));
    const startsIn = slots[soonest] ?? 0;
    if (estimate === undefined) known = false;
    else slots[soonest] = startsIn + estimate;
    return startsIn;
  });
}
