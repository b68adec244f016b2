// /stylize on Discord: the real bot (real queue and journal, real discord.js client) against the fake Discord
// on 127.0.0.1, its jobs on the scripted engine, which each test drives. One bot serves all the tests in
// this file, in order. The same flow on the real engine is in discord-end-to-end.
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startScriptedHarness } from './fake-discord/harness.js';
import type { ScriptedHarness } from './fake-discord/harness.js';
import type { FakeUser } from './fake-discord/payloads.js';
import { callback, contentOf, ephemeralFollowUps, ephemeralReply, resultIn, resultsIn, replyEdits, waitForResult } from './fake-discord/inspect.js';
import { makeGradientPng } from './fixtures/images.js';
import { finishAtOnce } from './fixtures/scripted-engine.js';

let h: ScriptedHarness;

beforeAll(async () => {
  h = await startScriptedHarness({}, { maxPendingPerUser: 3 });
  await h.startBot();
}, 60_000);

afterAll(async () => {
  await h?.stop();
});

/** Starts a job that runs until the test ends it, and waits until the engine has it. */
async function startHeldJob(user: FakeUser) {
  const { fake } = h;
  h.engine.script = undefined;
  const job = fake.sendStylize({ user, content: { file: h.bigContent }, style: { file: h.style }, size: 1024 });
  await fake.waitFor(() => replyEdits(fake, job).some((call) => /Starting|iteration/.test(contentOf(call))) && job.originalId, 20_000, 'the job to run');
  const run = await h.engine.active();
  const replyId = job.originalId ?? '';
  const cancelId = fake.buttonIds(replyId).find((id) => id.startsWith('stylize:cancel:'));
  expect(cancelId).toBeDefined();
  return { job, run, replyId, cancelId: cancelId ?? '' };
}

