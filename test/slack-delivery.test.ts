// Delivery of the painting on Slack when the upload fails: the real bot (Bolt, queue, journal) against the
// fake Slack with fault hooks on files.completeUploadExternal (the call that shares the file into the
// thread), jobs on the scripted engine, time on the manual clock. Each job must end with exactly one
// painting in its thread: never lost, never twice, also across a restart.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { finishAtOnce } from './fixtures/scripted-engine.js';
import { makeGradientPng } from './fixtures/images.js';
import { callCount, jobMessageOf, modalValues, startSlackWorld, submitModal, updatesOf } from './fake-slack/harness.js';
import type { SlackWorld } from './fake-slack/harness.js';

const COMPLETE = 'files.completeUploadExternal';
let world: SlackWorld;
let users = 0;

beforeAll(async () => {
  world = await startSlackWorld({ slack: { previewIntervalMs: 0 } });
  world.engine.script = finishAtOnce;
});

afterAll(async () => {
  await world?.close();
});

/** Submits a job for a new user; resolves with its message once it is posted. */
async function startJob(): Promise<{ channel: string; ts: string }> {
  users += 1;
  const user = { id: `UDELIVER${users}`, name: `user${users}` };
  const before = callCount(world);
  const content = world.addUserFile(`FDC${users}`, await makeGradientPng(48, 40, users));
  const style = world.addUserFile(`FDS${users}`, await makeGradientPng(40, 40, users + 1));
  await submitModal(world, user, modalValues({ content, style }, { size: 32 }));
  return jobMessageOf(world, user.id, before);
}

/** Paintings shared into the job's thread (previews are named otherwise). */
function paintingsIn(ts: string) {
  return world.api.threadFiles.filter((file) => file.threadTs === ts && file.name.startsWith('stylize-'));
}

function lastText(ts: string): string {
  return String(updatesOf(world, ts).at(-1)?.args.text ?? '');
}

function completesFor(ts: string) {
  return world.api.callsTo(COMPLETE).filter((call) => call.args.thread_ts === ts);
}

test('the upload failing with 503 for 30 s, then recovering: one painting in the thread and a final "Done"', async () => {
  const { api, clock } = world;
  const fault = api.fault(COMPLETE, { status: 503 });
  const message = await startJob();
  await clock.advanceUntil(() => lastText(message.ts).includes('Trying again'), 'the first failed try', { stepMs: 100 });
  expect(lastText(message.ts)).toContain('Slack answered with a server error (503)');
  const failingSince = clock.now();
  await clock.advanceUntil(() => clock.now() - failingSince >= 30_000, '30 s of failures', { stepMs: 500 });
  fault.clear();
  await clock.advanceUntil(() => lastText(message.ts).includes('Done'), 'the done edit', { stepMs: 500 });
  expect(fault.caught()).toBeGreaterThanOrEqual(4);
  expect(paintingsIn(message.ts)).toHaveLength(1);
}, 60_000);

test('a 429 on the upload: the next try waits for Retry-After on the clock', async () => {
  const { api, clock } = world;
  api.fault(COMPLETE, { status: 429, retryAfterSeconds: 20, times: 1 });
  const message = await startJob();
  await clock.advanceUntil(() => lastText(message.ts).includes('slow down'), 'the rate-limited try', { stepMs: 100 });
  await clock.advanceUntil(() => lastText(message.ts).includes('Done'), 'the done edit', { stepMs: 500 });
  const [limited, accepted] = completesFor(message.ts);
  expect((accepted?.clockAt ?? 0) - (limited?.clockAt ?? 0)).toBeGreaterThanOrEqual(20_000);
  expect(paintingsIn(message.ts)).toHaveLength(1);
}, 60_000);

test('not_in_channel is final: the user reads what to do, and the upload is not retried', async () => {
  const { api, clock } = world;
  api.fault(COMPLETE, { error: 'not_in_channel', times: 1 });
  const message = await startJob();
  await clock.advanceUntil(() => lastText(message.ts).includes(':x:'), 'the final answer', { stepMs: 100 });
  expect(lastText(message.ts)).toContain('invite me');
  expect(lastText(message.ts)).not.toMatch(/smaller/);
  await clock.advance(60 * 60_000);
  expect(completesFor(message.ts)).toHaveLength(1);
}, 60_000);

test('the answer to the upload is lost after Slack shared the file: the retry finds it and uploads nothing more', async () => {
  const { api, clock } = world;
  const fault = api.fault(COMPLETE, { status: 500, afterHandling: true });
  const message = await startJob();
  await clock.advanceUntil(() => lastText(message.ts).includes('Done'), 'the done edit', { stepMs: 500 });
  fault.clear();
  expect(completesFor(message.ts)).toHaveLength(1);
  expect(paintingsIn(message.ts)).toHaveLength(1);
  expect(api.callsTo('conversations.replies').some((call) => call.args.ts === message.ts)).toBe(true);
}, 60_000);

test('a restart with a delivery still pending posts the painting once', async () => {
  const { api, clock } = world;
  const fault = api.fault(COMPLETE, { status: 502 });
  const message = await startJob();
  await clock.advanceUntil(() => lastText(message.ts).includes('Trying again'), 'a failed try', { stepMs: 100 });
  await world.restart();
  fault.clear();
  await clock.advanceUntil(() => lastText(message.ts).includes('Done'), 'the done edit after the restart', { stepMs: 500 });
  await clock.advance(10 * 60_000);
  expect(paintingsIn(message.ts)).toHaveLength(1);
}, 60_000);
