// The coarse-to-fine schedule: most iterations at small sizes, where each costs a fraction of a full-size
// one, then refinement at the output size. Targets are recomputed at every scale.

export interface Scale {
  width: number;
  height: number;
  iterations: number;
}

/** Smallest long side worth a scale of its own: below it the deep layers see only a few pixels. */
const MIN_LONG_SIDE = 64;
const MAX_SCALES = 3;
/** Share of the iterations per scale, coarsest first, by number of scales. */
const SHARES: Record<number, readonly number[]> = { 1: [1], 2: [0.6, 0.4], 3: [0.5, 0.3, 0.2] };

/**
 * Sizes 1/4 -> 1/2 -> full (fewer when the image is small). `minSide` is the smallest side the network
 * needs (it halves the image at each pooling).
 */
export function planScales(width: number, height: number, iterations: number, multiScale: boolean, minSide = 1): Scale[] {
  const sizes = [{ width, height }];
  while (multiScale && sizes.length < MAX_SCALES && iterations > sizes.length) {
    const first = sizes[0] as { width: number; height: number };
    const next = { width: Math.round(first.width / 2), height: Math.round(first.height / 2) };
    if (Math.max(next.width, next.height) < MIN_LONG_SIDE || Math.min(next.width, next.height) < minSide) break;
    sizes.unshift(next);
  }
  const shares = SHARES[sizes.length] ?? [1];
  let left = iterations;
  return sizes.map((size, index) => {
    const last = index === sizes.length - 1;
    const count = last ? left : Math.max(1, Math.round(iterations * (shares[index] ?? 0)));
    left -= count;
    return { ...size, iterations: count };
  });
}

/** Relative cost of an iteration at this size (proportional to the pixels). */
export function scaleCost(scale: { width: number; height: number }): number {
  return scale.width * scale.height;
}

/**
 * The work of a whole run in megapixel-iterations: each scale's iterations times its pixels. An iteration
 * costs about the same per pixel at every size (README bench: onnx-cpu 7.1, 8.1 and 8.5 s per megapixel at
 * 128, 256 and 512 px; wasm 78, 68 and 64 s), so time divided by this is a rate that carries across sizes.
 */
export function plannedWork(width: number, height: number, iterations: number, multiScale = true, minSide = 1): number {
  return planScales(width, height, iterations, multiScale, minSide).reduce((sum, scale) => sum + (scale.iterations * scaleCost(scale)) / 1e6, 0);
}

export interface Size {
  width: number;
  height: number;
}

/** Steps of the budgeted ladder below the output size: four sqrt(2) steps span the same quarter as planScales. */
const LADDER_STEPS = 4;

/**
 * The sizes of a budgeted run, smallest first: the output size divided by sqrt(2) at each step (each step
 * doubles the pixels), down to a quarter of the side, fewer when the image is small. Finer steps than
 * planScales' halvings: each scale starts closer to its own optimum, so it needs fewer iterations.
 */
export function scaleLadder(width: number, height: number, multiScale: boolean, minSide = 1): Size[] {
  const sizes: Size[] = [{ width, height }];
  for (let step = 1; multiScale && step <= LADDER_STEPS; step++) {
    const next = { width: Math.round(width / Math.SQRT2 ** step), height: Math.round(height / Math.SQRT2 ** step) };
    if (Math.max(next.width, next.height) < MIN_LONG_SIDE || Math.min(next.width, next.height) < minSide) break;
    sizes.unshift(next);
  }
  return sizes;
}

/**
 * A run that goes on from a picture and names no iteration count gets this share of the default's, half
 * of what a fresh run gives its output size: the picture holds what the coarse scales did, only the new
 * scales' detail is left to make. Each iteration more lowers the style loss and moves the picture further
 * from the one it goes on from. Measured on the real blocks 1-3 (tubingen.jpg cropped square in the manner
 * of starry_night.jpg, 128 -> 181 px, 40 iterations for a fresh run), 4, 6 and 10 iterations: SSIM to the
 * smaller picture 0.869, 0.851 and 0.839; style loss 0.87, 0.49 and 0.47 of a fresh run's.
 */
const CONTINUED_ITERATIONS_SHARE = 0.1;

/** Iterations of a continued run that names none, from the engine's default for a fresh run. */
export function continuedIterations(defaultIterations: number): number {
  return Math.max(1, Math.round(defaultIterations * CONTINUED_ITERATIONS_SHARE));
}

/** Iterations per scale of a continued run go as pixels^this, as in the budgeted schedule (run-schedule.ts). */
const CONTINUATION_EXPONENT = -1 / 3;

/**
 * The scales of a run that goes on from a picture of long side `startAbove` (a "Bigger" job): the budgeted
 * ladder's sqrt(2) steps above that side, up to the output size (always included). The picture already
 * holds the coarse scales' work, so only the new ones run.
 */
export function continuedSizes(width: number, height: number, startAbove: number, minSide = 1): Size[] {
  const sizes = scaleLadder(width, height, true, minSide).filter((size) => Math.max(size.width, size.height) > startAbove);
  return sizes.length > 0 ? sizes : [{ width, height }];
}

/**
 * A continued run by iteration count: `iterations` over continuedSizes, shared as pixels^-1/3 like the
 * budgeted schedule (fewer iterations, yet more time, at each larger scale), at least one per scale.
 */
export function planContinuation(width: number, height: number, iterations: number, startAbove: number, minSide = 1): Scale[] {
  const sizes = continuedSizes(width, height, startAbove, minSide);
  const output = scaleCost({ width, height });
  const shares = sizes.map((size) => (scaleCost(size) / output) ** CONTINUATION_EXPONENT);
  const sum = shares.reduce((a, b) => a + b, 0);
  let left = iterations;
  return sizes.map((size, index) => {
    const last = index === sizes.length - 1;
    const count = last ? Math.max(1, left) : Math.max(1, Math.round((iterations * (shares[index] as number)) / sum));
    left -= count;
    return { ...size, iterations: count };
  });
}

/** The work of a continued run in megapixel-iterations (see plannedWork). */
export function continuedWork(width: number, height: number, iterations: number, startAbove: number, minSide = 1): number {
  return planContinuation(width, height, iterations, startAbove, minSide).reduce((sum, scale) => sum + (scale.iterations * scaleCost(scale)) / 1e6, 0);
}
