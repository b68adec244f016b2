// Shared set-up of the queue tests: real images, a real queue (journal and all) on a scripted engine and a
// manual clock, a log that the tests can read, and a recorder of every event the adapters would see. The
// tests of the engine process itself run the same queue on the real engine (tiny weights).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { ClusterQueue } from '../src/queue/cluster/cluster-queue.js';
import { ClusterWorker } from '../src/queue/cluster/worker.js';
import { PgStore } from '../src/queue/cluster/pg-store.js';
import {
  EngineRunner,
  JobQueue,
  systemClock,
  type JobEvent,
  type JobInfo,
  type JobOptions,
  type JobQueueOptions,
  type JobRequest,
  type Platform,
  type StylizeQueue,
} from '../src/queue/index.js';
import { tell } from '../src/wording/index.js';
import { captureLog, type LogLine } from './fixtures/capture-log.js';
import { clusterServersHere, freshDatabase, freshRedisSpace, type TestDatabase, type TestRedisSpace } from './fixtures/cluster-servers.js';
import { makeGradientPng } from './fixtures/images.js';
import { ManualClock } from './fixtures/manual-clock.js';
import { ScriptedEngine, type ScriptedRun } from './fixtures/scripted-engine.js';
import { REAL_ENGINE_TIMEOUT_MS, waitFor } from './fixtures/wait-for.js';
import { makeTinyVggWeights } from './fixtures/tiny-vgg.js';
import { DEFAULT_LIMITS } from '../src/queue/index.js';

const DEFAULT_LIMITS_FOR_WORKER = DEFAULT_LIMITS;

export interface Recorded {
  job: JobInfo;
  event: JobEvent;
}

export class EventRecorder {
  readonly all: Recorded[] = [];
  /** The pictures the queue handed over, by job id: the recorder stands in for a platform that accepts them at once. */
  readonly delivered = new Map<string, Buffer[]>();

  listen(queue: StylizeQueue, platforms: Platform[] = ['discord', 'slack']): void {
    for (const platform of platforms) {
      queue.subscribe(platform, (job, event) => void this.all.push({ job, event }));
      queue.deliverWith(platform, async (job, delivery) => {
        this.delivered.set(job.id, [...(this.delivered.get(job.id) ?? []), delivery.png]);
        return { kind: 'delivered' };
      });
    }
  }

  of(jobId: string): JobEvent[] {
    return this.all.filter((r) => r.job.id === jobId).map((r) => r.event);
  }

  /** What the owner of a job that failed is told, worded as the adapters word it; undefined unless its last event is 'failed'. */
  failureOf(jobId: string): string | undefined {
    const last = this.of(jobId).at(-1);
    return last?.type === 'failed' ? tell(last.reason) : undefined;
  }

  types(jobId: string): string[] {
    // Progress repeats: collapse runs of it so sequences read like the story of the job.
    return this.of(jobId)
      .map((e) => e.type)
      .filter((type, i, list) => type !== 'progress' || list[i - 1] !== 'progress');
  }

  /** Job ids in the order their 'started' events came. */
  startOrder(): string[] {
    return this.all.filter((r) => r.event.type === 'started').map((r) => r.job.id);
  }

  async waitFor(predicate: () => boolean, what: string, timeoutMs = REAL_ENGINE_TIMEOUT_MS): Promise<void> {
    await waitFor(predicate, timeoutMs, what);
  }

  /** Resolves once the job is computing in the engine (its first progress event). */
  async waitRunning(jobId: string, timeoutMs = REAL_ENGINE_TIMEOUT_MS): Promise<void> {
    await this.waitFor(() => this.of(jobId).some((e) => e.type === 'progress'), `job ${jobId} to make progress`, timeoutMs);
  }

  /** The last position each waiting job was told (from 'queued' and 'position' events). */
  lastPositions(): Map<string, number> {
    const positions = new Map<string, number>();
    for (const { job, event } of this.all) {
      if (event.type === 'queued' || event.type === 'position') positions.set(job.id, event.position);
      if (event.type === 'started') positions.delete(job.id);
    }
    return positions;
  }

  finished(jobId: string): boolean {
    return this.of(jobId).some((e) => e.type === 'done' || e.type === 'failed' || e.type === 'cancelled');
  }

  async waitFinished(jobIds: string[], timeoutMs = REAL_ENGINE_TIMEOUT_MS): Promise<void> {
    await this.waitFor(() => jobIds.every((id) => this.finished(id)), `jobs ${jobIds.join(', ')} to finish`, timeoutMs);
  }
}

export const TINY: JobOptions = { preset: 'balanced', size: 32, seed: 1 };

