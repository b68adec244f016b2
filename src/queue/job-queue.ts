// One engine, many users: accepts jobs within limits, journals them, runs them one at a time in a fair
// order, and tells the adapters what happens to each job through events.
import { randomBytes } from 'node:crypto';
import PQueue from 'p-queue';
import type { Logger } from 'pino';
import { ImageInputError } from '../transfer/errors.js';
// Straight from images.ts, not the engine's index: that would load TensorFlow.js into the bot's process,
// which only needs sharp to check an upload (the engine itself runs in the engine process).
import { probeImage } from '../transfer/images.js';
import { systemClock, type Clock } from './clock.js';
import type { EngineOutcome, JobEngine } from './engine.js';
import { Deliveries, DEFAULT_DELIVERY_POLICY, type DeliveryPolicy } from './delivery.js';
import { QueueRejectedError } from './errors.js';
import { JobEvents } from './events.js';
import { FairOrder, type FairEntry } from './fair-order.js';
import { Journal, type JobInputs, type JobRecord } from './journal.js';
import { DEFAULT_LIMITS, type QueueLimits } from './limits.js';
import { userMessages } from './messages.js';
import type { CancelOutcome, Deliverer, JobEvent, JobInfo, JobListener, JobOptions, JobOwner, JobRequest, Platform } from './types.js';

export interface JobQueueOptions {
  /** Where jobs run; the queue starts it with itself and stops it with itself. */
  engine: JobEngine;
  /** The journal (LevelDB) and the jobs' images live here. */
  dataDir: string;
  limits?: Partial<QueueLimits>;
  log: Logger;
  /** Finished jobs (and their images, for "run again") are kept this long; default 24 hours. */
  keepFinishedMs?: number;
  /** ...and at most this many of them; default 500. */
  keepFinishedCount?: number;
  /** Job time limits, retention and delivery retries are measured on this clock; default the system clock. */
  clock?: Clock;
  /** How posting a finished picture is retried; default DEFAULT_DELIVERY_POLICY. */
  delivery?: Partial<DeliveryPolicy>;
}

type StopReason = { why: 'cancel'; byUserId: string } | { why: 'timeout' } | { why: 'shutdown' };

interface RunningJob {
  record: JobRecord;
  controller: AbortController;
  stopReason?: StopReason;
  /** Settles once the job's outcome is journaled and announced. */
  finished: Promise<void>;
}

interface Waiting extends FairEntry {
  record: JobRecord;
}

function userKeyOf(owner: Pick<JobOwner, 'platform' | 'userId'>): string {
  return `${owner.platform}:${owner.userId}`;
}

/** A journaled job's place in the fair order. */
function waitingEntry(record: JobRecord): Waiting {
  return { id: record.id, userKey: userKeyOf(record), seq: record.seq, round: record.round, record };
}

/** Short, unique, roughly time-ordered; fits in chat custom ids and thread names. */
function newJobId(now: number): string {
  return `${now.toString(36)}${randomBytes(3).toString('hex')}`;
}

function publicInfo(record: JobRecord): JobInfo {
  const { id, platform, userId, userName, reply, options, state, createdAt } = record;
  return structuredClone({ id, platform, userId, userName, reply, options, state, createdAt });
}

function isFinished(record: JobRecord): boolean {
  return record.state === 'done' || record.state === 'failed' || record.state === 'cancelled';
}

