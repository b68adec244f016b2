// Issue 10's reach items on Discord: the message command "Stylize" (two images; one image and a library
// style; a picker for more), /stylize-help, /stylize-jobs with Cancel, the owner's ping when a job fails or
// times out, and the refusal before any download when the bot lacks a permission in the channel. The
// real bot and discord.js client against the fake Discord, on the scripted engine and a manual clock.
import sharp from 'sharp';
import { PermissionFlagsBits } from 'discord.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { endingPing } from '../src/adapters/shared/ending-ping.js';
import { DISCORD_MARKUP } from '../src/adapters/discord/render.js';
import { findLibraryStyle, STYLE_LIBRARY } from '../src/styles/library.js';
import { startScriptedHarness } from './fake-discord/harness.js';
import type { ScriptedHarness } from './fake-discord/harness.js';
import { ALL_PERMISSIONS } from './fake-discord/payloads.js';
import type { FakeUser } from './fake-discord/payloads.js';
import { callback, contentOf, ephemeralReply, replyEdits, waitForResult } from './fake-discord/inspect.js';
import type { InteractionRef } from './fake-discord/inspect.js';
import { makeGradientPng } from './fixtures/images.js';
import { finishAtOnce } from './fixtures/scripted-engine.js';

const JOB_TIMEOUT_MS = 60_000;
let h: ScriptedHarness;

beforeAll(async () => {
  h = await startScriptedHarness({}, { maxPendingPerUser: 3, jobTimeoutMs: JOB_TIMEOUT_MS });
  await h.startBot();
}, 60_000);

afterAll(async () => {
  await h?.stop();
});

/** The ephemeral message an interaction's immediate reply created (the picker or the jobs list). */
async function replyMessageOf(interaction: InteractionRef & { originalId?: string }): Promise<string> {
  return h.fake.waitFor(() => interaction.originalId, 5000, 'the ephemeral reply');
}

interface PostedPing {
  content: string;
  allowed_mentions?: { users?: string[]; replied_user?: boolean };
  message_reference?: { message_id?: string };
}

/** Messages the bot posted with its own token in the channel that mention `user`. */
function pingsTo(user: FakeUser): PostedPing[] {
  return h.fake
    .callsTo('POST', new RegExp(`^/channels/${h.fake.channelId}/messages$`))
    .filter((call) => contentOf(call).includes(`<@${user.id}>`))
    .map((call) => call.body as unknown as PostedPing);
}

function without(...flags: bigint[]): string {
  return String(flags.reduce((all, flag) => all & ~flag, BigInt(ALL_PERMISSIONS)));
}

