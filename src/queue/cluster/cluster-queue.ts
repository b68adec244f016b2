// The cluster's front-end side of the queue contract (StylizeQueue): it takes places in line in PostgreSQL
// (atomic limits, places.ts), keeps jobs in the job store, hands them to BullMQ for any engine worker to
// take, and turns the workers' messages into the same job events the embedded queue emits. It keeps its own
// copy of every front-end's job records and server settings, so the adapters' synchronous questions (get,
// jobsOf, positions, serverSettings...) are answered at once: fresh from the workers' messages and from the
// other front-ends' ('changed', 'settings': read again from PostgreSQL, the source of truth), and read whole
// again by the reconciler in case a message was lost. A job's outcome comes from PostgreSQL and is applied
// by a front-end that serves the job's platform (its adapter listens and delivers), exactly once; that one
// alone writes the job's record from then on, tells its adapter and hands its picture over.
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type pg from 'pg';
import { UserError } from '../../wording/index.js';
import { systemClock, type Clock } from '../clock.js';
import { Deliveries, DEFAULT_DELIVERY_POLICY, type DeliveryPolicy } from '../delivery.js';
import type { EngineProfile, EngineStatus } from '../engine.js';
import { JobEvents } from '../events.js';
import { engineOptionsOf } from '../input-check.js';
import { newJobId, publicInfo, serverKeyOf, userKeyOf } from '../job-queue.js';
import { JobTimes } from '../job-times.js';
import { JobIntake, queuedRecord } from '../job-intake.js';
import type { JobRecord } from '../job-store.js';
import { DEFAULT_LIMITS, type QueueLimits } from '../limits.js';
import type { JobOutcome, QueueLoad, QueueObserver } from '../observer.js';
import { mayManage } from '../owners.js';
import type { Reservation } from '../reservations.js';
import { bytesOf, isFinished, RETENTION_INTERVAL_MS, type RetentionRules } from '../retention.js';
import { ServerSettingsBook, type ServerSettings, type ServerSettingsChange } from '../server-settings.js';
import type { SizeCheck } from '../size-check.js';
import { DEFAULT_STORAGE } from '../storage.js';
import type { Asker, StylizeQueue } from '../stylize-queue.js';
import type { CancelOutcome, DeleteOutcome, Deliverer, JobActor, JobEvent, JobInfo, JobListener, JobOptions, JobOwner, JobRequest, JobResult, Platform } from '../types.js';
import { worthAnnouncing, type Announced } from '../wait-estimate.js';
import { ClusterChannel, dispatchQueue, type DispatchConnection, type DispatchQueue } from './dispatch.js';
import { startTimesOnWorkers } from './eta.js';
import { DEFAULT_HEARTBEAT_MS, type ClusterMessage } from './messages.js';
import type { ClusterStore } from './pg-store.js';
import { ClusterPlaces, type Asking, type Place, type RunOutcome } from './places.js';

export interface ClusterQueueOptions {
  /** Job records, images, pictures, server settings and throughput, shared by the cluster (PostgreSQL). */
  store: ClusterStore;
  /** The places in line (limits) live in this database. */
  pool: pg.Pool;
  dispatch: DispatchConnection;
  limits?: Partial<QueueLimits>;
  log: Logger;
  keepFinishedMs?: number;
  keepFinishedCount?: number;
  /** Only the cap on the jobs' images applies here; the database's disk is its operator's. */
  maxDataBytes?: number;
  clock?: Clock;
  delivery?: Partial<DeliveryPolicy>;
  /** How often this front-end reads every job again and hands back what dispatch lost; default 10 s. */
  reconcileMs?: number;
}

interface Wait {
  position: number;
  startsInMs?: number;
}

interface RunningJob {
  workerId: string;
  startedAt: number;
  lastProgress?: { etaMs: number; at: number };
  /** The count of 'started' messages heard when this one was: a read of the places begun before it is older. */
  heard: number;
}

interface WorkerSeen {
  seenAt: number;
  intervalMs: number;
}

/** A worker silent for this many heartbeats counts as gone. */
const MISSED_BEATS = 3;

/** Whose place a job takes in PostgreSQL: its owner, and its server where it has one (the limits count both). */
function askingOf(owner: Pick<JobOwner, 'platform' | 'userId' | 'server'>): Asking {
  const serverKey = serverKeyOf(owner);
  return { userKey: userKeyOf(owner), ...(serverKey !== undefined ? { serverKey } : {}) };
}

