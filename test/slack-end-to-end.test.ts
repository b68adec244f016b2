// The Slack adapter end to end on the real engine: the real Bolt App (HTTP mode, 127.0.0.1) inside the real
// bot (queue and engine process on the tiny VGG weights), driven by signed requests, against a fake Slack
// Web API and fake file hosts. The one Slack test that runs real image work; every other Slack test runs
// the same bot on the scripted engine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION } from '../src/adapters/slack/ids.js';
import { BOT_TOKEN, buttonValue, callCount, CHANNEL, doneEdit, jobMessageOf as sharedJobMessageOf, modalValues, postedResult, startSlackWorld, submitModal, updatesOf as sharedUpdatesOf } from './fake-slack/harness.js';
import type { SlackWorld } from './fake-slack/harness.js';
import { REAL_ENGINE_TIMEOUT_MS } from './fixtures/wait-for.js';
import { makeGradientPng } from './fixtures/images.js';

const ALICE = { id: 'UALICE', name: 'alice' };

let world: SlackWorld;

beforeAll(async () => {
  world = await startSlackWorld({ engine: 'real', slack: { updateIntervalMs: 1_000, previewIntervalMs: 1_000 } });
});

afterAll(async () => {
  await world?.close();
});

const jobMessageOf = (userId: string, after = 0) => sharedJobMessageOf(world, userId, after);
const updatesOf = (ts: string) => sharedUpdatesOf(world, ts);
const jobIdOf = buttonValue;

describe('Slack adapter on the real engine', () => {
  it('runs a complete /stylize: progress edits within the limit, a PNG in the job thread, run-again buttons', async () => {
    const started = callCount(world);
    const content = world.addUserFile('FCONTENT1', await makeGradientPng(256, 256, 1));
    const style = world.addUserFile('FSTYLE1', await makeGradientPng(256, 256, 2));
    const response = await submitModal(world, ALICE, modalValues({ content, style }, { preset: 'balanced', size: 256, seed: 7 }));
    expect(response.status).toBe(200);
    expect(response.text).toBe(''); // plain ack: the modal closes

    const message = await jobMessageOf(ALICE.id, started);
    expect(message.channel).toBe(CHANNEL);
    const { call: complete, png } = await postedResult(world, message.ts, REAL_ENGINE_TIMEOUT_MS);
    expect(complete.args.channel_id).toBe(CHANNEL);
    expect(png.format).toBe('png');
    expect(Math.max(png.width ?? 0, png.height ?? 0)).toBe(256);
    expect(String(complete.args.initial_comment)).toMatch(/your picture is ready: Balanced · \d+×\d+ px/);

    // The last edit says done, shows the settings in its footer and offers both directions.
    const done = await doneEdit(world, message.ts);
    expect(JSON.stringify(done.args.blocks)).toContain('Style ratio: Balanced');
    expect(JSON.stringify(done.args.blocks)).toContain('Seed: 7');
    expect(jobIdOf(done, ACTION.moreStyle)).toBeTruthy();
    expect(jobIdOf(done, ACTION.moreContent)).toBeTruthy();
    // Progress edits (with a bar) came; their spacing is checked on the test clock in slack-flow.
    const progress = updatesOf(message.ts).filter((c) => String(c.args.text).includes('Painting `'));
    expect(progress.length).toBeGreaterThan(0);
    // The images were fetched from Slack's file host with the bot token, after files.info.
    expect(world.api.callsTo('files.info').map((c) => c.args.file)).toEqual(expect.arrayContaining(['FCONTENT1', 'FSTYLE1']));
    const fetched = world.slackFiles.requests.filter((r) => r.path.includes('FCONTENT1') || r.path.includes('FSTYLE1'));
    expect(fetched).toHaveLength(2);
    for (const request of fetched) expect(request.authorization).toBe(`Bearer ${BOT_TOKEN}`);
    // No log line carries the token.
    expect(JSON.stringify(world.logLines)).not.toContain(BOT_TOKEN);
  }, 2 * REAL_ENGINE_TIMEOUT_MS);

  it('previews go into the job thread too', () => {
    const previews = world.api.callsTo('files.completeUploadExternal').filter((c) => /^The picture so far \(\d+% painted\)\.$/.test(String(c.args.initial_comment)));
    expect(previews.length).toBeGreaterThan(0);
    const first = world.api.callsTo('files.completeUploadExternal').find((c) => String(c.args.initial_comment).includes('your picture is ready'));
    for (const preview of previews) expect(preview.args.thread_ts).toBe(first?.args.thread_ts);
  });
});
