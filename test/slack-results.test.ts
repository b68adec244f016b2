// Results on Slack (issue 10): a library style picked in the form, the size check as a field error before
// any file is fetched, the queued start, and the done job message's buttons (Bigger, Use as style, Details,
// Delete). The real Bolt app in the real bot against the fake Slack, jobs on the scripted engine, time on
// the manual clock.
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION, BLOCK } from '../src/adapters/slack/ids.js';
import { findLibraryStyle } from '../src/styles/library.js';
import { buttonValue, callCount, CHANNEL, doneEdit, jobMessageOf, modalValues, postedResult, startSlackWorld, submitModal, updatesOf } from './fake-slack/harness.js';
import type { SlackWorld } from './fake-slack/harness.js';
import { makeGradientPng } from './fixtures/images.js';
import { finishAtOnce } from './fixtures/scripted-engine.js';
import { waitFor } from './fixtures/wait-for.js';
import { continuedIterations, continuedWork, plannedWork } from '../src/transfer/index.js';

const ALICE = { id: 'UALICE', name: 'alice' };
const BOB = { id: 'UBOB', name: 'bob' };
const CAROL = { id: 'UCAROL', name: 'carol' };

function fieldErrors(text: string): Record<string, string> {
  const body = JSON.parse(text) as { response_action: string; errors: Record<string, string> };
  expect(body.response_action).toBe('errors');
  return body.errors;
}

/** The note only `userId` sees, once it comes. */
function noteTo(world: SlackWorld, userId: string, pattern: RegExp) {
  return world.api.waitForCall('chat.postEphemeral', (a) => a.user === userId && pattern.test(String(a.text)));
}

/** Runs a job to its end and gives its message's ts, its done edit and its job id. */
async function finishedJob(world: SlackWorld, user: typeof ALICE, values: Record<string, Record<string, unknown>>) {
  world.engine.script = finishAtOnce;
  const before = callCount(world);
  await submitModal(world, user, values);
  const message = await jobMessageOf(world, user.id, before);
  const result = await postedResult(world, message.ts);
  const done = await doneEdit(world, message.ts);
  return { ts: message.ts, done, result, jobId: buttonValue(done, ACTION.details) ?? '' };
}

