// Slack under load: progress edits that Slack rate-limits never hold up what must answer within 3 s.
// The WebClient pauses every call it has on a 429, so edits go through a client of their own; here
// chat.update answers 429 with a 60 s Retry-After, and views.open still goes through at once, before
// the edit is even retried.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNEL, callCount, modalValues, startSlackWorld, submitModal } from './fake-slack/harness.js';
import type { SlackWorld } from './fake-slack/harness.js';
import { makeGradientPng } from './fixtures/images.js';

const DAN = { id: 'UDAN', name: 'dan' };
const RETRY_AFTER_S = 60;

let world: SlackWorld;

beforeAll(async () => {
  world = await startSlackWorld();
});

afterAll(async () => {
  world?.api.rateLimit('chat.update', 0);
  await world?.close();
});

describe('Slack under load', () => {
  it('opens the modal at once while chat.update is rate-limited', async () => {
    world.api.rateLimit('chat.update', RETRY_AFTER_S);
    const picture = await makeGradientPng(32, 32, 6);
    const content = world.addUserFile('FLOAD1', picture);
    const style = world.addUserFile('FLOAD2', picture);
    // A job whose message edits are refused: the edits client now waits out the Retry-After.
    await submitModal(world, DAN, modalValues({ content, style }, { size: 32 }));
    await world.api.waitForCall('chat.update');
    const updatesBefore = world.api.callsTo('chat.update').length;

    const before = callCount(world);
    expect((await world.sender.slashCommand(DAN, CHANNEL)).status).toBe(200);
    const open = await world.api.waitForCall('views.open', () => true, 10_000);
    expect(world.api.calls.indexOf(open)).toBeGreaterThanOrEqual(before);
    // No edit was retried meanwhile: views.open did not wait behind the rate-limited client.
    expect(world.api.callsTo('chat.update')).toHaveLength(updatesBefore);
    // Notes to the user go on the interactive client too.
    await world.sender.buttonClick(DAN, CHANNEL, '1.000001', 'stylize_cancel', 'no-such-job');
    await world.api.waitForCall('chat.postEphemeral', (a) => a.user === DAN.id, 10_000);
  });
});
