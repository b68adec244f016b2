// An exponential moving average of the image over the iterations: the output of a budgeted run. Each
// iterate carries some high-frequency noise (the optimiser overshoots along fine detail and comes back);
// averaging the last iterates cancels it while the image's content, which moves slowly, stays.
import type { CentredImage } from './executor.js';

/** Weight of the past per iteration: the average spans about the last 1 / (1 - 0.9) = 10 iterations. */
export const AVERAGE_DECAY = 0.9;

export class ImageAverage {
  private readonly sum: Float32Array;
  private count = 0;

  constructor(
    readonly width: number,
    readonly height: number,
    private readonly decay = AVERAGE_DECAY,
  ) {
    this.sum = new Float32Array(width * height * 3);
  }

  add(x: Float32Array): void {
    if (x.length !== this.sum.length) throw new RangeError('image size differs from the average');
    const { decay, sum } = this;
    for (let i = 0; i < sum.length; i++) sum[i] = decay * (sum[i] as number) + (1 - decay) * (x[i] as number);
    this.count += 1;
  }

  /** The average so far, undefined before the first image. Corrected for its start at zero (as Adam's moments are). */
  value(): CentredImage | undefined {
    if (this.count === 0) return undefined;
    const correction = 1 - this.decay ** this.count;
    return { width: this.width, height: this.height, data: this.sum.map((v) => v / correction) };
  }
}
