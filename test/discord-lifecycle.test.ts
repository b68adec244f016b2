// Updates through the bot token, when the interaction token cannot be used. A restart in the middle of a
// queue: the bot stops while one job runs and two wait; a new bot on the same data folder resumes the
// journaled jobs, and their messages are updated in threads started on the original replies. A job that
// outlives its interaction token hands its progress over to a status message in its thread. Progress edits
// keep their distance. And a job that fails ends with the reason in its reply. Jobs run on the scripted
// engine and time is the harness's manual clock: a 15-minute token lifetime takes no real time.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createDiscordAdapter } from '../src/adapters/discord/index.js';
import type { DiscordAdapterTiming } from '../src/adapters/discord/index.js';
import { JobQueue } from '../src/queue/index.js';
import type { QueueLimits } from '../src/queue/index.js';
import { captureLog } from './fixtures/capture-log.js';
import { finishAtOnce, ScriptedEngine } from './fixtures/scripted-engine.js';
import { startScriptedHarness } from './fake-discord/harness.js';
import type { ScriptedHarness } from './fake-discord/harness.js';
import { callback, contentOf, minGap, pngSize, replyEdits, resultIn, waitForResult } from './fake-discord/inspect.js';

let h: ScriptedHarness;

beforeAll(async () => {
  h = await startScriptedHarness();
}, 60_000);

afterAll(async () => {
  await h?.stop();
});

test('a restart resumes the journaled jobs and finishes them in their threads', async () => {
  const { fake } = h;
  const dataDir = await h.dataDir();
  const first = await h.startBot(dataDir);
  const alice = fake.makeUser('alice');
  const bob = fake.makeUser('bob');
  // Alice's job holds the engine until the stop.
  const running = fake.sendStylize({ user: alice, content: { file: h.bigContent }, style: { file: h.style }, size: 1024 });
  await fake.waitFor(() => replyEdits(fake, running).some((call) => /Starting|iteration/.test(contentOf(call))), 20_000, 'the job to start');
  const interrupted = await h.engine.active();
  const waitingBob = fake.sendStylize({ user: bob, content: { file: h.content }, style: { file: h.style }, size: 32, preset: 'painting' });
  const waitingAlice = fake.sendStylize({ user: alice, content: { file: h.content }, style: { file: h.style }, size: 40 });
  const toCancel = fake.sendStylize({ user: bob, content: { file: h.content }, style: { file: h.style }, size: 32 });
  const jobs = [running, waitingBob, waitingAlice];
  await fake.waitFor(() => [waitingBob, waitingAlice, toCancel].every((job) => replyEdits(fake, job).some((call) => contentOf(call).includes('Queued'))), 10_000, 'both queued');
  expect(jobs.every((job) => resultIn(fake, job.originalId ?? '') === undefined)).toBe(true);

  await first.stop();
  expect(interrupted.outcome).toEqual({ kind: 'stopped' });
  const callsBeforeRestart = fake.calls.length;
  const second = await h.startBot(dataDir);
  // The Cancel button the first bot put on a reply still works: its id carries the job id.
  const cancelId = fake.buttonIds(toCancel.originalId ?? '').find((id) => id.startsWith('stylize:cancel:')) ?? '';
  const click = fake.clickButton(bob, toCancel.originalId ?? '', cancelId);
  await fake.waitFor(() => fake.messagesIn(toCancel.originalId ?? '').some((m) => m.content.includes(`Cancelled by <@${bob.id}>`)), 20_000, 'the cancel after the restart');
  expect((callback(fake, click)?.body as { type?: number }).type).toBe(6);

  // The interrupted job runs again from the start; then the others, each as soon as it reaches the engine.
  await (await h.engine.active()).finish();
  h.engine.script = finishAtOnce;
  const results = await fake.waitFor(() => {
    const found = jobs.map((job) => resultIn(fake, job.originalId ?? ''));
    return found.every((result) => result !== undefined) ? found : undefined;
  }, 90_000, 'all three results after the restart');
  expect(await pngSize(results[0]?.png.data)).toMatchObject({ width: 1024, height: 768 });
  expect(await pngSize(results[1]?.png.data)).toMatchObject({ width: 32 });
  expect(results[1]?.message.content).toContain('Mostly style');
  // After the restart nothing went through the old interaction tokens: every update used the bot token.
  const afterRestart = fake.calls.slice(callsBeforeRestart);
  expect(afterRestart.filter((call) => call.path.startsWith('/webhooks/'))).toEqual([]);
  for (const job of jobs) {
    const threadId = job.originalId ?? '';
    // "Done" follows the picture once Discord has accepted it: wait for it rather than race it.
    const status = await fake.waitFor(() => fake.messagesIn(threadId).find((message) => message.content.includes('✅ Done')), 20_000, `the status message in the thread of ${threadId}`);
    expect(status).toBeDefined();
    expect(afterRestart.some((call) => call.method === 'POST' && call.path === `/channels/${threadId}/messages`)).toBe(true);
  }
  // The resumed jobs said they were back in the queue before running.
  expect(afterRestart.some((call) => contentOf(call).includes('Back in the queue after a restart'))).toBe(true);
  // The fake sends every interaction to every connected bot and the first to answer gets it: the tests
  // below must meet only their own bot.
  await second.stop();
}, 150_000);

