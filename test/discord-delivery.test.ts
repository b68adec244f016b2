// Delivery of the picture on Discord when posting it fails: the real bot (queue, journal, discord.js) against
// the fake Discord with fault hooks on the result's POST, jobs on the scripted engine, time on the manual
// clock, so "failing for 30 s" and a 20-second Retry-After take no real time. Each job must end with exactly
// one picture in its thread: never lost, never twice.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Journal } from '../src/queue/journal.js';
import type { JobRecord } from '../src/queue/journal.js';
import { startScriptedHarness } from './fake-discord/harness.js';
import type { ScriptedHarness } from './fake-discord/harness.js';
import { contentOf, replyEdits, resultsIn } from './fake-discord/inspect.js';
import type { InteractionRef } from './fake-discord/inspect.js';
import type { FakeDiscord, RouteMatch } from './fake-discord/server.js';
import { makeGradientPng } from './fixtures/images.js';
import { finishAtOnce } from './fixtures/scripted-engine.js';

let h: ScriptedHarness;

beforeAll(async () => {
  h = await startScriptedHarness();
  await h.startBot();
  h.engine.script = finishAtOnce;
}, 60_000);

afterAll(async () => {
  await h?.stop();
});

/** The result's POST into its thread. */
const RESULT_POST: RouteMatch = { method: 'POST', path: /^\/channels\/\d+\/messages$/, file: /^stylized-/ };

function startJob(fake: FakeDiscord, name: string): InteractionRef {
  return fake.sendStylize({ user: fake.makeUser(name), content: { file: h.content }, style: { file: h.style }, size: 32 });
}

function lastReply(fake: FakeDiscord, job: InteractionRef): string {
  return contentOf(replyEdits(fake, job).at(-1) ?? { method: '', path: '', body: undefined, files: [], at: 0, status: 0 });
}

function resultPosts(fake: FakeDiscord, job: InteractionRef) {
  return fake.callsTo('POST', new RegExp(`^/channels/${job.originalId ?? 'none'}/messages$`));
}

test('a result POST failing with 503 for 30 s, then recovering: one picture in the thread and a final "Done"', async () => {
  const { fake, clock } = h;
  const fault = fake.fault(RESULT_POST, { status: 503 });
  const job = startJob(fake, 'ada');
  await clock.advanceUntil(() => fault.caught() > 0 && lastReply(fake, job).includes('Trying again'), 'the first failed try', { stepMs: 100 });
  expect(lastReply(fake, job)).toContain('server error (503)');
  const failingSince = clock.now();
  await clock.advanceUntil(() => clock.now() - failingSince >= 30_000, '30 s of failures', { stepMs: 500 });
  fault.clear();
  await clock.advanceUntil(() => resultsIn(fake, job.originalId ?? '').length > 0 && lastReply(fake, job).includes('Done'), 'the result', { stepMs: 500 });
  expect(fault.caught()).toBeGreaterThanOrEqual(4);
  expect(resultsIn(fake, job.originalId ?? '')).toHaveLength(1);
  expect(lastReply(fake, job)).toMatch(/✅ Done/);
}, 60_000);

test('a 429 on the result: the next try waits for Retry-After on the clock, and says it is slowed down', async () => {
  const { fake, clock } = h;
  fake.fault(RESULT_POST, { status: 429, retryAfterSeconds: 20, times: 1 });
  const job = startJob(fake, 'bea');
  await clock.advanceUntil(() => lastReply(fake, job).includes('slow down'), 'the rate-limited try', { stepMs: 100 });
  await clock.advanceUntil(() => resultsIn(fake, job.originalId ?? '').length > 0 && lastReply(fake, job).includes('Done'), 'the result', { stepMs: 500 });
  const [limited, accepted] = resultPosts(fake, job);
  expect((accepted?.clockAt ?? 0) - (limited?.clockAt ?? 0)).toBeGreaterThanOrEqual(20_000);
  expect(resultsIn(fake, job.originalId ?? '')).toHaveLength(1);
}, 60_000);

test('a missing permission is final: the user reads what to grant, never "smaller size", and it is not retried', async () => {
  const { fake, clock } = h;
  fake.fault(RESULT_POST, { status: 403, code: 50013, message: 'Missing Permissions', times: 1 });
  const job = startJob(fake, 'cleo');
  await clock.advanceUntil(() => lastReply(fake, job).includes('❌'), 'the final answer', { stepMs: 100 });
  expect(lastReply(fake, job)).toContain('give me the Attach Files');
  expect(lastReply(fake, job)).not.toMatch(/smaller/);
  await clock.advance(60 * 60_000);
  expect(resultPosts(fake, job)).toHaveLength(1);
  expect(resultsIn(fake, job.originalId ?? '')).toHaveLength(0);
}, 60_000);

