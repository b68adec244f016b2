// Communities on Discord: moderators, /stylize-admin (defaults, limits, channels, pause, resume, clear, kept
// across a restart), the AttachFiles check, a run in a DM and spoilers. The real bot (queue, journal,
// discord.js) against the fake Discord, jobs on the scripted engine. One bot serves the tests in order,
// except the restart test, which starts its own.
import { PermissionFlagsBits } from 'discord.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Bot } from '../src/bot/index.js';
import { startScriptedHarness } from './fake-discord/harness.js';
import type { ScriptedHarness } from './fake-discord/harness.js';
import type { FakeUser, Json } from './fake-discord/payloads.js';
import type { FakeDiscord } from './fake-discord/server.js';
import { callback, contentOf, ephemeralFollowUps, ephemeralReply, replyEdits, waitForResult } from './fake-discord/inspect.js';
import type { InteractionRef } from './fake-discord/inspect.js';
import { makeGradientPng } from './fixtures/images.js';
import { finishAtOnce } from './fixtures/scripted-engine.js';

/** A member who may post and attach files, and nothing more. */
const MEMBER = String(PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages | PermissionFlagsBits.AttachFiles | PermissionFlagsBits.SendMessagesInThreads);
const MODERATOR = String(BigInt(MEMBER) | PermissionFlagsBits.ManageMessages);
const ADMIN = String(BigInt(MEMBER) | PermissionFlagsBits.ManageGuild);

let h: ScriptedHarness;
let bot: Bot;
let dataDir: string;
let otherChannel: string;

beforeAll(async () => {
  h = await startScriptedHarness({}, { maxPendingPerUser: 4 });
  otherChannel = h.fake.addTextChannel('art');
  dataDir = await h.dataDir();
  bot = await h.startBot(dataDir);
}, 60_000);

afterAll(async () => {
  await h?.stop();
});

/** Sends /stylize-admin <subcommand> as `user` and returns what the bot answered (ephemeral). */
async function admin(user: FakeUser, subcommand: string, options: Json[] = [], permissions = ADMIN): Promise<string> {
  const { fake } = h;
  const call = fake.sendCommand({ user, name: 'stylize-admin', options: [{ name: subcommand, type: 1, options }], permissions });
  return fake.waitFor(() => ephemeralReply(fake, call) ?? (replyEdits(fake, call).length > 0 ? contentOf(replyEdits(fake, call).at(-1) ?? ({} as never)) : undefined), 10_000, `/stylize-admin ${subcommand}`);
}

function lastEdit(fake: FakeDiscord, job: InteractionRef): string {
  return contentOf(replyEdits(fake, job).at(-1) ?? ({} as never));
}

/** Starts a job that runs until the test ends it. */
async function startHeldJob(user: FakeUser) {
  const { fake } = h;
  h.engine.script = undefined;
  const job = fake.sendStylize({ user, content: { file: h.content }, style: { file: h.style }, size: 64, permissions: MEMBER });
  await fake.waitFor(() => replyEdits(fake, job).some((call) => /Starting|Painting `/.test(contentOf(call))) && job.originalId, 20_000, 'the job to run');
  const run = await h.engine.active();
  const cancelId = fake.buttonIds(job.originalId ?? '').find((id) => id.startsWith('stylize:cancel:')) ?? '';
  return { job, run, cancelId };
}

describe('moderation', () => {
  test("a member without Manage Messages cannot cancel another's job; a moderator can, and the message names them", async () => {
    const { fake } = h;
    const owner = fake.makeUser('olive');
    const member = fake.makeUser('mona');
    const moderator = fake.makeUser('max');
    const { job, run, cancelId } = await startHeldJob(owner);

    const refused = fake.clickButton(member, job.originalId ?? '', cancelId, MEMBER);
    await fake.waitFor(() => callback(fake, refused), 5000, 'the refusal');
    expect(ephemeralReply(fake, refused)).toBe(`Only <@${owner.id}> can cancel this job.`);
    expect(run.cancelRequested).toBe(false);

    const accepted = fake.clickButton(moderator, job.originalId ?? '', cancelId, MODERATOR);
    await fake.waitFor(() => lastEdit(fake, job).includes('Cancelled'), 20_000, 'the cancelled edit');
    expect((callback(fake, accepted)?.body as { type?: number }).type).toBe(6);
    expect(run.outcome).toEqual({ kind: 'stopped' });
    expect(lastEdit(fake, job)).toContain(`Cancelled by <@${moderator.id}>`);
  }, 60_000);
});

describe('where /stylize may be used', () => {
  test('a member who cannot attach files in the channel is refused before any download', async () => {
    const { fake } = h;
    const downloads = h.host.requests.length;
    const job = fake.sendStylize({ user: fake.makeUser('nora'), content: { file: h.content }, style: { file: h.style }, permissions: String(PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages) });
    await fake.waitFor(() => callback(fake, job), 5000, 'the refusal');
    expect(ephemeralReply(fake, job)).toMatch(/^⚠️ You cannot post pictures in this channel/);
    expect(h.host.requests.length).toBe(downloads);
  });

  test('allowed channels: /stylize elsewhere is refused naming them; "everywhere" lifts it', async () => {
    const { fake } = h;
    const boss = fake.makeUser('boss');
    expect(await admin(boss, 'channels', [{ name: 'allow', type: 7, value: otherChannel }])).toContain(`Channels: <#${otherChannel}>`);
    const refused = fake.sendStylize({ user: fake.makeUser('paul'), content: { file: h.content }, style: { file: h.style }, permissions: MEMBER });
    await fake.waitFor(() => callback(fake, refused), 5000, 'the refusal');
    expect(ephemeralReply(fake, refused)).toBe(`⚠️ Here, /stylize works only in <#${otherChannel}>. Please use it there.`);
    h.engine.script = finishAtOnce;
    const there = fake.sendStylize({ user: fake.makeUser('paul'), content: { file: h.content }, style: { file: h.style }, size: 32, permissions: MEMBER, channelId: otherChannel });
    await waitForResult(fake, there);
    expect(await admin(boss, 'channels', [{ name: 'everywhere', type: 5, value: true }])).toContain('Channels: every channel');
  }, 30_000);
});

