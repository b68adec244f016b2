// How many iterations each scale of a run gets, asked as the run goes. Two kinds: a fixed count planned
// up front (planLadder: the default, what the chat asks for unless a painting time is picked), and a time
// budget, re-planned after every iteration from the speed measured so far so that the run ends on time.
//
// All times are milliseconds on the run's clock (RunContext.clock), so a test can set what an iteration costs.
import { ProgressEstimate } from './progress-estimate.js';
import { iterationShare, scaleCost, type Scale, type Size } from './schedule.js';

export interface RunSchedule {
  /** The scales' sizes, smallest first; the last is the output size. */
  readonly sizes: readonly Size[];
  /** Whether scale `index` runs at all, decided when the run reaches it (the last always does). */
  runs(index: number, now: number): boolean;
  /** Whether scale `index` runs another iteration after `done` of them. */
  more(index: number, done: number, now: number): boolean;
  /** Opening scale `index` (its network and targets) took `ms`. */
  opened(index: number, ms: number): void;
  /** One iteration at scale `index` took `ms`. */
  iterated(index: number, ms: number): void;
  /** The losses alone at the output size (the initial ones) took `ms`: what the final ones will take. */
  measuredLosses(ms: number): void;
  /** Iterations over all scales as planned now. */
  total(now: number): number;
  /** Share of the run done, 0..1, never decreasing. */
  fraction(now: number): number;
  /** Estimated milliseconds left. */
  remainingMs(now: number): number;
}

/** A fixed number of iterations per scale (planLadder, planContinuation), with progress weighted by each scale's cost. */
export class FixedSchedule implements RunSchedule {
  readonly sizes: readonly Size[];
  private readonly progress: ProgressEstimate;

  constructor(
    private readonly scales: readonly Scale[],
    private readonly startedAt: number,
  ) {
    this.sizes = scales.map(({ width, height }) => ({ width, height }));
    this.progress = new ProgressEstimate(scales);
  }

  runs(): boolean {
    return true;
  }

  more(index: number, done: number): boolean {
    return done < (this.scales[index]?.iterations ?? 0);
  }

  opened(): void {}

  measuredLosses(): void {}

  iterated(index: number, ms: number): void {
    this.progress.record(index, ms);
  }

  total(): number {
    return this.scales.reduce((sum, scale) => sum + scale.iterations, 0);
  }

  fraction(now: number): number {
    return this.progress.fraction(now - this.startedAt);
  }

  remainingMs(): number {
    return this.progress.remainingMs() ?? 0;
  }
}

/**
 * The run aims at this share of its budget: the last iteration lands within half an iteration of it, and
 * the final losses and the PNG take about one more evaluation.
 */
export const BUDGET_AIM = 0.975;
/**
 * Iterations planned from a time budget. The speed model is milliseconds per pixel-iteration: an
 * iteration costs about the same per pixel at every size (see plannedWork in schedule.ts), measured at the
 * latest scale that ran. Opening a scale is measured per pixel too (style targets are forward passes over
 * pixels; the graph building that does not grow with them makes this a safe overestimate for larger
 * scales). After every iteration the plan is made again from the time left, so a slow start or a scale
 * slower than its pixels predicted is absorbed by the scales after it, and the last scale runs until the
 * time is up.
 */
export class BudgetSchedule implements RunSchedule {
  private readonly end: number;
  private readonly done: number[];
  private readonly spentMs: number[];
  private msPerPixel: number | undefined;
  private openMsPerPixel = 0;
  private lossesMs: number | undefined;
  private latest = -1;
  private lastFraction = 0;

  constructor(
    readonly sizes: readonly Size[],
    private readonly startedAt: number,
    budgetMs: number,
  ) {
    this.end = startedAt + budgetMs * BUDGET_AIM;
    this.done = sizes.map(() => 0);
    this.spentMs = sizes.map(() => 0);
  }

