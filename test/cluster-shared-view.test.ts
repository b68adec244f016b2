// Front-ends of one cluster (a Discord one and a Slack one, as two processes run them) share one view of the
// jobs and server settings (issue 18): positions, get, jobsOf, load and serverLoad agree on both; a job's
// outcome is applied, and its picture handed over, by the front-end serving its platform only; a message
// that was lost is caught up by the reconciler's read of PostgreSQL. A cancel is kept in PostgreSQL for a
// worker that missed its message, and a running job that lost both its worker and its place in dispatch is
// put back in line once.
import pg from 'pg';
import type { Logger } from 'pino';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ClusterQueue, type ClusterQueueOptions } from '../src/queue/cluster/cluster-queue.js';
import { PgStore } from '../src/queue/cluster/pg-store.js';
import { ClusterPlaces } from '../src/queue/cluster/places.js';
import { ClusterWorker } from '../src/queue/cluster/worker.js';
import { DEFAULT_LIMITS, systemClock, type Clock, type JobRequest, type Platform } from '../src/queue/index.js';
import { captureLog, type LogLine } from './fixtures/capture-log.js';
import { clusterServersHere, freshDatabase, freshRedisSpace, type TestDatabase, type TestRedisSpace } from './fixtures/cluster-servers.js';
import { makeGradientPng } from './fixtures/images.js';
import { ManualClock } from './fixtures/manual-clock.js';
import { finishAtOnce, ScriptedEngine } from './fixtures/scripted-engine.js';
import { askUntil } from './fixtures/scrape.js';
import { waitFor } from './fixtures/wait-for.js';
import { EventRecorder, request } from './queue-harness.js';

const here = await clusterServersHere();

interface FrontEnd {
  queue: ClusterQueue;
  events: EventRecorder;
  /** Stops it (once, whoever asks first: the test or the clean-up). */
  stop(): Promise<void>;
}