describe('the message command "Stylize"', () => {
  test('on a message with two images: the first is the photo, the second the style image', async () => {
    const { fake } = h;
    h.engine.script = finishAtOnce;
    const olga = fake.makeUser('olga');
    const message = fake.postUserMessage(olga, [h.bigContent, h.style]);
    const command = fake.sendMessageCommand(olga, message.id, 'Stylize');
    await waitForResult(fake, command);
    const run = h.engine.runs.at(-1);
    expect(run?.content).toEqual({ width: 1024, height: 768 });
    expect(run?.style).toEqual({ width: 40, height: 40 });
    expect(run?.options.preset).toBe('balanced');
  });

  test('on a message with one image: the photo, with a style picked from the library', async () => {
    const { fake } = h;
    h.engine.script = finishAtOnce;
    const pia = fake.makeUser('pia');
    const message = fake.postUserMessage(pia, [h.content]);
    const command = fake.sendMessageCommand(pia, message.id, 'Stylize');
    await fake.waitFor(() => callback(fake, command), 5000, 'the picker');
    expect(ephemeralReply(fake, command)).toMatch(/one image, your photo\. Pick a painting for the style/);
    const picker = await replyMessageOf(command);
    const [selectId] = fake.buttonIds(picker);
    const offered = (fake.messages.get(picker)?.components as Array<{ components: Array<{ options: Array<{ value: string }> }> }>)[0]?.components[0]?.options.map((option) => option.value);
    expect(offered).toEqual(STYLE_LIBRARY.map((style) => style.id));

    const pick = fake.select(pia, picker, selectId ?? '', ['great-wave']);
    await waitForResult(fake, pick);
    const run = h.engine.runs.at(-1);
    const wave = await sharp(findLibraryStyle('great-wave')?.path).metadata();
    expect(run?.content).toEqual({ width: 48, height: 40 });
    expect(run?.style).toEqual({ width: wave.width, height: wave.height });
  });

  test('on a message with three images: a picker for the photo and the style image, then Paint it', async () => {
    const { fake, host } = h;
    h.engine.script = finishAtOnce;
    const quinn = fake.makeUser('quinn');
    const third = host.add('third.png', await makeGradientPng(64, 32, 9), 'image/png');
    const message = fake.postUserMessage(quinn, [h.content, h.style, third]);
    const command = fake.sendMessageCommand(quinn, message.id, 'Stylize');
    await fake.waitFor(() => callback(fake, command), 5000, 'the picker');
    expect(ephemeralReply(fake, command)).toMatch(/3 images\. Pick your photo and the style image/);
    const picker = await replyMessageOf(command);
    const [photoId, styleId, goId] = fake.buttonIds(picker);

    // The same image twice is refused; then photo = the third image, style = the first.
    const same = fake.select(quinn, picker, styleId ?? '', ['0']);
    await fake.waitFor(() => callback(fake, same), 5000, 'the style choice');
    const samePhoto = fake.select(quinn, picker, photoId ?? '', ['0']);
    await fake.waitFor(() => callback(fake, samePhoto), 5000, 'the photo choice');
    const refused = fake.clickButton(quinn, picker, goId ?? '');
    await fake.waitFor(() => callback(fake, refused), 5000, 'the refusal');
    expect(ephemeralReply(fake, refused)).toMatch(/two different images/);

    const photo = fake.select(quinn, picker, photoId ?? '', ['2']);
    await fake.waitFor(() => callback(fake, photo), 5000, 'the photo choice');
    const go = fake.clickButton(quinn, picker, goId ?? '');
    await waitForResult(fake, go);
    const run = h.engine.runs.at(-1);
    expect(run?.content).toEqual({ width: 64, height: 32 });
    expect(run?.style).toEqual({ width: 48, height: 40 });
  });

  test('on a message without images: a clear note only the user sees, nothing else', async () => {
    const { fake } = h;
    const rosa = fake.makeUser('rosa');
    const runsBefore = h.engine.runs.length;
    const message = fake.postUserMessage(rosa, []);
    const command = fake.sendMessageCommand(rosa, message.id, 'Stylize');
    await fake.waitFor(() => callback(fake, command), 5000, 'the note');
    expect(ephemeralReply(fake, command)).toMatch(/This message has no images/);
    expect(h.engine.runs.length).toBe(runsBefore);
  });
});

describe('/stylize-help and /stylize-jobs', () => {
  test('help lists the style ratios, the library, the limits and how long images are kept', async () => {
    const { fake } = h;
    const help = fake.sendCommand({ user: fake.makeUser('sam'), name: 'stylize-help' });
    await fake.waitFor(() => callback(fake, help), 5000, 'the help');
    const text = ephemeralReply(fake, help) ?? '';
    for (const label of ['Mostly photo', 'Balanced', 'Painterly', 'Mostly style']) expect(text).toContain(label);
    for (const style of STYLE_LIBRARY) expect(text).toContain(style.name);
    expect(text).toMatch(/Limits: images up to 10 MB/);
    expect(text).toMatch(/a job may run 1 min/);
    expect(text).toMatch(/Privacy: .* for 24 h after it is done/);
  });

  test("jobs lists the caller's running and waiting jobs with Cancel buttons that cancel them", async () => {
    const { fake } = h;
    h.engine.script = undefined;
    const tara = fake.makeUser('tara');
    const running = fake.sendStylize({ user: tara, content: { file: h.content }, style: { file: h.style } });
    await h.engine.active();
    const waiting = fake.sendStylize({ user: tara, content: { file: h.content }, style: { file: h.style }, preset: 'painting' });
    await fake.waitFor(() => replyEdits(fake, waiting).some((call) => /Queued/.test(contentOf(call))), 10_000, 'the second job queued');

    // Someone else's list is empty.
    const other = fake.sendCommand({ user: fake.makeUser('uwe'), name: 'stylize-jobs' });
    await fake.waitFor(() => callback(fake, other), 5000, 'the other list');
    expect(ephemeralReply(fake, other)).toBe('You have no waiting or running jobs.');

    const list = fake.sendCommand({ user: tara, name: 'stylize-jobs' });
    await fake.waitFor(() => callback(fake, list), 5000, 'the list');
    const text = ephemeralReply(fake, list) ?? '';
    expect(text).toMatch(/^Your 2 jobs:\n1\. Running: Balanced .*\n2\. Waiting, next in line: Mostly style/);
    const listMessage = await replyMessageOf(list);
    const buttons = fake.buttonIds(listMessage);
    expect(buttons).toHaveLength(2);
    expect(buttons.every((id) => id.startsWith('stylize:cancel:'))).toBe(true);

    const cancel = fake.clickButton(tara, listMessage, buttons[1] ?? '');
    await fake.waitFor(() => replyEdits(fake, waiting).some((call) => /Cancelled by/.test(contentOf(call))), 10_000, 'the waiting job cancelled');
    expect(callback(fake, cancel)).toBeDefined();
    // Her own cancel pings nobody.
    expect(pingsTo(tara)).toEqual([]);

    const cancelRunning = fake.clickButton(tara, listMessage, buttons[0] ?? '');
    await fake.waitFor(() => replyEdits(fake, running).some((call) => /Cancelled by/.test(contentOf(call))), 10_000, 'the running job cancelled');
    expect(callback(fake, cancelRunning)).toBeDefined();
    const again = fake.sendCommand({ user: tara, name: 'stylize-jobs' });
    await fake.waitFor(() => callback(fake, again), 5000, 'the second list');
    expect(ephemeralReply(fake, again)).toBe('You have no waiting or running jobs.');
  }, 30_000);
});

