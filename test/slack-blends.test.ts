// Blends and brush size on Slack (issue 19): the form's second style (an upload or a library painting) and
// blend, the brush size, the brush-size buttons of a done job, the words of the result and its Details, and
// the refusals of what cannot be run, on the form's fields or in a note. The real Bolt app in the real bot
// against the fake Slack, jobs on the scripted engine.
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION, BLOCK } from '../src/adapters/slack/ids.js';
import { findLibraryStyle } from '../src/styles/library.js';
import { buttonValue, callCount, CHANNEL, doneEdit, jobMessageOf, modalValues, postedResult, startSlackWorld, submitModal } from './fake-slack/harness.js';
import type { SlackWorld } from './fake-slack/harness.js';
import { makeGradientPng } from './fixtures/images.js';
import { finishAtOnce } from './fixtures/scripted-engine.js';

const ALICE = { id: 'UALICE', name: 'alice' };
const BOB = { id: 'UBOB', name: 'bob' };

function fieldErrors(text: string): Record<string, string> {
  const body = JSON.parse(text) as { response_action: string; errors: Record<string, string> };
  expect(body.response_action).toBe('errors');
  return body.errors;
}

/** Runs a job to its end and gives its message's ts, its done edit and its result. */
async function finishedJob(world: SlackWorld, user: typeof ALICE, values: Record<string, Record<string, unknown>>) {
  world.engine.script = finishAtOnce;
  const before = callCount(world);
  await submitModal(world, user, values);
  const message = await jobMessageOf(world, user.id, before);
  const result = await postedResult(world, message.ts);
  return { ts: message.ts, done: await doneEdit(world, message.ts), result };
}

