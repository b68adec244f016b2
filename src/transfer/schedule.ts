// The coarse-to-fine schedules: most iterations at small sizes, where each costs a fraction of a full-size
// one, then refinement at the output size. Targets are recomputed at every scale.

export interface Scale {
  width: number;
  height: number;
  iterations: number;
}

export interface Size {
  width: number;
  height: number;
}

/** Smallest long side worth a scale of its own: below it the deep layers see only a few pixels. */
const MIN_LONG_SIDE = 64;
const MAX_HALVINGS = 3;
/** Share of the iterations per scale of the halving schedule, coarsest first, by number of scales. */
const HALVING_SHARES: Record<number, readonly number[]> = { 1: [1], 2: [0.6, 0.4], 3: [0.5, 0.3, 0.2] };

/**
 * The schedule before issue 21, kept as the baseline that the bench's --race measures the default against:
 * sizes 1/4 -> 1/2 -> full (fewer when the image is small), iterations split 0.5/0.3/0.2. `minSide` is the
 * smallest side the network needs (it halves the image at each pooling).
 */
export function planHalving(width: number, height: number, iterations: number, multiScale: boolean, minSide = 1): Scale[] {
  const sizes = [{ width, height }];
  while (multiScale && sizes.length < MAX_HALVINGS && iterations > sizes.length) {
    const first = sizes[0] as { width: number; height: number };
    const next = { width: Math.round(first.width / 2), height: Math.round(first.height / 2) };
    if (Math.max(next.width, next.height) < MIN_LONG_SIDE || Math.min(next.width, next.height) < minSide) break;
    sizes.unshift(next);
  }
  const shares = HALVING_SHARES[sizes.length] ?? [1];
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

/** Steps of the ladder below the output size: four sqrt(2) steps span the same quarter as planHalving's two halvings. */
const LADDER_STEPS = 4;

/**
 * The sizes of a fresh run, smallest first: the output size divided by sqrt(2) at each step (each step
 * doubles the pixels), down to a quarter of the side, fewer when the image is small. Finer steps than
 * planHalving's: each scale starts closer to its own optimum, so it needs fewer iterations.
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
 * Iterations per scale go as pixels^-1/3: three times fewer at the output size than at a 1/4-side start for
 * about 5x more time per scale (the 0.5/0.3/0.2 split of planHalving over 1/4, 1/2 and full sides follows
 * the same curve). The coarse scales set the large shapes cheaply; the last one gets most of the time.
 */
const ITERATION_EXPONENT = -1 / 3;

/** Relative iteration count of a scale, 1 at the output size. */
export function iterationShare(size: Size, output: Size): number {
  return (scaleCost(size) / scaleCost(output)) ** ITERATION_EXPONENT;
}

/**
 * `iterations` over `sizes` (smallest first, the output size last) in proportion to iterationShare: one
 * each, the rest by cumulative rounding, so the total is exact whenever there are no fewer iterations than
 * sizes (at least one per size otherwise).
 */
function shareIterations(sizes: readonly Size[], iterations: number): Scale[] {
  const output = sizes.at(-1) as Size;
  const shares = sizes.map((size) => iterationShare(size, output));
  const sum = shares.reduce((a, b) => a + b, 0);
  const rest = Math.max(0, iterations - sizes.length);
  let cumulative = 0;
  let given = 0;
  return sizes.map((size, index) => {
    cumulative += shares[index] as number;
    const upTo = Math.round((rest * cumulative) / sum);
    const count = 1 + upTo - given;
    given = upTo;
    return { ...size, iterations: count };
  });
}

/**
 * A fresh run by iteration count, the default since issue 21: the ladder's sizes (as many of the largest
 * as there are iterations), the iterations shared as a budgeted run shares its time.
 */
export function planLadder(width: number, height: number, iterations: number, multiScale: boolean, minSide = 1): Scale[] {
  return shareIterations(scaleLadder(width, height, multiScale, minSide).slice(-iterations), iterations);
}

/** The work of a plan in megapixel-iterations: each scale's iterations times its pixels. */
function workOf(scales: readonly Scale[]): number {
  return scales.reduce((sum, scale) => sum + (scale.iterations * scaleCost(scale)) / 1e6, 0);
}

/**
 * The work of a fresh run by iteration count (planLadder) in megapixel-iterations. An iteration costs
 * about the same per pixel at every size (README bench: onnx-cpu 7.1, 8.1 and 8.5 s per megapixel at 128,
 * 256 and 512 px; wasm 78, 68 and 64 s), so time divided by this is a rate that carries across sizes.
 */
export function plannedWork(width: number, height: number, iterations: number, multiScale = true, minSide = 1): number {
  return workOf(planLadder(width, height, iterations, multiScale, minSide));
}

/**
 * A run that goes on from a picture and names no iteration count gets this share of the default's, fewer
 * than a fresh run gives its output size: the picture holds what the coarse scales did, only the new
 * scales' detail is left to make. Each iteration more lowers the style loss and moves the picture further
 * from the one it goes on from. Measured on the real blocks 1-3 (tubingen.jpg cropped square in the manner
 * of starry_night.jpg, 128 -> 181 px, 40 iterations for a fresh run), 4, 6 and 10 iterations: SSIM to the
 * smaller picture 0.869, 0.851 and 0.839; style loss 0.87, 0.49 and 0.47 of a fresh run's (the picture
 * then enlarged with sharp, which softens it: see lanczos.ts).
 */
const CONTINUED_ITERATIONS_SHARE = 0.1;

/** Iterations of a continued run that names none, from the engine's default for a fresh run. */
export function continuedIterations(defaultIterations: number): number {
  return Math.max(1, Math.round(defaultIterations * CONTINUED_ITERATIONS_SHARE));
}

/**
 * The scales of a run that goes on from a picture of long side `startAbove` (a "Bigger" job): the
 * ladder's sqrt(2) steps above that side, up to the output size (always included). The picture already
 * holds the coarse scales' work, so only the new ones run.
 */
export function continuedSizes(width: number, height: number, startAbove: number, minSide = 1): Size[] {
  const sizes = scaleLadder(width, height, true, minSide).filter((size) => Math.max(size.width, size.height) > startAbove);
  return sizes.length > 0 ? sizes : [{ width, height }];
}

/**
 * A continued run by iteration count: `iterations` over continuedSizes, shared as a fresh run's (planLadder),
 * at least one per scale.
 */
export function planContinuation(width: number, height: number, iterations: number, startAbove: number, minSide = 1): Scale[] {
  return shareIterations(continuedSizes(width, height, startAbove, minSide), iterations);
}

/** The work of a continued run in megapixel-iterations (see plannedWork). */
export function continuedWork(width: number, height: number, iterations: number, startAbove: number, minSide = 1): number {
  return workOf(planContinuation(width, height, iterations, startAbove, minSide));
}