describe('Discord /stylize', () => {
  test('hands the engine the options and images of the command', async () => {
    const { fake } = h;
    h.engine.script = finishAtOnce;
    const nina = fake.makeUser('nina');
    const job = fake.sendStylize({ user: nina, content: { file: h.bigContent }, style: { file: h.style }, size: 640, seed: 3, preset: 'painterly', keepColours: true });
    await waitForResult(fake, job);
    const run = h.engine.runs.at(-1);
    expect(run?.options).toEqual({ preset: 'painterly', size: 640, seed: 3, preserveColors: true });
    expect(run?.content).toEqual({ width: 1024, height: 768 });
    expect(run?.style).toEqual({ width: 40, height: 40 });
  });

  test('refuses a non-image, a huge file and a foreign host with ephemeral messages, downloading nothing', async () => {
    const { fake, host, foreignHost } = h;
    const carol = fake.makeUser('carol');
    const before = host.requests.length;
    const runsBefore = h.engine.runs.length;
    const foreign = foreignHost.add('elsewhere.png', await makeGradientPng(16, 16, 1), 'image/png');

    const notImage = fake.sendStylize({ user: carol, content: { file: h.content, contentType: 'application/pdf' }, style: { file: h.style } });
    const huge = fake.sendStylize({ user: carol, content: { file: h.content, size: 50 * 1024 * 1024 }, style: { file: h.style } });
    const wrongHost = fake.sendStylize({ user: carol, content: { file: h.content }, style: { file: foreign } });
    await fake.waitFor(() => [notImage, huge, wrongHost].every((i) => callback(fake, i)), 5000, 'three answers');

    expect(ephemeralReply(fake, notImage)).toMatch(/The photo \(photo\.png\) is not a JPEG, PNG, WebP or GIF picture/);
    expect(ephemeralReply(fake, huge)).toMatch(/The photo \(photo\.png\) is 50 MB; the limit is 10 MB/);
    expect(ephemeralReply(fake, wrongHost)).toMatch(/The style image: .*127\.0\.0\.1 is not an allowed file host/);
    expect(foreignHost.requests).toHaveLength(0);
    expect(host.requests.length).toBe(before);

    // Declared as an image but the bytes are not: found after download, the public reply is replaced by an
    // ephemeral note.
    const liar = host.add('liar.png', Buffer.from('this is not a picture at all'), 'image/png');
    const lying = fake.sendStylize({ user: carol, content: { file: liar }, style: { file: h.style } });
    await fake.waitFor(() => ephemeralFollowUps(fake, lying).length > 0, 5000, 'the follow-up');
    expect(ephemeralFollowUps(fake, lying)[0]).toMatch(/not a picture I can read/);
    expect(fake.callsTo('DELETE', new RegExp(`${lying.token}/messages/@original$`))).toHaveLength(1);
    expect(h.engine.runs.length).toBe(runsBefore);
  }, 30_000);

  test('cancel of a running job: only the requester may, and the message says who cancelled', async () => {
    const { fake } = h;
    const dave = fake.makeUser('dave');
    const erin = fake.makeUser('erin');
    const { job, run, replyId, cancelId } = await startHeldJob(dave);

    const refused = fake.clickButton(erin, replyId, cancelId);
    await fake.waitFor(() => callback(fake, refused), 3000, 'the refusal');
    expect(ephemeralReply(fake, refused)).toBe(`Only <@${dave.id}> can cancel this job.`);
    expect(run.cancelRequested).toBe(false);

    const accepted = fake.clickButton(dave, replyId, cancelId);
    await fake.waitFor(() => replyEdits(fake, job).some((call) => contentOf(call).includes('Cancelled')), 30_000, 'the cancelled edit');
    expect(run.outcome).toEqual({ kind: 'stopped' });
    expect((callback(fake, accepted)?.body as { type?: number }).type).toBe(6); // deferUpdate
    expect(contentOf(replyEdits(fake, job).at(-1) ?? ({} as never))).toContain(`Cancelled by <@${dave.id}>`);
    expect(resultIn(fake, replyId)).toBeUndefined();
  }, 60_000);

  test("two users' jobs interleave: one user's queue does not hold back the other's first job", async () => {
    const { fake } = h;
    const frank = fake.makeUser('frank');
    const grace = fake.makeUser('grace');
    // Frank's first job holds the engine until everyone has queued, then is cancelled.
    const { job: f1, replyId: f1ReplyId, cancelId: f1CancelId } = await startHeldJob(frank);
    // One after the other: uploads are checked side by side, so two sent at once may queue in either order.
    const f2 = fake.sendStylize({ user: frank, content: { file: h.content }, style: { file: h.style }, size: 32, seed: 2 });
    await fake.waitFor(() => replyEdits(fake, f2).length > 0, 10_000, 'frank queued');
    const f3 = fake.sendStylize({ user: frank, content: { file: h.content }, style: { file: h.style }, size: 32, seed: 3 });
    await fake.waitFor(() => replyEdits(fake, f3).length > 0, 10_000, 'frank queued');
    const g1 = fake.sendStylize({ user: grace, content: { file: h.content }, style: { file: h.style }, size: 32, seed: 7 });
    await fake.waitFor(() => replyEdits(fake, g1).length > 0, 10_000, 'grace queued');
    // Grace's first job goes ahead of Frank's third: she is next after his second.
    expect(contentOf(replyEdits(fake, g1)[0] ?? ({} as never))).toMatch(/Queued: 2nd in line/);
    // A third waiting job is over the per-user limit: refused before any download or public reply, only
    // frank sees why.
    const downloads = h.host.requests.length;
    const f4 = fake.sendStylize({ user: frank, content: { file: h.content }, style: { file: h.style }, size: 32 });
    await fake.waitFor(() => callback(fake, f4), 10_000, 'the refusal');
    expect(ephemeralReply(fake, f4)).toMatch(/^⚠️ .*(waiting|queue)/i);
    expect(h.host.requests.length).toBe(downloads);
    expect(replyEdits(fake, f1).some((call) => /Done|Cancelled/.test(contentOf(call)))).toBe(false);

    h.engine.script = finishAtOnce;
    fake.clickButton(frank, f1ReplyId, f1CancelId);
    await fake.waitFor(() => replyEdits(fake, f1).some((call) => contentOf(call).includes('Cancelled')), 30_000, 'the cancelled edit');
    await Promise.all([f2, f3, g1].map((job) => waitForResult(fake, job)));
    // In the order the engine ran them (each job has its own seed). Not the order the results were posted:
    // jobs that finish at once upload side by side, and the smaller upload may land first.
    const seeds = h.engine.runs.slice(-3).map((run) => run.options.seed);
    expect(seeds).toEqual([2, 7, 3]);
  }, 90_000);

  test('refuses a TIFF and an AVIF, naming the accepted formats, whether declared or found in the bytes', async () => {
    const { fake, host } = h;
    const olga = fake.makeUser('olga');
    const runsBefore = h.engine.runs.length;
    const picture = await makeGradientPng(32, 32, 4);
    const tiff = host.add('scan.tif', await sharp(picture).tiff().toBuffer(), 'image/tiff');
    const avif = host.add('phone.png', await sharp(picture).avif().toBuffer(), 'image/png');

    // Declared as TIFF: refused before any byte is fetched.
    const declared = fake.sendStylize({ user: olga, content: { file: tiff }, style: { file: h.style } });
    await fake.waitFor(() => callback(fake, declared), 5000, 'the refusal');
    expect(ephemeralReply(fake, declared)).toBe('⚠️ The photo (scan.tif) is not a JPEG, PNG, WebP or GIF picture, the only formats I take. Please choose one of those.');
    expect(host.requestsFor(tiff)).toBe(0);
    // Declared as PNG, but the bytes are AVIF: refused once they are read.
    const disguised = fake.sendStylize({ user: olga, content: { file: h.content }, style: { file: avif } });
    await fake.waitFor(() => ephemeralFollowUps(fake, disguised)[0], 10_000, 'the follow-up');
    expect(ephemeralFollowUps(fake, disguised)[0]).toBe('⚠️ The style image is an AVIF file, which is not supported. Please send a JPEG, PNG, WebP or GIF picture.');
    expect(h.engine.runs.length).toBe(runsBefore);
  }, 30_000);

  test('"More style" on a result runs the job again with the next preset, in the same thread', async () => {
    const { fake } = h;
    h.engine.script = finishAtOnce;
    const heidi = fake.makeUser('heidi');
    const job = fake.sendStylize({ user: heidi, content: { file: h.content }, style: { file: h.style }, size: 32, preset: 'photo' });
    const first = await waitForResult(fake, job);
    const moreStyle = fake.buttonIds(first.message.id).find((id) => id.startsWith('stylize:rerun:balanced:'));
    expect(moreStyle).toBeDefined();
    // Someone else's click is refused, only they see why, and no job is made.
    const runsBefore = h.engine.runs.length;
    const stranger = fake.clickButton(fake.makeUser('mallory'), first.message.id, moreStyle ?? '');
    await fake.waitFor(() => callback(fake, stranger), 3000, 'the refusal');
    expect(ephemeralReply(fake, stranger)).toBe('⚠️ Only the person who started this job can run it again. Use /stylize with your own images.');
    const click = fake.clickButton(heidi, first.message.id, moreStyle ?? '');
    const threadId = first.message.channel_id;
    await fake.waitFor(() => resultsIn(fake, threadId).length === 2, 30_000, 'the second result');
    const second = resultsIn(fake, threadId)[1];
    expect(second?.content).toContain('your picture is ready: Balanced');
    expect((callback(fake, click)?.body as { type?: number }).type).toBe(5); // a public deferred reply in the thread
    expect(fake.threads().filter((t) => t['id'] === threadId)).toHaveLength(1);
    // The rerun ran on the first job's stored images with the next preset.
    expect(h.engine.runs.at(-1)?.options).toEqual({ preset: 'balanced', size: 32 });
    expect(h.engine.runs.at(-1)?.content).toEqual(h.engine.runs.at(-2)?.content);
    expect(h.engine.runs.length).toBe(runsBefore + 1);
  }, 60_000);

  test('a job that ends while a progress edit is still under way posts its picture', async () => {
    const { fake, clock } = h;
    const olga = fake.makeUser('olga');
    const { job, run } = await startHeldJob(olga);
    // The next progress edit is held up by a rate limit (discord.js waits 2 s and retries)...
    fake.rateLimitNext({ method: 'PATCH', path: new RegExp(`${job.token}/messages/@original$`) }, 2);
    run.progress(5, 10);
    await clock.advanceUntil(() => replyEdits(fake, job).some((call) => call.status === 429), 'the rate-limited progress edit');
    // ...and the job ends meanwhile: its result still comes, and the reply ends as done.
    await run.finish();
    await waitForResult(fake, job);
    await fake.waitFor(() => contentOf(replyEdits(fake, job).at(-1) ?? ({} as never)).includes('Done'), 10_000, 'the final edit');
  }, 60_000);

  test('keeps updating through the bot token when the interaction token expires or the reply is deleted', async () => {
    const { fake } = h;
    const ivan = fake.makeUser('ivan');
    const { job: expiring, run: expiringRun } = await startHeldJob(ivan);
    fake.expireToken(expiring.id);
    // The next progress edit, one edit interval on, finds the token gone.
    expiringRun.progress(1, 10);
    await h.clock.advanceUntil(() => replyEdits(fake, expiring).some((call) => call.status === 401), 'an edit with the expired token');
    await expiringRun.finish();
    const result = await waitForResult(fake, expiring);
    const threadId = result.message.channel_id;
    // The status moved to a bot message in the thread, which ends as "Done".
    await fake.waitFor(() => fake.messagesIn(threadId).some((m) => m.content.includes('✅ Done')), 5000, 'the status in the thread');

    const judy = fake.makeUser('judy');
    const { job: deleted, run: deletedRun } = await startHeldJob(judy);
    fake.deleteMessage(deleted.originalId ?? '');
    deletedRun.progress(1, 10);
    await h.clock.advanceUntil(() => replyEdits(fake, deleted).some((call) => call.status === 404), 'an edit of the deleted reply');
    await deletedRun.finish();
    // The reply is gone, so the thread starts on a new message in the channel and holds the status and result.
    const starter = await fake.waitFor(
      () => fake.messagesIn(fake.channelId).find((m) => m.content.includes(`<@${judy.id}>`) && m.hasThread),
      60_000,
      'a new thread starter',
    );
    await fake.waitFor(() => resultIn(fake, starter.id), 60_000, 'the result');
  }, 90_000);
});