describe('/stylize-admin', () => {
  test('only members with Manage Server may use it', async () => {
    const { fake } = h;
    expect(await admin(fake.makeUser('mallory'), 'pause', [], MODERATOR)).toBe("⚠️ Only the server's admins (Manage Server) can change my settings here.");
    expect(await admin(fake.makeUser('boss'), 'show')).toContain('Status: active');
  });

  test('pause keeps the server\'s jobs waiting; resume runs them; clear cancels the waiting ones', async () => {
    const { fake } = h;
    const boss = fake.makeUser('boss');
    expect(await admin(boss, 'pause')).toMatch(/^Paused\./);
    h.engine.script = finishAtOnce;
    const runsBefore = h.engine.runs.length;
    const quinn = fake.makeUser('quinn');
    const waiting = fake.sendStylize({ user: quinn, content: { file: h.content }, style: { file: h.style }, size: 32, seed: 11, permissions: MEMBER });
    await fake.waitFor(() => lastEdit(fake, waiting).includes('Queued'), 10_000, 'queued');
    await fake.waitFor(() => ephemeralFollowUps(fake, waiting)[0], 5000, 'the paused note');
    expect(ephemeralFollowUps(fake, waiting)[0]).toContain('paused by its admins');
    expect(await admin(boss, 'show')).toContain('Status: paused; 1 waiting, 0 running');
    expect(h.engine.runs.length).toBe(runsBefore);

    expect(await admin(boss, 'resume')).toMatch(/^Resumed\./);
    await waitForResult(fake, waiting);
    expect(h.engine.runs.at(-1)?.options.seed).toBe(11);

    await admin(boss, 'pause');
    const first = fake.sendStylize({ user: quinn, content: { file: h.content }, style: { file: h.style }, size: 32, permissions: MEMBER });
    const second = fake.sendStylize({ user: fake.makeUser('rita'), content: { file: h.content }, style: { file: h.style }, size: 32, permissions: MEMBER });
    await fake.waitFor(() => [first, second].every((job) => lastEdit(fake, job).includes('Queued')), 10_000, 'both queued');
    expect(await admin(boss, 'clear')).toBe('Cleared: 2 waiting jobs cancelled. A job already running finishes.');
    await fake.waitFor(() => [first, second].every((job) => lastEdit(fake, job).includes(`Cancelled by <@${boss.id}>`)), 10_000, 'both cancelled');
    await admin(boss, 'resume');
  }, 60_000);

  test('defaults and limits change the next jobs and survive a restart', async () => {
    const { fake } = h;
    const boss = fake.makeUser('boss');
    const shown = await admin(boss, 'set', [
      { name: 'default_preset', type: 3, value: 'painting' },
      { name: 'default_size', type: 4, value: 48 },
      { name: 'user_limit', type: 4, value: 1 },
    ]);
    expect(shown).toContain('Default style ratio: Mostly style');
    expect(shown).toContain('Default size: 48 px');
    expect(shown).toContain('Jobs per person: 1');

    await bot.stop();
    bot = await h.startBot(dataDir);
    expect(await admin(boss, 'show')).toContain('Default size: 48 px');

    // The defaults apply where the command names none; the per-person limit is the server's 1, not the bot's 4.
    const sam = fake.makeUser('sam');
    const { job, run } = await startHeldJobDefaults(sam);
    expect(run.options).toEqual({ preset: 'painting', size: 48 });
    const second = fake.sendStylize({ user: sam, content: { file: h.content }, style: { file: h.style }, permissions: MEMBER });
    await fake.waitFor(() => callback(fake, second), 5000, 'the refusal');
    expect(ephemeralReply(fake, second)).toMatch(/You already have 1 job waiting or running/);
    h.engine.script = finishAtOnce;
    await run.finish();
    await waitForResult(fake, job);
    expect(await admin(boss, 'set', [{ name: 'reset', type: 5, value: true }])).toContain("Default style ratio: Balanced (Stylize's default)");
  }, 60_000);

  test('a server limit refuses jobs over it', async () => {
    const { fake } = h;
    const boss = fake.makeUser('boss');
    await admin(boss, 'set', [{ name: 'server_limit', type: 4, value: 1 }]);
    const { run } = await startHeldJob(fake.makeUser('tess'));
    const over = fake.sendStylize({ user: fake.makeUser('uma'), content: { file: h.content }, style: { file: h.style }, permissions: MEMBER });
    await fake.waitFor(() => callback(fake, over), 5000, 'the refusal');
    expect(ephemeralReply(fake, over)).toBe('⚠️ This server already has 1 job waiting or running, the most its admins allow. Please try again when one has finished.');
    await run.finish();
    await admin(boss, 'set', [{ name: 'reset', type: 5, value: true }]);
  }, 30_000);
});

