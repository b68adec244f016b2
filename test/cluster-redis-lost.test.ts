// Redis holds nothing that PostgreSQL cannot rebuild (issue 18). Through the fake Discord, on a redis-server
// of the test's own with a real worker process on the timed scripted engine: Redis restarted (it keeps no
// data, as the default without persistence; down past the end of the running job) or emptied (FLUSHALL)
// while one job runs and others wait. The front-end's reconciler hands dispatch every waiting job again: all
// are back within 30 s, none is lost and none runs twice, so each user finds exactly one picture per job in
// the job's thread.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './fake-discord/harness.js';
import type { InteractionRef } from './fake-discord/inspect.js';
import { emptyRedis, isQueued, isRunning, picturesOf, sendJob, startFrontEnd } from './fixtures/cluster-chat.js';
import { clusterServersHere, freshDatabase, type TestDatabase } from './fixtures/cluster-servers.js';
import { startRedis, type ThrowawayServer } from './fixtures/throwaway-servers.js';
import { startWorkerProcess, type WorkerProcess } from './fixtures/worker-processes.js';

const here = await clusterServersHere();
/** Each job's time on the worker: long enough that the fault comes while the first runs. */
const JOB_MS = 1000;
/** The promise: every waiting job back within this of Redis's return. */
const BACK_WITHIN_MS = 30_000;
/**
 * The front-end's reconcile interval (STYLIZE_RECONCILE_SECONDS): shorter than its 10 s default, which
 * keeps the promise with room to spare (10-13 s measured), so that the test does not wait on it.
 */
const RECONCILE_MS = 2000;

describe.skipIf(!here)('cluster dispatch on Redis when Redis loses its data', () => {
  let h: Harness;
  let redis: ThrowawayServer;
  let database: TestDatabase;
  let worker: WorkerProcess | undefined;

  beforeAll(async () => {
    [h, redis] = await Promise.all([startHarness(), startRedis()]);
  }, 120_000);
  afterAll(async () => {
    await h?.stop();
    await redis?.cleanup();
  });
  beforeEach(async () => {
    database = await freshDatabase();
    await emptyRedis(redis);
  });
  afterEach(async () => {
    await worker?.stop();
    worker = undefined;
    await database.drop();
  });

  /** Six jobs of three people, the first running on the worker and the rest waiting, when `fault` strikes. */
  async function everyJobOnceAfter(fault: () => Promise<void>): Promise<void> {
    const addresses = { databaseUrl: database.url, redisUrl: redis.url };
    const bot = await startFrontEnd(h, { ...addresses, reconcileMs: RECONCILE_MS });
    try {
      worker = await startWorkerProcess(addresses, { jobMs: JOB_MS });
      const people = ['ann', 'ben', 'cat'].map((name) => h.fake.makeUser(`${name}-${database.name}`));
      const jobs: InteractionRef[] = [];
      for (const person of people) jobs.push(sendJob(h, person));
      await h.fake.waitFor(() => isRunning(h, jobs[0] as InteractionRef), 30_000, 'the first job to run');
      for (const person of people) jobs.push(sendJob(h, person));
      await h.fake.waitFor(() => jobs.every((job) => isQueued(h, job)), 30_000, 'every job in line');
      expect(jobs.filter((job) => picturesOf(h, job) > 0).length).toBeLessThan(jobs.length);

      await fault();
      const back = Date.now();
      await h.fake.waitFor(() => jobs.every((job) => picturesOf(h, job) > 0), BACK_WITHIN_MS, 'a picture for every job');
      const tookMs = Date.now() - back;
      console.log(`every job's picture ${tookMs} ms after Redis came back (promise: ${BACK_WITHIN_MS} ms)`);
      // Any second run would post its picture right after the first: give it the time of one more job.
      await new Promise((resolve) => setTimeout(resolve, JOB_MS + 500));
      for (const job of jobs) expect(picturesOf(h, job)).toBe(1);
      // And the engine ran each job once: six runs of six different jobs.
      const runs = worker.runs();
      expect(runs).toHaveLength(jobs.length);
      expect(new Set(runs).size).toBe(jobs.length);
      expect(tookMs).toBeLessThan(BACK_WITHIN_MS);
    } finally {
      await bot.stop();
    }
  }

  it('Redis restarted: every waiting job is back within 30 s, and each runs once and posts one picture', async () => {
    await everyJobOnceAfter(async () => {
      await redis.stop();
      // Down past the end of the running job: its worker tells of its end once Redis is back.
      await new Promise((resolve) => setTimeout(resolve, JOB_MS + 500));
      await redis.start();
    });
  }, 90_000);

  it('Redis emptied (FLUSHALL): every waiting job is back within 30 s, and each runs once and posts one picture', async () => {
    await everyJobOnceAfter(() => emptyRedis(redis));
  }, 90_000);
});
