// Adam (Kingma & Ba 2015) on the image pixels: simpler than L-BFGS, needs more iterations.
import type { Losses } from '../types.js';
import type { Objective, Optimizer } from './types.js';

export interface AdamOptions {
  /** Step size in pixel units (0..255 scale): how far a pixel moves at most per step, roughly. */
  learningRate?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** Keeps x in the valid pixel range after each step (in place). */
  project?: (x: Float32Array) => void;
  /** Moments and step count to go on from (for x0's size), e.g. carried from the previous scale. */
  state?: AdamState;
}

/** What Adam knows besides x: per-pixel moments (laid out like x) and the step count of the bias corrections. */
export interface AdamState {
  m: Float32Array;
  v: Float32Array;
  t: number;
}

export class Adam implements Optimizer {
  private readonly current: Float32Array;
  private readonly m: Float32Array;
  private readonly v: Float32Array;
  private t = 0;
  private readonly lr: number;
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;

  /** Starts from a copy of x0. */
  constructor(
    x0: Float32Array,
    private readonly objective: Objective,
    private readonly options: AdamOptions = {},
  ) {
    this.current = x0.slice();
    const state = options.state;
    if (state && (state.m.length !== x0.length || state.v.length !== x0.length)) throw new RangeError('Adam state does not match the image size.');
    this.m = state ? state.m.slice() : new Float32Array(x0.length);
    this.v = state ? state.v.slice() : new Float32Array(x0.length);
    this.t = state?.t ?? 0;
    this.lr = options.learningRate ?? 4;
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-8;
  }

  get x(): Float32Array {
    return this.current;
  }

  /** A copy of the moments and step count, to go on from at another scale. */
  state(): AdamState {
    return { m: this.m.slice(), v: this.v.slice(), t: this.t };
  }

  async step(): Promise<Losses> {
    const { losses, grad } = await this.objective(this.current);
    this.t += 1;
    const { beta1, beta2, epsilon, lr, m, v, current } = this;
    const correction1 = 1 - beta1 ** this.t;
    const correction2 = 1 - beta2 ** this.t;
    for (let i = 0; i < current.length; i++) {
      const g = grad[i] as number;
      m[i] = beta1 * (m[i] as number) + (1 - beta1) * g;
      v[i] = beta2 * (v[i] as number) + (1 - beta2) * g * g;
      current[i] = (current[i] as number) - (lr * ((m[i] as number) / correction1)) / (Math.sqrt((v[i] as number) / correction2) + epsilon);
    }
    this.options.project?.(current);
    return losses;
  }
}