/** Runs `body` with a queue (on a scripted engine) and a Discord adapter built here, for settings the bot's config does not offer. */
async function withAdapter(settings: { timing?: Partial<DiscordAdapterTiming>; limits?: Partial<QueueLimits> }, body: (engine: ScriptedEngine) => Promise<void>): Promise<void> {
  const { fake, clock } = h;
  const { log } = captureLog();
  const engine = new ScriptedEngine();
  const queue = new JobQueue({ engine, clock, dataDir: await h.dataDir(), log, ...(settings.limits ? { limits: settings.limits } : {}) });
  const adapter = createDiscordAdapter({
    config: { token: fake.token, applicationId: fake.applicationId, apiUrl: fake.apiUrl, attachmentHosts: [h.host.host] },
    queue,
    log,
    clock,
    ...(settings.timing ? { timing: settings.timing } : {}),
  });
  await queue.start();
  await adapter.start();
  try {
    await body(engine);
  } finally {
    await queue.stop();
    await adapter.stop();
  }
}

test('a job that outlives its interaction token moves its progress to the thread before the token expires', async () => {
  const { fake, clock } = h;
  // Discord's own lifetime: the bot moves on after 14 of the token's 15 minutes.
  const tokenLifetimeMs = 14 * 60_000;
  await withAdapter({ timing: { tokenLifetimeMs } }, async (engine) => {
    const kim = fake.makeUser('kim');
    const sentAt = clock.now();
    const job = fake.sendStylize({ user: kim, content: { file: h.bigContent }, style: { file: h.style }, size: 512 });
    const run = await engine.active();
    run.progress(1, 100, { etaMs: 20 * 60_000 });
    await clock.advanceUntil(() => replyEdits(fake, job).some((call) => contentOf(call).includes('Painting')), 'a progress edit');
    // Far into the job, the next progress edit comes after the token's lifetime.
    await clock.advance(tokenLifetimeMs);
    run.progress(70, 100, { etaMs: 6 * 60_000 });
    await clock.advanceUntil(() => replyEdits(fake, job).some((call) => contentOf(call).includes('progress continues in the thread')), 'the move to the thread');
    await run.finish();
    const result = await waitForResult(fake, job);
    const threadId = result.message.channel_id;
    await fake.waitFor(() => fake.messagesIn(threadId).some((m) => m.content.includes('✅ Done')), 5000, 'the final status in the thread');
    const edits = replyEdits(fake, job);
    // The reply's last edit points to the thread, made while the token still worked; none failed.
    expect(contentOf(edits.at(-1) ?? ({} as never))).toContain('progress continues in the thread');
    expect(edits.every((call) => call.status === 200)).toBe(true);
    const moved = edits.at(-1);
    expect((moved?.clockAt ?? 0) - sentAt).toBeGreaterThanOrEqual(tokenLifetimeMs);
    const movedAt = moved?.at ?? 0;
    expect(fake.calls.some((call) => call.at >= movedAt && call.method === 'PATCH' && call.path.startsWith(`/channels/${threadId}/messages/`))).toBe(true);
  });
}, 60_000);

