// Adam (Kingma & Ba 2015) on the image pixels: simpler than L-BFGS, needs more iterations.
import * as tf from '@tensorflow/tfjs';
import type { Losses } from '../types.js';
import type { Objective, Optimizer } from './types.js';

export interface AdamOptions {
  /** Step size in pixel units (0..255 scale): how far a pixel moves at most per step, roughly. */
  learningRate?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** Keeps x in the valid pixel range after each step. */
  project?: (x: tf.Tensor) => tf.Tensor;
}

export class Adam implements Optimizer {
  private current: tf.Tensor;
  private m: tf.Tensor;
  private v: tf.Tensor;
  private t = 0;
  private readonly lr: number;
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;

  /** Takes ownership of x0. */
  constructor(
    x0: tf.Tensor,
    private readonly objective: Objective,
    private readonly options: AdamOptions = {},
  ) {
    this.current = x0;
    this.m = tf.zerosLike(x0);
    this.v = tf.zerosLike(x0);
    this.lr = options.learningRate ?? 4;
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-8;
  }

  get x(): tf.Tensor {
    return this.current;
  }

  step(): Losses {
    const { losses, grad } = this.objective(this.current);
    this.t += 1;
    const [m, v, x] = tf.tidy(() => {
      const m = tf.add(tf.mul(this.beta1, this.m), tf.mul(1 - this.beta1, grad));
      const v = tf.add(tf.mul(this.beta2, this.v), tf.mul(1 - this.beta2, tf.square(grad)));
      const mHat = tf.div(m, 1 - this.beta1 ** this.t);
      const vHat = tf.div(v, 1 - this.beta2 ** this.t);
      const moved = tf.sub(this.current, tf.mul(this.lr, tf.div(mHat, tf.add(tf.sqrt(vHat), this.epsilon))));
      return [m, v, this.options.project ? this.options.project(moved) : moved];
    });
    grad.dispose();
    this.m.dispose();
    this.v.dispose();
    this.current.dispose();
    this.m = m;
    this.v = v;
    this.current = x;
    return losses;
  }

  dispose(): void {
    this.m.dispose();
    this.v.dispose();
    this.current.dispose();
  }
}
