// How long jobs take on this machine, learnt from the jobs it finished. A job's work is counted in
// megapixel-iterations of VGG-19 (each scale's iterations times its pixels, see plannedWork in the engine,
// times the loaded network's cost relative to VGG-19's), which makes one rate per backend carry across
// sizes: time = rate x work. Before a backend has finished a job here, its rate is a prior from the
// README's bench figures; backends never measured have none, and their jobs get no estimate until one
// finishes (a guessed figure would refuse sizes a GPU does in seconds).
import { continuedWork, plannedWork, type BackendName } from '../transfer/index.js';

/** A job as the estimate sees it: the output's pixels, the iterations over all scales, and the network. */
export interface JobWork {
  width: number;
  height: number;
  iterations: number;
  /** What an iteration costs on the engine's network relative to VGG-19 (1 for the real weights). */
  networkCost: number;
  /** A Bigger job: the long side of the picture it went on from; only the scales above it ran. */
  startAbove?: number;
}

/** What was measured on one backend; the journal keeps these across restarts. */
export interface ThroughputFigure {
  /** Per megapixel-iteration of VGG-19 (see JobWork). */
  msPerMegapixelIteration: number;
  /** Jobs the figure was learnt from. */
  jobs: number;
}

export type ThroughputFigures = Partial<Record<BackendName, ThroughputFigure>>;

/**
 * Milliseconds per megapixel-iteration before anything was measured here. From the README's bench
 * (2-core AMD EPYC, Node 20, 2026-11-25): onnx-cpu ran the default job of then (512 px, three scales by
 * halving, 150 L-BFGS iterations = 12.04 megapixel-iterations) in 111 s, 9.2 s each; its Adam figures,
 * one evaluation per iteration, were 0.529 s at 256 px (8.1 s per megapixel) and 2.23 s at 512 px (8.5 s),
 * so L-BFGS' line search costs about 8% more. wasm: 4.45 s per Adam iteration at 256 px, its default size (67.9 s per
 * megapixel), plus the same 8% for L-BFGS: 73.6 s. The other backends were not benched on this project.
 */
export const PRIOR_MS_PER_MEGAPIXEL_ITERATION: Partial<Record<BackendName, number>> = {
  'onnx-cpu': 9_200,
  wasm: 73_600,
};

/**
 * Weight of a new job in the moving average: a few jobs follow a lasting change (another load on the
 * machine), one odd job moves the figure by less than a third of its difference.
 */
const NEW_JOB_WEIGHT = 0.3;

/** A square of this long side: the most pixels a job of that size can have (the estimate is an upper bound). */
export function squareJob(size: number, iterations: number, networkCost: number): JobWork {
  return { width: size, height: size, iterations, networkCost };
}

/** In megapixel-iterations of VGG-19. */
function workOf(job: JobWork): number {
  const work = job.startAbove === undefined ? plannedWork(job.width, job.height, job.iterations) : continuedWork(job.width, job.height, job.iterations, job.startAbove);
  return work * job.networkCost;
}

function isFigure(value: unknown): value is ThroughputFigure {
  if (typeof value !== 'object' || value === null) return false;
  const { msPerMegapixelIteration: rate, jobs } = value as Record<string, unknown>;
  return typeof rate === 'number' && Number.isFinite(rate) && rate > 0 && typeof jobs === 'number' && Number.isInteger(jobs) && jobs > 0;
}

/** The usable figures in a journaled value; anything else (an older format, a damaged value) is dropped. */
export function parseThroughputFigures(value: unknown): ThroughputFigures {
  if (typeof value !== 'object' || value === null) return {};
  return Object.fromEntries(Object.entries(value).filter(([, figure]) => isFigure(figure))) as ThroughputFigures;
}

export class ThroughputEstimator {
  private readonly measured: Map<BackendName, ThroughputFigure>;

  constructor(figures: ThroughputFigures = {}) {
    this.measured = new Map(Object.entries(parseThroughputFigures(figures)) as Array<[BackendName, ThroughputFigure]>);
  }

  /** Milliseconds per megapixel-iteration on `backend`: measured here, else the prior, else unknown. */
  rate(backend: BackendName): number | undefined {
    return this.measured.get(backend)?.msPerMegapixelIteration ?? PRIOR_MS_PER_MEGAPIXEL_ITERATION[backend];
  }

  /** How long this job should take on `backend`, or undefined when nothing is known of it. */
  estimateMs(backend: BackendName, job: JobWork): number | undefined {
    const rate = this.rate(backend);
    return rate === undefined ? undefined : rate * workOf(job);
  }

  /**
   * This job took `ms` on `backend`. The first measurement replaces the prior (it was made on
   * another machine); later ones move a moving average.
   */
  learn(backend: BackendName, job: JobWork, ms: number): void {
    const work = workOf(job);
    if (!(work > 0 && ms > 0 && Number.isFinite(ms))) return;
    const sample = ms / work;
    const before = this.measured.get(backend);
    const rate = before ? before.msPerMegapixelIteration + NEW_JOB_WEIGHT * (sample - before.msPerMegapixelIteration) : sample;
    this.measured.set(backend, { msPerMegapixelIteration: rate, jobs: (before?.jobs ?? 0) + 1 });
  }

  /**
   * This job was on course to take `ms` when it was stopped (a timeout: the engine's pace
   * extrapolated). Only ever makes the figure slower: an extrapolation is no measurement, but a job that
   * ran out of time proves the estimate was too hopeful.
   */
  learnAtLeast(backend: BackendName, job: JobWork, ms: number): void {
    const work = workOf(job);
    if (!(work > 0 && ms > 0 && Number.isFinite(ms))) return;
    const sample = ms / work;
    const before = this.measured.get(backend);
    if (sample <= (this.rate(backend) ?? 0)) return;
    this.measured.set(backend, { msPerMegapixelIteration: sample, jobs: (before?.jobs ?? 0) + 1 });
  }

  /** The measured figures, to journal. */
  figures(): ThroughputFigures {
    return Object.fromEntries([...this.measured].map(([backend, figure]) => [backend, { ...figure }]));
  }
}
