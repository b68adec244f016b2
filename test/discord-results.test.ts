// Results on Discord (issue 10): a library style instead of a style image, the queued start and the size
// check before any download, and the buttons of a finished picture (Bigger, Use as photo, Details, Delete).
// The real bot and discord.js client against the fake Discord, jobs on the scripted engine, time on the
// manual clock. One bot serves the tests in order; the engine says it is ready (speed known) half-way.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PermissionFlagsBits } from 'discord.js';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { findLibraryStyle } from '../src/styles/library.js';
import { startScriptedHarness } from './fake-discord/harness.js';
import type { ScriptedHarness } from './fake-discord/harness.js';
import { callback, contentOf, ephemeralFollowUps, ephemeralReply, replyEdits, resultsIn, waitForResult } from './fake-discord/inspect.js';
import { finishAtOnce } from './fixtures/scripted-engine.js';

let h: ScriptedHarness;
let dataDir: string;

beforeAll(async () => {
  h = await startScriptedHarness({}, { maxPendingPerUser: 3 });
  dataDir = await h.dataDir();
  await h.startBot(dataDir);
}, 60_000);

afterAll(async () => {
  await h?.stop();
});

async function paintingSize(id: string) {
  const meta = await sharp(findLibraryStyle(id)?.path ?? '').metadata();
  return { width: meta.width, height: meta.height };
}

const buttonOf = (messageId: string, prefix: string) => h.fake.buttonIds(messageId).find((id) => id.startsWith(prefix)) ?? '';

