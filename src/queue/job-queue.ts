// One engine, many users: accepts jobs within limits, journals them, runs them one at a time in a fair
// order, and tells the adapters what happens to each job through events.
import { randomBytes } from 'node:crypto';
import PQueue from 'p-queue';
import type { Logger } from 'pino';
import { systemClock, type Clock } from './clock.js';
import type { EngineOutcome, EngineProfile, EngineStatus, JobEngine } from './engine.js';
import { Deliveries, DEFAULT_DELIVERY_POLICY, type DeliveryPolicy } from './delivery.js';
import { JobEvents } from './events.js';
import { FairOrder, type FairEntry } from './fair-order.js';
import { engineOptionsOf, runnableInputs } from './input-check.js';
import { timeBudgetOf } from './run-time.js';
import { JobIntake, queuedRecord } from './job-intake.js';
import type { JobInputs, JobRecord, JobStore } from './job-store.js';
import { Journal } from './journal.js';
import { DEFAULT_LIMITS, type QueueLimits } from './limits.js';
import type { JobOutcome, QueueLoad, QueueObserver } from './observer.js';
import { mayManage } from './owners.js';
import { Reservations, type Reservation } from './reservations.js';
import { bytesOf, expiredJobs, isFinished, RETENTION_INTERVAL_MS, type RetentionRules } from './retention.js';
import { JobTimes } from './job-times.js';
import { ServerSettingsBook, type ServerSettings, type ServerSettingsChange } from './server-settings.js';
import type { SizeCheck } from './size-check.js';
import type { Asker, StylizeQueue } from './stylize-queue.js';
import { DEFAULT_STORAGE, diskFreeSpace, StorageGuard, type FreeSpace, type StorageLimits } from './storage.js';
import type { CancelOutcome, DeleteOutcome, Deliverer, JobActor, JobEvent, JobInfo, JobResult, JobListener, JobOptions, JobOwner, JobRequest, Platform } from './types.js';
import { startTimes, worthAnnouncing, type Announced } from './wait-estimate.js';
import { UserError, type UserProblem } from '../wording/index.js';

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
  /** Free-disk floor and the cap on the jobs' images. */
  storage?: Partial<StorageLimits>;
  /** Where jobs are journaled; default the LevelDB journal in dataDir. */
  journal?: JobStore;
  /** How free disk space is read; default statfs of the data folder. */
  freeSpace?: FreeSpace;
  /** How posting a finished picture is retried; default DEFAULT_DELIVERY_POLICY. */
  delivery?: Partial<DeliveryPolicy>;
}

/** What the owner of a job is told when the engine, not the job's input, is why it failed. */
export const ENGINE_FAILURE: Readonly<Record<'crashed' | 'unavailable' | 'model' | 'internal', UserProblem>> = {
  crashed: { code: 'engine-crashed', params: {} },
  unavailable: { code: 'engine-unavailable', params: {} },
  model: { code: 'model-missing', params: {} },
  internal: { code: 'engine-failed', params: {} },
};

type StopReason = { why: 'cancel'; byUserId: string } | { why: 'timeout' } | { why: 'shutdown' };

interface RunningJob {
  record: JobRecord;
  controller: AbortController;
  /** When it went to the engine, on the queue's clock. */
  startedAt: number;
  /** The engine's latest report, and when it came (queue's clock): the running job's time left. */
  lastProgress?: { fraction: number; elapsedMs: number; etaMs: number; at: number };
  stopReason?: StopReason;
  /** Settles once the job's outcome is journaled and announced. */
  finished: Promise<void>;
}

interface Waiting extends FairEntry {
  record: JobRecord;
}

/** A waiting job's place (1 = next) and, when the engine's speed is known, when it should start. */
interface Wait {
  position: number;
  startsInMs?: number;
}

export function userKeyOf(owner: Pick<JobOwner, 'platform' | 'userId'>): string {
  return `${owner.platform}:${owner.userId}`;
}

export function serverKeyOf(owner: Pick<JobOwner, 'platform' | 'server'>): string | undefined {
  return owner.server === undefined ? undefined : `${owner.platform}:${owner.server}`;
}

/** A journaled job's place in the fair order. */
function waitingEntry(record: JobRecord): Waiting {
  return { id: record.id, userKey: userKeyOf(record), seq: record.seq, round: record.round, record };
}

