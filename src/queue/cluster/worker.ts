// An engine worker of the cluster: takes one job at a time from dispatch, claims it in the places (a job
// cancelled meanwhile is passed over), runs it on the same JobEngine the bot uses, tells the front-ends its
// progress and previews, keeps the picture in the job store and the outcome in the places before saying it
// ended. A cancel from any front-end reaches it on the event stream, and is kept in the places as well: the
// worker looks there every second while it runs a job, in case the message was lost, and a job taken after
// its cancel is not run. On stop it puts its running job back in
// line with its turn; a worker killed outright loses its BullMQ lock and dispatch gives the job to another.
import { randomBytes } from 'node:crypto';
import { WaitingError, type Job } from 'bullmq';
import type { Logger } from 'pino';
import type pg from 'pg';
import type { Clock } from '../clock.js';
import type { EngineOutcome, EngineProfile, EngineStatus, JobEngine } from '../engine.js';
import { JobTimes, type Pace } from '../job-times.js';
import { runnableInputs } from '../input-check.js';
import { ENGINE_FAILURE } from '../job-queue.js';
import { StoreUnavailableError, type JobStore } from '../job-store.js';
import { budgetWithin } from '../run-time.js';
import type { QueueLimits } from '../limits.js';
import type { JobOutcome } from '../observer.js';
import { ClusterChannel, dispatchWorker, type DispatchConnection, type DispatchWorker } from './dispatch.js';
import { DEFAULT_HEARTBEAT_MS, type ClusterMessage, type DispatchedJob } from './messages.js';
import { isUnavailable } from './pg-store.js';
import { ClusterPlaces, type RunOutcome } from './places.js';

export interface ClusterWorkerOptions {
  engine: JobEngine;
  /** Images in, pictures out, throughput learnt (PostgreSQL in a cluster); the worker opens and closes it. */
  store: JobStore;
  pool: pg.Pool;
  dispatch: DispatchConnection;
  limits: Pick<QueueLimits, 'jobTimeoutMs' | 'maxAttempts'>;
  clock: Clock;
  log: Logger;
  /** How often it says it is alive; a worker silent for three of these counts as gone. */
  heartbeatMs?: number;
  /** How long dispatch waits on a silent worker before giving its job to another (BullMQ's lock). */
  lockDurationMs?: number;
  /** How often it looks in the places for a cancel of its running job that no message brought; default 1 s. */
  cancelCheckMs?: number;
}

/** What a worker's metrics watch: each job it ends, with how long it ran (undefined: it never ran here). */
export interface WorkerObserver {
  jobEnded(outcome: JobOutcome, ranMs: number | undefined): void;
}

/** How often a write PostgreSQL could not take is tried again. */
const RETRY_MS = 1000;

type StopReason = { why: 'cancel' } | { why: 'timeout' } | { why: 'shutdown' };

interface Running {
  jobId: string;
  controller: AbortController;
  stopReason?: StopReason;
  pace?: Pace;
}

export class ClusterWorker {
  readonly id = `worker-${randomBytes(4).toString('hex')}`;
  private readonly log: Logger;
  private readonly places: ClusterPlaces;
  private readonly channel: ClusterChannel;
  private readonly times: JobTimes;
  private readonly worker: DispatchWorker;
  private running: Running | undefined;
  private profile: EngineProfile | undefined;
  private stopping = false;
  private cancelHeartbeat: (() => void) | undefined;
  private readonly heartbeatMs: number;
  private readonly observers: WorkerObserver[] = [];

  constructor(private readonly options: ClusterWorkerOptions) {
    this.log = options.log.child({ component: 'worker', workerId: this.id });
    this.places = new ClusterPlaces(options.pool);
    this.channel = new ClusterChannel(
      options.dispatch,
      (message) => this.hear(message),
      (error) => this.log.warn({ err: error }, 'event stream connection trouble; BullMQ reconnects'),
    );
    this.times = new JobTimes(options.store, this.log, options.limits.jobTimeoutMs);
    this.heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
    const lockDurationMs = options.lockDurationMs ?? 30_000;
    this.worker = dispatchWorker(options.dispatch, (job, token) => this.process(job, token), { lockDurationMs, stalledIntervalMs: lockDurationMs });
    this.worker.on('error', (error) => this.log.warn({ err: error }, 'dispatch connection trouble; the worker retries'));
  }

  async start(): Promise<void> {
    await this.options.store.open();
    await this.places.install();
    await this.times.load();
    await this.channel.open();
    this.options.engine.start((profile) => {
      this.profile = profile;
      this.times.engineReady(profile);
      this.beat();
    });
    this.beat();
    void this.worker.run();
    await this.worker.waitUntilReady();
    this.log.info('engine worker started');
  }