describe('Discord results', () => {
  test('a library style run: only the photo is downloaded, the engine gets the painting, the result names it', async () => {
    const { fake, host } = h;
    h.engine.script = finishAtOnce;
    const styleFetches = host.requestsFor(h.style);
    const job = fake.sendStylize({ user: fake.makeUser('lena'), content: { file: h.content }, libraryStyle: 'starry-night', size: 64 });
    const result = await waitForResult(fake, job);
    const run = h.engine.runs.at(-1);
    expect(run?.style).toEqual(await paintingSize('starry-night'));
    expect(run?.options).toEqual({ preset: 'balanced', size: 64 }); // the painting's name stays with the bot
    expect(host.requestsFor(h.style)).toBe(styleFetches);
    expect(contentOf(replyEdits(fake, job)[0] ?? ({} as never))).toContain('Balanced · The Starry Night · 64 px');
    expect(result.message.content).toMatch(/your picture is ready: Balanced · The Starry Night · 64×53 px · [\d.]+ s\./);
    // Details: the settings, with the painting's attribution, to the one who asks only.
    const details = fake.clickButton(fake.makeUser('curious'), result.message.id, buttonOf(result.message.id, 'stylize:details:'));
    await fake.waitFor(() => ephemeralReply(fake, details), 5000, 'the details');
    expect(ephemeralReply(fake, details)).toContain('Painting: The Starry Night (Vincent van Gogh, 1889)');
    expect(ephemeralReply(fake, details)).toContain('Style ratio: Balanced');
  });

  test('a style image and a library style, or neither, is refused before anything is downloaded', async () => {
    const { fake, host } = h;
    const before = host.requests.length;
    const max = fake.makeUser('max');
    const both = fake.sendStylize({ user: max, content: { file: h.content }, style: { file: h.style }, libraryStyle: 'udnie' });
    const neither = fake.sendStylize({ user: max, content: { file: h.content } });
    await fake.waitFor(() => ephemeralReply(fake, both) && ephemeralReply(fake, neither), 5000, 'two refusals');
    expect(ephemeralReply(fake, both)).toBe('⚠️ Please give only one style: either attach a style image or pick a painting, not both.');
    expect(ephemeralReply(fake, neither)).toBe('⚠️ Please give a style: attach a style image or pick a painting.');
    expect(host.requests.length).toBe(before);
  });

  test('"Use as photo": anyone may start a job of their own from a posted picture, painted again in its style', async () => {
    const { fake } = h;
    h.engine.script = finishAtOnce;
    const job = fake.sendStylize({ user: fake.makeUser('ola'), content: { file: h.content }, style: { file: h.style }, size: 96, preset: 'photo' });
    const first = await waitForResult(fake, job);
    const firstRun = h.engine.runs.at(-1);
    const pia = fake.makeUser('pia');
    const click = fake.clickButton(pia, first.message.id, buttonOf(first.message.id, 'stylize:use:content:'));
    const threadId = first.message.channel_id;
    await fake.waitFor(() => resultsIn(fake, threadId).length === 2, 30_000, 'the second result');
    expect((callback(fake, click)?.body as { type?: number }).type).toBe(5); // a public deferred reply in the thread
    const run = h.engine.runs.at(-1);
    // The picture (96 x 80) is the new photo; the style image is the first job's.
    expect(run?.content).toEqual({ width: 96, height: 80 });
    expect(run?.style).toEqual(firstRun?.style);
    expect(run?.options).toEqual({ preset: 'photo', size: 96 });
    // The new job is Pia's: her name on it, her ping with the picture.
    expect(resultsIn(fake, threadId)[1]?.content).toContain(`<@${pia.id}>, your picture is ready`);
  });

  test("Delete by a moderator (Manage Messages): another member's picture is removed as by its owner (issue 11)", async () => {
    const { fake } = h;
    h.engine.script = finishAtOnce;
    const job = fake.sendStylize({ user: fake.makeUser('otto'), content: { file: h.content }, style: { file: h.style }, size: 64 });
    const result = await waitForResult(fake, job);
    const deleteId = buttonOf(result.message.id, 'stylize:delete:');
    const moderatorPermissions = String(PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages | PermissionFlagsBits.ManageMessages);
    const moderator = fake.clickButton(fake.makeUser('mona'), result.message.id, deleteId, moderatorPermissions);
    // The answer is deferred, then edited: wait for its edit as well as for the removal.
    await fake.waitFor(() => fake.messages.get(result.message.id)?.deleted && ephemeralReply(fake, moderator), 5000, 'the picture message removed by the moderator');
    expect(ephemeralReply(fake, moderator)).toMatch(/^Deleted: I no longer keep the picture/);
  });

  test('Delete: only the owner; removes the picture message and everything the bot kept of the job', async () => {
    const { fake } = h;
    h.engine.script = finishAtOnce;
    const rita = fake.makeUser('rita');
    const job = fake.sendStylize({ user: rita, content: { file: h.content }, style: { file: h.style }, size: 64 });
    const result = await waitForResult(fake, job);
    const jobId = buttonOf(result.message.id, 'stylize:delete:').split(':')[2] ?? '';
    expect(await readdir(join(dataDir, 'jobs'))).toContain(jobId);
    const deleteId = buttonOf(result.message.id, 'stylize:delete:');
    const stranger = fake.clickButton(fake.makeUser('sam'), result.message.id, deleteId);
    await fake.waitFor(() => ephemeralReply(fake, stranger), 5000, 'the refusal');
    expect(ephemeralReply(fake, stranger)).toBe('Only the person who started this job can delete it.');
    expect(fake.messages.get(result.message.id)?.deleted).toBe(false);

    const owner = fake.clickButton(rita, result.message.id, deleteId);
    await fake.waitFor(() => fake.messages.get(result.message.id)?.deleted && ephemeralReply(fake, owner), 5000, 'the picture message removed');
    expect(ephemeralReply(fake, owner)).toMatch(/^Deleted: I no longer keep the picture, nor the photo and style image it was made from\./);
    expect(await readdir(join(dataDir, 'jobs'))).not.toContain(jobId);
    // Its other buttons now find nothing to work on.
    const late = fake.clickButton(rita, job.originalId ?? '', `stylize:details:${jobId}`);
    await fake.waitFor(() => ephemeralReply(fake, late), 5000, 'the late details');
    expect(ephemeralReply(fake, late)).toMatch(/I no longer keep this job/);
  });

});

