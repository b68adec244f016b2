// The Slack adapter: the real Bolt App (HTTP mode, 127.0.0.1) inside the real bot (real queue and journal),
// its jobs on the scripted engine and time on the world's manual clock, driven by signed requests, against a
// fake Slack Web API and fake file hosts. Assertions are on the Web API calls the app makes. The same flow
// on the real engine is in slack-end-to-end.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION, BLOCK, SHORTCUT_CALLBACK } from '../src/adapters/slack/ids.js';
import { waitFor } from './fixtures/wait-for.js';
import { finishAtOnce } from './fixtures/scripted-engine.js';
import { BOT_TOKEN, buttonValue, callCount, CHANNEL, doneEdit, jobMessageOf as sharedJobMessageOf, modalValues, postedResult, startSlackWorld, submitModal, updatesOf as sharedUpdatesOf } from './fake-slack/harness.js';
import type { SlackWorld } from './fake-slack/harness.js';
import { makeGradientPng } from './fixtures/images.js';

const ALICE = { id: 'UALICE', name: 'alice' };
const BOB = { id: 'UBOB', name: 'bob' };
const UPDATE_INTERVAL_MS = 1_000;
const PREVIEW_INTERVAL_MS = 1_000;

let world: SlackWorld;

beforeAll(async () => {
  world = await startSlackWorld({ slack: { updateIntervalMs: UPDATE_INTERVAL_MS, previewIntervalMs: PREVIEW_INTERVAL_MS }, limits: { maxPendingPerUser: 1 } });
});

afterAll(async () => {
  await world?.close();
});

const jobMessageOf = (userId: string, after = 0) => sharedJobMessageOf(world, userId, after);
const updatesOf = (ts: string) => sharedUpdatesOf(world, ts);
const jobIdOf = buttonValue;
const isResult = (comment: unknown) => String(comment).includes('your picture is ready');

