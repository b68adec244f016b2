// The queue's knowledge of how long jobs take: the engine's profile (backend and defaults, once it is
// ready) and the throughput learnt on it, journaled so that a restart keeps it. It estimates a job from its
// options, checks sizes against the time limit, and learns from jobs that finished or ran out of time. A job
// with a run time (run-time.ts) takes its budget, known before any engine measured anything.
import type { Logger } from 'pino';
import { continuedIterations } from '../transfer/index.js';
import type { EngineJobOptions, EngineProfile } from './engine.js';
import type { JobStore } from './job-store.js';
import { timeBudgetOf } from './run-time.js';
import { checkJobSize, type SizeCheck } from './size-check.js';
import { squareJob, ThroughputEstimator, type JobWork } from './throughput.js';
import type { JobOptions, JobResult } from './types.js';

/** What the engine last said of a running job: its share of the time done and the time it had spent. */
export interface Pace {
  fraction: number;
  elapsedMs: number;
}

export class JobTimes {
  private throughput = new ThroughputEstimator();
  private profile: EngineProfile | undefined;

  constructor(
    private readonly journal: Pick<JobStore, 'throughput' | 'saveThroughput'>,
    private readonly log: Logger,
    /** The job time limit, which caps a picked run time. */
    private readonly jobTimeoutMs: number,
  ) {}

  /** Reads the journaled figures (the journal is open); the priors stand when there are none. */
  async load(): Promise<void> {
    const figures = await this.journal.throughput().catch((error: unknown) => {
      this.log.warn({ err: error }, 'could not read the journaled throughput figures; time estimates start from the priors');
      return {};
    });
    this.throughput = new ThroughputEstimator(figures);
  }

  /** An engine said it is ready; from now on jobs are estimated for its backend and defaults. */
  engineReady(profile: EngineProfile): void {
    this.profile = profile;
    const rate = this.throughput.rate(profile.backend);
    const measuredHere = this.throughput.figures()[profile.backend] !== undefined;
    if (rate === undefined) this.log.info({ backend: profile.backend }, 'no time estimates until a job finishes on this backend');
    else this.log.info({ backend: profile.backend, msPerMegapixelIteration: Math.round(rate), measuredHere }, 'time estimates ready');
  }

  /** Whether jobs can be estimated at all: the engine is ready (its backend may still be unmeasured). */
  get engineKnown(): boolean {
    return this.profile !== undefined;
  }

  /**
   * A job with these options on the engine: its budget when its owner picked a run time, else its fixed
   * iterations as a square (the images' shapes are not known before they are downloaded, and a square is
   * the most pixels a long side can mean, so the estimate errs on the long side).
   */
  estimateMs(options: Pick<JobOptions, 'size' | 'runMinutes' | 'startAbove'>): number | undefined {
    const budget = timeBudgetOf(options.runMinutes, this.jobTimeoutMs);
    if (budget !== undefined) return budget;
    const profile = this.profile;
    return profile ? this.throughput.estimateMs(profile.backend, this.workOf(options, profile)) : undefined;
  }

  /** See JobQueue.checkSize. */
  checkSize(options: Pick<JobOptions, 'size' | 'startAbove'>, limitMs: number): SizeCheck {
    const profile = this.profile;
    if (!profile) return { ok: true };
    const { startAbove } = options;
    const check = checkJobSize(options.size ?? profile.defaultSize, (size) => this.estimateMs({ size, ...(startAbove === undefined ? {} : { startAbove }) }), limitMs);
    if (!check.ok) {
      const { size, estimatedMs, largestSize } = check;
      this.log.info({ backend: profile.backend, size, estimatedMs: Math.round(estimatedMs), limitMs, largestSize }, 'job refused: its size cannot finish within the time limit');
    }
    return check;
  }

  /**
   * A job finished: the engine's own timing of it (weights loading and the queue's wait left out). A Bigger
   * job (options.startAbove) ran only the scales above its picture: its work is counted as such.
   */
  async learnDone(result: JobResult, options: Pick<EngineJobOptions, 'startAbove'>): Promise<void> {
    const { backend, width, height, iterations, seconds } = result;
    const { startAbove } = options;
    // The engine that ran it is the one that said it was ready (one engine process at a time).
    const networkCost = this.profile?.networkCost ?? 1;
    this.throughput.learn(backend, { width, height, iterations, networkCost, ...(startAbove === undefined ? {} : { startAbove }) }, seconds * 1000);
    await this.save();
  }

  /**
   * A job stopped at the time limit says the estimate was too hopeful: its pace so far (the engine's
   * elapsed time over the share done) makes the figure slower. A job that never reported progress (a hung
   * or loading engine) says nothing about speed, nor does a budgeted one: its pace is set by its budget.
   */
  async learnTimeout(options: Pick<EngineJobOptions, 'size' | 'timeBudgetMs'>, pace: Pace | undefined): Promise<void> {
    const profile = this.profile;
    if (!pace || !profile || !(pace.fraction > 0) || options.timeBudgetMs !== undefined) return;
    this.throughput.learnAtLeast(profile.backend, this.workOf(options, profile), pace.elapsedMs / pace.fraction);
    await this.save();
  }

  /** A Bigger job (startAbove) runs the engine's share of the iterations for one on the larger scales only. */
  private workOf(options: Pick<JobOptions, 'size' | 'startAbove'>, profile: EngineProfile): JobWork {
    const { startAbove } = options;
    if (startAbove === undefined) return squareJob(options.size ?? profile.defaultSize, profile.defaultIterations, profile.networkCost);
    return { ...squareJob(options.size ?? profile.defaultSize, continuedIterations(profile.defaultIterations), profile.networkCost), startAbove };
  }

  private async save(): Promise<void> {
    await this.journal.saveThroughput(this.throughput.figures()).catch((error: unknown) => {
      this.log.warn({ err: error }, 'could not journal the throughput figures; estimates after a restart start from older ones');
    });
  }
}
