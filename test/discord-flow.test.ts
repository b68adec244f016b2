// /stylize end to end: the real bot (real queue, real engine process on the tiny network, real discord.js
// client) against the fake Discord on 127.0.0.1. One bot serves all the tests in this file, in order.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startHarness } from './fake-discord/harness.js';
import type { Harness } from './fake-discord/harness.js';
import type { FakeUser } from './fake-discord/payloads.js';
import { callback, contentOf, ephemeralFollowUps, ephemeralReply, minGap, pngSize, replyEdits, resultIn, waitForResult } from './fake-discord/inspect.js';
import { makeGradientPng } from './fixtures/images.js';

const HEARTBEAT_MS = 800;
const EDIT_INTERVAL_MS = 3000;
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ heartbeatIntervalMs: HEARTBEAT_MS }, { maxPendingPerUser: 3 });
  await h.startBot();
}, 60_000);

afterAll(async () => {
  await h?.stop();
});

/** Starts a 1024 px job, far longer than any test step around it, and waits until it runs. */
async function startLongJob(user: FakeUser) {
  const { fake } = h;
  const job = fake.sendStylize({ user, content: { file: h.bigContent }, style: { file: h.style }, size: 1024 });
  await fake.waitFor(() => replyEdits(fake, job).some((call) => /Starting|iteration/.test(contentOf(call))) && job.originalId, 20_000, 'the job to run');
  const replyId = job.originalId ?? '';
  const cancelId = fake.buttonIds(replyId).find((id) => id.startsWith('stylize:cancel:'));
  expect(cancelId).toBeDefined();
  return { job, replyId, cancelId: cancelId ?? '' };
}

