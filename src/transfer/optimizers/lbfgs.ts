// L-BFGS (Nocedal 1980; the paper's optimizer) on the pixels: two-loop recursion over the last m
// curvature pairs, and a backtracking (Armijo) line search so that a bad step never raises the loss.
import type { Losses } from '../types.js';
import type { Evaluation, Objective, Optimizer } from './types.js';
import { addScaled, dot, maxAbs, subtract } from './vector.js';

export interface LbfgsOptions {
  /** Curvature pairs remembered (m). */
  history?: number;
  /** Largest change of any coordinate on a step without curvature information (first step, after a reset). */
  initialStep?: number;
  /** Halvings tried by the line search before giving up on a direction. */
  maxBacktracks?: number;
  /**
   * Inverse curvature (s.y / y.y) to take the first step with instead of initialStep, e.g. carried from
   * the previous scale: the first step is then sized by what the run learnt about the loss.
   */
  curvatureScale?: number;
}

interface Pair {
  s: Float32Array;
  y: Float32Array;
  rho: number;
}

const ARMIJO_C = 1e-4;

export class Lbfgs implements Optimizer {
  private current: Float32Array;
  private evaluation: Evaluation | undefined;
  private pairs: Pair[] = [];
  private readonly history: number;
  private readonly initialStep: number;
  private readonly maxBacktracks: number;
  private readonly carriedScale: number | undefined;

  /** Starts from a copy of x0. */
  constructor(
    x0: Float32Array,
    private readonly objective: Objective,
    options: LbfgsOptions = {},
  ) {
    this.current = x0.slice();
    this.history = options.history ?? 8;
    this.initialStep = options.initialStep ?? 1;
    this.maxBacktracks = options.maxBacktracks ?? 10;
    const carried = options.curvatureScale;
    this.carriedScale = carried !== undefined && carried > 0 && Number.isFinite(carried) ? carried : undefined;
  }

  /** The inverse curvature of the newest pair (s.y / y.y), else the one carried in; undefined before any. */
  curvatureScale(): number | undefined {
    const newest = this.pairs[this.pairs.length - 1];
    return newest ? 1 / (newest.rho * dot(newest.y, newest.y)) : this.carriedScale;
  }

  get x(): Float32Array {
    return this.current;
  }

  /** Losses at the current point (evaluates it once if needed). */
  async losses(): Promise<Losses> {
    return (await this.evaluate()).losses;
  }

  private async evaluate(): Promise<Evaluation> {
    this.evaluation ??= await this.objective(this.current);
    return this.evaluation;
  }

  async step(): Promise<Losses> {
    const here = await this.evaluate();
    let direction = this.direction(here.grad);
    let slope = dot(here.grad, direction);
    if (!(slope < 0)) {
      // Not a descent direction (bad curvature pairs or NaN): forget the history and go downhill.
      this.pairs = [];
      direction = this.steepest(here.grad);
      slope = dot(here.grad, direction);
      if (!(slope < 0)) return here.losses; // zero or non-finite gradient: nothing sensible to do
    }
    let t = 1;
    for (let attempt = 0; attempt <= this.maxBacktracks; attempt++, t *= 0.5) {
      const candidate = addScaled(new Float32Array(this.current.length), this.current, t, direction);
      const next = await this.objective(candidate);
      if (Number.isFinite(next.losses.total) && next.losses.total <= here.losses.total + ARMIJO_C * t * slope) {
        this.accept(here, candidate, next);
        return next.losses;
      }
    }
    // No step along this direction lowers the loss: drop the curvature history, stay put.
    this.pairs = [];
    return here.losses;
  }

  /** Steepest descent scaled so that no coordinate moves more than initialStep. */
  private steepest(grad: Float32Array): Float32Array {
    const largest = maxAbs(grad);
    const scale = largest > 0 && Number.isFinite(largest) ? this.initialStep / largest : 0;
    return grad.map((g) => -g * scale);
  }

  /** The two-loop recursion: -H g with H built from the stored pairs. */
  private direction(grad: Float32Array): Float32Array {
    const newest = this.pairs[this.pairs.length - 1];
    if (!newest) return this.carriedScale === undefined ? this.steepest(grad) : grad.map((g) => -g * (this.carriedScale as number));
    const r = grad.slice();
    const alphas: number[] = [];
    for (let i = this.pairs.length - 1; i >= 0; i--) {
      const pair = this.pairs[i] as Pair;
      const a = pair.rho * dot(pair.s, r);
      alphas[i] = a;
      addScaled(r, r, -a, pair.y);
    }
    const gamma = 1 / (newest.rho * dot(newest.y, newest.y)); // s.y / y.y
    for (let i = 0; i < r.length; i++) r[i] = (r[i] as number) * gamma;
    for (let i = 0; i < this.pairs.length; i++) {
      const pair = this.pairs[i] as Pair;
      const b = pair.rho * dot(pair.y, r);
      addScaled(r, r, (alphas[i] ?? 0) - b, pair.s);
    }
    for (let i = 0; i < r.length; i++) r[i] = -(r[i] as number);
    return r;
  }

  private accept(previous: Evaluation, x: Float32Array, next: Evaluation): void {
    const s = subtract(x, this.current);
    const y = subtract(next.grad, previous.grad);
    const ys = dot(y, s);
    // Keep the pair only if it carries positive curvature; otherwise H would stop being positive definite.
    if (ys > 1e-10 && Number.isFinite(ys)) {
      this.pairs.push({ s, y, rho: 1 / ys });
      if (this.pairs.length > this.history) this.pairs.shift();
    }
    this.current = x;
    this.evaluation = next;
  }
}
