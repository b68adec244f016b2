// Shared set-up of the queue tests: real tiny weights, real images, a real queue with a real engine
// process, a log that the tests can read, and a recorder of every event the adapters would see.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { afterAll, beforeAll } from 'vitest';
import { JobQueue, type JobEvent, type JobInfo, type JobOptions, type JobQueueOptions, type JobRequest, type Platform } from '../src/queue/index.js';
import { captureLog, type LogLine } from './fixtures/capture-log.js';
import { makeGradientPng } from './fixtures/images.js';
import { waitFor } from './fixtures/wait-for.js';
import { makeTinyVggWeights } from './fixtures/tiny-vgg.js';

export interface Recorded {
  job: JobInfo;
  event: JobEvent;
}

export class EventRecorder {
  readonly all: Recorded[] = [];

  listen(queue: JobQueue, platforms: Platform[] = ['discord', 'slack']): void {
    for (const platform of platforms) queue.subscribe(platform, (job, event) => void this.all.push({ job, event }));
  }

  of(jobId: string): JobEvent[] {
    return this.all.filter((r) => r.job.id === jobId).map((r) => r.event);
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

  async waitFor(predicate: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
    await waitFor(predicate, timeoutMs, what);
  }

  /** Resolves once the job is computing in the engine (its first progress event). */
  async waitRunning(jobId: string, timeoutMs = 60_000): Promise<void> {
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

  async waitFinished(jobIds: string[], timeoutMs = 60_000): Promise<void> {
    await this.waitFor(() => jobIds.every((id) => this.finished(id)), `jobs ${jobIds.join(', ')} to finish`, timeoutMs);
  }
}

export const TINY: JobOptions = { preset: 'balanced', size: 32, seed: 1 };

export interface Workspace {
  weightsDir: string;
  dataDir: string;
  cleanup: () => Promise<void>;
}

/** The two folders a queue works in. */
export type QueueDirs = Pick<Workspace, 'weightsDir' | 'dataDir'>;

/** A temporary data dir and tiny weights for one test file; `cleanup` removes both. */
export async function makeWorkspace(): Promise<Workspace> {
  const weightsDir = await makeTinyVggWeights();
  const dataDir = await mkdtemp(join(tmpdir(), 'stylize-queue-'));
  return {
    weightsDir,
    dataDir,
    cleanup: async () => {
      await rm(dataDir, { recursive: true, force: true });
      await rm(weightsDir, { recursive: true, force: true });
    },
  };
}

export function makeQueue(workspace: QueueDirs, log: Logger, extra: Partial<JobQueueOptions> = {}): JobQueue {
  return new JobQueue({ engine: { weightsDir: workspace.weightsDir, backend: 'wasm' }, dataDir: workspace.dataDir, log, ...extra });
}

export function request(userId: string, content: Buffer, style: Buffer, options: JobOptions = TINY, platform: Platform = 'discord'): JobRequest {
  return { platform, userId, userName: `user ${userId}`, reply: { channel: 'c1' }, content, style, options };
}

/** Lets already-emitted events reach the listeners (they are delivered on later ticks). */
export function flushEvents(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 10));
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

/** Options of a job that keeps the engine busy for a few seconds (the tests cancel or kill it). */
export const SLOW: JobOptions = { preset: 'balanced', size: 512, seed: 1 };

/** What a queue test file works with; filled in by the hooks useQueueFixture registers. */
export class QueueFixture {
  workspace!: Workspace;
  content!: Buffer;
  style!: Buffer;

  /** A job request with this file's two images. */
  request(userId: string, options: JobOptions = TINY, platform: Platform = 'discord'): JobRequest {
    return request(userId, this.content, this.style, options, platform);
  }
}

/** Registers the test file's hooks: tiny weights, a data folder and two small images, removed afterwards. */
export function useQueueFixture(): QueueFixture {
  const fixture = new QueueFixture();
  beforeAll(async () => {
    fixture.workspace = await makeWorkspace();
    fixture.content = await makeGradientPng(48, 48, 1);
    fixture.style = await makeGradientPng(48, 48, 2);
  });
  afterAll(async () => fixture.workspace.cleanup());
  return fixture;
}

export interface RunningQueue {
  queue: JobQueue;
  events: EventRecorder;
  lines: LogLine[];
}

/**
 * Runs `body` against a started queue whose events and log lines are recorded, stops the queue afterwards
 * (also when `body` fails) and returns what `body` returned, for checks that need the queue stopped.
 */
export async function withQueue<T>(workspace: QueueDirs, extra: Partial<JobQueueOptions>, body: (running: RunningQueue) => Promise<T>): Promise<T>;
export async function withQueue<T>(workspace: QueueDirs, body: (running: RunningQueue) => Promise<T>): Promise<T>;
export async function withQueue<T>(
  workspace: QueueDirs,
  extraOrBody: Partial<JobQueueOptions> | ((running: RunningQueue) => Promise<T>),
  maybeBody?: (running: RunningQueue) => Promise<T>,
): Promise<T> {
  const [extra, body] = typeof extraOrBody === 'function' ? [{}, extraOrBody] : [extraOrBody, maybeBody];
  if (!body) throw new Error('withQueue needs a body');
  const { log, lines } = captureLog();
  const queue = makeQueue(workspace, log, extra);
  const events = new EventRecorder();
  events.listen(queue);
  await queue.start();
  try {
    return await body({ queue, events, lines });
  } finally {
    await queue.stop();
  }
}

/** Submits a job and resolves once the engine computes it, so that the jobs submitted after it wait. */
export async function submitRunning(queue: JobQueue, events: EventRecorder, job: JobRequest): Promise<JobInfo> {
  const info = await queue.submit(job);
  await events.waitRunning(info.id);
  return info;
}
