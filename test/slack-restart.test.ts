// A restart in the middle of the queue: the journaled jobs resume on a new bot and keep editing the same
// Slack messages (their channel and ts travel in the job's reply), and their results land in the same threads.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { waitFor } from './fixtures/wait-for.js';
import { jobMessageOf, modalValues, startSlackWorld, submitModal, updatesOf } from './fake-slack/harness.js';
import type { SlackWorld } from './fake-slack/harness.js';
import { makeGradientPng } from './fixtures/images.js';

const DORA = { id: 'UDORA', name: 'dora' };
const ERIK = { id: 'UERIK', name: 'erik' };

let world: SlackWorld;

beforeAll(async () => {
  world = await startSlackWorld({ slack: { updateIntervalMs: 500 } });
});

afterAll(async () => {
  await world?.close();
});

it('resumed jobs update the messages they started in', async () => {
  const big = world.addUserFile('FBIG', await makeGradientPng(256, 256, 1));
  const bigStyle = world.addUserFile('FBIGSTYLE', await makeGradientPng(256, 256, 2));
  const small = world.addUserFile('FSMALL', await makeGradientPng(32, 32, 3));
  const start = Date.now();
  await submitModal(world, DORA, modalValues({ content: big, style: bigStyle }, { size: 256 }));
  const dora = await jobMessageOf(world, DORA.id, start);
  await waitFor(() => updatesOf(world, dora.ts).find((c) => String(c.args.text).includes('Painting')), 30_000, 'dora running');
  await submitModal(world, ERIK, modalValues({ content: small, style: small }, { size: 32 }));
  const erik = await jobMessageOf(world, ERIK.id, start);
  await waitFor(() => updatesOf(world, erik.ts).find((c) => String(c.args.text).includes('Queued')), 30_000, 'erik queued');

  const restartedAt = Date.now();
  await world.restart();

  for (const message of [dora, erik]) {
    const resumed = await waitFor(
      () => updatesOf(world, message.ts).find((c) => c.at >= restartedAt && String(c.args.text).includes('picked up again after a restart')),
      30_000,
      'the resumed edit',
    );
    expect(resumed.args.channel).toBe(message.channel);
    await world.api.waitForCall('files.completeUploadExternal', (a) => a.thread_ts === message.ts && String(a.initial_comment).includes('here is your painting'), 90_000);
    await waitFor(() => updatesOf(world, message.ts).find((c) => c.at >= restartedAt && String(c.args.text).includes('Done')), 30_000, 'the done edit');
  }
  // No new job messages were posted after the restart.
  expect(world.api.callsTo('chat.postMessage').filter((c) => c.at >= restartedAt)).toHaveLength(0);
});