/** A held job with no preset or size in the command, so the server's defaults apply. */
async function startHeldJobDefaults(user: FakeUser) {
  const { fake } = h;
  h.engine.script = undefined;
  const job = fake.sendStylize({ user, content: { file: h.content }, style: { file: h.style }, permissions: MEMBER });
  await fake.waitFor(() => replyEdits(fake, job).some((call) => /Starting|Painting `/.test(contentOf(call))), 20_000, 'the job to run');
  return { job, run: await h.engine.active() };
}

describe('DMs and spoilers', () => {
  test('/stylize in a DM with the bot posts the picture into that DM', async () => {
    const { fake } = h;
    h.engine.script = finishAtOnce;
    const vera = fake.makeUser('vera');
    const job = fake.sendStylize({ user: vera, content: { file: h.content }, style: { file: h.style }, size: 32, dm: true });
    const dmId = String(fake.dmChannelOf(vera)['id']);
    const result = await fake.waitFor(() => fake.messagesIn(dmId).find((message) => message.attachments.some((file) => file.filename.startsWith('stylized-'))), 20_000, 'the result in the DM');
    expect(result.content).toContain(`<@${vera.id}>`);
    expect(fake.threads().some((thread) => thread['parent_id'] === dmId)).toBe(false);
    await fake.waitFor(() => lastEdit(fake, job).includes('Done'), 10_000, 'done');
  }, 30_000);

  test('spoiler: the result and previews are sent as SPOILER_ files', async () => {
    const { fake } = h;
    h.engine.script = undefined;
    const job = fake.sendStylize({ user: fake.makeUser('wim'), content: { file: h.content }, style: { file: h.style }, size: 32, spoiler: true, permissions: MEMBER });
    const run = await h.engine.active();
    run.progress(1, 2, { preview: await makeGradientPng(8, 8, 1) });
    await h.clock.advanceUntil(() => replyEdits(fake, job).some((call) => call.files.length > 0), 'the preview edit');
    expect(replyEdits(fake, job).flatMap((call) => call.files.map((file) => file.name))).toEqual(['SPOILER_preview.png']);
    await run.finish();
    const threadId = await fake.waitFor(() => job.originalId, 5000, 'the reply');
    const result = await fake.waitFor(() => fake.messagesIn(threadId).find((message) => message.attachments.length > 0), 20_000, 'the result');
    expect(result.attachments.map((file) => file.filename)).toEqual([expect.stringMatching(/^SPOILER_stylized-\w+\.png$/)]);
  }, 30_000);
});