describe('Slack blends and brush size', () => {
  let world: SlackWorld;
  beforeAll(async () => {
    world = await startSlackWorld({ limits: { maxPendingPerUser: 2 } });
  });
  afterAll(async () => {
    await world?.close();
  });

  it('offers a second style, the blend and the brush size in the form', async () => {
    await world.sender.slashCommand(ALICE, CHANNEL);
    const open = await world.api.waitForCall('views.open');
    const view = open.args.view as { blocks: Array<{ block_id?: string; optional?: boolean; element?: { type?: string; options?: Array<{ value: string }> } }> };
    const block = (id: string) => view.blocks.find((b) => b.block_id === id);
    expect(block(BLOCK.style2)?.element?.type).toBe('file_input');
    expect(block(BLOCK.style2)?.optional).toBe(true);
    expect(block(BLOCK.libraryStyle2)?.element?.options).toHaveLength(6);
    expect(block(BLOCK.blend)?.element?.options?.map((o) => o.value)).toEqual(['25', '50', '75']);
    expect(block(BLOCK.brushSize)?.element?.options?.map((o) => o.value)).toEqual(['small', 'normal', 'large']);
  });

  it('a library painting and an upload blended, with a brush size; the result credits the painting, Details tells all', async () => {
    const content = world.addUserFile('FBL1', await makeGradientPng(160, 120, 1));
    const style2 = world.addUserFile('FBL2', await makeGradientPng(36, 24, 2));
    const job = await finishedJob(world, ALICE, modalValues({ content, style2 }, { libraryStyle: 'great-wave', blend: '75', brushSize: 'small', size: 128 }));
    const painting = await sharp(findLibraryStyle('great-wave')?.path ?? '').metadata();
    const run = world.engine.runs.at(-1);
    expect(run?.style).toEqual({ width: painting.width, height: painting.height });
    expect(run?.extraStyles).toEqual([{ width: 36, height: 24 }]);
    expect(run?.options).toEqual({ preset: 'balanced', size: 128, styleWeights: [25, 75], styleScale: 0.5 });
    // Only the uploads are fetched from Slack.
    expect(world.api.callsTo('files.info').map((c) => c.args.file).sort()).toEqual(['FBL1', 'FBL2']);
    const comment = String(job.result.call.args.initial_comment);
    expect(comment).toMatch(/your picture is ready: Balanced · The Great Wave off Kanagawa · 128×96 px/);
    expect(comment).toContain('Styles: The Great Wave off Kanagawa (Katsushika Hokusai, c. 1831), 25% · your style image, 75%');

    const jobId = buttonValue(job.done, ACTION.details) ?? '';
    await world.sender.buttonClick(BOB, CHANNEL, job.ts, ACTION.details, jobId);
    const details = await world.api.waitForCall('chat.postEphemeral', (a) => a.user === BOB.id && String(a.text).startsWith('Settings of this picture'));
    expect(String(details.args.text)).toContain('• Styles: The Great Wave off Kanagawa (Katsushika Hokusai, c. 1831), 25% · your style image, 75%');
    expect(String(details.args.text)).toContain("• Brush size: Small, style image at 0.5× the picture's size");
    expect(String(details.args.text)).toContain("• Colours: the style's");
  });

  it('the brush-size buttons run the same images again with that brush, for the owner only', async () => {
    const content = world.addUserFile('FBR1', await makeGradientPng(64, 48, 3));
    const style = world.addUserFile('FBR2', await makeGradientPng(48, 48, 4));
    const first = await finishedJob(world, ALICE, modalValues({ content, style }, { libraryStyle2: 'udnie', size: 64 }));
    const firstRun = world.engine.runs.at(-1);
    expect(firstRun?.options).toEqual({ preset: 'balanced', size: 64, styleWeights: [50, 50] });
    // Painted with the normal brush: small and large are offered, normal is not.
    expect(buttonValue(first.done, ACTION.brushNormal)).toBeUndefined();
    const jobId = buttonValue(first.done, ACTION.brushLarge) ?? '';
    expect(buttonValue(first.done, ACTION.brushSmall)).toBe(jobId);

    await world.sender.buttonClick(BOB, CHANNEL, first.ts, ACTION.brushLarge, jobId);
    await world.api.waitForCall('chat.postEphemeral', (a) => a.user === BOB.id && /can run it again/.test(String(a.text)));

    world.engine.script = finishAtOnce;
    const before = callCount(world);
    await world.sender.buttonClick(ALICE, CHANNEL, first.ts, ACTION.brushLarge, jobId);
    const message = await jobMessageOf(world, ALICE.id, before);
    await postedResult(world, message.ts);
    const run = world.engine.runs.at(-1);
    expect(run?.options).toEqual({ preset: 'balanced', size: 64, styleWeights: [50, 50], styleScale: 2 });
    expect(run?.extraStyles).toEqual(firstRun?.extraStyles);
    const again = await doneEdit(world, message.ts);
    expect(buttonValue(again, ACTION.brushLarge)).toBeUndefined();
    expect(buttonValue(again, ACTION.brushNormal)).toBeDefined();
  });

  it('refuses on the form a second style given twice, a blend without one and a second style that is not a picture', async () => {
    const content = world.addUserFile('FBAD1', await makeGradientPng(64, 64, 5));
    const style2 = world.addUserFile('FBAD2', await makeGradientPng(64, 64, 6));
    const infos = world.api.callsTo('files.info').length;
    const twice = await submitModal(world, ALICE, modalValues({ content, style2 }, { libraryStyle: 'udnie', libraryStyle2: 'the-scream' }));
    expect(fieldErrors(twice.text)).toEqual({ [BLOCK.style2]: 'Please give only one second style: either attach or link an image, or pick a painting, not both.' });
    const lonely = await submitModal(world, ALICE, modalValues({ content }, { libraryStyle: 'udnie', blend: '25' }));
    expect(fieldErrors(lonely.text)[BLOCK.blend]).toMatch(/^A blend mixes two styles/);
    expect(world.api.callsTo('files.info')).toHaveLength(infos);
    // A file Slack calls a text file is refused from what Slack declares, before it is fetched.
    const notes = world.addUserFile('FBAD3', Buffer.from('just notes'), { mimetype: 'text/plain', name: 'notes.txt' });
    const text = await submitModal(world, ALICE, modalValues({ content, style2: notes }, { libraryStyle: 'udnie' }));
    expect(fieldErrors(text.text)).toEqual({ [BLOCK.style2]: 'The second style image (notes.txt) is not a JPEG, PNG, WebP or GIF picture, the only formats I take. Please choose one of those.' });
    // One that claims to be a PNG is fetched after the form closed, read, and refused in a note to its owner.
    const fake = world.addUserFile('FBAD4', Buffer.from('not a png at all'), { name: 'fake.png' });
    const bytes = await submitModal(world, ALICE, modalValues({ content, style2: fake }, { libraryStyle: 'udnie' }));
    expect(bytes.text).toBe('');
    await world.api.waitForCall('chat.postEphemeral', (a) => a.user === ALICE.id && /^The second style image is not a picture I can read/.test(String(a.text)));
  });
});