/**
 * The two implementations of the queue contract: the embedded queue (LevelDB journal, one engine) and the
 * cluster (a front-end and an engine worker in this process, on PostgreSQL, with BullMQ's dispatch on Redis).
 */
export type QueueKind = 'embedded' | 'cluster';
/** The cluster where its servers run here (always on CI: see clusterServersHere). */
export const QUEUE_KINDS: readonly QueueKind[] = (await clusterServersHere()) ? ['embedded', 'cluster'] : ['embedded'];

/** The two folders a queue works in; a cluster's also a database of its own for the test. */
export interface QueueDirs {
  weightsDir: string;
  dataDir: string;
  kind?: QueueKind;
  database?: TestDatabase;
  /** The cluster's dispatch: BullMQ on Redis under a key prefix of its own, as cluster mode runs it. */
  redis?: TestRedisSpace;
}

/** Options the embedded queue takes that the cluster has no use for fail a cluster test loudly. */
const EMBEDDED_ONLY: ReadonlyArray<keyof JobQueueOptions> = ['journal', 'freeSpace', 'dataDir'];

/** A queue on the scripted engine and a manual clock, unless `extra` names others. */
export function makeQueue(workspace: QueueDirs, log: Logger, extra: Partial<JobQueueOptions> = {}): StylizeQueue {
  return assembleQueue(workspace, log, { engine: new ScriptedEngine(), clock: new ManualClock(), ...extra }).queue;
}

interface Assembled {
  queue: StylizeQueue;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Pools to end after each test (a queue made by makeQueue and never stopped still lets go of its database). */
const openPools = new Set<pg.Pool>();

function assembleQueue(workspace: QueueDirs, log: Logger, options: Partial<JobQueueOptions> & Pick<JobQueueOptions, 'engine'>): Assembled {
  if (workspace.kind !== 'cluster') {
    const queue = new JobQueue({ dataDir: workspace.dataDir, log, ...options });
    return { queue, start: () => queue.start(), stop: () => queue.stop() };
  }
  const database = workspace.database;
  const redis = workspace.redis;
  if (!database || !redis) throw new Error('a cluster workspace without its database and Redis space');
  const dispatch = { kind: 'redis', url: redis.url, prefix: redis.prefix } as const;
  const unused = EMBEDDED_ONLY.filter((key) => key !== 'dataDir' && options[key] !== undefined);
  if (unused.length > 0) throw new Error(`the cluster takes no ${unused.join(', ')}: an embedded-only test`);
  // Each side its own connections to the one database, as on two machines.
  const pools = [0, 1].map(() => {
    const pool = new pg.Pool({ connectionString: database.url, max: 4 });
    // The test's database is dropped at its end, which ends the connections still idle in the pool.
    pool.on('error', () => undefined);
    openPools.add(pool);
    return pool;
  });
  const [frontPool, workerPool] = pools as [pg.Pool, pg.Pool];
  const store = (): PgStore => new PgStore({ connectionString: database.url, log, maxConnections: 2 });
  const clock = options.clock ?? systemClock;
  const limits = { ...options.limits };
  const queue = new ClusterQueue({
    store: store(),
    pool: frontPool,
    dispatch,
    log,
    clock,
    limits,
    ...(options.keepFinishedMs !== undefined ? { keepFinishedMs: options.keepFinishedMs } : {}),
    ...(options.keepFinishedCount !== undefined ? { keepFinishedCount: options.keepFinishedCount } : {}),
    ...(options.storage?.maxDataBytes !== undefined ? { maxDataBytes: options.storage.maxDataBytes } : {}),
    ...(options.delivery ? { delivery: options.delivery } : {}),
  });
  const worker = new ClusterWorker({ engine: options.engine, store: store(), pool: workerPool, dispatch, clock, log, limits: { ...DEFAULT_LIMITS_FOR_WORKER, ...limits } });
  return {
    queue,
    start: async () => {
      await queue.start();
      await worker.start();
    },
    stop: async () => {
      await worker.stop();
      await queue.stop();
      for (const pool of pools) {
        openPools.delete(pool);
        await pool.end();
      }
    },
  };
}

/** The real engine process on the workspace's tiny weights (for the tests of the engine process itself). */
function engineProcess(workspace: QueueDirs, log: Logger): EngineRunner {
  return new EngineRunner({ weightsDir: workspace.weightsDir, backend: 'wasm', log: log.child({ component: 'engine' }) });
}

export function request(userId: string, content: Buffer, style: Buffer, options: JobOptions = TINY, platform: Platform = 'discord'): JobRequest {
  return { platform, userId, userName: `user ${userId}`, reply: { channel: 'c1' }, content, style, options };
}

/** Lets already-emitted events reach the listeners (they are delivered on later microtasks). */
export function flushEvents(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** True while a process with this id exists. */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** What a queue test file works with; filled in by the hooks useQueueFixture registers. */
export class QueueFixture {
  /** Tiny weights for the whole file; a fresh data folder for each test, so no test resumes another's jobs. */
  workspace!: QueueDirs;
  content!: Buffer;
  style!: Buffer;

  /** A job request with this file's two images. */
  request(userId: string, options: JobOptions = TINY, platform: Platform = 'discord'): JobRequest {
    return request(userId, this.content, this.style, options, platform);
  }
}

/**
 * Registers the test file's hooks: tiny weights, two small images, a data folder per test (and for the
 * cluster a database per test); all removed afterwards.
 */
export function useQueueFixture(kind: QueueKind = 'embedded'): QueueFixture {
  const fixture = new QueueFixture();
  let weightsDir = '';
  beforeAll(async () => {
    weightsDir = await makeTinyVggWeights();
    fixture.content = await makeGradientPng(48, 48, 1);
    fixture.style = await makeGradientPng(48, 48, 2);
  });
  beforeEach(async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'stylize-queue-'));
    fixture.workspace = kind === 'cluster' ? { weightsDir, dataDir, kind, database: await freshDatabase(), redis: freshRedisSpace() } : { weightsDir, dataDir, kind };
  });
  afterEach(async () => {
    for (const pool of openPools) await pool.end();
    openPools.clear();
    await fixture.workspace.database?.drop();
    await fixture.workspace.redis?.clear();
    await rm(fixture.workspace.dataDir, { recursive: true, force: true });
  });
  afterAll(async () => rm(weightsDir, { recursive: true, force: true }));
  return fixture;
}

