// Cluster mode's promises across processes: real PostgreSQL, real engine worker processes (the ClusterWorker
// on a timed scripted engine, test/fixtures/cluster-worker-process.ts) and front-ends in this process. A
// cancel reaches the engine of a remote worker within 2 s; a worker killed with kill -9 mid-job loses the
// job to another worker and the picture is handed over once; 200 concurrent submissions on two front-ends
// never pass a limit; PostgreSQL restarted means "try again later" while it is down and work goes on after.
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import type { Logger } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClusterQueue } from '../src/queue/cluster/cluster-queue.js';
import { connectCluster } from '../src/queue/cluster/cluster-setup.js';
import { ClusterWorker } from '../src/queue/cluster/worker.js';
import { DEFAULT_LIMITS, systemClock, type Asker, type QueueLimits, type Reservation } from '../src/queue/index.js';
import { UserError } from '../src/wording/index.js';
import { captureLog } from './fixtures/capture-log.js';
import { clusterServersHere, freshDatabase, type TestDatabase } from './fixtures/cluster-servers.js';
import { makeGradientPng } from './fixtures/images.js';
import { startPostgres } from './fixtures/throwaway-servers.js';
import { timedEngine } from './fixtures/timed-engine.js';
import { waitFor } from './fixtures/wait-for.js';
import { EventRecorder, request } from './queue-harness.js';

const here = await clusterServersHere();
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const WORKER = 'test/fixtures/cluster-worker-process.ts';

interface WorkerProcess {
  child: ChildProcess;
  id: string;
}

