// Shared set-up of the queue tests: real tiny weights, real images, a real queue with a real engine
// process, a log that the tests can read, and a recorder of every event the adapters would see.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import sharp from 'sharp';
import { JobQueue, type JobEvent, type JobInfo, type JobOptions, type JobQueueOptions, type JobRequest, type Platform } from '../src/queue/index.js';
import { makeTinyVggWeights } from './fixtures/tiny-vgg.js';

/** A small PNG with a gradient and a seeded pattern, so content and style differ. */
export async function makeImage(size: number, seed: number): Promise<Buffer> {
  const pixels = Buffer.alloc(size * size * 3);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = (y * size + x) * 3;
      pixels[i] = (x * 255) / size;
      pixels[i + 1] = ((x + y) * seed * 37) % 256;
      pixels[i + 2] = (y * 255) / size;
    }
  }
  return sharp(pixels, { raw: { width: size, height: size, channels: 3 } }).png().toBuffer();
}

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/** A pino logger whose lines the test can inspect. */
export function captureLog(): { log: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  return { log: pino({ level: 'debug' }, stream), lines };
}

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
    const until = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
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

/** A temporary data dir and tiny weights for one test file; `cleanup` removes both. */
export async function makeWorkspace(): Promise<{ weightsDir: string; dataDir: string; cleanup: () => Promise<void> }> {
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

export function makeQueue(workspace: { weightsDir: string; dataDir: string }, log: Logger, extra: Partial<JobQueueOptions> = {}): JobQueue {
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