/** Short, unique, roughly time-ordered; fits in chat custom ids and thread names. */
export function newJobId(now: number): string {
  return `${now.toString(36)}${randomBytes(3).toString('hex')}`;
}

export function publicInfo(record: JobRecord): JobInfo {
  const { id, platform, userId, userName, server, reply, options, state, createdAt, locale } = record;
  return structuredClone({ id, platform, userId, userName, ...(server === undefined ? {} : { server }), reply, options, state, createdAt, ...(locale !== undefined ? { locale } : {}) });
}

export class JobQueue implements StylizeQueue {
  readonly limits: QueueLimits;
  private readonly log: Logger;
  private readonly journal: JobStore;
  private readonly engine: JobEngine;
  private readonly clock: Clock;
  private readonly events: JobEvents;
  private readonly storage: StorageGuard;
  private readonly retention: RetentionRules;
  private cancelRetentionTimer: (() => void) | undefined;
  private readonly deliveries: Deliveries;
  private readonly observers: QueueObserver[] = [];
  /** The one execution slot: p-queue with concurrency 1. Each task runs whichever job's turn it is. */
  private readonly slot = new PQueue({ concurrency: 1, autoStart: false });
  private readonly fair = new FairOrder<Waiting>();
  /** Every job the queue knows: waiting, running, and finished ones kept for "run again". */
  private readonly jobs = new Map<string, JobRecord>();
  /** What each waiting job was last told of its place and start (see wait-estimate.ts). */
  private readonly announced = new Map<string, Announced>();
  /** How long jobs take here: the engine's profile and the throughput learnt on it. */
  private readonly times: JobTimes;
  /** Taking jobs in from their images, as the other queue does. */
  private readonly intake: JobIntake;
  /** Places held for jobs whose images are still on their way (see reserve). */
  private readonly reservations = new Reservations();
  /** What each server's admins chose (defaults, channels, limits, paused), journaled beside the jobs. */
  private readonly servers: ServerSettingsBook;
  private running: RunningJob | undefined;
  private accepting = false;
  private seq = 0;
  /** Submissions journal one after another, each in the place it reserved, in a stable order. */
  private admission: Promise<unknown> = Promise.resolve();