describe('telling the owner', () => {
  test("a failed job mentions its owner in a reply to the job's message, notifying that one user only", async () => {
    const { fake } = h;
    h.engine.script = (run) => run.fail('the engine ran out of memory', 'internal');
    const vera = fake.makeUser('vera');
    const job = fake.sendStylize({ user: vera, content: { file: h.content }, style: { file: h.style } });
    const [ping] = await fake.waitFor(() => pingsTo(vera).length > 0 && pingsTo(vera), 10_000, 'the ping');
    expect(ping?.content).toMatch(new RegExp(`^<@${vera.id}>, your job did not finish: `));
    expect(ping?.allowed_mentions).toEqual({ users: [vera.id], replied_user: false });
    expect(ping?.message_reference?.message_id).toBe(job.originalId);
    // A job that never got to its thread does not get one for the ping.
    expect(fake.channels.get(job.originalId ?? '')).toBeUndefined();
  });

  test('a job that runs past the time limit mentions its owner too', async () => {
    const { fake } = h;
    h.engine.script = undefined;
    const walt = fake.makeUser('walt');
    const job = fake.sendStylize({ user: walt, content: { file: h.content }, style: { file: h.style } });
    await h.engine.active();
    await h.clock.advance(JOB_TIMEOUT_MS + 1000);
    const [ping] = await fake.waitFor(() => pingsTo(walt).length > 0 && pingsTo(walt), 10_000, 'the ping');
    expect(ping?.message_reference?.message_id).toBe(job.originalId);
    expect(ping?.content).toMatch(/your job did not finish: .*took longer than the 1 min limit/);
  }, 30_000);

  test('the decision, shared by both platforms: failures and cancels by others, not results or own cancels', () => {
    const job = { userId: 'U1', options: { preset: 'balanced' as const } };
    expect(endingPing(job, { kind: 'cancelled', byUserId: 'U1' }, DISCORD_MARKUP)).toBeUndefined();
    expect(endingPing(job, { kind: 'cancelled', byUserId: 'U2' }, DISCORD_MARKUP)).toEqual({ userId: 'U1', text: '<@U1>, your job was cancelled by <@U2>.' });
    expect(endingPing(job, { kind: 'failed', reason: { code: 'engine-crashed', params: {} } }, DISCORD_MARKUP)?.userId).toBe('U1');
    expect(endingPing(job, { kind: 'queued', position: 1, resumed: false }, DISCORD_MARKUP)).toBeUndefined();
  });
});

describe('permissions in the channel', () => {
  test('a missing permission is named and nothing is downloaded, for /stylize and the message command', async () => {
    const { fake, host } = h;
    const xena = fake.makeUser('xena');
    const photo = host.add('perm-photo.png', await makeGradientPng(32, 32, 2), 'image/png');
    const style = host.add('perm-style.png', await makeGradientPng(32, 32, 4), 'image/png');
    const runsBefore = h.engine.runs.length;

    const appPermissions = without(PermissionFlagsBits.AttachFiles, PermissionFlagsBits.CreatePublicThreads);
    const command = fake.sendStylize({ user: xena, content: { file: photo }, style: { file: style }, appPermissions });
    const message = fake.postUserMessage(xena, [photo, style]);
    const fromMessage = fake.sendMessageCommand(xena, message.id, 'Stylize', { appPermissions });
    await fake.waitFor(() => callback(fake, command) && callback(fake, fromMessage), 5000, 'the refusals');

    for (const interaction of [command, fromMessage]) {
      expect(ephemeralReply(fake, interaction)).toMatch(/I am missing the permissions Create Public Threads, Attach Files\. Ask a server admin/);
    }
    expect(host.requestsFor(photo)).toBe(0);
    expect(host.requestsFor(style)).toBe(0);
    expect(h.engine.runs.length).toBe(runsBefore);
  });
});
