// Cluster mode's promises as its users meet them (issue 18): a user runs /stylize in the fake Discord, the
// real bot (createBot with the cluster's addresses) is the front-end, engine worker processes on the timed
// scripted engine run the jobs (test/fixtures/cluster-worker-process.ts), dispatch runs on a redis-server of
// this file's own and everything else on PostgreSQL. A worker killed with kill -9 mid-job loses the job to
// another and the picture is posted once; Cancel stops the engine of the worker process within 2 s;
// PostgreSQL restarted means "try again later" in the user's language while it is down and jobs go on within
// 10 s of its return; 200 concurrent /stylize on a Discord and a Slack front-end never pass a limit (per
// person, per server, in all), and those refused hear which. Redis restarted or emptied: test/cluster-redis-lost.test.ts.
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Bot } from '../src/bot/index.js';
import type { ClusterAddresses } from '../src/queue/cluster/cluster-setup.js';
import { tell } from '../src/wording/index.js';
import { startHarness, type Harness } from './fake-discord/harness.js';
import { contentOf, replyEdits, type InteractionRef } from './fake-discord/inspect.js';
import type { FakeUser } from './fake-discord/payloads.js';
import { CHANNEL, modalValues, startSlackWorld, submitModal, type SlackWorld } from './fake-slack/harness.js';
import { emptyRedis, isQueued, isRunning, picturesOf, refusalOf, sendJob, startFrontEnd } from './fixtures/cluster-chat.js';
import { clusterServersHere, freshDatabase, type TestDatabase } from './fixtures/cluster-servers.js';
import { makeGradientPng } from './fixtures/images.js';
import { startPostgres, startRedis, type ThrowawayServer } from './fixtures/throwaway-servers.js';
import { waitFor } from './fixtures/wait-for.js';
import { startWorkerProcess, type WorkerProcess } from './fixtures/worker-processes.js';

const here = await clusterServersHere();
/** A job's time on the workers of the PostgreSQL test: the outage comes while one runs. */
const JOB_MS = 1500;