test('a 413 is final too: the picture is too large for the server, said plainly', async () => {
  const { fake, clock } = h;
  fake.fault(RESULT_POST, { status: 413, code: 40005, message: 'Request entity too large', times: 1 });
  const job = startJob(fake, 'dora');
  await clock.advanceUntil(() => lastReply(fake, job).includes('❌'), 'the final answer', { stepMs: 100 });
  expect(lastReply(fake, job)).toContain('larger than this server lets me upload');
  await clock.advance(60 * 60_000);
  expect(resultPosts(fake, job)).toHaveLength(1);
}, 60_000);

test('the answer to the upload is lost after Discord made the message: the retry finds it and posts nothing more', async () => {
  const { fake, clock } = h;
  // Discord makes the message but every answer to that POST is lost, until cleared.
  const fault = fake.fault(RESULT_POST, { status: 500, afterHandling: true });
  const job = startJob(fake, 'edda');
  await clock.advanceUntil(() => lastReply(fake, job).includes('Done'), 'the job to be done', { stepMs: 500 });
  fault.clear();
  expect(resultPosts(fake, job)).toHaveLength(1);
  expect(resultsIn(fake, job.originalId ?? '')).toHaveLength(1);
  // The retry read the thread instead of posting again.
  expect(fake.callsTo('GET', new RegExp(`^/channels/${job.originalId ?? 'none'}/messages$`)).length).toBeGreaterThan(0);
}, 60_000);

test('a restart with a delivery still pending posts the picture once', async () => {
  const { fake, clock } = h;
  const dataDir = await h.dataDir();
  const first = await h.startBot(dataDir);
  h.engine.script = finishAtOnce;
  const fault = fake.fault(RESULT_POST, { status: 502 });
  const job = startJob(fake, 'fay');
  await clock.advanceUntil(() => lastReply(fake, job).includes('Trying again'), 'a failed try', { stepMs: 100 });
  await first.stop();
  fault.clear();
  await h.startBot(dataDir);
  h.engine.script = finishAtOnce;
  const threadId = job.originalId ?? '';
  await clock.advanceUntil(() => resultsIn(fake, threadId).length > 0 && fake.messagesIn(threadId).some((m) => m.content.includes('✅ Done')), 'the result after the restart', { stepMs: 500 });
  await clock.advance(10 * 60_000);
  expect(resultsIn(fake, threadId)).toHaveLength(1);
}, 60_000);

test('"A thread has already been created" (160004) when the delivery starts the thread on a new message: the picture goes into that thread', async () => {
  const { fake, clock } = h;
  // A job the bot died with after keeping its picture and before it knew its reply's message (see the
  // kill test in bot-main): after the restart the delivery itself starts the thread, on a new message.
  const dataDir = await h.dataDir();
  const gil = fake.makeUser('gil');
  const png = await makeGradientPng(32, 24, 9);
  const record: JobRecord = {
    id: 'mthreadalready1',
    platform: 'discord',
    userId: gil.id,
    userName: 'gil',
    reply: { channelId: fake.channelId, guildId: fake.guildId },
    options: { preset: 'balanced', size: 32 },
    state: 'running',
    createdAt: clock.now(),
    seq: 1,
    round: 0,
    attempts: 1,
  };
  const journal = new Journal(dataDir);
  await journal.open();
  await journal.accept(record, { content: png, style: png });
  const losses = { content: 1, style: 1, total: 2 };
  await journal.saveResult(record.id, {
    png,
    result: { width: 32, height: 24, iterations: 10, seconds: 1, backend: 'wasm', layers: { content: ['conv4_2'], style: ['conv1_1'] }, alpha: 1, beta: 1, styleScale: 1, styleWeights: [1], colorMode: 'style', initial: losses, final: losses },
  });
  await journal.close();
  // Discord makes the thread but answers as it does when the thread exists already (an earlier try's
  // answer lost, discord.js repeating the request).
  const thread = fake.fault(
    { method: 'POST', path: /^\/channels\/\d+\/messages\/\d+\/threads$/ },
    { status: 400, code: 160004, message: 'A thread has already been created for this message', afterHandling: true, times: 1 },
  );
  await h.startBot(dataDir);
  const starter = await clock.advanceUntil(
    () => fake.messagesIn(fake.channelId).find((message) => message.content.includes(`<@${gil.id}>`) && message.hasThread),
    'the thread on a new message',
    { stepMs: 100 },
  );
  await clock.advanceUntil(() => resultsIn(fake, starter.id).length > 0 && fake.messagesIn(starter.id).some((m) => m.content.includes('✅ Done')), 'the picture in that thread', { stepMs: 500 });
  expect(thread.caught()).toBe(1);
  expect(resultsIn(fake, starter.id)).toHaveLength(1);
  expect(fake.messagesIn(fake.channelId).filter((message) => message.content.includes(`<@${gil.id}>`))).toHaveLength(1);
  expect(h.logText().split('\n').filter((line) => line.includes(record.id) && line.includes('picture could not be delivered'))).toEqual([]);
}, 60_000);