  runs(index: number, now: number): boolean {
    return index === this.sizes.length - 1 || this.planned(index, now) > 0;
  }

  more(index: number, done: number, now: number): boolean {
    if (index < this.sizes.length - 1) return done < this.planned(index, now);
    // The last scale: one more iteration if ending after it is nearer the aim than ending now.
    const cost = this.iterationMs(index);
    if (cost === undefined) return true;
    return now + cost + this.finishMs() <= this.end + cost / 2;
  }

  opened(index: number, ms: number): void {
    this.openMsPerPixel = Math.max(this.openMsPerPixel, ms / scaleCost(this.size(index)));
  }

  iterated(index: number, ms: number): void {
    this.done[index] = (this.done[index] ?? 0) + 1;
    this.spentMs[index] = (this.spentMs[index] ?? 0) + Math.max(0, ms);
    this.latest = index;
    this.msPerPixel = (this.spentMs[index] as number) / (this.done[index] as number) / scaleCost(this.size(index));
  }

  measuredLosses(ms: number): void {
    this.lossesMs = Math.max(0, ms);
  }

  total(now: number): number {
    let sum = 0;
    for (let index = 0; index < this.sizes.length; index++) {
      if (index < this.latest) sum += this.done[index] ?? 0;
      else sum += Math.max(this.done[index] ?? 0, this.planned(index, now));
    }
    return sum;
  }

  fraction(now: number): number {
    const elapsed = now - this.startedAt;
    const left = this.remainingMs(now);
    const fraction = elapsed + left > 0 ? elapsed / (elapsed + left) : 0;
    this.lastFraction = Math.min(1, Math.max(this.lastFraction, fraction));
    return this.lastFraction;
  }

  remainingMs(now: number): number {
    return Math.max(0, this.end - now);
  }

  /**
   * Iterations scale `index` gets in all, planned from now: the time left after opening the scales still
   * to open and finishing, shared as k * iterationShare iterations per scale (pixels^-1/3), k solved so that
   * what is left of this scale and all of the later ones fill that time.
   */
  private planned(index: number, now: number): number {
    const done = this.done[index] ?? 0;
    const last = this.sizes.length - 1;
    if (this.msPerPixel === undefined) return done + 1; // nothing measured yet: one iteration to learn the speed
    if (index === last) {
      const cost = this.iterationMs(index) as number;
      return done + Math.max(0, Math.floor((this.end - now - this.finishMs()) / cost + 0.5));
    }
    let opening = 0;
    let weighted = 0;
    for (let j = index; j <= last; j++) {
      const pixels = scaleCost(this.size(j));
      if (j > index) opening += this.openMsPerPixel * pixels;
      weighted += this.share(j) * this.msPerPixel * pixels;
    }
    const available = this.end - now - opening - this.finishMs() + done * (this.iterationMs(index) as number);
    return Math.max(done, Math.round((Math.max(0, available) / weighted) * this.share(index)));
  }

  /** Relative iteration count of scale `index` (1 at the output size). */
  private share(index: number): number {
    return iterationShare(this.size(index), this.size(this.sizes.length - 1));
  }

  /** One iteration at scale `index`: measured there when it has run, else predicted from the latest scale's speed. */
  private iterationMs(index: number): number | undefined {
    const done = this.done[index] ?? 0;
    if (done > 0) return (this.spentMs[index] as number) / done;
    return this.msPerPixel === undefined ? undefined : this.msPerPixel * scaleCost(this.size(index));
  }

  /**
   * The final losses at the output size: as long as the initial ones took once measured (a forward pass
   * without the gradient, a third of an iteration), before that one iteration there (an overestimate).
   */
  private finishMs(): number {
    return this.lossesMs ?? this.iterationMs(this.sizes.length - 1) ?? 0;
  }

  private size(index: number): Size {
    const size = this.sizes[index];
    if (!size) throw new RangeError(`no scale ${index} in a schedule of ${this.sizes.length}`);
    return size;
  }
}