/** Which of two copies of a job's record is further along: its state, then its delivery, then its runs. */
function progressOf(record: JobRecord): number[] {
  const state = record.state === 'queued' ? 0 : record.state === 'running' ? 1 : 2;
  const delivery = record.delivery === undefined || record.delivery.status === 'pending' ? 0 : 1;
  return [state, delivery, record.delivery?.attempts ?? 0, record.attempts ?? 0];
}

/** -1, 0 or 1 as `a` is behind, even with or ahead of `b`. */
function compareProgress(a: JobRecord, b: JobRecord): number {
  const [pa, pb] = [progressOf(a), progressOf(b)];
  for (const [index, value] of pa.entries()) {
    const other = pb[index] ?? 0;
    if (value !== other) return value < other ? -1 : 1;
  }
  return 0;
}

export class ClusterQueue implements StylizeQueue {
  readonly limits: QueueLimits;
  /** Names this front-end on the event stream, so that it does not read again what it wrote itself. */
  readonly frontEndId = `front-${randomBytes(4).toString('hex')}`;
  private readonly log: Logger;
  private readonly store: ClusterStore;
  private readonly places: ClusterPlaces;
  private readonly clock: Clock;
  private readonly events: JobEvents;
  private readonly times: JobTimes;
  /** Taking jobs in from their images, as the other queue does. */
  private readonly intake: JobIntake;
  private readonly servers: ServerSettingsBook;
  private readonly deliveries: Deliveries;
  private readonly retention: RetentionRules;
  private readonly observers: QueueObserver[] = [];
  private readonly records = new Map<string, JobRecord>();
  private readonly running = new Map<string, RunningJob>();
  private readonly workers = new Map<string, WorkerSeen>();
  private readonly announced = new Map<string, Announced>();
  /** The place each reservation holds in PostgreSQL. */
  private readonly tokens = new WeakMap<Reservation, string>();
  /** The platforms whose adapters listen or deliver here: this front-end applies their jobs' outcomes. */
  private readonly served = new Set<Platform>();
  /** Jobs to read again that other front-ends changed, and whether a read of them is under way. */
  private readonly toReload = new Set<string>();
  private reloading = false;
  /** 'started' messages heard so far. */
  private heardStarts = 0;
  /** Since when this front-end hears heartbeats: a worker never heard of counts as alive for a few beats after. */
  private listeningSince = 0;
  private readonly endWaiters = new Map<string, Array<() => void>>();
  private readonly channel: ClusterChannel;
  private dispatch: DispatchQueue | undefined;
  private cancelReconcile: (() => void) | undefined;
  private cancelPruning: (() => void) | undefined;
  private accepting = false;
  private admission: Promise<unknown> = Promise.resolve();
  /** Places given back, in order: a place released here is free before this front-end takes the next. */
  private releases: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: ClusterQueueOptions) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.log = options.log.child({ component: 'queue', mode: 'cluster', frontEnd: this.frontEndId });
    this.store = options.store;
    this.places = new ClusterPlaces(options.pool);
    this.clock = options.clock ?? systemClock;
    this.events = new JobEvents(this.log);
    this.times = new JobTimes(this.store, this.log, this.limits.jobTimeoutMs);
    this.intake = new JobIntake({
      store: this.store,
      records: this.records,
      times: this.times,
      limits: this.limits,
      log: this.log,
      assertAccepting: () => this.assertAccepting(),
      reserve: (asker) => this.reserve(asker),
      admit: (owner, options, place, bytes, keep) => this.admit(owner, options, place, bytes, keep),
    });
    this.servers = new ServerSettingsBook(this.store);
    this.retention = {
      keepFinishedMs: options.keepFinishedMs ?? 24 * 60 * 60_000,
      keepFinishedCount: options.keepFinishedCount ?? 500,
      maxDataBytes: options.maxDataBytes ?? DEFAULT_STORAGE.maxDataBytes,
    };
    this.deliveries = new Deliveries({
      journal: this.store,
      save: (record) => this.persist(record),
      events: this.events,
      clock: this.clock,
      log: this.log,
      policy: { ...DEFAULT_DELIVERY_POLICY, ...options.delivery },
      info: publicInfo,
    });
    this.channel = new ClusterChannel(
      options.dispatch,
      (message) => this.hear(message),
      (error) => this.log.warn({ err: error }, 'event stream connection trouble; BullMQ reconnects'),
    );
  }

  get keepFinishedMs(): number {
    return this.retention.keepFinishedMs;
  }

  get load(): QueueLoad {
    return { waiting: this.waitingRecords().length, running: this.running.size };
  }

  async reserve(asker: Asker): Promise<Reservation> {
    this.assertAccepting();
    const settings = this.servers.get(asker.platform, asker.server);
    await this.releases;
    const token = await this.serverCall(() =>
      this.places.reserve(
        askingOf(asker),
        {
          maxPerUser: Math.min(this.limits.maxPendingPerUser, settings.maxJobsPerUser ?? Infinity),
          ...(settings.maxJobsPerServer !== undefined ? { maxPerServer: settings.maxJobsPerServer } : {}),
          maxQueueLength: this.limits.maxQueueLength,
        },
      ),
    );
    let released = false;
    const reservation: Reservation = {
      release: () => {
        if (released) return;
        released = true;
        this.releases = this.releases.then(() =>
          this.places.release(token).catch((error: unknown) => this.log.warn({ err: error }, 'could not give a place back; it expires by itself')),
        );
      },
    };
    this.tokens.set(reservation, token);
    return reservation;
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

  async deleteJob(jobId: string, by: JobActor): Promise<DeleteOutcome> {
    const outcome = await this.intake.deleteJob(jobId, by);
    if (outcome === 'deleted') this.tellChanged([jobId]);
    return outcome;
  }

  checkSize(options: Pick<JobOptions, 'size' | 'startAbove'>): SizeCheck {
    return this.intake.checkSize(options);
  }

  async cancel(jobId: string, by: JobActor): Promise<CancelOutcome> {
    const record = this.records.get(jobId);
    if (!record) return 'not-found';
    if (!mayManage(record, by)) return 'not-owner';
    if (isFinished(record)) return 'already-finished';
    const ended = this.endOf(jobId);
    if (await this.serverCall(() => this.places.cancelWaiting(jobId, by.userId))) {
      // No worker has it; BullMQ forgets it too (a worker that takes it anyway finds it ended and passes).
      await this.dispatch?.remove(jobId).catch(() => 0);
      if (this.serves(record)) await this.applyOutcome(jobId);
      else this.tell({ kind: 'ended', jobId });
      return 'cancelled';
    }
    // A worker has it (or has just ended it): the ask is kept in PostgreSQL, where the worker also looks,
    // and sent to it at once; it stops its engine and says so.
    if (await this.serverCall(() => this.places.requestCancel(jobId, by.userId))) this.tell({ kind: 'cancel', jobId });
    // An outcome may already be waiting in PostgreSQL (the run ended as the cancel was asked for).
    if (this.serves(record)) void this.applyOutcome(jobId);
    await ended;
    return record.state === 'cancelled' ? 'cancelled' : 'already-finished';
  }

  async clearServer(platform: Platform, server: string, by: JobActor): Promise<number> {
    const waiting = this.waitingRecords().filter((record) => record.platform === platform && record.server === server);
    let cleared = 0;
    for (const record of waiting) {
      if ((await this.cancel(record.id, { ...by, moderatorOf: server })) === 'cancelled') cleared += 1;
    }
    this.log.info({ platform, server, by: by.userId, cleared }, 'server queue cleared');
    return cleared;
  }

  serverSettings(platform: Platform, server: string | undefined): ServerSettings {
    return this.servers.get(platform, server);
  }

  /** A paused server's jobs leave dispatch (they keep their places); resuming hands them back in their turns. */
  async changeServerSettings(platform: Platform, server: string, change: ServerSettingsChange): Promise<ServerSettings> {
    const wasPaused = this.servers.get(platform, server).paused === true;
    const settings = await this.servers.change(platform, server, change);
    this.log.info({ platform, server, settings }, 'server settings changed');
    this.tell({ kind: 'settings', from: this.frontEndId });
    const ofServer = this.waitingRecords().filter((record) => record.platform === platform && record.server === server);
    if (!wasPaused && settings.paused) for (const record of ofServer) await this.dispatch?.remove(record.id).catch(() => 0);
    if (wasPaused && !settings.paused) for (const record of ofServer) await this.dispatchJob(record);
    return settings;
  }

  serverLoad(platform: Platform, server: string): QueueLoad {
    const ofServer = (record: JobRecord) => record.platform === platform && record.server === server;
    return {
      waiting: this.waitingRecords().filter(ofServer).length,
      running: [...this.running.keys()].filter((id) => {
        const record = this.records.get(id);
        return record !== undefined && ofServer(record);
      }).length,
    };
  }

  get(jobId: string): JobInfo | undefined {
    const record = this.records.get(jobId);
    return record ? publicInfo(record) : undefined;
  }

  jobsOf(actor: JobActor): Array<{ job: JobInfo; position?: number }> {
    const key = userKeyOf(actor);
    const mine: Array<{ job: JobInfo; position?: number }> = [];
    for (const id of this.running.keys()) {
      const record = this.records.get(id);
      if (record && userKeyOf(record) === key) mine.push({ job: publicInfo(record) });
    }
    this.waitingRecords().forEach((record, index) => {
      if (userKeyOf(record) === key) mine.push({ job: publicInfo(record), position: index + 1 });
    });
    return mine;
  }

  updateReply(jobId: string, reply: Record<string, unknown>): Promise<void> {
    return this.intake.updateReply(jobId, reply);
  }

  subscribe(platform: Platform, listener: JobListener): void {
    this.served.add(platform);
    this.events.subscribe(platform, listener);
  }

  deliverWith(platform: Platform, deliverer: Deliverer): void {
    this.served.add(platform);
    this.deliveries.register(platform, deliverer);
  }

  observe(observer: QueueObserver): void {
    this.observers.push(observer);
  }

  /** PostgreSQL takes writes (a test write through the store, and the places answer). */
  async journalWritable(): Promise<boolean> {
    try {
      await this.store.probe();
      await this.places.jobs();
      return true;
    } catch {
      return false;
    }
  }

  /** The engines are the workers': up while at least one is alive. */
  engineStatus(): EngineStatus {
    const alive = this.aliveWorkers();
    return alive > 0 ? { up: true, detail: `${alive} engine worker${alive === 1 ? '' : 's'} alive`, restarts: 0 } : { up: false, detail: 'no engine worker alive', restarts: 0 };
  }

  /** Engine workers heard from within their last few heartbeats. */
  aliveWorkers(): number {
    const now = this.clock.now();
    return [...this.workers.values()].filter((seen) => now - seen.seenAt <= seen.intervalMs * MISSED_BEATS).length;
  }

  /** Whether a worker may still be running its job: heard of lately, or not yet missed for long enough. */
  private workerAlive(workerId: string): boolean {
    const now = this.clock.now();
    const seen = this.workers.get(workerId);
    if (seen) return now - seen.seenAt <= seen.intervalMs * MISSED_BEATS;
    const longestBeat = Math.max(DEFAULT_HEARTBEAT_MS, ...[...this.workers.values()].map((worker) => worker.intervalMs));
    return now - this.listeningSince <= longestBeat * MISSED_BEATS;
  }

  async start(): Promise<void> {
    await this.store.open();
    await this.places.install();
    const { records, quarantined } = await this.store.load();
    if (quarantined.length > 0) this.log.error({ keys: quarantined }, 'unreadable job records moved aside; their jobs are dropped');
    await this.times.load();
    await this.servers.load();
    this.dispatch = dispatchQueue(this.options.dispatch);
    this.dispatch.on('error', (error) => this.log.warn({ err: error }, 'dispatch connection trouble'));
    await this.channel.open();
    this.listeningSince = this.clock.now();
    const places = await this.places.jobs();
    const toApply: string[] = [];
    for (const record of records) {
      this.records.set(record.id, record);
      if (isFinished(record)) continue;
      const place = places.get(record.id);
      if (place?.state === 'ended') {
        if (this.serves(record)) toApply.push(record.id);
      } else if (place?.state === 'running') {
        record.state = 'running';
        this.running.set(record.id, { workerId: place.worker ?? 'unknown', startedAt: this.clock.now(), heard: this.heardStarts });
      } else if (place) {
        record.state = 'queued';
      } else if (this.serves(record)) {
        // No row (Redis and PostgreSQL parted in a crash): back in line. Only by its platform's front-end,
        // the one that applies its outcomes: to another, a row just taken by that one looks the same.
        record.state = 'queued';
        await this.places.requeue(record.id, askingOf(record), record.round);
      }
    }
    this.accepting = true;
    // Deliveries left pending first: an outcome applied below plans its own, and planning one under way again would post twice.
    for (const record of this.records.values()) if (this.serves(record)) this.deliveries.schedule(record);
    for (const id of toApply) await this.applyOutcome(id);
    await this.prune();
    for (const [id, wait] of this.line()) {
      const record = this.records.get(id);
      if (!record) continue;
      this.announced.set(id, this.announcement(wait));
      if (this.serves(record)) this.events.emit(publicInfo(record), { type: 'queued', resumed: true, ...wait });
    }
    await this.reconcile();
    this.keepReconciling();
    this.keepPruning();
    this.log.info({ jobs: this.waitingRecords().length }, 'cluster front-end started');
  }

  async stop(): Promise<void> {
    this.accepting = false;
    this.cancelReconcile?.();
    this.cancelPruning?.();
    await this.admission.catch(() => undefined);
    await this.deliveries.stop();
    await this.events.drain(5000);
    await this.channel.close();
    await this.dispatch?.close();
    await this.store.close();
    for (const waiters of this.endWaiters.values()) for (const wake of waiters) wake();
    this.endWaiters.clear();
    this.log.info('queue stopped');
  }

  /**
   * Reads every job and server setting again (a message about them may have been lost), applies the
   * outcomes left for this front-end, hands back the running jobs of workers no longer alive that dispatch
   * lost, and adds every waiting job of a running server back to dispatch (BullMQ keeps one job per id, so
   * those it has are left as they are).
   */
  async reconcile(): Promise<void> {
    if (!this.dispatch) return;
    try {
      const places = await this.refresh();
      await this.handBackLost(places);
      for (const record of this.waitingRecords()) if (places.get(record.id)?.state === 'queued') await this.dispatchJob(record);
    } catch (error) {
      this.log.warn({ err: error }, 'could not reconcile dispatch with PostgreSQL; trying again later');
    }
  }

  /** Brings this front-end's copy of every job and server setting up to PostgreSQL's; the places read. */
  private async refresh(): Promise<Map<string, Place>> {
    const known = new Set(this.records.keys());
    const heard = this.heardStarts;
    const { records } = await this.store.load();
    const places = await this.places.jobs();
    await this.servers.load();
    const loaded = new Map(records.map((record) => [record.id, record]));
    for (const id of new Set([...known, ...loaded.keys()])) this.merge(id, loaded.get(id), places.get(id), known.has(id), heard);
    // An outcome whose 'ended' message no front-end serving its platform heard.
    for (const [id, place] of places) {
      const record = this.records.get(id);
      if (place.state === 'ended' && record && this.serves(record)) await this.applyOutcome(id);
    }
    this.announceLine();
    return places;
  }

  /** Reads again the jobs other front-ends say they changed, those told meanwhile in one read (a burst of new jobs). */
  private reloadSoon(ids: string[]): void {
    for (const id of ids) this.toReload.add(id);
    if (this.reloading) return;
    this.reloading = true;
    void (async () => {
      while (this.toReload.size > 0) {
        const batch = [...this.toReload];
        this.toReload.clear();
        await this.reload(batch);
      }
      this.reloading = false;
    })();
  }

  /** Reads again the jobs another front-end says it changed. */
  private async reload(ids: string[]): Promise<void> {
    try {
      const heard = this.heardStarts;
      const records = await this.store.records(ids);
      const places = await this.places.jobs(ids);
      const loaded = new Map(records.map((record) => [record.id, record]));
      for (const id of ids) this.merge(id, loaded.get(id), places.get(id), true, heard);
      this.announceLine();
    } catch (error) {
      this.log.warn({ err: error, jobIds: ids }, 'could not read jobs another front-end changed; the reconciler reads them later');
    }
  }

  /**
   * Takes a job's record as read from PostgreSQL into this front-end's copy: the copy further along wins
   * (this front-end's own while it writes the record, another's when that one wrote last); its place says
   * whether it waits or runs. `heard`: the starts heard before the read began.
   */
  private merge(id: string, loaded: JobRecord | undefined, place: Place | undefined, wasKnown: boolean, heard: number): void {
    const record = this.records.get(id);
    if (!loaded) {
      // Forgotten by another front-end (deleted, or past retention); a record added since the read began stays.
      if (record && wasKnown) this.drop(id);
      return;
    }
    if (!record) this.records.set(id, loaded);
    else {
      const order = compareProgress(loaded, record);
      if (order > 0 || (order === 0 && !this.serves(record))) Object.assign(record, loaded);
    }
    const current = this.records.get(id) as JobRecord;
    if (isFinished(current)) {
      this.settled(id);
      return;
    }
    const running = this.running.get(id);
    if (place?.state === 'running' || (place?.state !== 'queued' && current.state === 'running')) {
      current.state = 'running';
      this.announced.delete(id);
      if (!running) this.running.set(id, { workerId: place?.worker ?? 'unknown', startedAt: this.clock.now(), heard });
    } else if (place?.state === 'queued' && (!running || running.heard <= heard)) {
      // Back in line (its worker stopped or was lost), unless it started again after the places were read.
      current.state = 'queued';
      this.running.delete(id);
    }
  }

  /**
   * Puts back in line, once across front-ends, each job marked running whose worker is no longer alive and
   * that dispatch lost too (Redis emptied): nothing else would ever give it out again. Dispatch still
   * holding it gives it to another worker by itself once the dead one's lock runs out.
   */
  private async handBackLost(places: Map<string, Place>): Promise<void> {
    if (!this.dispatch) return;
    for (const [id, place] of places) {
      const record = this.records.get(id);
      if (place.state !== 'running' || place.worker === undefined || !record || isFinished(record) || this.workerAlive(place.worker)) continue;
      if (await this.dispatch.getJob(id)) continue;
      if (!(await this.places.handBack(id, place.worker))) continue;
      this.log.warn({ jobId: id, workerId: place.worker }, 'running job of a worker no longer alive was lost from dispatch; put back in line');
      record.state = 'queued';
      this.running.delete(id);
      if (this.serves(record)) await this.persist(record);
      this.tellChanged([id]);
      await this.dispatchJob(record);
    }
  }

  private keepReconciling(): void {
    this.cancelReconcile = this.clock.setTimeout(() => {
      void this.reconcile().then(() => {
        if (this.accepting) this.keepReconciling();
      });
    }, this.options.reconcileMs ?? 10_000);
  }

  private keepPruning(): void {
    this.cancelPruning = this.clock.setTimeout(() => {
      void this.prune().then(() => {
        if (this.accepting) this.keepPruning();
      });
    }, RETENTION_INTERVAL_MS);
  }

  /** Hands a waiting job to dispatch, unless its server is paused; its turn is its priority. */
  private async dispatchJob(record: JobRecord): Promise<void> {
    if (!this.dispatch || this.isPaused(record)) return;
    await this.dispatch.add('run', { jobId: record.id, options: engineOptionsOf(record.options, this.limits.jobTimeoutMs) }, { jobId: record.id, priority: Math.min(record.round, 2_097_151) });
  }

  private hear(message: ClusterMessage): void {
    switch (message.kind) {
      case 'started':
        return this.jobStarted(message.jobId, message.workerId, message.attempts);
      case 'progress': {
        const record = this.records.get(message.jobId);
        const running = this.running.get(message.jobId);
        if (!record || !running) return;
        running.lastProgress = { etaMs: message.progress.etaMs, at: this.clock.now() };
        const event: JobEvent = { type: 'progress', ...message.progress, ...(message.preview ? { preview: Buffer.from(message.preview, 'base64') } : {}) };
        if (this.serves(record)) this.events.emit(publicInfo(record), event);
        this.announceLine();
        return;
      }
      case 'ended':
        void this.outcomeReady(message.jobId);
        return;
      case 'changed':
        if (message.from !== this.frontEndId) this.reloadSoon(message.jobIds);
        return;
      case 'settings':
        if (message.from !== this.frontEndId) void this.servers.load().catch((error: unknown) => this.log.warn({ err: error }, 'could not read server settings another front-end changed; read again later'));
        return;
      case 'alive':
        this.workers.set(message.workerId, { seenAt: this.clock.now(), intervalMs: message.intervalMs });
        if (message.profile) this.engineReady(message.profile);
        return;
      case 'cancel':
        return;
    }
  }

  private engineReady(profile: EngineProfile): void {
    if (this.times.engineKnown) return;
    this.times.engineReady(profile);
    this.announceLine();
  }

  private jobStarted(jobId: string, workerId: string, attempts: number): void {
    this.heardStarts += 1;
    const record = this.records.get(jobId);
    // A job another front-end took in, whose news has not come yet: read from PostgreSQL, running.
    if (!record) return void this.reload([jobId]);
    if (isFinished(record)) return;
    record.state = 'running';
    record.attempts = attempts;
    const startedAt = this.clock.now();
    this.running.set(jobId, { workerId, startedAt, heard: this.heardStarts });
    this.announced.delete(jobId);
    this.announceLine();
    if (!this.serves(record)) return;
    void this.persist(record);
    this.log.info({ jobId, workerId }, 'job started');
    this.events.emit(publicInfo(record), { type: 'started' });
    if (attempts === 1) this.tellObservers((observer) => observer.jobStarted(publicInfo(record), startedAt - record.createdAt));
  }

  /** A worker says an outcome waits in PostgreSQL: applied here if this front-end serves the job's platform. */
  private async outcomeReady(jobId: string): Promise<void> {
    if (!this.records.has(jobId)) await this.reload([jobId]);
    const record = this.records.get(jobId);
    if (record && this.serves(record)) await this.applyOutcome(jobId);
  }

  /**
   * Applies a worker's outcome kept in PostgreSQL, once: whoever takes it from there applies it, and only a
   * front-end serving the job's platform takes it (its adapter hears of it and gets the picture).
   */
  private async applyOutcome(jobId: string): Promise<void> {
    const known = this.records.get(jobId);
    if (!known || !this.serves(known)) return;
    let outcome: RunOutcome | undefined;
    try {
      outcome = await this.places.takeOutcome(jobId);
    } catch (error) {
      this.log.warn({ err: error, jobId }, 'could not read a job outcome; it is applied at the next start');
      return;
    }
    const record = this.records.get(jobId);
    if (!outcome || !record) return;
    if (outcome.kind === 'done') {
      record.delivery = { status: 'pending', attempts: 0, nextAttemptAt: this.clock.now() };
      await this.finish(record, 'done', undefined, 'done', outcome.ranMs);
      this.deliveries.schedule(record);
      // A worker learnt from this job: the estimates follow.
      await this.times.load();
    } else if (outcome.kind === 'failed') {
      await this.finish(record, 'failed', { type: 'failed', reason: outcome.reason }, outcome.counted, outcome.ranMs);
    } else {
      await this.finish(record, 'cancelled', { type: 'cancelled', byUserId: outcome.byUserId || record.userId }, 'cancelled', outcome.ranMs);
    }
    this.announceLine();
    await this.prune();
  }

  private async finish(record: JobRecord, state: 'done' | 'failed' | 'cancelled', event: JobEvent | undefined, outcome: JobOutcome, ranMs: number | undefined): Promise<void> {
    record.state = state;
    record.finishedAt = this.clock.now();
    this.tellObservers((observer) => observer.jobEnded(publicInfo(record), outcome, ranMs));
    const keepsImages = state === 'done';
    if (!keepsImages) record.bytes = 0;
    await this.persist(record);
    if (!keepsImages) await this.store.removeInputs(record.id).catch((error: unknown) => this.log.error({ err: error, jobId: record.id }, 'could not remove the images of a finished job'));
    if (event) this.events.emit(publicInfo(record), event);
    this.settled(record.id);
    this.tellChanged([record.id]);
  }

  /** A job finished (here or on another front-end): no longer running or announced, and its waiters wake. */
  private settled(jobId: string): void {
    this.running.delete(jobId);
    this.announced.delete(jobId);
    for (const wake of this.endWaiters.get(jobId) ?? []) wake();
    this.endWaiters.delete(jobId);
  }

  /** A job forgotten (here or on another front-end). */
  private drop(jobId: string): void {
    this.records.delete(jobId);
    this.settled(jobId);
  }

  /** Resolves once the job is finished, whoever applies its outcome (or when this front-end stops). */
  private endOf(jobId: string): Promise<void> {
    return new Promise<void>((resolve) => this.endWaiters.set(jobId, [...(this.endWaiters.get(jobId) ?? []), resolve]));
  }

  private serves(record: JobRecord): boolean {
    return this.served.has(record.platform);
  }

  /** Tells the other front-ends that these jobs' records changed in PostgreSQL. */
  private tellChanged(jobIds: string[]): void {
    this.tell({ kind: 'changed', from: this.frontEndId, jobIds });
  }

  /** A message on the event stream; one lost is caught up by the reconcilers (and the workers' look in PostgreSQL). */
  private tell(message: ClusterMessage): void {
    void this.channel.send(message).catch((error: unknown) => this.log.warn({ err: error, kind: message.kind }, 'could not tell the cluster; it catches up from PostgreSQL'));
  }

  private admit(owner: JobOwner, options: JobOptions, place: Reservation, bytes: number, store: (record: JobRecord) => Promise<void>): Promise<JobInfo> {
    const admitted = this.admission.then(async () => {
      this.assertAccepting();
      await this.makeRoom(bytes);
      const token = this.tokens.get(place);
      if (token === undefined) throw new Error('a reservation of another queue');
      const id = newJobId(this.clock.now());
      const { turn, seq } = await this.serverCall(() => this.places.admit(token, id, askingOf(owner)));
      const record = queuedRecord(owner, options, { id, createdAt: this.clock.now(), seq, round: turn, bytes });
      try {
        await store(record);
      } catch (error) {
        this.log.error({ err: error, jobId: id }, 'could not store a new job; refused');
        await this.places.forget(id).catch(() => undefined);
        await this.store.removeInputs(id).catch(() => undefined);
        throw new UserError('storage-unavailable');
      }
      this.records.set(id, record);
      this.tellChanged([id]);
      const wait = this.line().get(id) ?? { position: this.waitingRecords().length };
      this.announced.set(id, this.announcement(wait));
      this.log.info({ jobId: id, platform: record.platform, user: record.userId, ...wait, options }, 'job queued');
      this.events.emit(publicInfo(record), { type: 'queued', resumed: false, ...wait });
      this.announceLine();
      // Kept in PostgreSQL already: when dispatch is away, the reconciler hands the job over later.
      await this.dispatchJob(record).catch((error: unknown) => this.log.warn({ err: error, jobId: id }, 'dispatch unreachable; the job waits for the reconciler'));
      return publicInfo(record);
    });
    this.admission = admitted.catch(() => undefined);
    return admitted;
  }

  /** A call to PostgreSQL; its being away is the user's "try again later", not a crash. */
  private async serverCall<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof UserError) throw error;
      this.log.error({ err: error }, 'PostgreSQL unreachable; new jobs are refused until it answers');
      throw new UserError('storage-unavailable');
    }
  }

  private assertAccepting(): void {
    if (!this.accepting) throw new UserError('bot-restarting');
  }

  private isPaused(record: JobRecord): boolean {
    return this.servers.get(record.platform, record.server).paused === true;
  }

  /** Waiting jobs in the order dispatch gives them out: by turn, then by arrival. */
  private waitingRecords(): JobRecord[] {
    return [...this.records.values()].filter((record) => record.state === 'queued').sort((a, b) => a.round - b.round || a.seq - b.seq);
  }

  private line(): Map<string, Wait> {
    const waiting = this.waitingRecords();
    const estimates = waiting.map((record) => this.times.estimateMs(record.options));
    const now = this.clock.now();
    const busy = [...this.running.entries()].map(([id, running]) => {
      if (running.lastProgress) return Math.max(0, running.lastProgress.etaMs - (now - running.lastProgress.at));
      const whole = this.times.estimateMs(this.records.get(id)?.options ?? {});
      return whole === undefined ? undefined : Math.max(0, whole - (now - running.startedAt));
    });
    const starts = this.times.engineKnown ? startTimesOnWorkers(busy, Math.max(1, this.aliveWorkers()), estimates) : [];
    return new Map(
      waiting.map((record, index) => {
        const startsInMs = starts[index];
        return [record.id, startsInMs === undefined ? { position: index + 1 } : { position: index + 1, startsInMs: Math.round(startsInMs) }];
      }),
    );
  }

  private announcement(wait: Wait): Announced {
    return wait.startsInMs === undefined ? { position: wait.position } : { position: wait.position, startsAt: this.clock.now() + wait.startsInMs };
  }

  private announceLine(): void {
    const now = this.clock.now();
    for (const [id, wait] of this.line()) {
      const record = this.records.get(id);
      const announcement = this.announcement(wait);
      if (!record || !this.serves(record) || !worthAnnouncing(this.announced.get(id), announcement, now)) continue;
      this.announced.set(id, announcement);
      this.events.emit(publicInfo(record), { type: 'position', ...wait });
    }
  }

  private tellObservers(tell: (observer: QueueObserver) => void): void {
    for (const observer of this.observers) {
      try {
        tell(observer);
      } catch (error) {
        this.log.error({ err: error }, 'a queue observer failed');
      }
    }
  }

  private async persist(record: JobRecord): Promise<boolean> {
    try {
      await this.store.save(record);
      return true;
    } catch (error) {
      this.log.error({ err: error, jobId: record.id }, 'could not save a job record');
      return false;
    }
  }

  /** The cap counts every front-end's jobs, as PostgreSQL has them. */
  private async makeRoom(incomingBytes: number): Promise<void> {
    const pending = await this.serverCall(() => this.store.unfinishedBytes());
    if (pending + incomingBytes > this.retention.maxDataBytes) {
      this.log.warn({ pendingBytes: pending, incomingBytes, maxDataBytes: this.retention.maxDataBytes }, 'data cap reached by waiting jobs; new job refused');
      throw new UserError('storage-full');
    }
    // Finished jobs make room only when the cluster's images (as this copy knows them) would pass the cap;
    // retention by age and count runs after each outcome and every ten minutes.
    if (bytesOf(this.records.values()) + incomingBytes > this.retention.maxDataBytes) await this.prune(incomingBytes);
  }

  /**
   * Forgets the finished jobs that retention and the data cap let go, among every front-end's (one front-end
   * at a time, in PostgreSQL), and tells the others which.
   */
  private async prune(incomingBytes = 0): Promise<void> {
    let forgotten: string[];
    try {
      forgotten = await this.store.forgetExpired(this.clock.now(), this.retention, incomingBytes);
    } catch (error) {
      this.log.error({ err: error }, 'could not forget finished jobs; tried again later');
      return;
    }
    if (forgotten.length === 0) return;
    for (const id of forgotten) this.drop(id);
    this.tellChanged(forgotten);
  }
}
