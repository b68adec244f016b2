// Updates through the bot token, when the interaction token cannot be used. A restart in the middle of a
// queue: the bot stops while one job runs and two wait; a new bot on the same data folder resumes the
// journaled jobs, and their messages are updated in threads started on the original replies. A job that
// outlives its interaction token hands its progress over to a status message in its thread. Progress edits
// keep their distance. And a job that fails ends with the reason in its reply.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDiscordAdapter } from '../src/adapters/discord/index.js';
import type { DiscordAdapterTiming } from '../src/adapters/discord/index.js';
import { JobQueue } from '../src/queue/index.js';
import type { QueueLimits } from '../src/queue/index.js';
import { captureLog } from './fixtures/capture-log.js';
import { startHarness } from './fake-discord/harness.js';
import type { Harness } from './fake-discord/harness.js';
import { callback, contentOf, minGap, pngSize, replyEdits, resultIn, waitForResult } from './fake-discord/inspect.js';

let h: Harness;
/** Data folders made here (the harness's bots still use them until it stops). */
const dataDirs: string[] = [];

beforeAll(async () => {
  h = await startHarness();
}, 60_000);

afterAll(async () => {
  await h?.stop();
  await Promise.all(dataDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

test('a restart resumes the journaled jobs and finishes them in their threads', async () => {
  const { fake } = h;
  const dataDir = await mkdtemp(join(tmpdir(), 'stylize-discord-restart-'));
  dataDirs.push(dataDir);
  const first = await h.startBot(dataDir);
  const alice = fake.makeUser('alice');
  const bob = fake.makeUser('bob');
  // 1024 px: far longer than queueing the others and stopping takes, so it is surely running at the stop.
  const running = fake.sendStylize({ user: alice, content: { file: h.bigContent }, style: { file: h.style }, size: 1024 });
  await fake.waitFor(() => replyEdits(fake, running).some((call) => /Starting|iteration/.test(contentOf(call))), 20_000, 'the job to start');
  const waitingBob = fake.sendStylize({ user: bob, content: { file: h.content }, style: { file: h.style }, size: 32, preset: 'painting' });
  const waitingAlice = fake.sendStylize({ user: alice, content: { file: h.content }, style: { file: h.style }, size: 40 });
  const toCancel = fake.sendStylize({ user: bob, content: { file: h.content }, style: { file: h.style }, size: 32 });
  const jobs = [running, waitingBob, waitingAlice];
  await fake.waitFor(() => [waitingBob, waitingAlice, toCancel].every((job) => replyEdits(fake, job).some((call) => contentOf(call).includes('Queued'))), 10_000, 'both queued');
  expect(jobs.every((job) => resultIn(fake, job.originalId ?? '') === undefined)).toBe(true);

  await first.stop();
  const restartedAt = Date.now();
  await h.startBot(dataDir);
  // The Cancel button the first bot put on a reply still works: its id carries the job id.
  const cancelId = fake.buttonIds(toCancel.originalId ?? '').find((id) => id.startsWith('stylize:cancel:')) ?? '';
  const click = fake.clickButton(bob, toCancel.originalId ?? '', cancelId);
  await fake.waitFor(() => fake.messagesIn(toCancel.originalId ?? '').some((m) => m.content.includes(`Cancelled by <@${bob.id}>`)), 20_000, 'the cancel after the restart');
  expect((callback(fake, click)?.body as { type?: number }).type).toBe(6);

  const results = await fake.waitFor(() => {
    const found = jobs.map((job) => resultIn(fake, job.originalId ?? ''));
    return found.every((result) => result !== undefined) ? found : undefined;
  }, 90_000, 'all three results after the restart');

  expect(await pngSize(results[0]?.png.data)).toMatchObject({ width: 1024, height: 768 });
  expect(await pngSize(results[1]?.png.data)).toMatchObject({ width: 32 });
  expect(results[1]?.message.content).toContain('Mostly painting');
  // After the restart nothing went through the old interaction tokens: every update used the bot token.
  const afterRestart = fake.calls.filter((call) => call.at >= restartedAt);
  expect(afterRestart.filter((call) => call.path.startsWith('/webhooks/'))).toEqual([]);
  for (const job of jobs) {
    const threadId = job.originalId ?? '';
    const status = fake.messagesIn(threadId).find((message) => message.content.includes('✅ Done'));
    expect(status, `status message in the thread of ${threadId}`).toBeDefined();
    expect(afterRestart.some((call) => call.method === 'POST' && call.path === `/channels/${threadId}/messages`)).toBe(true);
  }
  // The resumed jobs said they were back in the queue before running.
  expect(afterRestart.some((call) => contentOf(call).includes('Back in the queue after a restart'))).toBe(true);
}, 150_000);

/** Runs `body` with a queue and a Discord adapter built here, for settings the bot's config does not offer. */
async function withAdapter(settings: { timing?: Partial<DiscordAdapterTiming>; limits?: Partial<QueueLimits> }, body: () => Promise<void>): Promise<void> {
  const { fake } = h;
  const { log } = captureLog();
  const dataDir = await mkdtemp(join(tmpdir(), 'stylize-discord-adapter-'));
  const queue = new JobQueue({ engine: { weightsDir: h.weightsDir, backend: 'wasm' }, dataDir, log, ...(settings.limits ? { limits: settings.limits } : {}) });
  const adapter = createDiscordAdapter({
    config: { token: fake.token, applicationId: fake.applicationId, apiUrl: fake.apiUrl, attachmentHosts: [h.host.host] },
    queue,
    log,
    ...(settings.timing ? { timing: settings.timing } : {}),
  });
  await queue.start();
  await adapter.start();
  try {
    await body();
  } finally {
    await queue.stop();
    await adapter.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

test('a job that outlives its interaction token moves its progress to the thread before the token expires', async () => {
  const { fake } = h;
  // A token "lifetime" of 1.5 s stands for Discord's 15 minutes.
  await withAdapter({ timing: { tokenLifetimeMs: 1500 } }, async () => {
    const kim = fake.makeUser('kim');
    const job = fake.sendStylize({ user: kim, content: { file: h.bigContent }, style: { file: h.style }, size: 512 });
    const result = await waitForResult(fake, job);
    const threadId = result.message.channel_id;
    await fake.waitFor(() => fake.messagesIn(threadId).some((m) => m.content.includes('✅ Done')), 5000, 'the final status in the thread');
    const edits = replyEdits(fake, job);
    // The reply's last edit points to the thread, made while the token still worked; none failed.
    expect(contentOf(edits.at(-1) ?? ({} as never))).toContain('progress continues in the thread');
    expect(edits.every((call) => call.status === 200)).toBe(true);
    const movedAt = edits.at(-1)?.at ?? 0;
    expect(movedAt - job.dispatchedAt).toBeGreaterThanOrEqual(1500);
    expect(fake.calls.some((call) => call.at >= movedAt && call.method === 'PATCH' && call.path.startsWith(`/channels/${threadId}/messages/`))).toBe(true);
  });
}, 60_000);

test('progress edits of one message keep the configured distance, however fast the engine reports', async () => {
  const { fake } = h;
  // A short interval gives many edits in a few seconds; the bot's default is 3 s (see discord-flow).
  await withAdapter({ timing: { editIntervalMs: 400 } }, async () => {
    const mia = fake.makeUser('mia');
    const job = fake.sendStylize({ user: mia, content: { file: h.bigContent }, style: { file: h.style }, size: 512 });
    await waitForResult(fake, job);
    const progress = replyEdits(fake, job).filter((call) => contentOf(call).includes('iteration'));
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(minGap(progress)).toBeGreaterThanOrEqual(400 - 50);
  });
}, 60_000);

test('a job the engine cannot finish ends with the reason in its reply, and no thread', async () => {
  const { fake } = h;
  await withAdapter({ limits: { jobTimeoutMs: 1000 } }, async () => {
    const liam = fake.makeUser('liam');
    const job = fake.sendStylize({ user: liam, content: { file: h.bigContent }, style: { file: h.style }, size: 1024 });
    const last = await fake.waitFor(() => replyEdits(fake, job).find((call) => contentOf(call).includes('❌')), 60_000, 'the failure');
    expect(contentOf(last)).toMatch(/❌ Your job took longer than the .+ limit and was stopped/);
    expect((last.body as { components?: unknown[] }).components).toEqual([]);
    expect(fake.channels.get(job.originalId ?? '')).toBeUndefined();
  });
}, 60_000);
