// The Slack adapter end to end: the real Bolt App (HTTP mode, 127.0.0.1) inside the real bot (queue and
// engine process on the tiny VGG weights), driven by signed requests, against a fake Slack Web API and
// fake file hosts. Assertions are on the Web API calls the app makes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { ACTION, BLOCK, SHORTCUT_CALLBACK } from '../src/adapters/slack/ids.js';
import { waitFor } from './fixtures/wait-for.js';
import { BOT_TOKEN, buttonValue, CHANNEL, jobMessageOf as sharedJobMessageOf, modalValues, startSlackWorld, submitModal, updatesOf as sharedUpdatesOf } from './fake-slack/harness.js';
import type { SlackWorld } from './fake-slack/harness.js';
import { makeGradientPng } from './fixtures/images.js';

const ALICE = { id: 'UALICE', name: 'alice' };
const BOB = { id: 'UBOB', name: 'bob' };
const UPDATE_INTERVAL_MS = 1_000;

let world: SlackWorld;

beforeAll(async () => {
  world = await startSlackWorld({ slack: { updateIntervalMs: UPDATE_INTERVAL_MS, previewIntervalMs: 1_000 }, limits: { maxPendingPerUser: 1 } });
});

afterAll(async () => {
  await world?.close();
});

const jobMessageOf = (userId: string, after = 0) => sharedJobMessageOf(world, userId, after);
const updatesOf = (ts: string) => sharedUpdatesOf(world, ts);
const jobIdOf = buttonValue;

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
    expect(JSON.parse(view.private_metadata)).toEqual({ channel: CHANNEL });
    expect(open.authorization).toBe(`Bearer ${BOT_TOKEN}`);
  });

  it('runs a complete /stylize: progress edits within the limit, a PNG in the job thread, run-again buttons', async () => {
    const started = Date.now();
    const content = world.addUserFile('FCONTENT1', await makeGradientPng(256, 256, 1));
    const style = world.addUserFile('FSTYLE1', await makeGradientPng(256, 256, 2));
    const response = await submitModal(world, ALICE, modalValues({ content, style }, { preset: 'balanced', size: 256, seed: 7 }));
    expect(response.status).toBe(200);
    expect(response.text).toBe(''); // plain ack: the modal closes

    const message = await jobMessageOf(ALICE.id, started);
    expect(message.channel).toBe(CHANNEL);
    const complete = await world.api.waitForCall('files.completeUploadExternal', (a) => String(a.initial_comment).includes('here is your painting'), 90_000);
    expect(complete.args.channel_id).toBe(CHANNEL);
    expect(complete.args.thread_ts).toBe(message.ts);
    const [uploaded] = complete.args.files as Array<{ id: string }>;
    const bytes = world.api.uploads.get(uploaded?.id ?? '')?.bytes;
    expect(bytes).toBeDefined();
    const meta = await sharp(bytes).metadata();
    expect(meta.format).toBe('png');
    expect(Math.max(meta.width ?? 0, meta.height ?? 0)).toBe(256);
    expect(String(complete.args.initial_comment)).toContain('Style ratio: Balanced');
    expect(String(complete.args.initial_comment)).toContain('Seed: 7');

    // The last edit says done and offers both directions.
    const done = await waitFor(() => updatesOf(message.ts).find((c) => String(c.args.text).includes('Done')), 10_000, 'the done edit');
    expect(jobIdOf(done, ACTION.moreStyle)).toBeTruthy();
    expect(jobIdOf(done, ACTION.moreContent)).toBeTruthy();
    // Progress edits (with a bar) are at least the interval apart.
    const progress = updatesOf(message.ts).filter((c) => String(c.args.text).includes('iteration'));
    expect(progress.length).toBeGreaterThan(0);
    for (let i = 1; i < progress.length; i++) {
      expect(progress[i]!.at - progress[i - 1]!.at).toBeGreaterThanOrEqual(UPDATE_INTERVAL_MS - 50);
    }
    // The images were fetched from Slack's file host with the bot token, after files.info.
    expect(world.api.callsTo('files.info').map((c) => c.args.file)).toEqual(expect.arrayContaining(['FCONTENT1', 'FSTYLE1']));
    const fetched = world.slackFiles.requests.filter((r) => r.path.includes('FCONTENT1') || r.path.includes('FSTYLE1'));
    expect(fetched).toHaveLength(2);
    for (const request of fetched) expect(request.authorization).toBe(`Bearer ${BOT_TOKEN}`);
    // No log line carries the token.
    expect(JSON.stringify(world.logLines)).not.toContain(BOT_TOKEN);
  });

  it('previews go into the job thread too', () => {
    const previews = world.api.callsTo('files.completeUploadExternal').filter((c) => String(c.args.initial_comment).startsWith('Preview'));
    expect(previews.length).toBeGreaterThan(0);
    const first = world.api.callsTo('files.completeUploadExternal').find((c) => String(c.args.initial_comment).includes('here is your painting'));
    for (const preview of previews) expect(preview.args.thread_ts).toBe(first?.args.thread_ts);
  });

  it('runs the job again with more style for its owner only', async () => {
    const done = world.api.callsTo('chat.update').find((c) => String(c.args.text).includes('Done'));
    expect(done).toBeDefined();
    const jobId = jobIdOf(done!, ACTION.moreStyle)!;
    const ts = String(done!.args.ts);

    await world.sender.buttonClick(BOB, CHANNEL, ts, ACTION.moreStyle, jobId);
    await world.api.waitForCall('chat.postEphemeral', (a) => a.user === BOB.id && a.channel === CHANNEL && String(a.text).includes('can run it again'));

    const before = Date.now();
    await world.sender.buttonClick(ALICE, CHANNEL, ts, ACTION.moreStyle, jobId);
    const message = await jobMessageOf(ALICE.id, before);
    expect(message.ts).not.toBe(ts);
    const complete = await world.api.waitForCall(
      'files.completeUploadExternal',
      (a) => a.thread_ts === message.ts && String(a.initial_comment).includes('here is your painting'),
      90_000,
    );
    expect(String(complete.args.initial_comment)).toContain('Style ratio: Painterly');
  });

  it('cancels a running and a queued job for their owners only, and refuses a job over the limit', async () => {
    const content = world.addUserFile('FCONTENT2', await makeGradientPng(256, 256, 3));
    const style = world.addUserFile('FSTYLE2', await makeGradientPng(256, 256, 4));
    const small = world.addUserFile('FSMALL2', await makeGradientPng(32, 32, 5));
    const start = Date.now();
    await submitModal(world, ALICE, modalValues({ content, style }, { size: 256 }));
    const alice = await jobMessageOf(ALICE.id, start);
    const aliceRunning = await waitFor(() => updatesOf(alice.ts).find((c) => String(c.args.text).includes('Painting')), 30_000, 'alice running');
    const aliceJob = jobIdOf(aliceRunning, ACTION.cancel)!;

    const bobStart = Date.now();
    await submitModal(world, BOB, modalValues({ content: small, style: small }, { size: 32 }));
    const bob = await jobMessageOf(BOB.id, bobStart);
    const bobQueued = await waitFor(() => updatesOf(bob.ts).find((c) => String(c.args.text).includes('Queued')), 30_000, 'bob queued');
    const bobJob = jobIdOf(bobQueued, ACTION.cancel)!;

    // A second waiting job is over Bob's limit of one: its message is removed and only Bob is told why.
    const overStart = Date.now();
    await submitModal(world, BOB, modalValues({ content: small, style: small }, { size: 32 }));
    const refusal = await world.api.waitForCall('chat.postEphemeral', (a) => a.user === BOB.id && !String(a.text).includes('Only the person'));
    expect(refusal.at).toBeGreaterThanOrEqual(overStart);
    const deleted = await world.api.waitForCall('chat.delete');
    expect(deleted.at).toBeGreaterThanOrEqual(overStart);

    // Bob may not cancel Alice's job.
    await world.sender.buttonClick(BOB, alice.channel, alice.ts, ACTION.cancel, aliceJob);
    await world.api.waitForCall('chat.postEphemeral', (a) => a.user === BOB.id && String(a.text).includes('Only the person who started this job can cancel it.'));

    // Bob cancels his queued job; Alice cancels her running one.
    await world.sender.buttonClick(BOB, bob.channel, bob.ts, ACTION.cancel, bobJob);
    await waitFor(() => updatesOf(bob.ts).find((c) => String(c.args.text).includes(`Cancelled by <@${BOB.id}>`)), 30_000, 'bob cancelled');
    await world.sender.buttonClick(ALICE, alice.channel, alice.ts, ACTION.cancel, aliceJob);
    await waitFor(() => updatesOf(alice.ts).find((c) => String(c.args.text).includes(`Cancelled by <@${ALICE.id}>`)), 30_000, 'alice cancelled');
    expect(world.bot.queue.get(aliceJob)?.state).toBe('cancelled');
    expect(world.bot.queue.get(bobJob)?.state).toBe('cancelled');
    // Neither cancelled job posted a result.
    const results = world.api.callsTo('files.completeUploadExternal').filter((c) => c.args.thread_ts === alice.ts || c.args.thread_ts === bob.ts);
    expect(results.filter((c) => String(c.args.initial_comment).includes('here is your painting'))).toHaveLength(0);
  });

  it('the Stylize shortcut on a message with two images paints the first in the style of the second', async () => {
    const content = world.addUserFile('FMSG1', await makeGradientPng(32, 32, 8), { name: 'photo.png' });
    const style = world.addUserFile('FMSG2', await makeGradientPng(32, 32, 9), { name: 'painting.png' });
    const opened = world.api.callsTo('views.open').length;
    const message = { type: 'message', ts: '1699999999.000001', user: ALICE.id, text: 'two pictures', files: [content, style] };
    expect((await world.sender.messageShortcut(ALICE, CHANNEL, SHORTCUT_CALLBACK, message)).status).toBe(200);
    const open = await waitFor(() => world.api.callsTo('views.open')[opened], 10_000, 'the shortcut modal');
    const view = open.args.view as { private_metadata: string; blocks: Array<{ type: string; block_id?: string; text?: { text: string } }> };
    const metadata = JSON.parse(view.private_metadata) as Record<string, unknown>;
    expect(metadata).toEqual({ channel: CHANNEL, messageFiles: { content: 'FMSG1', style: 'FMSG2' } });
    expect(view.blocks.some((b) => b.block_id === BLOCK.content)).toBe(false);
    const explanation = view.blocks.find((b) => b.type === 'section')?.text?.text ?? '';
    expect(explanation).toContain('the *first* is your photo');
    expect(explanation).toContain('photo.png');
    expect(explanation).toContain('painting.png');

    const before = Date.now();
    expect((await submitModal(world, ALICE, modalValues({}, { size: 32, preset: 'painting' }), metadata)).text).toBe('');
    const job = await jobMessageOf(ALICE.id, before);
    const complete = await world.api.waitForCall('files.completeUploadExternal', (a) => a.thread_ts === job.ts && String(a.initial_comment).includes('here is your painting'), 60_000);
    const [file] = complete.args.files as Array<{ id: string }>;
    expect((await sharp(world.api.uploads.get(file?.id ?? '')?.bytes).metadata()).format).toBe('png');
  });

  it('the Stylize shortcut on a message with one image says what it needs', async () => {
    const only = world.addUserFile('FMSG3', await makeGradientPng(32, 32, 8));
    const opened = world.api.callsTo('views.open').length;
    await world.sender.messageShortcut(BOB, CHANNEL, SHORTCUT_CALLBACK, { type: 'message', ts: '1699999999.000002', text: '', files: [only] });
    const open = await waitFor(() => world.api.callsTo('views.open')[opened], 10_000, 'the notice modal');
    expect(JSON.stringify(open.args.view)).toContain('This message has only one image.');
  });
});
