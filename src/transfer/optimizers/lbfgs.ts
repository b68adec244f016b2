// L-BFGS (Nocedal 1980; the paper's optimizer) on tfjs tensors: two-loop recursion over the last m
// curvature pairs, and a backtracking (Armijo) line search so that a bad step never raises the loss.
import * as tf from '@tensorflow/tfjs';
import type { Losses } from '../types.js';
import type { Evaluation, Objective, Optimizer } from './types.js';

export interface LbfgsOptions {
  /** Curvature pairs remembered (m). */
  history?: number;
  /** Largest change of any coordinate on a step without curvature information (first step, after a reset). */
  initialStep?: number;
  /** Halvings tried by the line search before giving up on a direction. */
  maxBacktracks?: number;
}

interface Pair {
  s: tf.Tensor;
  y: tf.Tensor;
  rho: number;
}

const ARMIJO_C = 1e-4;

/** Reads a scalar computed from tensors back to JavaScript, freeing everything on the way. */
function scalarOf(compute: () => tf.Tensor): number {
  const value = tf.tidy(compute);
  const result = value.dataSync()[0] ?? Number.NaN;
  value.dispose();
  return result;
}

function dot(a: tf.Tensor, b: tf.Tensor): number {
  return scalarOf(() => tf.sum(tf.mul(a, b)));
}

function maxAbs(a: tf.Tensor): number {
  return scalarOf(() => tf.max(tf.abs(a)));
}

export class Lbfgs implements Optimizer {
  private current: tf.Tensor;
  private evaluation: Evaluation | undefined;
  private pairs: Pair[] = [];
  private readonly history: number;
  private readonly initialStep: number;
  private readonly maxBacktracks: number;

  /** Takes ownership of x0. */
  constructor(
    x0: tf.Tensor,
    private readonly objective: Objective,
    options: LbfgsOptions = {},
  ) {
    this.current = x0;
    this.history = options.history ?? 8;
    this.initialStep = options.initialStep ?? 1;
    this.maxBacktracks = options.maxBacktracks ?? 10;
  }

  get x(): tf.Tensor {
    return this.current;
  }

  /** Losses at the current point (evaluates it once if needed). */
  losses(): Losses {
    return this.evaluate().losses;
  }

  private evaluate(): Evaluation {
    this.evaluation ??= this.objective(this.current);
    return this.evaluation;
  }

  step(): Losses {
    const here = this.evaluate();
    let direction = this.direction(here.grad);
    let slope = dot(here.grad, direction);
    if (!(slope < 0)) {
      // Not a descent direction (bad curvature pairs or NaN): forget the history and go downhill.
      direction.dispose();
      this.resetHistory();
      direction = this.steepest(here.grad);
      slope = dot(here.grad, direction);
      if (!(slope < 0)) {
        direction.dispose();
        return here.losses; // zero or non-finite gradient: nothing sensible to do
      }
    }
    try {
      let t = 1;
      for (let attempt = 0; attempt <= this.maxBacktracks; attempt++, t *= 0.5) {
        const candidate = tf.tidy(() => tf.add(this.current, tf.mul(t, direction)));
        let next: Evaluation;
        try {
          next = this.objective(candidate);
        } catch (error) {
          candidate.dispose();
          throw error;
        }
        if (Number.isFinite(next.losses.total) && next.losses.total <= here.losses.total + ARMIJO_C * t * slope) {
          this.accept(candidate, next);
          return next.losses;
        }
        candidate.dispose();
        next.grad.dispose();
      }
      // No step along this direction lowers the loss: drop the curvature history, stay put.
      this.resetHistory();
      return here.losses;
    } finally {
      direction.dispose();
    }
  }

  /** Steepest descent scaled so that no coordinate moves more than initialStep. */
  private steepest(grad: tf.Tensor): tf.Tensor {
    const largest = maxAbs(grad);
    const scale = largest > 0 && Number.isFinite(largest) ? this.initialStep / largest : 0;
    return tf.mul(grad, -scale);
  }

  /** The two-loop recursion: -H g with H built from the stored pairs. */
  private direction(grad: tf.Tensor): tf.Tensor {
    const newest = this.pairs[this.pairs.length - 1];
    if (!newest) return this.steepest(grad);
    let q = grad.clone();
    const alphas: number[] = [];
    for (let i = this.pairs.length - 1; i >= 0; i--) {
      const pair = this.pairs[i] as Pair;
      const a = pair.rho * dot(pair.s, q);
      alphas[i] = a;
      const next = tf.tidy(() => tf.sub(q, tf.mul(a, pair.y)));
      q.dispose();
      q = next;
    }
    const gamma = 1 / (newest.rho * dot(newest.y, newest.y)); // s.y / y.y
    let r = tf.mul(q, gamma);
    q.dispose();
    for (let i = 0; i < this.pairs.length; i++) {
      const pair = this.pairs[i] as Pair;
      const b = pair.rho * dot(pair.y, r);
      const coefficient = (alphas[i] ?? 0) - b;
      const next = tf.tidy(() => tf.add(r, tf.mul(coefficient, pair.s)));
      r.dispose();
      r = next;
    }
    const d = tf.neg(r);
    r.dispose();
    return d;
  }

  private accept(x: tf.Tensor, next: Evaluation): void {
    const previous = this.evaluate();
    const s = tf.sub(x, this.current);
    const y = tf.sub(next.grad, previous.grad);
    const ys = dot(y, s);
    // Keep the pair only if it carries positive curvature; otherwise H would stop being positive definite.
    if (ys > 1e-10 && Number.isFinite(ys)) {
      this.pairs.push({ s, y, rho: 1 / ys });
      if (this.pairs.length > this.history) {
        const oldest = this.pairs.shift();
        oldest?.s.dispose();
        oldest?.y.dispose();
      }
    } else {
      s.dispose();
      y.dispose();
    }
    previous.grad.dispose();
    this.current.dispose();
    this.current = x;
    this.evaluation = next;
  }

  private resetHistory(): void {
    for (const pair of this.pairs) {
      pair.s.dispose();
      pair.y.dispose();
    }
    this.pairs = [];
  }

  dispose(): void {
    this.resetHistory();
    this.evaluation?.grad.dispose();
    this.evaluation = undefined;
    this.current.dispose();
  }
}