describe('Discord results, once the engine is ready and its speed is known', () => {
  // A bot of its own, told the engine's speed before any job finished: the queue's estimates start from
  // the bench's wasm figures on the full network (256 px takes minutes, 1024 px far over 15).
  let h: ScriptedHarness;
  beforeAll(async () => {
  h = await startScriptedHarness({}, { maxPendingPerUser: 3 });
  await h.startBot();
  h.engine.ready({ backend: 'wasm', defaultSize: 256, defaultIterations: 100, networkCost: 1 });
  }, 60_000);
  afterAll(async () => {
  await h?.stop();
  });
  const buttonOf = (messageId: string, prefix: string) => h.fake.buttonIds(messageId).find((id) => id.startsWith(prefix)) ?? '';

  test('a size that cannot finish in time is refused with the largest that fits, before any download', async () => {
    const { fake, host } = h;
    const before = host.requests.length;
    const job = fake.sendStylize({ user: fake.makeUser('tom'), content: { file: h.bigContent }, style: { file: h.style }, size: 1024 });
    await fake.waitFor(() => ephemeralReply(fake, job), 5000, 'the refusal');
    expect(ephemeralReply(fake, job)).toBe('⚠️ A 1024 px picture would take longer than the 15 min limit here. Please choose 544 px or smaller.');
    expect(host.requests.length).toBe(before);
  });

  test('a waiting job shows its place and when it should start', async () => {
    const { fake } = h;
    h.engine.script = undefined;
    const running = fake.sendStylize({ user: fake.makeUser('una'), content: { file: h.content }, style: { file: h.style }, size: 256 });
    const run = await h.engine.active();
    const queued = (job: typeof running) => fake.waitFor(() => replyEdits(fake, job).some((call) => contentOf(call).includes('Queued')), 10_000, 'the job queued');
    const second = fake.sendStylize({ user: fake.makeUser('vic'), content: { file: h.content }, style: { file: h.style }, size: 256 });
    await queued(second);
    const third = fake.sendStylize({ user: fake.makeUser('wes'), content: { file: h.content }, style: { file: h.style }, size: 256 });
    await queued(third);
    expect(contentOf(replyEdits(fake, second).find((call) => contentOf(call).includes('Queued')) ?? ({} as never))).toMatch(/Queued: next in line, starts in about \d+ min( \d+ s)?\./);
    expect(contentOf(replyEdits(fake, third).find((call) => contentOf(call).includes('Queued')) ?? ({} as never))).toMatch(/Queued: 2nd in line, starts in about \d+ min( \d+ s)?\./);
    // While running, the bar follows the share of time done, not the iteration count.
    run.progress(75, 150, { fraction: 0.1, etaMs: 300_000 });
    // In plain words: the bar and the time left, never the iteration count.
    await h.clock.advanceUntil(() => replyEdits(fake, running).some((call) => contentOf(call).includes('██░░░░░░░░░░░░░░░░░░ 10%')), 'the progress edit');
    expect(contentOf(replyEdits(fake, running).find((call) => contentOf(call).includes('██░░░░░░░░░░░░░░░░░░ 10%')) ?? ({} as never))).toMatch(/🖌️ Painting `██░{18} 10%` · about 5 min left$/);
    h.engine.script = finishAtOnce;
    await run.finish();
    await Promise.all([waitForResult(fake, running), waitForResult(fake, second), waitForResult(fake, third)]);
  }, 60_000);

  test('"Bigger" offers the next size that fits, and runs the same settings at it for the owner, going on from the picture', async () => {
    const { fake } = h;
    h.engine.script = finishAtOnce;
    const xia = fake.makeUser('xia');
    const job = fake.sendStylize({ user: xia, content: { file: h.bigContent }, style: { file: h.style }, size: 512, seed: 5, preset: 'painterly' });
    const first = await waitForResult(fake, job);
    // The next rung (768 px), or the largest size below it that finishes within the limit at the speed
    // learnt so far (the choice itself is unit-tested in results-units).
    const bigger = buttonOf(first.message.id, 'stylize:bigger:');
    const size = Number(bigger.split(':')[2]);
    expect(size).toBeGreaterThan(512);
    expect(size).toBeLessThanOrEqual(768);
    expect(size % 32).toBe(0);
    const stranger = fake.clickButton(fake.makeUser('yan'), first.message.id, bigger);
    await fake.waitFor(() => ephemeralReply(fake, stranger), 5000, 'the refusal');
    expect(ephemeralReply(fake, stranger)).toMatch(/Only the person who started this job can run it again/);
    fake.clickButton(xia, first.message.id, bigger);
    const threadId = first.message.channel_id;
    await fake.waitFor(() => resultsIn(fake, threadId).length === 2, 30_000, 'the bigger result');
    // The engine goes on from the first picture: it gets it, and starts above its 512 px.
    expect(h.engine.runs.at(-1)?.options).toEqual({ preset: 'painterly', size, seed: 5, startAbove: 512 });
    expect(h.engine.runs.at(-1)?.init?.equals(first.png.data ?? Buffer.alloc(0))).toBe(true);
    expect(resultsIn(fake, threadId)[1]?.content).toContain(`Painterly · ${size}×${size * 0.75} px`);
    expect(ephemeralFollowUps(fake, stranger)).toEqual([]);
  }, 60_000);
});