describe.skipIf(!here)('cluster mode through the chat, with worker processes', () => {
  let h: Harness;
  let redis: ThrowawayServer;
  let database: TestDatabase;
  let addresses: ClusterAddresses;
  const cleanups: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    // The bot, both fakes and the test share this process, which a burst of 200 keeps busy: acknowledging a
    // burst within Discord's 3 s is test/discord-burst.test.ts's promise, here only the answers count.
    [h, redis] = await Promise.all([startHarness({ ackWindowMs: 30_000 }), startRedis()]);
  }, 120_000);
  afterAll(async () => {
    await h?.stop();
    await redis?.cleanup();
  });
  beforeEach(async () => {
    database = await freshDatabase();
    await emptyRedis(redis);
    addresses = { databaseUrl: database.url, redisUrl: redis.url };
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    await database.drop();
  });

  async function frontEnd(at: ClusterAddresses = addresses, limits = {}): Promise<Bot> {
    const bot = await startFrontEnd(h, at, limits);
    cleanups.push(() => bot.stop());
    return bot;
  }

  async function worker(jobMs: number, at: ClusterAddresses = addresses): Promise<WorkerProcess> {
    const started = await startWorkerProcess(at, { jobMs });
    cleanups.push(() => started.stop());
    return started;
  }

  function user(name: string, locale?: string): FakeUser {
    // A name of this test's own: the fake Discord outlives the tests, and so do its users' messages.
    return h.fake.makeUser(`${name}-${database.name}`, locale ? { locale } : {});
  }

  it('kill -9 of a worker mid-job: another worker runs the job, and its picture is posted once in the thread', async () => {
    await frontEnd();
    const first = await worker(60_000);
    const job = sendJob(h, user('alice'));
    await h.fake.waitFor(() => isRunning(h, job), 30_000, 'the job to run on the first worker');
    // Only now the second: the job is surely on the first, which would take a minute.
    const second = await worker(300);

    await first.kill();
    await h.fake.waitFor(() => picturesOf(h, job) > 0, 30_000, 'the picture after the kill');
    // A second run would post its picture within one more job's time.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(picturesOf(h, job)).toBe(1);
    expect([...first.runs(), ...second.runs()]).toEqual([first.runs()[0], first.runs()[0]]);
  }, 60_000);

  it('Cancel pressed while a worker process runs the job: its engine stops within 2 s and the reply says cancelled', async () => {
    await frontEnd();
    const running = await worker(60_000);
    const bea = user('bea');
    const job = sendJob(h, bea);
    await h.fake.waitFor(() => isRunning(h, job), 30_000, 'the job to run on the worker');
    const replyId = job.originalId ?? '';
    const cancel = h.fake.buttonIds(replyId).find((id) => id.startsWith('stylize:cancel:'));
    if (!cancel) throw new Error('the running job offers no Cancel button');

    const pressedAt = Date.now();
    h.fake.clickButton(bea, replyId, cancel);
    const stoppedAt = await waitFor(() => /engine stopped \S+ (\d+)/.exec(running.output())?.[1], 10_000, 'the worker to stop its engine');
    console.log(`Cancel pressed: the worker process's engine stopped ${Number(stoppedAt) - pressedAt} ms later (promise: 2000 ms)`);
    expect(Number(stoppedAt) - pressedAt).toBeLessThan(2000);
    await h.fake.waitFor(() => replyEdits(h.fake, job).some((call) => contentOf(call).includes('Cancelled by')), 10_000, 'the reply saying cancelled');
    expect(picturesOf(h, job)).toBe(0);
  }, 60_000);

  it('PostgreSQL restarted: /stylize hears "try again later" in the user\'s language while it is down, and every job goes on within 10 s of its return', async () => {
    const server = await startPostgres();
    cleanups.push(() => server.cleanup());
    const own = await freshDatabase({ host: '127.0.0.1', port: server.port, user: 'postgres' });
    const at = { databaseUrl: own.url, redisUrl: redis.url };
    await frontEnd(at);
    await worker(JOB_MS, at);
    // One job runs and ends while PostgreSQL is down; one waits in line through the outage.
    const ends = sendJob(h, user('carl'));
    await h.fake.waitFor(() => isRunning(h, ends), 30_000, 'the first job to run');
    const waits = sendJob(h, user('cleo'));
    await h.fake.waitFor(() => isQueued(h, waits), 30_000, 'the second job in line');

    await server.stop();
    const stoppedAt = Date.now();
    const refused = sendJob(h, user('dora', 'de'));
    const answer = await h.fake.waitFor(() => refusalOf(h, refused), 30_000, 'the answer while PostgreSQL is down');
    expect(answer).toContain(tell({ code: 'storage-unavailable', params: {} }, 'de'));
    // Down past the end of the running job.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, stoppedAt + JOB_MS + 1000 - Date.now())));
    expect(picturesOf(h, ends)).toBe(0);

    await server.start();
    const back = Date.now();
    const emil = user('emil');
    let accepted: InteractionRef | undefined;
    while (!accepted && Date.now() - back < 10_000) {
      const attempt = sendJob(h, emil);
      await h.fake.waitFor(() => refusalOf(h, attempt) ?? (isQueued(h, attempt) || undefined), 10_000, 'an answer');
      if (isQueued(h, attempt)) accepted = attempt;
      else await new Promise((resolve) => setTimeout(resolve, 200));
    }
    if (!accepted) throw new Error('no job was accepted within 10 s of PostgreSQL coming back');
    const jobs = [ends, waits, accepted];
    await h.fake.waitFor(() => jobs.every((job) => picturesOf(h, job) > 0), 20_000, 'the pictures of every job');
    // The one that ended during the outage, the one that waited through it and the one sent after it: each
    // handed over within the 10 s of the server's return, once.
    const tookMs = Date.now() - back;
    console.log(`every job's picture ${tookMs} ms after PostgreSQL came back (promise: 10000 ms)`);
    expect(tookMs).toBeLessThan(10_000);
    for (const job of jobs) expect(picturesOf(h, job)).toBe(1);
  }, 90_000);

  describe('200 concurrent /stylize on a Discord and a Slack front-end', () => {
    let slack: SlackWorld | undefined;
    afterEach(async () => {
      await slack?.close();
      slack = undefined;
    });

    it('never pass the per-person, per-server or total limit, and the refused hear which limit', async () => {
      const limits = { maxPendingPerUser: 1, maxQueueLength: 20 };
      const discordBot = await frontEnd(addresses, limits);
      await discordBot.queue.changeServerSettings('discord', h.fake.guildId, { maxJobsPerServer: 8 });
      slack = await startSlackWorld({ engine: 'real', cluster: addresses, limits });
      const world = slack;
      const picture = await makeGradientPng(48, 40, 3);
      const content = world.addUserFile('FCLUSTERC', picture);
      const style = world.addUserFile('FCLUSTERS', await makeGradientPng(40, 40, 7));

      // 50 people on Discord who each try twice at once, 100 people on Slack once each: 200 at the same moment.
      const people = Array.from({ length: 50 }, (_, i) => user(`d${i}`));
      const onSlack = Array.from({ length: 100 }, (_, i) => ({ id: `UBURST${i}`, name: `s${i}` }));
      const discordAsks = [...people, ...people].map((person) => sendJob(h, person));
      const slackAsks = await Promise.all(onSlack.map((person) => submitModal(world, person, modalValues({ content, style }, { size: 64 }))));
      expect(slackAsks.every((response) => response.status === 200)).toBe(true);

      await h.fake.waitFor(() => discordAsks.every((ask) => ask.ackedAt !== undefined), 60_000, 'every interaction acknowledged');
      // What each one was answered, read in one pass over the fakes' calls (the test shares the bot's process).
      const answered = (): { discord: Map<string, string>; slack: Map<string, string> } => {
        const discord = new Map<string, string>();
        for (const call of h.fake.calls) {
          const token = /\/webhooks\/\d+\/([^/]+)/.exec(call.path)?.[1];
          if (token === undefined || call.status >= 300) continue;
          const body = call.body as { content?: string; flags?: number } | undefined;
          if (call.method === 'POST' && ((body?.flags ?? 0) & 64) === 64) discord.set(token, body?.content ?? '');
          else if (call.method === 'PATCH' && /Queued|Starting|Painting/.test(body?.content ?? '') && !discord.has(token)) discord.set(token, 'accepted');
        }
        const slack = new Map<string, string>();
        for (const call of world.api.calls) {
          if (call.reply?.ok !== true) continue;
          const mention = /<@(UBURST\d+)>/.exec(String(call.args.text))?.[1];
          if (call.method === 'chat.postMessage' && call.args.channel === CHANNEL && mention) slack.set(mention, 'accepted');
          if (call.method === 'chat.postEphemeral') slack.set(String(call.args.user), String(call.args.text));
        }
        return { discord, slack };
      };
      let now = answered();
      const deadline = Date.now() + 60_000;
      while (!(discordAsks.every((ask) => now.discord.has(ask.token)) && onSlack.every((person) => now.slack.has(person.id)))) {
        if (Date.now() > deadline) throw new Error('not everyone was answered within 60 s');
        await new Promise((resolve) => setTimeout(resolve, 250));
        now = answered();
      }
      const discordAnswer = (ask: InteractionRef): string | undefined => now.discord.get(ask.token);
      const ackMs = discordAsks.map((ask) => (ask.ackedAt ?? 0) - ask.dispatchedAt).sort((a, b) => a - b);
      console.log(`200 at once on two front-ends: Discord acknowledged in ${ackMs[0]}-${ackMs.at(-1)} ms (median ${ackMs[50]} ms)`);

      const answers = [...discordAsks.map(discordAnswer), ...onSlack.map((person) => now.slack.get(person.id))] as string[];
      const accepted = answers.filter((answer) => answer === 'accepted');
      const queueFull = tell({ code: 'queue-full', params: { maxQueueLength: 20 } });
      const perPerson = tell({ code: 'user-limit', params: { maxPerUser: 1 } });
      const perServer = tell({ code: 'server-limit', params: { maxPerServer: 8 } });
      const refusals = answers.filter((text) => text !== 'accepted');
      // Each refusal names its limit; any other answer is shown whole when this fails.
      expect(refusals.filter((answer) => ![queueFull, perPerson, perServer].some((sentence) => answer.includes(sentence)))).toEqual([]);
      expect(accepted).toHaveLength(20);
      expect(discordAsks.filter((ask) => discordAnswer(ask) === 'accepted').length).toBeLessThanOrEqual(8);
      // Nobody holds two places, across both front-ends.
      for (const person of people) expect(discordAsks.filter((ask, i) => people[i % 50] === person && discordAnswer(ask) === 'accepted').length).toBeLessThanOrEqual(1);
      const pool = new pg.Pool({ connectionString: database.url, max: 1 });
      const places = async (): Promise<string[]> => (await pool.query<{ user_key: string }>(`SELECT user_key FROM stylize_places`)).rows.map((row) => row.user_key);
      try {
        const taken = await places();
        expect(taken).toHaveLength(20);
        expect(new Set(taken).size).toBe(20);
        // And the 20 taken are real jobs: a worker runs them all, and each Discord one posts its picture once.
        await worker(50);
        const onDiscord = discordAsks.filter((ask) => discordAnswer(ask) === 'accepted');
        await h.fake.waitFor(() => onDiscord.every((ask) => picturesOf(h, ask) > 0), 60_000, 'the pictures of the jobs taken on Discord');
        for (let left = await places(); left.length > 0; left = await places()) await new Promise((resolve) => setTimeout(resolve, 100));
        for (const ask of onDiscord) expect(picturesOf(h, ask)).toBe(1);
      } finally {
        await pool.end();
      }
    }, 120_000);
  });
});
