// What the optimizers work on: a function of the pixels that returns its loss and gradient.
import type { Evaluation } from '../executor.js';
import type { Losses } from '../types.js';

export type { Evaluation };

/** Evaluates at x; must not keep or change x. */
export type Objective = (x: Float32Array) => Promise<Evaluation>;

export interface Optimizer {
  /** The current point; the optimizer may change it on the next step (copy it to keep it). */
  readonly x: Float32Array;
  /** One iteration; returns the losses at the point it evaluated last. */
  step(): Promise<Losses>;
}
