// What the optimizers work on: a function of the image tensor that returns its loss and gradient.
import type * as tf from '@tensorflow/tfjs';
import type { Losses } from '../types.js';

export interface Evaluation {
  /** The value minimised (the weighted total), and its parts for reporting. */
  losses: Losses;
  /** d total / d x; owned by whoever receives the Evaluation. */
  grad: tf.Tensor;
}

/** Evaluates at x without taking ownership of x. */
export type Objective = (x: tf.Tensor) => Evaluation;

export interface Optimizer {
  /** The current point; owned by the optimizer (clone it to keep it past the next step or dispose()). */
  readonly x: tf.Tensor;
  /** One iteration; returns the losses at the point it evaluated last. */
  step(): Losses;
  dispose(): void;
}