export interface RunningQueue {
  queue: StylizeQueue;
  events: EventRecorder;
  lines: LogLine[];
}

/** A started queue on the scripted engine and a manual clock, which the test drives. */
export interface ScriptedQueue extends RunningQueue {
  engine: ScriptedEngine;
  clock: ManualClock;
}

/**
 * Runs `body` against a started queue on the scripted engine whose events and log lines are recorded, stops
 * the queue afterwards (also when `body` fails) and returns what `body` returned, for checks that need the
 * queue stopped.
 */
export async function withQueue<T>(workspace: QueueDirs, extra: Partial<JobQueueOptions>, body: (running: ScriptedQueue) => Promise<T>): Promise<T>;
export async function withQueue<T>(workspace: QueueDirs, body: (running: ScriptedQueue) => Promise<T>): Promise<T>;
export async function withQueue<T>(
  workspace: QueueDirs,
  extraOrBody: Partial<JobQueueOptions> | ((running: ScriptedQueue) => Promise<T>),
  maybeBody?: (running: ScriptedQueue) => Promise<T>,
): Promise<T> {
  const [extra, body] = typeof extraOrBody === 'function' ? [{}, extraOrBody] : [extraOrBody, maybeBody];
  if (!body) throw new Error('withQueue needs a body');
  const engine = new ScriptedEngine();
  const clock = new ManualClock();
  return runQueue(workspace, { engine, clock, ...extra }, (running) => body({ ...running, engine, clock }));
}

/** As withQueue, on the real engine process (tiny weights) and the system clock. */
export async function withEngineProcess<T>(workspace: QueueDirs, body: (running: RunningQueue) => Promise<T>): Promise<T> {
  return runQueue(workspace, {}, body, (log) => engineProcess(workspace, log));
}

async function runQueue<T>(
  workspace: QueueDirs,
  extra: Partial<JobQueueOptions>,
  body: (running: RunningQueue) => Promise<T>,
  makeEngine?: (log: Logger) => EngineRunner,
): Promise<T> {
  const { log, lines } = captureLog();
  const assembled = assembleQueue(workspace, log, makeEngine ? { ...extra, engine: makeEngine(log), clock: systemClock } : { engine: new ScriptedEngine(), clock: new ManualClock(), ...extra });
  const { queue } = assembled;
  const events = new EventRecorder();
  events.listen(queue);
  await assembled.start();
  try {
    return await body({ queue, events, lines });
  } finally {
    await assembled.stop();
  }
}

/** Submits a job and resolves once the scripted engine has it, so that the jobs submitted after it wait. */
export async function submitRunning(running: ScriptedQueue, job: JobRequest): Promise<{ info: JobInfo; run: ScriptedRun }> {
  const info = await running.queue.submit(job);
  const run = await running.engine.runOf(info.id);
  // A cluster's front-end hears of the start from its worker a moment later.
  await waitFor(() => running.queue.get(info.id)?.state !== 'queued', REAL_ENGINE_TIMEOUT_MS, `job ${info.id} to be seen running`);
  return { info, run };
}