test('a 16-minute job with no event between minutes 13 and 16: the reply is handed over before its token ends, without a live Cancel button', async () => {
  const { fake, clock } = h;
  const minute = 60_000;
  await withAdapter({ limits: { jobTimeoutMs: 20 * minute } }, async (engine) => {
    const nora = fake.makeUser('nora');
    const sentAt = clock.now();
    const job = fake.sendStylize({ user: nora, content: { file: h.bigContent }, style: { file: h.style }, size: 512 });
    const run = await engine.active();
    // The last progress report comes at minute 13; then the engine is silent until it finishes at minute 16.
    await clock.advance(sentAt + 13 * minute - clock.now());
    run.progress(80, 100, { etaMs: 3 * minute });
    await fake.waitFor(() => replyEdits(fake, job).some((call) => contentOf(call).includes('Painting')), 10_000, 'the progress edit of minute 13');
    expect(fake.buttonIds(job.originalId ?? '').some((id) => id.startsWith('stylize:cancel:'))).toBe(true);
    // Minute 14, a minute before Discord ends the token: the handover, with no event to carry it.
    await clock.advance(sentAt + 14 * minute - clock.now());
    const handover = await fake.waitFor(() => replyEdits(fake, job).find((call) => contentOf(call).includes('progress continues in the thread')), 10_000, 'the handover edit');
    expect(handover.status).toBe(200);
    expect((handover.clockAt ?? 0) - sentAt).toBeLessThan(15 * minute);
    expect((handover.body as { components?: unknown[] }).components).toEqual([]);
    expect(fake.buttonIds(job.originalId ?? '')).toEqual([]);
    // The status and its Cancel button live on in the thread.
    const threadId = job.originalId ?? '';
    const status = await fake.waitFor(() => fake.messagesIn(threadId).find((message) => message.author.id === fake.bot.id), 10_000, 'the status message in the thread');
    expect(fake.buttonIds(status.id).some((id) => id.startsWith('stylize:cancel:'))).toBe(true);
    // Minute 15: Discord ends the token. Minute 16: the picture, and "Done" in the thread.
    await clock.advance(sentAt + 15 * minute - clock.now());
    fake.expireToken(job.id);
    await clock.advance(minute);
    await run.finish();
    await waitForResult(fake, job);
    await fake.waitFor(() => fake.messagesIn(threadId).some((m) => m.content.includes('✅ Done')), 10_000, 'the final status in the thread');
    // Nothing went to the reply after the handover: no edit failed on the ended token.
    expect(replyEdits(fake, job).at(-1)).toBe(handover);
  });
}, 60_000);

test('progress edits of one message keep the configured distance, however fast the engine reports', async () => {
  const { fake, clock } = h;
  const editIntervalMs = 400;
  await withAdapter({ timing: { editIntervalMs } }, async (engine) => {
    const mia = fake.makeUser('mia');
    const job = fake.sendStylize({ user: mia, content: { file: h.bigContent }, style: { file: h.style }, size: 512 });
    const run = await engine.active();
    const progressEdits = () => replyEdits(fake, job).filter((call) => contentOf(call).includes('Painting'));
    // The engine reports every 50 ms (on the test clock), eight times per edit interval.
    let iteration = 0;
    await clock.advanceUntil(() => {
      if (progressEdits().length >= 4) return true;
      iteration += 1;
      run.progress(iteration, 1000, { etaMs: (1000 - iteration) * 50 });
      return false;
    }, 'four progress edits', { stepMs: 50 });
    await run.finish();
    await waitForResult(fake, job);
    const progress = progressEdits();
    expect(progress.length).toBeGreaterThanOrEqual(3);
    // Measured on the test clock: each edit at least the interval after the previous one.
    expect(minGap(progress, (call) => call.clockAt ?? 0)).toBeGreaterThanOrEqual(editIntervalMs);
    // Far fewer edits than progress reports: the ones in between were coalesced.
    expect(progress.length).toBeLessThan(iteration);
  });
}, 60_000);

test('a job the engine cannot finish ends with the reason in its reply, and no thread', async () => {
  const { fake, clock } = h;
  // The bot's own limit (10 minutes here, within the reply's token) passes on the test clock.
  await withAdapter({ limits: { jobTimeoutMs: 10 * 60_000 } }, async (engine) => {
    const liam = fake.makeUser('liam');
    const job = fake.sendStylize({ user: liam, content: { file: h.bigContent }, style: { file: h.style }, size: 1024 });
    const run = await engine.active();
    await clock.advance(10 * 60_000);
    expect(run.cancelRequested).toBe(true);
    const last = await fake.waitFor(() => replyEdits(fake, job).find((call) => contentOf(call).includes('❌')), 60_000, 'the failure');
    expect(contentOf(last)).toMatch(/❌ Your job took longer than the .+ limit and was stopped/);
    expect((last.body as { components?: unknown[] }).components).toEqual([]);
    expect(fake.channels.get(job.originalId ?? '')).toBeUndefined();
  });
}, 60_000);