describe('Discord /stylize', () => {
  test('ends with a PNG of the requested size in a thread, with throttled progress, while the bot stays responsive', async () => {
    const { fake } = h;
    const alice = fake.makeUser('alice');
    // The first progress edit fails with a 429: discord.js waits as told and retries.
    fake.rateLimitNext({ method: 'PATCH', path: /\/messages\/@original$/ }, 0.2);
    const job = fake.sendStylize({ user: alice, content: { file: h.bigContent }, style: { file: h.style }, size: 1024, seed: 3 });
    await fake.waitFor(() => replyEdits(fake, job).some((call) => contentOf(call).includes('iteration')), 60_000, 'a progress edit');

    // While the engine computes, a new command is acknowledged within Discord's 3 seconds...
    const bob = fake.makeUser('bob');
    const heartbeatsBefore = fake.heartbeats.length;
    const other = fake.sendStylize({ user: bob, content: { file: h.content, contentType: 'text/plain' }, style: { file: h.style } });
    await fake.waitFor(() => other.ackedAt, 3000, 'the acknowledgement');
    expect((other.ackedAt ?? Infinity) - other.dispatchedAt).toBeLessThan(3000);
    expect(ephemeralReply(fake, other)).toMatch(/not an image/);

    const result = await waitForResult(fake, job);
    // ...and the gateway heartbeat went on (acked by the fake) all along.
    expect(fake.heartbeats.length).toBeGreaterThan(heartbeatsBefore);
    const gaps = fake.heartbeats.slice(1).map((at, i) => at - (fake.heartbeats[i] ?? at));
    expect(Math.max(...gaps)).toBeLessThan(HEARTBEAT_MS * 2.5);

    // The thread is started on the reply and named after the job; the PNG has the requested long side.
    const thread = fake.channels.get(job.originalId ?? '');
    expect(thread?.['name']).toBe('stylize · alice · Balanced');
    expect(await pngSize(result.png.data)).toEqual({ width: 1024, height: 768, format: 'png' });
    expect(result.message.content).toContain('Style ratio: Balanced');
    expect(result.message.content).toMatch(/Iterations: \d+ in [\d.]+ s on wasm/);
    expect(fake.buttonIds(result.message.id).map((id) => id.split(':').slice(0, 3).join(':'))).toEqual(['stylize:rerun:photo', 'stylize:rerun:painterly']);

    // Progress edits came with a preview, at most one per interval; the last edit says where the picture is.
    await fake.waitFor(() => contentOf(replyEdits(fake, job).at(-1) ?? ({} as never)).includes('Done'), 5000, 'the final edit');
    const edits = replyEdits(fake, job).filter((call) => call.status === 200);
    const progress = edits.filter((call) => contentOf(call).includes('iteration'));
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(minGap(progress)).toBeGreaterThanOrEqual(EDIT_INTERVAL_MS - 250);
    expect(progress.some((call) => call.files.some((file) => file.name === 'preview.png'))).toBe(true);
    expect(fake.callsTo('PATCH', /@original$/).some((call) => call.status === 429)).toBe(true);
    const final = edits.at(-1);
    expect(contentOf(final ?? ({} as never))).toContain('the picture is in the thread');
    expect((final?.body as { components?: unknown[] }).components).toEqual([]);
    expect(h.logText()).not.toContain(fake.token);
    expect(h.logText()).not.toContain(job.token);
  }, 120_000);

  test('refuses a non-image, a huge file and a foreign host with ephemeral messages, downloading nothing', async () => {
    const { fake, host, foreignHost } = h;
    const carol = fake.makeUser('carol');
    const before = host.requests.length;
    const foreign = foreignHost.add('elsewhere.png', await makeGradientPng(16, 16, 1), 'image/png');

    const notImage = fake.sendStylize({ user: carol, content: { file: h.content, contentType: 'application/pdf' }, style: { file: h.style } });
    const huge = fake.sendStylize({ user: carol, content: { file: h.content, size: 50 * 1024 * 1024 }, style: { file: h.style } });
    const wrongHost = fake.sendStylize({ user: carol, content: { file: h.content }, style: { file: foreign } });
    await fake.waitFor(() => [notImage, huge, wrongHost].every((i) => callback(fake, i)), 5000, 'three answers');

    expect(ephemeralReply(fake, notImage)).toMatch(/The photo \(photo\.png\) is not an image/);
    expect(ephemeralReply(fake, huge)).toMatch(/The photo \(photo\.png\) is 50 MiB; the limit is 10 MiB/);
    expect(ephemeralReply(fake, wrongHost)).toMatch(/The style image: .*127\.0\.0\.1 is not an allowed file host/);
    expect(foreignHost.requests).toHaveLength(0);
    expect(host.requests.length).toBe(before);

    // Declared as an image but the bytes are not: found after download, the public reply is replaced by an
    // ephemeral note.
    const liar = host.add('liar.png', Buffer.from('this is not a picture at all'), 'image/png');
    const lying = fake.sendStylize({ user: carol, content: { file: liar }, style: { file: h.style } });
    await fake.waitFor(() => ephemeralFollowUps(fake, lying).length > 0, 5000, 'the follow-up');
    expect(ephemeralFollowUps(fake, lying)[0]).toMatch(/not a picture we can read/);
    expect(fake.callsTo('DELETE', new RegExp(`${lying.token}/messages/@original$`))).toHaveLength(1);
  }, 30_000);

  test('cancel of a running job: only the requester may, and the message says who cancelled', async () => {
    const { fake } = h;
    const dave = fake.makeUser('dave');
    const erin = fake.makeUser('erin');
    const { job, replyId, cancelId } = await startLongJob(dave);

    const refused = fake.clickButton(erin, replyId, cancelId);
    await fake.waitFor(() => callback(fake, refused), 3000, 'the refusal');
    expect(ephemeralReply(fake, refused)).toBe(`Only <@${dave.id}> can cancel this job.`);

    const accepted = fake.clickButton(dave, replyId, cancelId);
    await fake.waitFor(() => replyEdits(fake, job).some((call) => contentOf(call).includes('Cancelled')), 30_000, 'the cancelled edit');
    expect((callback(fake, accepted)?.body as { type?: number }).type).toBe(6); // deferUpdate
    expect(contentOf(replyEdits(fake, job).at(-1) ?? ({} as never))).toContain(`Cancelled by <@${dave.id}>`);
    expect(resultIn(fake, replyId)).toBeUndefined();
  }, 60_000);

  test("two users' jobs interleave: one user's queue does not hold back the other's first job", async () => {
    const { fake } = h;
    const frank = fake.makeUser('frank');
    const grace = fake.makeUser('grace');
    // Frank's first job runs far longer than the queueing below takes and is cancelled once everyone has
    // queued, so the order behind it never depends on how fast this machine is.
    const { job: f1, replyId: f1ReplyId, cancelId: f1CancelId } = await startLongJob(frank);
    const f2 = fake.sendStylize({ user: frank, content: { file: h.content }, style: { file: h.style }, size: 32 });
    const f3 = fake.sendStylize({ user: frank, content: { file: h.content }, style: { file: h.style }, size: 32 });
    await fake.waitFor(() => replyEdits(fake, f3).length > 0, 10_000, 'frank queued');
    const g1 = fake.sendStylize({ user: grace, content: { file: h.content }, style: { file: h.style }, size: 32 });
    await fake.waitFor(() => replyEdits(fake, g1).length > 0, 10_000, 'grace queued');
    // Grace's first job goes ahead of Frank's third: she is next after his second.
    expect(contentOf(replyEdits(fake, g1)[0] ?? ({} as never))).toMatch(/Queued: 2nd in line/);
    // A third waiting job is over the per-user limit: refused, only frank sees why.
    const f4 = fake.sendStylize({ user: frank, content: { file: h.content }, style: { file: h.style }, size: 32 });
    await fake.waitFor(() => ephemeralFollowUps(fake, f4)[0], 10_000, 'the refusal');
    expect(ephemeralFollowUps(fake, f4)[0]).toMatch(/^⚠️ .*(waiting|queue)/i);
    expect(fake.callsTo('DELETE', new RegExp(`${f4.token}/messages/@original$`))).toHaveLength(1);
    expect(replyEdits(fake, f1).some((call) => /Done|Cancelled/.test(contentOf(call)))).toBe(false);

    fake.clickButton(frank, f1ReplyId, f1CancelId);
    await fake.waitFor(() => replyEdits(fake, f1).some((call) => contentOf(call).includes('Cancelled')), 30_000, 'the cancelled edit');
    const results = await Promise.all([f2, f3, g1].map((job) => waitForResult(fake, job)));
    const finishedAt = results.map((result) => fake.calls.find((call) => call.method === 'POST' && call.path === `/channels/${result.message.channel_id}/messages` && call.files.length > 0)?.at ?? 0);
    const [f2Done, f3Done, g1Done] = finishedAt;
    expect(f2Done).toBeLessThan(g1Done ?? 0);
    expect(g1Done).toBeLessThan(f3Done ?? 0);
  }, 90_000);

  test('"More style" on a result runs the job again with the next preset, in the same thread', async () => {
    const { fake } = h;
    const heidi = fake.makeUser('heidi');
    const job = fake.sendStylize({ user: heidi, content: { file: h.content }, style: { file: h.style }, size: 32, preset: 'photo' });
    const first = await waitForResult(fake, job);
    const moreStyle = fake.buttonIds(first.message.id).find((id) => id.startsWith('stylize:rerun:balanced:'));
    expect(moreStyle).toBeDefined();
    const click = fake.clickButton(heidi, first.message.id, moreStyle ?? '');
    const threadId = first.message.channel_id;
    await fake.waitFor(() => fake.messagesIn(threadId).filter((m) => m.attachments.some((a) => a.filename === 'stylized.png')).length === 2, 30_000, 'the second result');
    const second = fake.messagesIn(threadId).filter((m) => m.attachments.some((a) => a.filename === 'stylized.png'))[1];
    expect(second?.content).toContain('Style ratio: Balanced');
    expect((callback(fake, click)?.body as { type?: number }).type).toBe(5); // a public deferred reply in the thread
    expect(fake.threads().filter((t) => t['id'] === threadId)).toHaveLength(1);
  }, 60_000);

  test('keeps updating through the bot token when the interaction token expires or the reply is deleted', async () => {
    const { fake } = h;
    const ivan = fake.makeUser('ivan');
    const expiring = fake.sendStylize({ user: ivan, content: { file: h.bigContent }, style: { file: h.style }, size: 512 });
    await fake.waitFor(() => replyEdits(fake, expiring).length > 0, 10_000, 'the first edit');
    fake.expireToken(expiring.id);
    const result = await waitForResult(fake, expiring);
    const threadId = result.message.channel_id;
    expect(replyEdits(fake, expiring).some((call) => call.status === 401)).toBe(true);
    // The status moved to a bot message in the thread, which ends as "Done".
    await fake.waitFor(() => fake.messagesIn(threadId).some((m) => m.content.includes('✅ Done')), 5000, 'the status in the thread');

    const judy = fake.makeUser('judy');
    const deleted = fake.sendStylize({ user: judy, content: { file: h.bigContent }, style: { file: h.style }, size: 512 });
    await fake.waitFor(() => replyEdits(fake, deleted).length > 0 && deleted.originalId, 10_000, 'the first edit');
    fake.deleteMessage(deleted.originalId ?? '');
    // The reply is gone, so the thread starts on a new message in the channel and holds the status and result.
    const starter = await fake.waitFor(
      () => fake.messagesIn(fake.channelId).find((m) => m.content.includes(`<@${judy.id}>`) && m.hasThread),
      60_000,
      'a new thread starter',
    );
    await fake.waitFor(() => resultIn(fake, starter.id), 60_000, 'the result');
    expect(replyEdits(fake, deleted).some((call) => call.status === 404)).toBe(true);
  }, 90_000);
});