describe.skipIf(!here)('front-ends of one cluster', () => {
  let database: TestDatabase;
  let redis: TestRedisSpace;
  let log: Logger;
  let lines: LogLine[];
  let content: Buffer;
  let style: Buffer;
  const cleanups: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    content = await makeGradientPng(48, 48, 1);
    style = await makeGradientPng(48, 48, 2);
  });
  beforeEach(async () => {
    database = await freshDatabase();
    redis = freshRedisSpace();
    ({ log, lines } = captureLog());
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    await database.drop();
    await redis.clear();
  });

  function pool(): pg.Pool {
    const opened = new pg.Pool({ connectionString: database.url, max: 3 });
    opened.on('error', () => undefined);
    cleanups.push(() => opened.end());
    return opened;
  }

  /** A front-end whose adapters serve `platforms` (listen and deliver), on its own connections. */
  async function frontEnd(platforms: Platform[], options: Partial<ClusterQueueOptions> = {}): Promise<FrontEnd> {
    const queue = new ClusterQueue({
      store: new PgStore({ connectionString: database.url, log, maxConnections: 2 }),
      pool: pool(),
      dispatch: { kind: 'redis', url: redis.url, prefix: redis.prefix },
      log,
      clock: systemClock,
      // The tests call reconcile() themselves.
      reconcileMs: 3_600_000,
      ...options,
    });
    const events = new EventRecorder();
    events.listen(queue, platforms);
    await queue.start();
    let stopped: Promise<void> | undefined;
    const stop = (): Promise<void> => (stopped ??= queue.stop());
    cleanups.push(stop);
    return { queue, events, stop };
  }

  async function worker(engine: ScriptedEngine, clock: Clock = systemClock): Promise<ClusterWorker> {
    const started = new ClusterWorker({
      engine,
      store: new PgStore({ connectionString: database.url, log, maxConnections: 2 }),
      pool: pool(),
      dispatch: { kind: 'redis', url: redis.url, prefix: redis.prefix },
      clock,
      log,
      limits: DEFAULT_LIMITS,
    });
    await started.start();
    cleanups.push(() => started.stop());
    return started;
  }

  function ask(userId: string, platform: Platform, server?: string): JobRequest {
    return { ...request(userId, content, style, undefined, platform), ...(server !== undefined ? { server } : {}) };
  }

  it("sees the other front-end's jobs in line and running (positions, get, jobsOf, load, serverLoad), and each job's picture is handed over once, by its platform's front-end", async () => {
    const discord = await frontEnd(['discord']);
    const slack = await frontEnd(['slack']);
    const engine = new ScriptedEngine();
    await worker(engine);

    const first = await discord.queue.submit(ask('alice', 'discord', 'G1'));
    const run = await engine.runOf(first.id);
    await waitFor(() => slack.queue.get(first.id)?.state === 'running', 10_000, 'the Slack front-end to see the Discord job running');
    const second = await discord.queue.submit(ask('bob', 'discord', 'G1'));
    await waitFor(() => slack.queue.get(second.id), 10_000, 'the Slack front-end to see the Discord job waiting');

    const third = await slack.queue.submit(ask('carol', 'slack', 'T1'));
    // Behind the Discord job that waits: one line across the front-ends.
    expect(slack.events.of(third.id)[0]).toMatchObject({ type: 'queued', position: 2 });
    expect(slack.queue.load).toEqual({ waiting: 2, running: 1 });
    expect(slack.queue.serverLoad('discord', 'G1')).toEqual({ waiting: 1, running: 1 });
    await waitFor(() => discord.queue.load.waiting === 2, 10_000, 'the Discord front-end to see the Slack job');
    expect(discord.queue.jobsOf({ platform: 'slack', userId: 'carol' })).toEqual([{ job: expect.objectContaining({ id: third.id, state: 'queued' }), position: 2 }]);
    expect(discord.queue.serverLoad('slack', 'T1')).toEqual({ waiting: 1, running: 0 });

    engine.script = finishAtOnce;
    await run.finish();
    const all = [first.id, second.id, third.id];
    await waitFor(() => all.every((id) => discord.queue.get(id)?.state === 'done' && slack.queue.get(id)?.state === 'done'), 30_000, 'both front-ends to see every job done');
    await discord.events.waitFinished([first.id, second.id], 30_000);
    await slack.events.waitFinished([third.id], 30_000);
    expect([...discord.events.delivered.keys()].sort()).toEqual([first.id, second.id].sort());
    expect([...slack.events.delivered.keys()]).toEqual([third.id]);
    for (const id of all) expect([...(discord.events.delivered.get(id) ?? []), ...(slack.events.delivered.get(id) ?? [])]).toHaveLength(1);
    // Each front-end tells only its own platform's people.
    expect(discord.events.of(third.id)).toEqual([]);
    expect(slack.events.of(first.id)).toEqual([]);
    expect(slack.events.of(second.id)).toEqual([]);
  });

  it("leaves an outcome reached while its platform's front-end is away to that front-end: the others neither take it nor deliver", async () => {
    const discord = await frontEnd(['discord']);
    const slack = await frontEnd(['slack']);
    const engine = new ScriptedEngine();
    await worker(engine);
    const job = await discord.queue.submit(ask('alice', 'discord'));
    const run = await engine.runOf(job.id);
    await discord.stop();

    await run.finish();
    const places = new ClusterPlaces(pool());
    const stateOf = async (): Promise<string | undefined> => (await places.jobs([job.id])).get(job.id)?.state;
    await askUntil(stateOf, (state) => state === 'ended', 'the worker to end the job');
    await slack.queue.reconcile();
    expect(await stateOf()).toBe('ended');
    expect(slack.events.delivered.size).toBe(0);

    // Its platform's front-end is back: it applies the outcome and posts the picture, once.
    const back = await frontEnd(['discord']);
    await back.events.waitFinished([job.id], 30_000);
    expect(back.events.delivered.get(job.id)).toHaveLength(1);
    await waitFor(() => slack.queue.get(job.id)?.state === 'done', 10_000, 'the Slack front-end to see it done');
    expect(slack.events.delivered.size).toBe(0);
    expect(slack.events.of(job.id)).toEqual([]);
  });

  it("applies a cancel asked on a front-end that does not serve the job's platform through the one that does, which tells the owner", async () => {
    const discord = await frontEnd(['discord']);
    const slack = await frontEnd(['slack']);
    const engine = new ScriptedEngine();
    await worker(engine);
    const running = await discord.queue.submit(ask('alice', 'discord'));
    await engine.runOf(running.id);
    const waiting = await discord.queue.submit(ask('alice', 'discord'));
    await waitFor(() => slack.queue.get(running.id)?.state === 'running' && slack.queue.get(waiting.id)?.state === 'queued', 10_000, 'the Slack front-end to see both jobs');

    const alice = { platform: 'discord', userId: 'alice' } as const;
    expect(await slack.queue.cancel(waiting.id, alice)).toBe('cancelled');
    expect(await slack.queue.cancel(running.id, alice)).toBe('cancelled');
    await discord.events.waitFinished([running.id, waiting.id], 10_000);
    for (const id of [running.id, waiting.id]) {
      expect(discord.events.of(id).at(-1)).toEqual({ type: 'cancelled', byUserId: 'alice' });
      expect(slack.events.of(id)).toEqual([]);
    }
    await waitFor(() => slack.queue.get(waiting.id)?.state === 'cancelled', 10_000, 'the Slack front-end to see the waiting job cancelled');
    expect(engine.runs).toHaveLength(1);
  });

  it("counts every front-end's waiting jobs against the data cap", async () => {
    const bytes = content.length + style.length;
    const discord = await frontEnd(['discord']);
    const slack = await frontEnd(['slack'], { maxDataBytes: Math.floor(bytes * 2.5) });
    // No worker: both wait, their images kept in PostgreSQL.
    await discord.queue.submit(ask('alice', 'discord'));
    await discord.queue.submit(ask('bob', 'discord'));
    await expect(slack.queue.submit(ask('carol', 'slack'))).rejects.toMatchObject({ code: 'storage-full' });
  });

  it("forgets finished jobs for retention across the cluster, and the other front-ends drop them too and go on", async () => {
    const discord = await frontEnd(['discord'], { keepFinishedCount: 1 });
    const slack = await frontEnd(['slack']);
    const engine = new ScriptedEngine(finishAtOnce);
    await worker(engine);
    const older = await slack.queue.submit(ask('carol', 'slack'));
    await slack.events.waitFinished([older.id], 30_000);
    const newer = await discord.queue.submit(ask('alice', 'discord'));
    await discord.events.waitFinished([newer.id], 30_000);

    // The Discord front-end keeps one finished job of the whole cluster: the Slack one goes, everywhere.
    await waitFor(() => slack.queue.get(older.id) === undefined, 10_000, 'the Slack front-end to drop the job forgotten');
    expect(discord.queue.get(older.id)).toBeUndefined();
    expect(await slack.queue.resultOf(older.id)).toBeUndefined();
    expect(slack.queue.get(newer.id)?.state).toBe('done');
    const next = await slack.queue.submit(ask('carol', 'slack'));
    await slack.events.waitFinished([next.id], 30_000);
    expect(slack.events.delivered.get(next.id)).toHaveLength(1);
  });

  it("sees server settings changed on another front-end at once, and one changed without a message at the next reconcile", async () => {
    const discord = await frontEnd(['discord']);
    const slack = await frontEnd(['slack']);
    await discord.queue.changeServerSettings('discord', 'G1', { maxJobsPerUser: 1 });
    await waitFor(() => slack.queue.serverSettings('discord', 'G1').maxJobsPerUser === 1, 10_000, 'the other front-end to see the change');

    // A front-end that wrote a change and died before telling anyone: only PostgreSQL knows.
    const store = new PgStore({ connectionString: database.url, log });
    await store.open();
    await store.saveServerSettings('discord:G1', { paused: true });
    await store.close();
    expect(slack.queue.serverSettings('discord', 'G1').paused).toBeUndefined();
    await slack.queue.reconcile();
    expect(slack.queue.serverSettings('discord', 'G1')).toEqual({ paused: true });
  });

  it('sees a job whose news was lost (its front-end told another stream) at the next reconcile', async () => {
    const slack = await frontEnd(['slack']);
    // A front-end whose messages go nowhere the others listen (its own key prefix): as if each was lost.
    const elsewhere = freshRedisSpace();
    cleanups.push(() => elsewhere.clear());
    const lost = await frontEnd(['discord'], { dispatch: { kind: 'redis', url: elsewhere.url, prefix: elsewhere.prefix } });
    const job = await lost.queue.submit(ask('alice', 'discord'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(slack.queue.get(job.id)).toBeUndefined();

    await slack.queue.reconcile();
    expect(slack.queue.get(job.id)?.state).toBe('queued');
    expect(slack.queue.jobsOf({ platform: 'discord', userId: 'alice' })).toEqual([{ job: expect.objectContaining({ id: job.id }), position: 1 }]);
  });

  it('stops a running job whose cancel message its worker never heard: the ask is kept in PostgreSQL', async () => {
    const discord = await frontEnd(['discord']);
    const engine = new ScriptedEngine();
    await worker(engine);
    const job = await discord.queue.submit(ask('alice', 'discord'));
    const run = await engine.runOf(job.id);
    await waitFor(() => discord.queue.get(job.id)?.state === 'running', 10_000, 'the job to be seen running');

    // The ask reaches PostgreSQL, its message never the worker.
    await new ClusterPlaces(pool()).requestCancel(job.id, 'alice');
    const asked = Date.now();
    await discord.events.waitFinished([job.id], 10_000);
    expect(Date.now() - asked).toBeLessThan(2000);
    expect(run.cancelRequested).toBe(true);
    expect(discord.events.of(job.id).at(-1)).toEqual({ type: 'cancelled', byUserId: 'alice' });
    expect(discord.queue.get(job.id)?.state).toBe('cancelled');
  });

  it('does not run a job cancelled while the worker that had it was gone: the worker that takes it next ends it as cancelled', async () => {
    const discord = await frontEnd(['discord']);
    const job = await discord.queue.submit(ask('alice', 'discord'));
    // A worker took it and died at once; dispatch still holds it (its lock runs out), no worker hears the cancel.
    await new ClusterPlaces(pool()).claim(job.id, 'worker-gone');
    const cancelling = discord.queue.cancel(job.id, { platform: 'discord', userId: 'alice' });

    const engine = new ScriptedEngine();
    await worker(engine);
    expect(await cancelling).toBe('cancelled');
    expect(engine.runs).toHaveLength(0);
    expect(discord.events.of(job.id).at(-1)).toEqual({ type: 'cancelled', byUserId: 'alice' });
  });

  it('puts a running job back in line once when its worker is gone and dispatch lost it (Redis emptied), and it runs once', async () => {
    const clock = new ManualClock();
    const discord = await frontEnd(['discord'], { clock });
    const slack = await frontEnd(['slack'], { clock });
    const job = await discord.queue.submit(ask('alice', 'discord'));
    const places = new ClusterPlaces(pool());
    await places.claim(job.id, 'worker-gone');
    await redis.clear();

    // Not before the worker is missed: it may be alive and running the job still.
    await Promise.all([discord.queue.reconcile(), slack.queue.reconcile()]);
    expect((await places.jobs([job.id])).get(job.id)?.state).toBe('running');

    await clock.advance(20_000);
    await Promise.all([discord.queue.reconcile(), slack.queue.reconcile()]);
    expect((await places.jobs([job.id])).get(job.id)?.state).toBe('queued');
    expect(lines.filter((line) => line.msg.includes('put back in line'))).toHaveLength(1);
    await waitFor(() => slack.queue.get(job.id)?.state === 'queued', 10_000, 'the other front-end to see it waiting');

    const engine = new ScriptedEngine(finishAtOnce);
    await worker(engine);
    await discord.events.waitFinished([job.id], 30_000);
    expect(discord.queue.get(job.id)?.state).toBe('done');
    expect(engine.runs.map((run) => run.jobId)).toEqual([job.id]);
    expect(discord.events.delivered.get(job.id)).toHaveLength(1);
  });
});
