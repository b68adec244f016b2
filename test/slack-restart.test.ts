// A restart in the middle of the queue: the journaled jobs resume on a new bot and keep editing the same
// Slack messages (their channel and ts travel in the job's reply), and their results land in the same threads.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { waitFor } from './fixtures/wait-for.js';
import { finishAtOnce } from './fixtures/scripted-engine.js';
import { callCount, jobMessageOf, modalValues, startSlackWorld, submitModal, updatesOf } from './fake-slack/harness.js';
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
  const start = callCount(world);
  await submitModal(world, DORA, modalValues({ content: big, style: bigStyle }, { size: 256 }));
  const dora = await jobMessageOf(world, DORA.id, start);
  await waitFor(() => updatesOf(world, dora.ts).find((c) => /Starting|Painting/.test(String(c.args.text))), 30_000, 'dora running');
  // Dora's job holds the engine until the restart.
  const interrupted = await world.engine.active();
  await submitModal(world, ERIK, modalValues({ content: small, style: small }, { size: 32 }));
  const erik = await jobMessageOf(world, ERIK.id, start);
  await waitFor(() => updatesOf(world, erik.ts).find((c) => String(c.args.text).includes('Queued')), 30_000, 'erik queued');

  const restartedAt = callCount(world);
  await world.restart();
  expect(interrupted.outcome).toEqual({ kind: 'stopped' });
  // The new bot's engine: Dora's job runs again from the start, then Erik's.
  world.engine.script = finishAtOnce;
  const since = () => world.api.calls.slice(restartedAt);

  for (const message of [dora, erik]) {
    const resumed = await waitFor(
      () => since().find((c) => c.method === 'chat.update' && c.args.ts === message.ts && String(c.args.text).includes('Back in the queue after a restart')),
      30_000,
      'the resumed edit',
    );
    expect(resumed.args.channel).toBe(message.channel);
    await world.api.waitForCall('files.completeUploadExternal', (a) => a.thread_ts === message.ts && String(a.initial_comment).includes('your picture is ready'), 90_000);
    await waitFor(() => since().find((c) => c.method === 'chat.update' && c.args.ts === message.ts && String(c.args.text).includes('Done')), 30_000, 'the done edit');
  }
  // No new job messages were posted after the restart.
  expect(since().filter((c) => c.method === 'chat.postMessage')).toHaveLength(0);
});