describe('Slack results', () => {
  let world: SlackWorld;
  beforeAll(async () => {
    world = await startSlackWorld({ limits: { maxPendingPerUser: 2 } });
  });
  afterAll(async () => {
    await world?.close();
  });

  it('offers the library beside the style image, and runs a library style with only the photo fetched', async () => {
    await world.sender.slashCommand(ALICE, CHANNEL);
    const open = await world.api.waitForCall('views.open');
    const view = open.args.view as { blocks: Array<{ block_id?: string; optional?: boolean; element?: { options?: Array<{ value: string }> } }> };
    expect(view.blocks.find((b) => b.block_id === BLOCK.style)?.optional).toBe(true);
    expect(view.blocks.find((b) => b.block_id === BLOCK.libraryStyle)?.element?.options?.map((o) => o.value)).toEqual([
      'starry-night',
      'the-scream',
      'shipwreck',
      'woman-with-a-hat',
      'great-wave',
      'udnie',
    ]);

    const content = world.addUserFile('FLIB1', await makeGradientPng(160, 120, 1));
    const { result, done } = await finishedJob(world, ALICE, modalValues({ content }, { libraryStyle: 'great-wave', size: 128 }));
    const painting = await sharp(findLibraryStyle('great-wave')?.path ?? '').metadata();
    const run = world.engine.runs.at(-1);
    expect(run?.style).toEqual({ width: painting.width, height: painting.height });
    expect(run?.options).toEqual({ preset: 'balanced', size: 128 });
    expect(world.api.callsTo('files.info').map((c) => c.args.file)).toEqual(['FLIB1']);
    expect(String(result.call.args.initial_comment)).toMatch(/your picture is ready: Balanced · The Great Wave off Kanagawa · 128×96 px · [\d.]+ s\./);
    expect(JSON.stringify(done.args.blocks)).toContain('Painting: The Great Wave off Kanagawa (Katsushika Hokusai, c. 1831)');
  });

  it('says on the form that it needs exactly one style, fetching nothing', async () => {
    const content = world.addUserFile('FLIB2', await makeGradientPng(64, 64, 2));
    const style = world.addUserFile('FLIB3', await makeGradientPng(64, 64, 3));
    const infos = world.api.callsTo('files.info').length;
    const neither = await submitModal(world, ALICE, modalValues({ content }));
    expect(fieldErrors(neither.text)).toEqual({ [BLOCK.style]: 'Please give a style: attach a style image or pick a painting.' });
    const both = await submitModal(world, ALICE, modalValues({ content, style }, { libraryStyle: 'udnie' }));
    expect(fieldErrors(both.text)[BLOCK.style]).toMatch(/only one style/);
    expect(world.api.callsTo('files.info')).toHaveLength(infos);
  });

  it('"Bigger" and "Use as style" from a done job; Details to the clicker only', async () => {
    const content = world.addUserFile('FUSE1', await makeGradientPng(200, 150, 4));
    const style = world.addUserFile('FUSE2', await makeGradientPng(48, 48, 5));
    const first = await finishedJob(world, ALICE, modalValues({ content, style }, { size: 128, preset: 'painterly' }));
    const firstRun = world.engine.runs.at(-1);

    // Bigger: the next size (the engine's speed is not known yet, so every size is taken), for Alice only.
    const biggerValue = buttonValue(first.done, ACTION.bigger) ?? '';
    expect(biggerValue).toBe(`${first.jobId}:256`);
    await world.sender.buttonClick(BOB, CHANNEL, first.ts, ACTION.bigger, biggerValue);
    await noteTo(world, BOB.id, /can run it again/);
    const bigger = await clickAndFinish(world, ALICE, first.ts, ACTION.bigger, biggerValue);
    // It goes on from the first picture (128 x 96): the engine gets it and starts above its 128 px.
    const biggerRun = world.engine.runs.at(-1);
    expect(biggerRun?.options).toEqual({ preset: 'painterly', size: 256, startAbove: 128 });
    const init = await sharp(biggerRun?.init).metadata();
    expect([init.width, init.height]).toEqual([128, 96]);
    expect(biggerRun?.content).toEqual(firstRun?.content);
    expect(String(bigger.result.call.args.initial_comment)).toContain('Painterly · 256×192 px');
    expect(JSON.stringify(bigger.done.args.blocks)).toContain('Made bigger from the 128 px picture');

    // Use as style: Bob may; the picture (128 x 96) becomes the style image of his job, with Alice's photo.
    const mine = await clickAndFinish(world, BOB, first.ts, ACTION.useStyle, first.jobId);
    const run = world.engine.runs.at(-1);
    expect(run?.style).toEqual({ width: 128, height: 96 });
    expect(run?.content).toEqual(firstRun?.content);
    expect(String(mine.result.call.args.initial_comment)).toContain(`<@${BOB.id}>, your picture is ready`);

    // Details: a note to whoever asks, with the settings and the engine's figures.
    await world.sender.buttonClick(CAROL, CHANNEL, first.ts, ACTION.details, first.jobId);
    const details = await noteTo(world, CAROL.id, /Settings of this picture/);
    expect(String(details.args.text)).toContain('Style ratio: Painterly');
    expect(String(details.args.text)).toMatch(/Steps: 10 in 1 s on wasm/);
  });

  it('Delete: only the owner; removes the picture and previews from the thread, the job message and the kept images', async () => {
    const content = world.addUserFile('FDEL1', await makeGradientPng(64, 48, 6));
    const style = world.addUserFile('FDEL2', await makeGradientPng(48, 48, 7));
    const job = await finishedJob(world, ALICE, modalValues({ content, style }, { size: 64 }));
    const uploaded = (job.result.call.args.files as Array<{ id: string }>)[0]?.id;
    await world.sender.buttonClick(BOB, CHANNEL, job.ts, ACTION.delete, job.jobId);
    await noteTo(world, BOB.id, /Only the person who started this job can delete it/);
    expect(world.api.callsTo('files.delete')).toHaveLength(0);

    await world.sender.buttonClick(ALICE, CHANNEL, job.ts, ACTION.delete, job.jobId);
    await noteTo(world, ALICE.id, /^Deleted: I no longer keep the picture/);
    expect(world.api.callsTo('files.delete').map((c) => c.args.file)).toContain(uploaded);
    expect(world.api.callsTo('chat.delete').some((c) => c.args.ts === job.ts)).toBe(true);
    // Nothing is kept to run again.
    await world.sender.buttonClick(ALICE, CHANNEL, job.ts, ACTION.moreStyle, job.jobId);
    await noteTo(world, ALICE.id, /no longer kept/);
  });
  it("Delete by a workspace admin: another member's picture is removed as by its owner (issue 11, moderation)", async () => {
    const content = world.addUserFile('FDEL3', await makeGradientPng(64, 48, 8));
    const style = world.addUserFile('FDEL4', await makeGradientPng(48, 48, 9));
    const job = await finishedJob(world, ALICE, modalValues({ content, style }, { size: 64 }));
    const uploaded = (job.result.call.args.files as Array<{ id: string }>)[0]?.id;
    world.api.admins.add(CAROL.id);
    try {
      await world.sender.buttonClick(CAROL, CHANNEL, job.ts, ACTION.delete, job.jobId);
      await noteTo(world, CAROL.id, /^Deleted: I no longer keep the picture/);
      expect(world.api.callsTo('files.delete').map((c) => c.args.file)).toContain(uploaded);
      expect(world.api.callsTo('chat.delete').some((c) => c.args.ts === job.ts)).toBe(true);
    } finally {
      world.api.admins.delete(CAROL.id);
    }
  });
});

