// The Slack adapter end to end: the real Bolt App (HTTP mode, 127.0.0.1) inside the real bot (queue and
// engine process on the tiny VGG weights), driven by signed requests, against a fake Slack Web API and
// fake file hosts. Assertions are on the Web API calls the app makes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { ACTION, BLOCK } from '../src/adapters/slack/ids.js';
import type { RecordedCall } from './fake-slack/api.js';
import { waitFor } from './fake-slack/http.js';
import { BOT_TOKEN, CHANNEL, makePng, modalValues, startSlackWorld, submitModal } from './fake-slack/harness.js';
import type { SlackWorld } from './fake-slack/harness.js';

const ALICE = { id: 'UALICE', name: 'alice' };
const BOB = { id: 'UBOB', name: 'bob' };
const UPDATE_INTERVAL_MS = 1_500;

let world: SlackWorld;

beforeAll(async () => {
  world = await startSlackWorld({ slack: { updateIntervalMs: UPDATE_INTERVAL_MS, previewIntervalMs: 1_000 } });
});

afterAll(async () => {
  await world?.close();
});

/** The job message posted for a submission, found by the user it mentions. */
async function jobMessageOf(userId: string, after = 0): Promise<{ channel: string; ts: string }> {
  const post = await waitFor(
    () => world.api.calls.find((c) => c.method === 'chat.postMessage' && c.at >= after && String(c.args.text).includes(`<@${userId}>`)),
    30_000,
    `the job message for ${userId}`,
  );
  const index = world.api.calls.indexOf(post);
  // The fake numbers ts in call order; read it back from what the adapter then edits.
  const update = await waitFor(() => world.api.calls.slice(index + 1).find((c) => c.method === 'chat.update' && c.args.channel === post.args.channel), 30_000, 'a first edit');
  return { channel: String(post.args.channel), ts: String(update.args.ts) };
}

function updatesOf(ts: string): RecordedCall[] {
  return world.api.callsTo('chat.update').filter((c) => c.args.ts === ts);
}

function jobIdOf(call: RecordedCall, actionId: string): string | undefined {
  const blocks = (call.args.blocks ?? []) as Array<{ type: string; elements?: Array<{ action_id?: string; value?: string }> }>;
  for (const block of blocks) for (const element of block.elements ?? []) if (element.action_id === actionId) return element.value;
  return undefined;
}

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
    const content = world.addUserFile('FCONTENT1', await makePng(48, 1));
    const style = world.addUserFile('FSTYLE1', await makePng(48, 2));
    const response = await submitModal(world, ALICE, modalValues({ content, style }, { preset: 'balanced', size: 48, seed: 7 }));
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
    expect(Math.max(meta.width ?? 0, meta.height ?? 0)).toBe(48);
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
});