  constructor(options: JobQueueOptions) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.log = options.log.child({ component: 'queue' });
    this.journal = options.journal ?? new Journal(options.dataDir);
    this.events = new JobEvents(this.log);
    this.engine = options.engine;
    this.clock = options.clock ?? systemClock;
    this.times = new JobTimes(this.journal, this.log, this.limits.jobTimeoutMs);
    this.intake = new JobIntake({
      store: this.journal,
      records: this.jobs,
      times: this.times,
      limits: this.limits,
      log: this.log,
      assertAccepting: () => this.assertAccepting(),
      reserve: (asker) => this.reserve(asker),
      admit: (owner, options, place, bytes, keep) => this.admit(owner, options, place, bytes, keep),
    });
    this.servers = new ServerSettingsBook(this.journal);
    const storage = { ...DEFAULT_STORAGE, ...options.storage };
    this.storage = new StorageGuard(this.journal, options.dataDir, storage, options.freeSpace ?? diskFreeSpace, this.log);
    this.retention = {
      keepFinishedMs: options.keepFinishedMs ?? 24 * 60 * 60_000,
      keepFinishedCount: options.keepFinishedCount ?? 500,
      maxDataBytes: storage.maxDataBytes,
    };
    this.deliveries = new Deliveries({
      journal: this.journal,
      save: (record) => this.persist(record),
      events: this.events,
      clock: this.clock,
      log: this.log,
      policy: { ...DEFAULT_DELIVERY_POLICY, ...options.delivery },
      info: publicInfo,
    });
  }

  /**
   * Holds a place in line for `actor` (within the per-user and total limits) before anything is downloaded;
   * throws UserError when there is none. Pass it to submit(), or release it if the job is refused
   * before that (a bad image, a failed download).
   */
  reserve(actor: Asker): Reservation {
    this.assertAccepting();
    this.assertRoomFor(actor);
    return this.reservations.hold(userKeyOf(actor), serverKeyOf(actor));
  }

  submit(request: JobRequest, reservation?: Reservation): Promise<JobInfo> {
    return this.intake.submit(request, reservation);
  }

  rerun(fromJobId: string, owner: JobOwner, options: JobOptions): Promise<JobInfo> {
    return this.intake.rerun(fromJobId, owner, options);
  }

  reuseResult(fromJobId: string, as: 'content' | 'style', owner: JobOwner, options: JobOptions): Promise<JobInfo> {
    return this.intake.reuseResult(fromJobId, as, owner, options);
  }

  bigger(fromJobId: string, owner: JobOwner, options: JobOptions): Promise<JobInfo> {
    return this.intake.bigger(fromJobId, owner, options);
  }

  resultOf(jobId: string): Promise<JobResult | undefined> {
    return this.intake.resultOf(jobId);
  }

  pictureOf(jobId: string): Promise<Buffer | undefined> {
    return this.intake.pictureOf(jobId);
  }

  deleteJob(jobId: string, by: JobActor): Promise<DeleteOutcome> {
    return this.intake.deleteJob(jobId, by);
  }

  checkSize(options: Pick<JobOptions, 'size' | 'startAbove'>): SizeCheck {
    return this.intake.checkSize(options);
  }

  /** Cancels a waiting or running job for its owner or a moderator of its server (see owners.ts). */
  async cancel(jobId: string, by: JobActor): Promise<CancelOutcome> {
    const byUserId = by.userId;
    const record = this.jobs.get(jobId);
    if (!record) return 'not-found';
    if (!mayManage(record, by)) return 'not-owner';
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
    this.announceLine();
    return 'cancelled';
  }

  /** A server's settings as its admins left them (empty for DMs and for servers that changed none). */
  serverSettings(platform: Platform, server: string | undefined): ServerSettings {
    return this.servers.get(platform, server);
  }

  /**
   * Changes a server's settings (journaled, synced, before this resolves). Resuming a paused server lets its
   * waiting jobs run again in their fair places.
   */
  async changeServerSettings(platform: Platform, server: string, change: ServerSettingsChange): Promise<ServerSettings> {
    const wasPaused = this.servers.get(platform, server).paused === true;
    const settings = await this.servers.change(platform, server, change);
    this.log.info({ platform, server, settings }, 'server settings changed');
    // The slot's tasks for the paused jobs were used up while they were passed over: one more per waiting
    // job (a task that finds nothing to run just ends).
    if (wasPaused && !settings.paused) for (let i = 0; i < this.fair.size; i++) this.schedule();
    return settings;
  }

  /** A server's jobs now: waiting in line and running. */
  serverLoad(platform: Platform, server: string): QueueLoad {
    const ofServer = (record: JobRecord) => record.platform === platform && record.server === server;
    const waiting = [...this.jobs.values()].filter((record) => record.state === 'queued' && ofServer(record)).length;
    return { waiting, running: this.running && ofServer(this.running.record) ? 1 : 0 };
  }

  /** Cancels every waiting job of a server (the running one runs on); each owner's message says who cleared it. */
  async clearServer(platform: Platform, server: string, by: JobActor): Promise<number> {
    const waiting = [...this.jobs.values()].filter((record) => record.state === 'queued' && record.platform === platform && record.server === server);
    let cleared = 0;
    for (const record of waiting) {
      if ((await this.cancel(record.id, { ...by, moderatorOf: server })) === 'cancelled') cleared += 1;
    }
    this.log.info({ platform, server, by: by.userId, cleared }, 'server queue cleared');
    return cleared;
  }

  get(jobId: string): JobInfo | undefined {
    const record = this.jobs.get(jobId);
    return record ? publicInfo(record) : undefined;
  }

  /** How long a finished job's images are kept (for "run again"); the help text tells users. */
  get keepFinishedMs(): number {
    return this.retention.keepFinishedMs;
  }

  /**
   * One person's waiting and running jobs, the running one first, then in the order they will run, each
   * with its place in line (the running job has none). Read-only: for "my jobs" lists.
   */
  jobsOf(actor: JobActor): Array<{ job: JobInfo; position?: number }> {
    const key = userKeyOf(actor);
    const mine: Array<{ job: JobInfo; position?: number }> = [];
    if (this.running && userKeyOf(this.running.record) === key) mine.push({ job: publicInfo(this.running.record) });
    for (const [id, position] of this.fair.positions()) {
      const record = this.jobs.get(id);
      if (record && userKeyOf(record) === key) mine.push({ job: publicInfo(record), position });
    }
    return mine;
  }

  /** Events of one platform's jobs, resumed ones included. Subscribe before start(). */
  subscribe(platform: Platform, listener: JobListener): void {
    this.events.subscribe(platform, listener);
  }

  /** The platform's adapter posts finished pictures through it. Register before start(). */
  deliverWith(platform: Platform, deliverer: Deliverer): void {
    this.deliveries.register(platform, deliverer);
  }

  /** The operator's metrics watch jobs start and end through it. */
  observe(observer: QueueObserver): void {
    this.observers.push(observer);
  }

  /** Jobs waiting in line and running now. */
  get load(): QueueLoad {
    return { waiting: this.fair.size, running: this.running ? 1 : 0 };
  }

  /** False from a failed journal write until a test write, made now, goes through (new jobs wait for that too). */
  journalWritable(): Promise<boolean> {
    return this.storage.journalWritable();
  }

  /** What the engine says of itself; one that says nothing counts as up. */
  engineStatus(): EngineStatus {
    return this.engine.status?.() ?? { up: true, detail: 'no status reported', restarts: 0 };
  }

  updateReply(jobId: string, reply: Record<string, unknown>): Promise<void> {
    return this.intake.updateReply(jobId, reply);
  }

  /** Opens the journal, resumes accepted jobs (each emits 'queued' with resumed: true), starts running. */
  async start(): Promise<void> {
    await this.journal.open();
    const { records, quarantined } = await this.journal.load();
    if (quarantined.length > 0) this.log.error({ keys: quarantined }, 'unreadable journal records moved aside (quarantine: keys in the journal); their jobs are dropped');
    const resumed: Waiting[] = [];
    const crashedTooOften: JobRecord[] = [];
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
      if (isFinished(record)) continue;
      // Still 'running' in the journal: the bot died during that run. A job that keeps taking the bot
      // down with it is given up; any other runs again from the start.
      if (record.state === 'running' && (record.attempts ?? 0) >= this.limits.maxAttempts) {
        crashedTooOften.push(record);
        continue;
      }
      record.state = 'queued';
      resumed.push(waitingEntry(record));
    }
    await this.journal.removeOrphans(new Set(this.jobs.keys()));
    await this.times.load();
    await this.servers.load();
    for (const record of crashedTooOften) {
      this.log.error({ jobId: record.id, attempts: record.attempts }, 'job given up: the bot stopped during each of its runs');
      await this.finish(record, 'failed', { type: 'failed', reason: { code: 'crashed-too-often', params: { attempts: this.limits.maxAttempts } } });
    }
    await this.prune();
    this.fair.restore(resumed);
    for (const [id, wait] of this.line()) {
      const record = this.jobs.get(id);
      if (!record) continue;
      this.announced.set(id, this.announcement(wait));
      this.events.emit(publicInfo(record), { type: 'queued', resumed: true, ...wait });
      this.schedule();
    }
    if (resumed.length > 0) this.log.info({ jobs: resumed.length }, 'resumed journaled jobs');
    this.accepting = true;
    this.engine.start((profile) => this.engineReady(profile));
    this.slot.start();
    this.keepPruning();
    for (const record of this.jobs.values()) this.deliveries.schedule(record);
  }

  /** Stops taking jobs; the running job is stopped and journaled as waiting, so it runs again after a restart. */
  async stop(): Promise<void> {
    this.accepting = false;
    this.cancelRetentionTimer?.();
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
    if (!this.accepting) throw new UserError('bot-restarting');
  }

  /**
   * Refuses when the user, the server or the line has no place left; places held by reservations count as
   * taken. A server's own limits apply under the bot-wide ones, never above them.
   */
  private assertRoomFor(asker: Asker): void {
    const userKey = userKeyOf(asker);
    const serverKey = serverKeyOf(asker);
    const settings = this.servers.get(asker.platform, asker.server);
    const pending = [...this.jobs.values()].filter((job) => !isFinished(job));
    const maxPerUser = Math.min(this.limits.maxPendingPerUser, settings.maxJobsPerUser ?? Infinity);
    const mine = pending.filter((job) => userKeyOf(job) === userKey).length;
    if (mine + this.reservations.heldBy(userKey) >= maxPerUser) throw new UserError('user-limit', { maxPerUser });
    if (serverKey !== undefined && settings.maxJobsPerServer !== undefined) {
      const inServer = pending.filter((job) => serverKeyOf(job) === serverKey).length;
      if (inServer + this.reservations.heldIn(serverKey) >= settings.maxJobsPerServer) throw new UserError('server-limit', { maxPerServer: settings.maxJobsPerServer });
    }
    if (this.fair.size + this.reservations.size >= this.limits.maxQueueLength) throw new UserError('queue-full', { maxQueueLength: this.limits.maxQueueLength });
  }

  /** A paused server's jobs wait in line without running. */
  private isPaused(record: JobRecord): boolean {
    return this.servers.get(record.platform, record.server).paused === true;
  }

  /** Journals and queues a job in the place held for it; the limits were checked when the place was taken. */
  private admit(owner: JobOwner, options: JobOptions, place: Reservation, bytes: number, store: (record: JobRecord) => Promise<void>): Promise<JobInfo> {
    const admitted = this.admission.then(async () => {
      this.assertAccepting();
      const userKey = userKeyOf(owner);
      await this.storage.assertCanStore();
      await this.makeRoom(bytes);
      const now = this.clock.now();
      const record = queuedRecord(owner, options, { id: newJobId(now), createdAt: now, seq: ++this.seq, round: this.fair.nextRound(userKey), bytes });
      await this.storeNew(record, store);
      this.jobs.set(record.id, record);
      this.fair.add(waitingEntry(record));
      // The job now counts itself; in the same step, so the place is never free nor counted twice.
      place.release();
      const wait = this.line().get(record.id) ?? { position: this.fair.size };
      this.announced.set(record.id, this.announcement(wait));
      this.log.info({ jobId: record.id, platform: record.platform, user: record.userId, ...wait, options }, 'job queued');
      this.events.emit(publicInfo(record), { type: 'queued', resumed: false, ...wait });
      this.announceLine();
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
    const next = this.fair.takeNext((entry) => this.isPaused(entry.record));
    if (!next) return;
    const record = next.record;
    this.announced.delete(record.id);
    let markFinished = (): void => undefined;
    const running: RunningJob = { record, controller: new AbortController(), startedAt: this.clock.now(), finished: new Promise((resolve) => (markFinished = resolve)) };
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
    const inputs = runnableInputs(record.options, await this.journal.inputs(record.id));
    if (!inputs) {
      await this.finish(record, 'failed', { type: 'failed', reason: { code: 'rerun-images-gone', params: {} } });
      return;
    }
    record.state = 'running';
    record.attempts = (record.attempts ?? 0) + 1;
    if (!(await this.persist(record))) {
      await this.finish(record, 'failed', { type: 'failed', reason: { code: 'journal-failed', params: {} } });
      return;
    }
    // A picked painting time, as the engine gets it (capped by the limit): the run is planned to end within it.
    const timeBudgetMs = timeBudgetOf(record.options.runMinutes, this.limits.jobTimeoutMs);
    this.log.info({ jobId: record.id, user: record.userId, ...(timeBudgetMs !== undefined ? { timeBudgetMs } : {}) }, 'job started');
    this.events.emit(publicInfo(record), { type: 'started' });
    running.startedAt = this.clock.now();
    const waitedMs = running.startedAt - record.createdAt;
    if (record.attempts === 1) this.tellObservers((observer) => observer.jobStarted(publicInfo(record), waitedMs));
    this.announceLine();
    const cancelTimeout = this.clock.setTimeout(() => {
      running.stopReason ??= { why: 'timeout' };
      controller.abort();
    }, this.limits.jobTimeoutMs);
    let outcome: EngineOutcome;
    try {
      outcome = await this.runOnEngine(running, inputs);
    } finally {
      cancelTimeout();
    }
    await this.settle(running, outcome);
  }

  private runOnEngine(running: RunningJob, inputs: JobInputs): Promise<EngineOutcome> {
    const { record } = running;
    return this.engine.run({
      jobId: record.id,
      content: inputs.content,
      style: inputs.style,
      ...(inputs.extraStyleImages ? { extraStyleImages: inputs.extraStyleImages } : {}),
      ...(inputs.init ? { init: inputs.init } : {}),
      options: engineOptionsOf(record.options, this.limits.jobTimeoutMs),
      signal: running.controller.signal,
      onProgress: ({ iteration, total, fraction, elapsedMs, etaMs, preview }) => {
        const event: JobEvent = { type: 'progress', iteration, total, fraction, elapsedMs, etaMs, ...(preview ? { preview } : {}) };
        this.events.emit(publicInfo(record), event);
        running.lastProgress = { fraction, elapsedMs, etaMs, at: this.clock.now() };
        // The running job's time left is the first term of every waiting job's start.
        this.announceLine();
      },
    });
  }

  /** Journals and announces how a job that reached the engine ended. */
  private async settle(running: RunningJob, outcome: EngineOutcome): Promise<void> {
    const { record, stopReason } = running;
    if (outcome.kind === 'done') {
      this.log.info({ jobId: record.id, seconds: outcome.result.seconds, width: outcome.result.width, height: outcome.result.height, ...(outcome.result.tile ? { tile: outcome.result.tile } : {}) }, 'job done');
      await this.times.learnDone(outcome.result, record.options);
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
        // Back to waiting, with its original turn: it runs first after the restart. A clean stop is not
        // a crashed run, so it does not count against the job.
        record.state = 'queued';
        record.attempts = Math.max(0, (record.attempts ?? 1) - 1);
        await this.persist(record);
        this.log.info({ jobId: record.id }, 'running job interrupted by shutdown; it resumes after a restart');
      } else if (stopReason?.why === 'timeout') {
        this.log.warn({ jobId: record.id, limitMs: this.limits.jobTimeoutMs }, 'job timed out');
        await this.times.learnTimeout(engineOptionsOf(record.options, this.limits.jobTimeoutMs), running.lastProgress);
        await this.finish(record, 'failed', { type: 'failed', reason: { code: 'job-timed-out', params: { limitMs: this.limits.jobTimeoutMs } } }, 'timed_out');
      } else {
        await this.finish(record, 'cancelled', { type: 'cancelled', byUserId: stopReason?.why === 'cancel' ? stopReason.byUserId : record.userId });
      }
      return;
    }
    const reason = outcome.why === 'input' ? outcome.problem : ENGINE_FAILURE[outcome.why];
    const level = outcome.why === 'input' ? 'info' : 'error';
    this.log[level]({ jobId: record.id, why: outcome.why, detail: outcome.message }, 'job failed');
    await this.finish(record, 'failed', { type: 'failed', reason });
  }

  /**
   * Ends the job in memory (its owner's place is free again), journals it and tells the adapters, also when
   * the journal cannot be written: a finished picture still reaches its owner, a failure still gets its
   * message. Only done jobs keep their images, for "run again"; the adapters offer it on nothing else.
   */
  private async finish(record: JobRecord, state: 'done' | 'failed' | 'cancelled', event?: JobEvent, outcome: JobOutcome = state): Promise<void> {
    record.state = state;
    record.finishedAt = this.clock.now();
    const startedAt = this.running?.record === record ? this.running.startedAt : undefined;
    const ranMs = startedAt === undefined ? undefined : record.finishedAt - startedAt;
    this.tellObservers((observer) => observer.jobEnded(publicInfo(record), outcome, ranMs));
    this.announced.delete(record.id);
    const keepsImages = state === 'done';
    if (!keepsImages) record.bytes = 0;
    await this.persist(record);
    if (!keepsImages) {
      await this.journal.removeInputs(record.id).catch((error: unknown) => this.log.error({ err: error, jobId: record.id }, 'could not remove the images of a finished job'));
    }
    if (event) this.events.emit(publicInfo(record), event);
  }

  /** Observers count; one that throws is logged and changes nothing for the job. */
  private tellObservers(tell: (observer: QueueObserver) => void): void {
    for (const observer of this.observers) {
      try {
        tell(observer);
      } catch (error) {
        this.log.error({ err: error }, 'a queue observer failed');
      }
    }
  }

  /** Journals the record; a failed write is logged and new jobs are refused until the journal works again. */
  private async persist(record: JobRecord): Promise<boolean> {
    try {
      await this.journal.save(record);
      return true;
    } catch (error) {
      this.storage.writeFailed(error, record.id);
      return false;
    }
  }

  /** Journals a new job; when that fails the job is not accepted, its images go and the user is told to retry. */
  private async storeNew(record: JobRecord, store: (record: JobRecord) => Promise<void>): Promise<void> {
    try {
      await store(record);
    } catch (error) {
      this.storage.writeFailed(error, record.id);
      await this.journal.removeInputs(record.id).catch(() => undefined);
      throw new UserError('storage-unavailable');
    }
  }

  /** Forgets finished jobs so that `incomingBytes` more fit under the disk cap; refuses when waiting jobs alone fill it. */
  private async makeRoom(incomingBytes: number): Promise<void> {
    const pending = bytesOf([...this.jobs.values()].filter((record) => !isFinished(record)));
    if (pending + incomingBytes > this.retention.maxDataBytes) {
      this.log.warn({ pendingBytes: pending, incomingBytes, maxDataBytes: this.retention.maxDataBytes }, 'data cap reached by waiting jobs; new job refused');
      throw new UserError('storage-full');
    }
    await this.prune(incomingBytes);
  }

  /** Tells waiting jobs whose place in line changed, or whose expected start moved noticeably. */
  private announceLine(): void {
    const now = this.clock.now();
    for (const [id, wait] of this.line()) {
      const record = this.jobs.get(id);
      const announcement = this.announcement(wait);
      if (!record || !worthAnnouncing(this.announced.get(id), announcement, now)) continue;
      this.announced.set(id, announcement);
      this.events.emit(publicInfo(record), { type: 'position', ...wait });
    }
  }

  /** Every waiting job's place and expected start, in the order they will run. */
  private line(): Map<string, Wait> {
    const ids = [...this.fair.positions().keys()];
    // One estimate per size and run time asked for (undefined: the default), however long the line.
    const byAsk = new Map<string, number | undefined>();
    const estimates = ids.map((id) => {
      const { size, runMinutes } = this.jobs.get(id)?.options ?? {};
      const key = `${size}/${runMinutes}`;
      if (!byAsk.has(key)) byAsk.set(key, this.times.estimateMs({ size, runMinutes }));
      return byAsk.get(key);
    });
    // No estimates at all until the engine is ready: even "next, starts now" could be minutes of loading.
    const starts = this.times.engineKnown ? startTimes(this.runningLeftMs(), estimates) : [];
    return new Map(
      ids.map((id, index) => {
        const startsInMs = starts[index];
        return [id, startsInMs === undefined ? { position: index + 1 } : { position: index + 1, startsInMs: Math.round(startsInMs) }];
      }),
    );
  }

  private announcement(wait: Wait): Announced {
    return wait.startsInMs === undefined ? { position: wait.position } : { position: wait.position, startsAt: this.clock.now() + wait.startsInMs };
  }

  /** The running job's time left: the engine's latest estimate, else the job's estimate less its time so far; 0 when none runs. */
  private runningLeftMs(): number | undefined {
    const running = this.running;
    if (!running) return 0;
    const now = this.clock.now();
    const reported = running.lastProgress;
    if (reported) return Math.max(0, reported.etaMs - (now - reported.at));
    const whole = this.times.estimateMs(running.record.options);
    return whole === undefined ? undefined : Math.max(0, whole - (now - running.startedAt));
  }

  /** An engine said it is ready: estimates can start (or change, if the backend did), so the line hears again. */
  private engineReady(profile: EngineProfile): void {
    this.times.engineReady(profile);
    this.announceLine();
  }

  /** Prunes every RETENTION_INTERVAL_MS until the queue stops, so an idle bot keeps no photo past its time. */
  private keepPruning(): void {
    this.cancelRetentionTimer = this.clock.setTimeout(() => {
      void this.prune().then(() => {
        if (this.accepting) this.keepPruning();
      });
    }, RETENTION_INTERVAL_MS);
  }

  /** Forgets finished jobs past the retention window, beyond the count kept or over the disk cap, images included. */
  private async prune(incomingBytes = 0): Promise<void> {
    const stale = expiredJobs([...this.jobs.values()], this.clock.now(), this.retention, incomingBytes);
    for (const record of stale) {
      try {
        await this.journal.remove(record.id);
      } catch (error) {
        // Kept for the next round; the journal failing is the news here.
        this.storage.writeFailed(error, record.id);
        return;
      }
      this.jobs.delete(record.id);
    }
    if (stale.length > 0) this.log.debug({ jobs: stale.length }, 'pruned finished jobs');
  }
}
