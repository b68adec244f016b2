// Shared set-up of the queue tests: real images, a real queue (journal and all) on a scripted engine and a
// manual clock, a log that the tests can read, and a recorder of every event the adapters would see. The
// tests of the engine process itself run the same queue on the real engine (tiny weights).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { EngineRunner, JobQueue, systemClock, type JobEvent, type JobInfo, type JobOptions, type JobQueueOptions, type JobRequest, type Platform } from '../src/queue/index.js';
import { tell } from '../src/wording/index.js';
import { captureLog, type LogLine } from './fixtures/capture-log.js';
import { makeGradientPng } from './fixtures/images.js';
import { ManualClock } from './fixtures/manual-clock.js';
import { ScriptedEngine, type ScriptedRun } from './fixtures/scripted-engine.js';
import { REAL_ENGINE_TIMEOUT_MS, waitFor } from './fixtures/wait-for.js';
import { makeTinyVggWeights } from './fixtures/tiny-vgg.js';

export interface Recorded {
  job: JobInfo;
  event: JobEvent;
}

export class EventRecorder {
  readonly all: Recorded[] = [];
  /** The pictures the queue handed over, by job id: the recorder stands in for a platform that accepts them at once. */
  readonly delivered = new Map<string, Buffer[]>();

  listen(queue: JobQueue, platforms: Platform[] = ['discord', 'slack']): void {
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

/** The two folders a queue works in. */
export interface QueueDirs {
  weightsDir: string;
  dataDir: string;
}

/** A queue on the scripted engine and a manual clock, unless `extra` names others. */
export function makeQueue(workspace: QueueDirs, log: Logger, extra: Partial<JobQueueOptions> = {}): JobQueue {
  return new JobQueue({ engine: new ScriptedEngine(), clock: new ManualClock(), dataDir: workspace.dataDir, log, ...extra });
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

/** Registers the test file's hooks: tiny weights, two small images, a data folder per test; all removed afterwards. */
export function useQueueFixture(): QueueFixture {
  const fixture = new QueueFixture();
  let weightsDir = '';
  beforeAll(async () => {
    weightsDir = await makeTinyVggWeights();
    fixture.content = await makeGradientPng(48, 48, 1);
    fixture.style = await makeGradientPng(48, 48, 2);
  });
  beforeEach(async () => {
    fixture.workspace = { weightsDir, dataDir: await mkdtemp(join(tmpdir(), 'stylize-queue-')) };
  });
  afterEach(async () => rm(fixture.workspace.dataDir, { recursive: true, force: true }));
  afterAll(async () => rm(weightsDir, { recursive: true, force: true }));
  return fixture;
}

export interface RunningQueue {
  queue: JobQueue;
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
  const queue = makeQueue(workspace, log, makeEngine ? { ...extra, engine: makeEngine(log), clock: systemClock } : extra);
  const events = new EventRecorder();
  events.listen(queue);
  await queue.start();
  try {
    return await body({ queue, events, lines });
  } finally {
    await queue.stop();
  }
}

/** Submits a job and resolves once the scripted engine has it, so that the jobs submitted after it wait. */
export async function submitRunning(running: ScriptedQueue, job: JobRequest): Promise<{ info: JobInfo; run: ScriptedRun }> {
  const info = await running.queue.submit(job);
  return { info, run: await running.engine.runOf(info.id) };
}