describe('Slack adapter', () => {
  it('opens the modal for /stylize with two image-only file inputs and the presets', async () => {
    const response = await world.sender.slashCommand(ALICE, CHANNEL);
    expect(response.status).toBe(200);
    const open = await world.api.waitForCall('views.open');
    expect(open.args.trigger_id).toMatch(/^trigger-/);
    const view = open.args.view as { blocks: Array<{ block_id?: string; element?: Record<string, unknown> }>; private_metadata: string };
    const content = view.blocks.find((b) => b.block_id === BLOCK.content)?.element;
    expect(content).toMatchObject({ type: 'file_input', max_files: 1, filetypes: ['jpg', 'jpeg', 'png', 'webp', 'gif'] });
    expect(view.blocks.find((b) => b.block_id === BLOCK.style)?.element).toMatchObject({ type: 'file_input', max_files: 1 });
    const preset = view.blocks.find((b) => b.block_id === BLOCK.preset)?.element as { options: Array<{ value: string }> };
    expect(preset.options.map((o) => o.value)).toEqual(['photo', 'balanced', 'painterly', 'painting']);
    expect(JSON.parse(view.private_metadata)).toEqual({ channel: CHANNEL, locale: 'en' });
    expect(open.authorization).toBe(`Bearer ${BOT_TOKEN}`);
  });

  it('runs a /stylize: the modal options reach the engine, progress edits keep the interval, previews and the PNG go into the thread', async () => {
    const { clock } = world;
    const started = callCount(world);
    const content = world.addUserFile('FCONTENT1', await makeGradientPng(256, 192, 1));
    const style = world.addUserFile('FSTYLE1', await makeGradientPng(64, 64, 2));
    const response = await submitModal(world, ALICE, modalValues({ content, style }, { preset: 'balanced', size: 128, seed: 7, keepColours: true }));
    expect(response.status).toBe(200);
    expect(response.text).toBe(''); // plain ack: the modal closes
    const message = await jobMessageOf(ALICE.id, started);
    expect(message.channel).toBe(CHANNEL);
    const run = await world.engine.active();
    expect(run.options).toEqual({ preset: 'balanced', size: 128, seed: 7, preserveColors: true });
    expect([run.content, run.style]).toEqual([{ width: 256, height: 192 }, { width: 64, height: 64 }]);

    // The engine reports every 100 ms on the test clock, with a preview each time; edits and previews keep
    // their intervals, however fast the reports come.
    const preview = await makeGradientPng(16, 16, 6);
    let iteration = 0;
    await clock.advanceUntil(() => {
      if (updatesOf(message.ts).filter((c) => String(c.args.text).includes('Painting `')).length >= 4) return true;
      iteration += 1;
      run.progress(iteration, 1000, { etaMs: (1000 - iteration) * 100, preview });
      return false;
    }, 'four progress edits', { stepMs: 100 });
    await run.finish();
    const { png } = await postedResult(world, message.ts);
    expect(Math.max(png.width ?? 0, png.height ?? 0)).toBe(128);
    const done = await doneEdit(world, message.ts);
    expect(jobIdOf(done, ACTION.moreStyle)).toBeTruthy();
    // Progress edits (with a bar) are at least the interval apart on the test clock, and far fewer than the reports.
    const progress = updatesOf(message.ts).filter((c) => String(c.args.text).includes('Painting `'));
    expect(progress.length).toBeGreaterThanOrEqual(4);
    expect(progress.length).toBeLessThan(iteration);
    for (let i = 1; i < progress.length; i++) {
      expect((progress[i]!.clockAt ?? 0) - (progress[i - 1]!.clockAt ?? 0)).toBeGreaterThanOrEqual(UPDATE_INTERVAL_MS);
    }
    // Previews went into the same thread, at most one per preview interval on the test clock.
    const previews = world.api.callsTo('files.completeUploadExternal').filter((c) => c.args.thread_ts === message.ts && /^The picture so far \(\d+% painted\)\.$/.test(String(c.args.initial_comment)));
    expect(previews.length).toBeGreaterThan(0);
    expect(previews.length).toBeLessThan(iteration);
  });

  it("refuses run-again and cancel on a Discord user's job to a Slack user with the same id", async () => {
    const content = await makeGradientPng(40, 32, 1);
    const style = await makeGradientPng(32, 32, 2);
    // Alice's Slack id on a Discord job: the same id, another person.
    const discordJob = await world.bot.queue.submit({ platform: 'discord', userId: ALICE.id, userName: 'alice on discord', reply: {}, content, style, options: { preset: 'balanced', size: 32 } });
    const runsBefore = world.engine.runs.length;
    await world.sender.buttonClick(ALICE, CHANNEL, '1.000001', ACTION.moreStyle, discordJob.id);
    await world.api.waitForCall('chat.postEphemeral', (a) => a.user === ALICE.id && String(a.text).includes('can run it again'));
    await world.sender.buttonClick(ALICE, CHANNEL, '1.000001', ACTION.cancel, discordJob.id);
    await world.api.waitForCall('chat.postEphemeral', (a) => a.user === ALICE.id && String(a.text).includes('Only the person who started this job can cancel it'));
    expect(world.bot.queue.get(discordJob.id)?.state).not.toBe('cancelled');
    expect([...world.engine.runs].slice(runsBefore).every((run) => run.jobId === discordJob.id)).toBe(true);
    expect(await world.bot.queue.cancel(discordJob.id, { platform: 'discord', userId: ALICE.id })).not.toBe('not-owner');
  });

  it('runs the job again with more style for its owner only', async () => {
    const done = world.api.callsTo('chat.update').find((c) => String(c.args.text).includes('Done'));
    expect(done).toBeDefined();
    const jobId = jobIdOf(done!, ACTION.moreStyle)!;
    const ts = String(done!.args.ts);
    const runsBefore = world.engine.runs.length;

    await world.sender.buttonClick(BOB, CHANNEL, ts, ACTION.moreStyle, jobId);
    await world.api.waitForCall('chat.postEphemeral', (a) => a.user === BOB.id && a.channel === CHANNEL && String(a.text).includes('can run it again'));

    world.engine.script = finishAtOnce;
    const before = callCount(world);
    await world.sender.buttonClick(ALICE, CHANNEL, ts, ACTION.moreStyle, jobId);
    const message = await jobMessageOf(ALICE.id, before);
    expect(message.ts).not.toBe(ts);
    const { call: complete } = await postedResult(world, message.ts);
    expect(String(complete.args.initial_comment)).toContain('your picture is ready: Painterly');
    expect(JSON.stringify((await doneEdit(world, message.ts)).args.blocks)).toContain('Style ratio: Painterly');
    // Bob's click ran nothing; Alice's ran once, with the next preset.
    expect(world.engine.runs.length).toBe(runsBefore + 1);
    expect(world.engine.runs.at(-1)?.options.preset).toBe('painterly');
    world.engine.script = undefined;
  });

  it('cancels a running and a queued job for their owners only, and refuses a job over the limit', async () => {
    const content = world.addUserFile('FCONTENT2', await makeGradientPng(256, 256, 3));
    const style = world.addUserFile('FSTYLE2', await makeGradientPng(256, 256, 4));
    const small = world.addUserFile('FSMALL2', await makeGradientPng(32, 32, 5));
    const start = callCount(world);
    await submitModal(world, ALICE, modalValues({ content, style }, { size: 256 }));
    const alice = await jobMessageOf(ALICE.id, start);
    const aliceRunning = await waitFor(() => updatesOf(alice.ts).find((c) => /Starting|Painting/.test(String(c.args.text))), 30_000, 'alice running');
    const aliceJob = jobIdOf(aliceRunning, ACTION.cancel)!;
    const aliceRun = await world.engine.runOf(aliceJob);

    const bobStart = callCount(world);
    await submitModal(world, BOB, modalValues({ content: small, style: small }, { size: 32 }));
    const bob = await jobMessageOf(BOB.id, bobStart);
    const bobQueued = await waitFor(() => updatesOf(bob.ts).find((c) => String(c.args.text).includes('Queued')), 30_000, 'bob queued');
    const bobJob = jobIdOf(bobQueued, ACTION.cancel)!;

    // A second waiting job is over Bob's limit of one: refused before any download or job message; only Bob
    // is told why.
    const overStart = callCount(world);
    const downloads = world.slackFiles.requests.length;
    await submitModal(world, BOB, modalValues({ content: small, style: small }, { size: 32 }));
    const refusal = await world.api.waitForCall('chat.postEphemeral', (a) => a.user === BOB.id && !String(a.text).includes('Only the person'));
    expect(world.api.calls.indexOf(refusal)).toBeGreaterThanOrEqual(overStart);
    expect(String(refusal.args.text)).toMatch(/^You already have 1 job waiting or running/);
    expect(world.slackFiles.requests.length).toBe(downloads);
    expect(world.api.calls.slice(overStart).filter((c) => c.method === 'chat.postMessage' || c.method === 'files.info')).toHaveLength(0);

    // Bob may not cancel Alice's job.
    await world.sender.buttonClick(BOB, alice.channel, alice.ts, ACTION.cancel, aliceJob);
    await world.api.waitForCall('chat.postEphemeral', (a) => a.user === BOB.id && String(a.text).includes('Only the person who started this job can cancel it.'));
    expect(aliceRun.cancelRequested).toBe(false);

    // Bob cancels his queued job; Alice cancels her running one.
    await world.sender.buttonClick(BOB, bob.channel, bob.ts, ACTION.cancel, bobJob);
    await waitFor(() => updatesOf(bob.ts).find((c) => String(c.args.text).includes(`Cancelled by <@${BOB.id}>`)), 30_000, 'bob cancelled');
    await world.sender.buttonClick(ALICE, alice.channel, alice.ts, ACTION.cancel, aliceJob);
    await waitFor(() => updatesOf(alice.ts).find((c) => String(c.args.text).includes(`Cancelled by <@${ALICE.id}>`)), 30_000, 'alice cancelled');
    expect(aliceRun.outcome).toEqual({ kind: 'stopped' });
    expect(world.bot.queue.get(aliceJob)?.state).toBe('cancelled');
    expect(world.bot.queue.get(bobJob)?.state).toBe('cancelled');
    // Neither cancelled job posted a result; Bob's never reached the engine.
    const results = world.api.callsTo('files.completeUploadExternal').filter((c) => c.args.thread_ts === alice.ts || c.args.thread_ts === bob.ts);
    expect(results.filter((c) => isResult(c.args.initial_comment))).toHaveLength(0);
    expect(world.engine.runs.some((run) => run.jobId === bobJob)).toBe(false);
  });

  it('the Stylize shortcut on a message with two images paints the first in the style of the second', async () => {
    world.engine.script = finishAtOnce;
    const content = world.addUserFile('FMSG1', await makeGradientPng(32, 24, 8), { name: 'photo.png' });
    const style = world.addUserFile('FMSG2', await makeGradientPng(16, 16, 9), { name: 'painting.png' });
    const opened = world.api.callsTo('views.open').length;
    const message = { type: 'message', ts: '1699999999.000001', user: ALICE.id, text: 'two pictures', files: [content, style] };
    expect((await world.sender.messageShortcut(ALICE, CHANNEL, SHORTCUT_CALLBACK, message)).status).toBe(200);
    const open = await waitFor(() => world.api.callsTo('views.open')[opened], 10_000, 'the shortcut modal');
    const view = open.args.view as { private_metadata: string; blocks: Array<{ type: string; block_id?: string; text?: { text: string } }> };
    const metadata = JSON.parse(view.private_metadata) as Record<string, unknown>;
    expect(metadata).toEqual({ channel: CHANNEL, messageFiles: { content: 'FMSG1', style: 'FMSG2' }, locale: 'en' });
    expect(view.blocks.some((b) => b.block_id === BLOCK.content)).toBe(false);
    const explanation = view.blocks.find((b) => b.type === 'section')?.text?.text ?? '';
    expect(explanation).toContain('the *first* is your photo');
    expect(explanation).toContain('photo.png');
    expect(explanation).toContain('painting.png');

    const before = callCount(world);
    expect((await submitModal(world, ALICE, modalValues({}, { size: 32, preset: 'painting' }), metadata)).text).toBe('');
    const job = await jobMessageOf(ALICE.id, before);
    expect((await postedResult(world, job.ts)).png.format).toBe('png');
    // The message's first image is the photo, the second the style.
    const run = world.engine.runs.at(-1);
    expect([run?.content, run?.style]).toEqual([{ width: 32, height: 24 }, { width: 16, height: 16 }]);
  });

  it('the Stylize shortcut on a message with one image says what it needs', async () => {
    const only = world.addUserFile('FMSG3', await makeGradientPng(32, 32, 8));
    const opened = world.api.callsTo('views.open').length;
    await world.sender.messageShortcut(BOB, CHANNEL, SHORTCUT_CALLBACK, { type: 'message', ts: '1699999999.000002', text: '', files: [only] });
    const open = await waitFor(() => world.api.callsTo('views.open')[opened], 10_000, 'the notice modal');
    expect(JSON.stringify(open.args.view)).toContain('This message has only one image.');
  });
});