/** A worker process on `database`, once it takes jobs. */
async function startWorker(database: TestDatabase, jobMs: number): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ['--import', TSX, WORKER], {
    env: { ...process.env, STYLIZE_DATABASE_URL: database.url, STYLIZE_TEST_JOB_MS: String(jobMs), STYLIZE_TEST_LOCK_MS: '2000' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const id = await waitFor(() => /ready (\S+)/.exec(out)?.[1], 60_000, 'the worker process to be ready');
  return { child, id };
}

async function stopWorker(worker: WorkerProcess): Promise<void> {
  if (worker.child.exitCode !== null || worker.child.signalCode !== null) return;
  const exited = new Promise((resolve) => worker.child.once('exit', resolve));
  worker.child.kill('SIGTERM');
  await exited;
}

interface FrontEnd {
  queue: ClusterQueue;
  events: EventRecorder;
  stop(): Promise<void>;
}

async function startFrontEnd(database: TestDatabase, log: Logger, limits: Partial<QueueLimits> = {}): Promise<FrontEnd> {
  const cluster = connectCluster({ databaseUrl: database.url }, log);
  const queue = new ClusterQueue({ store: cluster.store, pool: cluster.pool, dispatch: cluster.dispatch, log, clock: systemClock, limits, reconcileMs: 1000 });
  const events = new EventRecorder();
  events.listen(queue);
  await queue.start();
  return {
    queue,
    events,
    stop: async () => {
      await queue.stop();
      await cluster.close();
    },
  };
}

describe.skipIf(!here)('cluster mode across processes', () => {
  let database: TestDatabase;
  const cleanups: Array<() => Promise<void>> = [];
  let content: Buffer;
  let style: Buffer;

  beforeEach(async () => {
    database = await freshDatabase();
    content ??= await makeGradientPng(48, 48, 1);
    style ??= await makeGradientPng(48, 48, 2);
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    await database.drop();
  });

  it('a cancel from the chat stops the engine of the worker process running the job within 2 s', async () => {
    const { log } = captureLog();
    const front = await startFrontEnd(database, log);
    cleanups.push(front.stop);
    const worker = await startWorker(database, 60_000);
    cleanups.push(() => stopWorker(worker));
    const job = await front.queue.submit(request('alice', content, style));
    await front.events.waitRunning(job.id, 30_000);

    const asked = Date.now();
    expect(await front.queue.cancel(job.id, { platform: 'discord', userId: 'alice' })).toBe('cancelled');
    const tookMs = Date.now() - asked;
    expect(tookMs).toBeLessThan(2000);
    expect(front.events.of(job.id).at(-1)).toEqual({ type: 'cancelled', byUserId: 'alice' });
    expect(front.queue.get(job.id)?.state).toBe('cancelled');
  });

  it('kill -9 of a worker mid-job: another worker runs the job and its picture is handed over once', async () => {
    const { log } = captureLog();
    const front = await startFrontEnd(database, log);
    cleanups.push(front.stop);
    const first = await startWorker(database, 60_000);
    cleanups.push(() => stopWorker(first));
    const job = await front.queue.submit(request('alice', content, style));
    await front.events.waitRunning(job.id, 30_000);
    // Only now the second: the job is surely on the first, which would take a minute.
    const second = await startWorker(database, 500);
    cleanups.push(() => stopWorker(second));

    first.child.kill('SIGKILL');
    await front.events.waitFinished([job.id], 60_000);
    expect(front.queue.get(job.id)?.state).toBe('done');
    expect(front.events.delivered.get(job.id)).toHaveLength(1);
    expect(front.events.types(job.id).filter((type) => type === 'started')).toHaveLength(2);
    expect(front.events.of(job.id).filter((event) => event.type === 'done')).toHaveLength(1);
  });

  it('200 concurrent submissions on two front-ends never pass the per-user, per-server or total limit', async () => {
    const { log } = captureLog();
    const limits = { maxPendingPerUser: 2, maxQueueLength: 40 };
    const first = await startFrontEnd(database, log, limits);
    cleanups.push(first.stop);
    await first.queue.changeServerSettings('discord', 'G1', { maxJobsPerServer: 15 });
    // The second reads the server's limit as it starts.
    const second = await startFrontEnd(database, log, limits);
    cleanups.push(second.stop);
    const restarted = [first, second];

    // 60 people, half of them in server G1, each trying 3 or 4 times at once through either front-end.
    const asks: Array<{ front: FrontEnd; asker: Asker }> = [];
    for (let i = 0; i < 200; i++) {
      const userId = `u${i % 60}`;
      asks.push({ front: restarted[i % 2] as FrontEnd, asker: { platform: 'discord', userId, ...(i % 60 < 30 ? { server: 'G1' } : {}) } });
    }
    const outcomes = await Promise.allSettled(asks.map(({ front, asker }) => Promise.resolve().then(() => front.queue.reserve(asker))));
    const held: Array<{ asker: Asker; place: Reservation }> = [];
    outcomes.forEach((outcome, index) => {
      if (outcome.status === 'fulfilled') held.push({ asker: (asks[index] as { asker: Asker }).asker, place: outcome.value });
      else expect(outcome.reason).toBeInstanceOf(UserError);
    });

    const pool = new pg.Pool({ connectionString: database.url, max: 1 });
    try {
      const { rows } = await pool.query<{ user_key: string; server_key: string | null }>(`SELECT user_key, server_key FROM stylize_places`);
      const perUser = new Map<string, number>();
      for (const row of rows) perUser.set(row.user_key, (perUser.get(row.user_key) ?? 0) + 1);
      expect(Math.max(...perUser.values())).toBeLessThanOrEqual(2);
      expect(rows.filter((row) => row.server_key === 'discord:G1').length).toBeLessThanOrEqual(15);
      expect(rows.length).toBeLessThanOrEqual(40);
      // And the limits were reached, not avoided: every place a limit allowed was taken.
      expect(rows.filter((row) => row.server_key === 'discord:G1').length).toBe(15);
      expect(rows.length).toBe(40);
      expect(held).toHaveLength(40);
    } finally {
      await pool.end();
    }
  });

  it('PostgreSQL restarted: new jobs hear "try again later" while it is down, and jobs go on within 10 s of its return', async () => {
    const server = await startPostgres();
    cleanups.push(() => server.cleanup());
    const own = await freshDatabase({ host: '127.0.0.1', port: server.port, user: 'postgres' });
    const { log } = captureLog();
    const front = await startFrontEnd(own, log);
    cleanups.push(front.stop);
    const cluster = connectCluster({ databaseUrl: own.url }, log);
    const worker = new ClusterWorker({ engine: timedEngine(100), store: cluster.store, pool: cluster.pool, dispatch: cluster.dispatch, limits: DEFAULT_LIMITS, clock: systemClock, log });
    await worker.start();
    cleanups.push(async () => {
      await worker.stop();
      await cluster.close();
    });
    const before = await front.queue.submit(request('alice', content, style));
    await front.events.waitFinished([before.id], 30_000);

    await server.stop();
    await expect(front.queue.submit(request('bob', content, style))).rejects.toMatchObject({ code: 'storage-unavailable' });
    await server.start();
    const back = Date.now();
    let after: string | undefined;
    for (;;) {
      after = await front.queue.submit(request('carol', content, style)).then((job) => job.id, () => undefined);
      if (after || Date.now() - back > 10_000) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(after).toBeDefined();
    await front.events.waitFinished([after as string], 30_000);
    // Accepted again, run by the worker and handed over within the 10 s of the server's return.
    expect(Date.now() - back).toBeLessThan(10_000);
    expect(front.queue.get(after as string)?.state).toBe('done');
  });
});