describe('Slack results, once the engine is ready and its speed is known', () => {
  let world: SlackWorld;
  beforeAll(async () => {
    world = await startSlackWorld({ limits: { maxPendingPerUser: 2 } });
    // The bench's wasm figures on the full network: 256 px takes minutes, 1024 px far over 15.
    world.engine.ready({ backend: 'wasm', defaultSize: 256, defaultIterations: 100, networkCost: 1 });
  });
  afterAll(async () => {
    await world?.close();
  });

  it('shows a size that cannot finish in time on the size field, with the largest that fits, before fetching anything', async () => {
    const content = world.addUserFile('FBIG1', await makeGradientPng(64, 64, 1));
    const style = world.addUserFile('FBIG2', await makeGradientPng(64, 64, 2));
    const response = await submitModal(world, ALICE, modalValues({ content, style }, { size: 1024 }));
    expect(fieldErrors(response.text)).toEqual({ [BLOCK.size]: 'A 1024 px picture would take longer than the 15 min limit here. Please choose 544 px or smaller.' });
    expect(world.api.callsTo('files.info')).toHaveLength(0);
    expect(world.slackFiles.requests).toHaveLength(0);
  });

  it('a waiting job shows its place and when it should start', async () => {
    world.engine.script = undefined;
    const content = world.addUserFile('FETA1', await makeGradientPng(64, 64, 3));
    const style = world.addUserFile('FETA2', await makeGradientPng(64, 64, 4));
    const before = callCount(world);
    await submitModal(world, ALICE, modalValues({ content, style }, { size: 256 }));
    await jobMessageOf(world, ALICE.id, before);
    const run = await world.engine.active();
    const later = callCount(world);
    await submitModal(world, BOB, modalValues({ content, style }, { size: 256 }));
    const bob = await jobMessageOf(world, BOB.id, later);
    const queued = await waitFor(() => updatesOf(world, bob.ts).find((c) => String(c.args.text).includes('Queued')), 10_000, "Bob's place in line");
    expect(String(queued.args.text)).toMatch(/Queued: next in line, starts in about \d+ min( \d+ s)?\./);
    world.engine.script = finishAtOnce;
    await run.finish();
    await postedResult(world, bob.ts);
  });
});

describe('Slack Bigger past 1024 px, on the onnx-cpu prior and a 10 min limit (480 s usable)', () => {
  let world: SlackWorld;
  beforeAll(async () => {
    world = await startSlackWorld({ limits: { maxPendingPerUser: 2, jobTimeoutMs: 10 * 60_000 } });
    world.engine.ready({ backend: 'onnx-cpu', defaultSize: 512, defaultIterations: 150, networkCost: 1 });
  });
  afterAll(async () => {
    await world?.close();
  });

  /** Ends the running job as the engine would at 9.2 s per megapixel-iteration, so the estimates stay the prior's. */
  async function finishAtPrior(size: number): Promise<void> {
    const run = await world.engine.active();
    const [width, height] = [size, Math.round(size * 0.75)];
    const startAbove = run.options.startAbove;
    const iterations = startAbove === undefined ? 150 : continuedIterations(150);
    const work = startAbove === undefined ? plannedWork(width, height, iterations) : continuedWork(width, height, iterations, startAbove);
    await run.finish(undefined, { iterations, seconds: 9.2 * work });
  }

  it('offers 1448 px from 1024 (a Bigger job: 289 s; from scratch: 886 s), then the largest that fits below 2048', async () => {
    world.engine.script = undefined;
    const content = world.addUserFile('FHUGE1', await makeGradientPng(1024, 768, 8));
    const style = world.addUserFile('FHUGE2', await makeGradientPng(64, 64, 9));
    const before = callCount(world);
    await submitModal(world, ALICE, modalValues({ content, style }, { size: 1024 }));
    const message = await jobMessageOf(world, ALICE.id, before);
    await finishAtPrior(1024);
    const done = await doneEdit(world, message.ts);
    const jobId = buttonValue(done, ACTION.details) ?? '';
    expect(buttonValue(done, ACTION.bigger)).toBe(`${jobId}:1448`);

    const later = callCount(world);
    await world.sender.buttonClick(ALICE, CHANNEL, message.ts, ACTION.bigger, `${jobId}:1448`);
    const bigger = await jobMessageOf(world, ALICE.id, later);
    const run = await world.engine.active();
    expect(run.options).toMatchObject({ size: 1448, startAbove: 1024 });
    expect((await sharp(run.init).metadata()).width).toBe(1024);
    await finishAtPrior(1448);
    const biggerDone = await doneEdit(world, bigger.ts);
    // 2048 px as Bigger would take 579 s; 1856 px takes 475.
    expect(buttonValue(biggerDone, ACTION.bigger)).toBe(`${buttonValue(biggerDone, ACTION.details) ?? ''}:1856`);
  });
});

/** Clicks a done job's button that starts a job, and runs that job to its end. */
async function clickAndFinish(world: SlackWorld, user: typeof ALICE, ts: string, actionId: string, value: string) {
  world.engine.script = finishAtOnce;
  const before = callCount(world);
  await world.sender.buttonClick(user, CHANNEL, ts, actionId, value);
  const message = await jobMessageOf(world, user.id, before);
  const result = await postedResult(world, message.ts);
  return { ts: message.ts, result, done: await doneEdit(world, message.ts) };
}