export class JobQueue {
  readonly limits: QueueLimits;
  private readonly log: Logger;
  private readonly journal: Journal;
  private readonly engine: JobEngine;
  private readonly clock: Clock;
  private readonly events: JobEvents;
  private readonly deliveries: Deliveries;
  /** The one execution slot: p-queue with concurrency 1. Each task runs whichever job's turn it is. */
  private readonly slot = new PQueue({ concurrency: 1, autoStart: false });
  private readonly fair = new FairOrder<Waiting>();
  /** Every job the queue knows: waiting, running, and finished ones kept for "run again". */
  private readonly jobs = new Map<string, JobRecord>();
  private readonly announcedPosition = new Map<string, number>();
  private running: RunningJob | undefined;
  private accepting = false;
  private seq = 0;
  /** Submissions check limits and journal one after another, so two at once cannot both take the last place. */
  private admission: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: JobQueueOptions) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.log = options.log.child({ component: 'queue' });
    this.journal = new Journal(options.dataDir);
    this.events = new JobEvents(this.log);
    this.engine = options.engine;
    this.clock = options.clock ?? systemClock;
    this.deliveries = new Deliveries({
      journal: this.journal,
      events: this.events,
      clock: this.clock,
      log: this.log,
      policy: { ...DEFAULT_DELIVERY_POLICY, ...options.delivery },
      info: publicInfo,
    });
  }

  /** Validates limits, journals the job (images included) and queues it; throws QueueRejectedError. */
  async submit(request: JobRequest): Promise<JobInfo> {
    this.assertAccepting();
    await this.checkImage(request.content, 'content');
    await this.checkImage(request.style, 'style');
    const { content, style, options, ...owner } = request;
    return this.admit(owner, options, (record) => this.journal.accept(record, { content, style }));
  }

  /** A new job on a known job's stored images with other options; throws QueueRejectedError if they are gone. */
  async rerun(fromJobId: string, owner: JobOwner, options: JobOptions): Promise<JobInfo> {
    this.assertAccepting();
    if (!this.jobs.has(fromJobId) || !(await this.journal.inputs(fromJobId))) throw new QueueRejectedError(userMessages.inputsGone);
    return this.admit(owner, options, (record) => this.journal.acceptFrom(record, fromJobId));
  }

  async cancel(jobId: string, byUserId: string): Promise<CancelOutcome> {
    const record = this.jobs.get(jobId);
    if (!record) return 'not-found';
    if (record.userId !== byUserId) return 'not-owner';
    if (isFinished(record)) return 'already-finished';
    const running = this.running;
    if (running?.record.id === jobId) {
      running.stopReason ??= { why: 'cancel', byUserId };
      running.controller.abort();
      await running.finished;
      return record.state === 'cancelled' ? 'cancelled' : 'already-finished';
    }
    this.fair.remove(jobId);
    this.fair.forgetUserIfIdle(userKeyOf(record), this.running !== undefined && userKeyOf(this.running.record) === userKeyOf(record));
    await this.finish(record, 'cancelled', { type: 'cancelled', byUserId });
    this.announcePositions();
    return 'cancelled';
  }

  get(jobId: string): JobInfo | undefined {
    const record = this.jobs.get(jobId);
    return record ? publicInfo(record) : undefined;
  }

  /** Events of one platform's jobs, resumed ones included. Subscribe before start(). */
  subscribe(platform: Platform, listener: JobListener): void {
    this.events.subscribe(platform, listener);
  }

  /** The platform's adapter posts finished pictures through it. Register before start(). */
  deliverWith(platform: Platform, deliverer: Deliverer): void {
    this.deliveries.register(platform, deliverer);
  }

  /** Adapters persist their message refs (thread id, message ids...) to keep updating after a restart. */
  async updateReply(jobId: string, reply: Record<string, unknown>): Promise<void> {
    const record = this.jobs.get(jobId);
    if (!record) return;
    record.reply = structuredClone(reply);
    await this.journal.save(record);
  }

  /** Opens the journal, resumes accepted jobs (each emits 'queued' with resumed: true), starts running. */
  async start(): Promise<void> {
    await this.journal.open();
    const records = await this.journal.all();
    const resumed: Waiting[] = [];
    for (const record of records) {
      this.jobs.set(record.id, record);
      this.seq = Math.max(this.seq, record.seq);
      // The picture was kept but the bot stopped before `done` was journaled: it is done, and still to post.
      if (!isFinished(record) && (await this.journal.result(record.id))) {
        record.state = 'done';
        record.finishedAt = this.clock.now();
        record.delivery = { status: 'pending', attempts: 0, nextAttemptAt: this.clock.now() };
        await this.journal.save(record);
        this.log.info({ jobId: record.id }, 'job was done before the bot stopped; its picture is posted now');
      }
      // A job that was running when the bot stopped (or died) runs again from the start.
      if (!isFinished(record)) {
        record.state = 'queued';
        resumed.push(waitingEntry(record));
      }
    }
    await this.journal.removeOrphans(new Set(this.jobs.keys()));
    await this.prune();
    this.fair.restore(resumed);
    for (const [id, position] of this.fair.positions()) {
      const record = this.jobs.get(id);
      if (!record) continue;
      this.announcedPosition.set(id, position);
      this.events.emit(publicInfo(record), { type: 'queued', position, resumed: true });
      this.schedule();
    }
    if (resumed.length > 0) this.log.info({ jobs: resumed.length }, 'resumed journaled jobs');
    this.accepting = true;
    this.engine.start();
    this.slot.start();
    for (const record of this.jobs.values()) this.deliveries.schedule(record);
  }

  /** Stops taking jobs; the running job is stopped and journaled as waiting, so it runs again after a restart. */
  async stop(): Promise<void> {
    this.accepting = false;
    this.slot.pause();
    this.slot.clear();
    await this.admission.catch(() => undefined);
    const running = this.running;
    if (running) {
      running.stopReason = { why: 'shutdown' };
      running.controller.abort();
      await running.finished;
    }
    await this.deliveries.stop();
    await this.events.drain(5000);
    await this.engine.stop();
    await this.journal.close();
    this.log.info('queue stopped');
  }

  private assertAccepting(): void {
    if (!this.accepting) throw new QueueRejectedError(userMessages.notAccepting);
  }

  /** Checks the bytes before they are journaled: a bad upload is refused at once, not after a wait in line. */
  private async checkImage(bytes: Buffer, role: 'content' | 'style'): Promise<void> {
    if (bytes.length === 0) throw new QueueRejectedError(userMessages.emptyImage(role));
    if (bytes.length > this.limits.maxInputBytes) throw new QueueRejectedError(userMessages.imageTooLarge(role, bytes.length, this.limits));
    try {
      await probeImage(bytes, { role });
    } catch (error) {
      if (error instanceof ImageInputError) throw new QueueRejectedError(error.message);
      throw error;
    }
  }

  private admit(owner: JobOwner, options: JobOptions, store: (record: JobRecord) => Promise<void>): Promise<JobInfo> {
    const admitted = this.admission.then(async () => {
      this.assertAccepting();
      const userKey = userKeyOf(owner);
      const mine = [...this.jobs.values()].filter((job) => !isFinished(job) && userKeyOf(job) === userKey).length;
      if (mine >= this.limits.maxPendingPerUser) throw new QueueRejectedError(userMessages.tooManyForUser(this.limits));
      if (this.fair.size >= this.limits.maxQueueLength) throw new QueueRejectedError(userMessages.queueFull(this.limits));
      const record: JobRecord = {
        id: newJobId(this.clock.now()),
        platform: owner.platform,
        userId: owner.userId,
        userName: owner.userName,
        reply: structuredClone(owner.reply),
        options: structuredClone(options),
        state: 'queued',
        createdAt: this.clock.now(),
        seq: ++this.seq,
        round: this.fair.nextRound(userKey),
      };
      await store(record);
      this.jobs.set(record.id, record);
      this.fair.add(waitingEntry(record));
      const position = this.fair.positions().get(record.id) ?? this.fair.size;
      this.announcedPosition.set(record.id, position);
      this.log.info({ jobId: record.id, platform: record.platform, user: record.userId, position, options }, 'job queued');
      this.events.emit(publicInfo(record), { type: 'queued', position, resumed: false });
      this.announcePositions();
      this.schedule();
      return publicInfo(record);
    });
    this.admission = admitted.catch(() => undefined);
    return admitted;
  }

  /** One slot task per accepted job; each runs whichever job's turn it is when the slot frees up. */
  private schedule(): void {
    this.slot.add(() => this.runNext()).catch((error: unknown) => this.log.error({ err: error }, 'queue task failed'));
  }

  private async runNext(): Promise<void> {
    if (!this.accepting) return;
    const next = this.fair.takeNext();
    if (!next) return;
    const record = next.record;
    this.announcedPosition.delete(record.id);
    let markFinished = (): void => undefined;
    const running: RunningJob = { record, controller: new AbortController(), finished: new Promise((resolve) => (markFinished = resolve)) };
    this.running = running;
    try {
      await this.execute(running);
      await this.prune();
    } catch (error) {
      // A journal failure must not leave the slot stuck: the job is logged and the queue goes on.
      this.log.error({ err: error, jobId: record.id }, 'job bookkeeping failed');
    } finally {
      this.running = undefined;
      this.fair.forgetUserIfIdle(next.userKey, false);
      markFinished();
    }
  }

  private async execute(running: RunningJob): Promise<void> {
    const { record, controller } = running;
    const inputs = await this.journal.inputs(record.id);
    if (!inputs) {
      await this.finish(record, 'failed', { type: 'failed', reason: userMessages.inputsGone });
      return;
    }
    record.state = 'running';
    await this.journal.save(record);
    this.log.info({ jobId: record.id, user: record.userId }, 'job started');
    this.events.emit(publicInfo(record), { type: 'started' });
    this.announcePositions();
    const cancelTimeout = this.clock.setTimeout(() => {
      running.stopReason ??= { why: 'timeout' };
      controller.abort();
    }, this.limits.jobTimeoutMs);
    let outcome: EngineOutcome;
    try {
      outcome = await this.runOnEngine(record, inputs, controller.signal);
    } finally {
      cancelTimeout();
    }
    await this.settle(running, outcome);
  }

  private runOnEngine(record: JobRecord, inputs: JobInputs, signal: AbortSignal): Promise<EngineOutcome> {
    return this.engine.run({
      jobId: record.id,
      content: inputs.content,
      style: inputs.style,
      options: { ...record.options },
      signal,
      onProgress: ({ iteration, total, elapsedMs, etaMs, preview }) => {
        const event: JobEvent = preview ? { type: 'progress', iteration, total, elapsedMs, etaMs, preview } : { type: 'progress', iteration, total, elapsedMs, etaMs };
        this.events.emit(publicInfo(record), event);
      },
    });
  }

  /** Journals and announces how a job that reached the engine ended. */
  private async settle(running: RunningJob, outcome: EngineOutcome): Promise<void> {
    const { record, stopReason } = running;
    if (outcome.kind === 'done') {
      this.log.info({ jobId: record.id, seconds: outcome.result.seconds, width: outcome.result.width, height: outcome.result.height }, 'job done');
      // Kept on disk before `done` is journaled: from here on the picture survives a crash or a failed write.
      await this.journal.saveResult(record.id, { png: outcome.png, result: outcome.result });
      record.delivery = { status: 'pending', attempts: 0, nextAttemptAt: this.clock.now() };
      // No event yet: 'done' is announced once the platform has the picture (see delivery.ts).
      await this.finish(record, 'done');
      this.deliveries.schedule(record);
      return;
    }
    if (outcome.kind === 'stopped') {
      if (stopReason?.why === 'shutdown') {
        // Back to waiting, with its original turn: it runs first after the restart.
        record.state = 'queued';
        await this.journal.save(record);
        this.log.info({ jobId: record.id }, 'running job interrupted by shutdown; it resumes after a restart');
      } else if (stopReason?.why === 'timeout') {
        this.log.warn({ jobId: record.id, limitMs: this.limits.jobTimeoutMs }, 'job timed out');
        await this.finish(record, 'failed', { type: 'failed', reason: userMessages.timedOut(this.limits) });
      } else {
        await this.finish(record, 'cancelled', { type: 'cancelled', byUserId: stopReason?.why === 'cancel' ? stopReason.byUserId : record.userId });
      }
      return;
    }
    const reason = {
      input: outcome.message,
      crashed: userMessages.engineCrashed,
      model: userMessages.modelMissing,
      internal: userMessages.internalError,
    }[outcome.why];
    const level = outcome.why === 'input' ? 'info' : 'error';
    this.log[level]({ jobId: record.id, why: outcome.why, detail: outcome.message }, 'job failed');
    await this.finish(record, 'failed', { type: 'failed', reason });
  }

  private async finish(record: JobRecord, state: 'done' | 'failed' | 'cancelled', event?: JobEvent): Promise<void> {
    record.state = state;
    record.finishedAt = this.clock.now();
    this.announcedPosition.delete(record.id);
    await this.journal.save(record);
    if (event) this.events.emit(publicInfo(record), event);
  }

  /** Tells waiting jobs whose place in line changed. */
  private announcePositions(): void {
    for (const [id, position] of this.fair.positions()) {
      const record = this.jobs.get(id);
      if (!record || this.announcedPosition.get(id) === position) continue;
      this.announcedPosition.set(id, position);
      this.events.emit(publicInfo(record), { type: 'position', position });
    }
  }

  /** Forgets finished jobs past the retention window or beyond the count kept, images included. */
  private async prune(): Promise<void> {
    const keepMs = this.options.keepFinishedMs ?? 24 * 60 * 60_000;
    const keepCount = this.options.keepFinishedCount ?? 500;
    // A picture still being posted is kept whatever the count; only age ends its retries.
    const finished = [...this.jobs.values()].filter(isFinished).sort((a, b) => (b.finishedAt ?? 0) - (a.finishedAt ?? 0));
    const cutoff = this.clock.now() - keepMs;
    const stale = finished.filter(
      (record, index) => (index >= keepCount && record.delivery?.status !== 'pending') || (record.finishedAt ?? 0) < cutoff,
    );
    for (const record of stale) {
      await this.journal.remove(record.id);
      this.jobs.delete(record.id);
    }
    if (stale.length > 0) this.log.debug({ jobs: stale.length }, 'pruned finished jobs');
  }
}