  /** Whether it runs a job now. */
  get busy(): boolean {
    return this.running !== undefined;
  }

  /** What its engine says of itself. */
  engineStatus(): EngineStatus {
    return this.options.engine.status?.() ?? { up: true, detail: 'no status reported', restarts: 0 };
  }

  /** PostgreSQL takes its writes (a test write through the store). */
  async storeWritable(): Promise<boolean> {
    try {
      await this.options.store.probe();
      return true;
    } catch {
      return false;
    }
  }

  observe(observer: WorkerObserver): void {
    this.observers.push(observer);
  }

  /** Stops taking jobs; the running one goes back in line and runs again on this or another worker. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.cancelHeartbeat?.();
    await this.worker.pause(true);
    const running = this.running;
    if (running) {
      running.stopReason ??= { why: 'shutdown' };
      running.controller.abort();
    }
    await this.worker.close();
    await this.channel.close();
    await this.options.engine.stop();
    await this.options.store.close();
    this.log.info('engine worker stopped');
  }

  private beat(): void {
    this.cancelHeartbeat?.();
    void this.send({ kind: 'alive', workerId: this.id, intervalMs: this.heartbeatMs, ...(this.profile ? { profile: this.profile } : {}) });
    this.cancelHeartbeat = this.options.clock.setTimeout(() => this.beat(), this.heartbeatMs);
  }

  private hear(message: ClusterMessage): void {
    if (message.kind !== 'cancel' || this.running?.jobId !== message.jobId) return;
    this.stopForCancel(this.running);
  }

  private stopForCancel(running: Running): void {
    running.stopReason ??= { why: 'cancel' };
    running.controller.abort();
  }

  /** Looks in the places for a cancel of `running` now and then, until the function returned is called. */
  private lookForCancel(running: Running): () => void {
    let cancelTimer: (() => void) | undefined;
    let looking = true;
    const look = (): void => {
      cancelTimer = this.options.clock.setTimeout(() => {
        void this.places
          .cancelRequest(running.jobId)
          .then((by) => {
            if (by !== undefined) this.stopForCancel(running);
          })
          .catch((error: unknown) => this.log.warn({ err: error, jobId: running.jobId }, 'could not look for a cancel in PostgreSQL; looking again'))
          .finally(() => {
            if (looking && !running.controller.signal.aborted) look();
          });
      }, this.options.cancelCheckMs ?? 1000);
    };
    look();
    return () => {
      looking = false;
      cancelTimer?.();
    };
  }

  private async process(job: Job<DispatchedJob>, token: string | undefined): Promise<void> {
    const { jobId } = job.data;
    // This worker's timer stops the job: its limit caps the budget a front-end asked for.
    const options = budgetWithin(job.data.options, this.options.limits.jobTimeoutMs);
    const running: Running = { jobId, controller: new AbortController() };
    this.running = running;
    try {
      const claim = await this.whilePostgresAway(jobId, 'take the job', () => this.places.claim(jobId, this.id));
      if (claim === undefined) {
        this.log.info({ jobId }, 'job no longer waiting (cancelled); passed over');
        return;
      }
      if (claim.cancelledBy !== undefined) {
        this.log.info({ jobId }, 'job cancelled before it ran here; not run');
        await this.conclude(jobId, { kind: 'cancelled', byUserId: claim.cancelledBy });
        return;
      }
      const { attempts } = claim;
      if (attempts > this.options.limits.maxAttempts) {
        this.log.error({ jobId, attempts }, 'job given up: its worker stopped during each of its runs');
        await this.conclude(jobId, { kind: 'failed', reason: { code: 'crashed-too-often', params: { attempts: this.options.limits.maxAttempts } }, counted: 'failed', ranMs: undefined });
        return;
      }
      const inputs = runnableInputs(options, await this.options.store.inputs(jobId));
      if (!inputs) {
        await this.conclude(jobId, { kind: 'failed', reason: { code: 'rerun-images-gone', params: {} }, counted: 'failed', ranMs: undefined });
        return;
      }
      await this.send({ kind: 'started', jobId, workerId: this.id, attempts });
      this.log.info({ jobId, ...(options.timeBudgetMs !== undefined ? { timeBudgetMs: options.timeBudgetMs } : {}) }, 'job started');
      const startedAt = this.options.clock.now();
      const cancelTimeout = this.options.clock.setTimeout(() => {
        running.stopReason ??= { why: 'timeout' };
        running.controller.abort();
      }, this.options.limits.jobTimeoutMs);
      const stopLooking = this.lookForCancel(running);
      let outcome: EngineOutcome;
      try {
        outcome = await this.options.engine.run({
          jobId,
          content: inputs.content,
          style: inputs.style,
          ...(inputs.extraStyleImages ? { extraStyleImages: inputs.extraStyleImages } : {}),
          ...(inputs.init ? { init: inputs.init } : {}),
          options,
          signal: running.controller.signal,
          onProgress: ({ iteration, total, fraction, elapsedMs, etaMs, preview }) => {
            running.pace = { fraction, elapsedMs };
            void this.send({ kind: 'progress', jobId, progress: { iteration, total, fraction, elapsedMs, etaMs }, ...(preview ? { preview: Buffer.from(preview).toString('base64') } : {}) });
          },
        });
      } finally {
        cancelTimeout();
        stopLooking();
      }
      const ranMs = this.options.clock.now() - startedAt;
      if (outcome.kind === 'stopped' && running.stopReason?.why === 'shutdown') {
        await this.places.putBack(jobId);
        // Back in line with its priority: BullMQ's own way for a job handed back by its worker.
        await job.moveToWait(token);
        this.log.info({ jobId }, 'running job put back in line: this worker stops');
        throw new WaitingError();
      }
      await this.conclude(jobId, await this.outcomeOf({ jobId, options }, outcome, running, ranMs));
    } finally {
      this.running = undefined;
    }
  }

