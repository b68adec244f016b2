// How far a run is, by time rather than by iteration count. The coarse-to-fine ladder spends more than half
// its iterations at its two smallest scales, where each costs an eighth of a full-size one or less, so
// "iteration 41 of 77" is about a sixth of the time. Each scale's iterations are weighted by what they
// cost: measured as the run goes (mean time per iteration at that scale), and for scales not reached yet,
// the current scale's cost scaled by pixels (see plannedWork in schedule.ts for why pixels).
import { scaleCost, type Scale } from './schedule.js';

export class ProgressEstimate {
  private readonly spentMs: number[];
  private readonly done: number[];
  private current = 0;
  private lastFraction = 0;

  constructor(private readonly scales: readonly Scale[]) {
    this.spentMs = scales.map(() => 0);
    this.done = scales.map(() => 0);
  }

  /** One iteration at scale `index` (0 = coarsest) took `ms`. */
  record(index: number, ms: number): void {
    if (index < 0 || index >= this.scales.length) throw new RangeError(`no scale ${index} in a schedule of ${this.scales.length}`);
    this.spentMs[index] = (this.spentMs[index] ?? 0) + Math.max(0, ms);
    this.done[index] = (this.done[index] ?? 0) + 1;
    this.current = Math.max(this.current, index);
  }

  /** Estimated milliseconds of iterations still to run; undefined before the first iteration is measured. */
  remainingMs(): number | undefined {
    const measured = this.perIteration(this.current);
    if (measured === undefined) return undefined;
    const reference = this.scales[this.current] as Scale;
    let left = 0;
    for (let index = this.current; index < this.scales.length; index++) {
      const scale = this.scales[index] as Scale;
      const perIteration = index === this.current ? measured : (measured * scaleCost(scale)) / scaleCost(reference);
      left += (scale.iterations - (this.done[index] ?? 0)) * perIteration;
    }
    return Math.max(0, left);
  }

  /**
   * Share of the run's time done, 0..1: `elapsedMs` (the whole run so far, set-up included) over itself
   * plus the time left. Never goes back: a scale that turns out slower than its pixels predicted lengthens
   * the estimate of the time left, but a bar that shrinks would read as lost work.
   */
  fraction(elapsedMs: number): number {
    const left = this.remainingMs();
    if (left === undefined) return this.lastFraction;
    const total = elapsedMs + left;
    const fraction = left === 0 ? 1 : total > 0 ? elapsedMs / total : 0;
    this.lastFraction = Math.min(1, Math.max(this.lastFraction, fraction));
    return this.lastFraction;
  }

  /** Mean time per iteration measured at this scale so far. */
  private perIteration(index: number): number | undefined {
    const done = this.done[index] ?? 0;
    return done > 0 ? (this.spentMs[index] ?? 0) / done : undefined;
  }
}