  /** What the engine's outcome means for the job; a picture is kept before the job is said to be done. */
  private async outcomeOf({ jobId, options }: DispatchedJob, outcome: EngineOutcome, running: Running, ranMs: number): Promise<RunOutcome> {
    if (outcome.kind === 'done') {
      this.log.info({ jobId, seconds: outcome.result.seconds, ...(outcome.result.tile ? { tile: outcome.result.tile } : {}) }, 'job done');
      await this.times.learnDone(outcome.result, options);
      await this.whilePostgresAway(jobId, 'keep the picture', () => this.options.store.saveResult(jobId, { png: outcome.png, result: outcome.result }));
      return { kind: 'done', ranMs };
    }
    if (outcome.kind === 'stopped') {
      if (running.stopReason?.why === 'timeout') {
        const limitMs = this.options.limits.jobTimeoutMs;
        this.log.warn({ jobId, limitMs }, 'job timed out');
        await this.times.learnTimeout(options, running.pace);
        return { kind: 'failed', reason: { code: 'job-timed-out', params: { limitMs } }, counted: 'timed_out', ranMs };
      }
      // The front-end that asked knows who did; it applies the outcome with that name.
      return { kind: 'cancelled', byUserId: '', ranMs };
    }
    const reason = outcome.why === 'input' ? outcome.problem : ENGINE_FAILURE[outcome.why];
    this.log[outcome.why === 'input' ? 'info' : 'error']({ jobId, why: outcome.why, detail: outcome.message }, 'job failed');
    return { kind: 'failed', reason, counted: 'failed', ranMs };
  }

  private async conclude(jobId: string, outcome: RunOutcome): Promise<void> {
    await this.whilePostgresAway(jobId, 'keep the outcome', () => this.places.end(jobId, outcome));
    await this.send({ kind: 'ended', jobId });
    const counted: JobOutcome = outcome.kind === 'failed' ? outcome.counted : outcome.kind;
    for (const observer of this.observers) {
      try {
        observer.jobEnded(counted, outcome.ranMs);
      } catch (error) {
        this.log.error({ err: error }, 'a worker observer failed');
      }
    }
  }

  /**
   * A call to PostgreSQL tried again every second while the server cannot be reached (a restart), so that
   * a job taken or finished during an outage goes on when it is back instead of being lost with BullMQ's
   * try. Dispatch keeps the job locked to this worker meanwhile; a worker told to stop gives up.
   */
  private async whilePostgresAway<T>(jobId: string, what: string, call: () => Promise<T>): Promise<T> {
    for (;;) {
      try {
        return await call();
      } catch (error) {
        if (this.stopping || !(error instanceof StoreUnavailableError || isUnavailable(error))) throw error;
        this.log.warn({ err: error, jobId }, `PostgreSQL unreachable: could not ${what}; trying again`);
        await new Promise<void>((resolve) => this.options.clock.setTimeout(resolve, RETRY_MS));
      }
    }
  }

  private async send(message: ClusterMessage): Promise<void> {
    await this.channel.send(message).catch((error: unknown) => this.log.warn({ err: error, kind: message.kind }, 'could not tell the front-ends; they catch up from PostgreSQL'));
  }
}
