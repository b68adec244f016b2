// A painting time on Slack (issue 21): the form offers the whole minutes that fit the job time limit, a
// picked time reaches the engine as its budget, and the job message and Details show it. The real Bolt app
// in the real bot against the fake Slack, jobs on the scripted engine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION, BLOCK } from '../src/adapters/slack/ids.js';
import { buttonValue, callCount, CHANNEL, doneEdit, jobMessageOf, modalValues, postedResult, startSlackWorld, submitModal } from './fake-slack/harness.js';
import type { SlackWorld } from './fake-slack/harness.js';
import { makeGradientPng } from './fixtures/images.js';
import { finishAtOnce } from './fixtures/scripted-engine.js';

const ALICE = { id: 'UALICE', name: 'alice' };
const BOB = { id: 'UBOB', name: 'bob' };

describe('Slack painting time', () => {
  let world: SlackWorld;
  beforeAll(async () => {
    // A five-minute limit: one and two minutes fit, with room for the engine's start and the picture.
    world = await startSlackWorld({ limits: { jobTimeoutMs: 5 * 60_000, maxPendingPerUser: 2 } });
  });
  afterAll(async () => {
    await world?.close();
  });

  it('offers only the painting times that fit the job time limit, optional', async () => {
    await world.sender.slashCommand(ALICE, CHANNEL);
    const open = await world.api.waitForCall('views.open');
    const view = open.args.view as { blocks: Array<{ block_id?: string; optional?: boolean; label?: { text: string }; element?: { options?: Array<{ value: string; text: { text: string } }> } }> };
    const field = view.blocks.find((b) => b.block_id === BLOCK.paintingTime);
    expect(field?.optional).toBe(true);
    expect(field?.label?.text).toBe('Painting time');
    expect(field?.element?.options?.map((o) => [o.value, o.text.text])).toEqual([
      ['1', '1 minute'],
      ['2', '2 minutes'],
    ]);
  });

  it('a picked time reaches the engine as its budget; the job message and Details show it', async () => {
    world.engine.script = finishAtOnce;
    const content = world.addUserFile('FRT1', await makeGradientPng(64, 48, 1));
    const style = world.addUserFile('FRT2', await makeGradientPng(48, 48, 2));
    const before = callCount(world);
    await submitModal(world, ALICE, modalValues({ content, style }, { paintingTime: '2', size: 64 }));
    const message = await jobMessageOf(world, ALICE.id, before);
    await postedResult(world, message.ts);
    expect(world.engine.runs.at(-1)?.options).toEqual({ preset: 'balanced', size: 64, timeBudgetMs: 120_000 });
    const done = await doneEdit(world, message.ts);
    expect(JSON.stringify(done.args.blocks)).toContain('Balanced · 64 px · 2 min');
    expect(JSON.stringify(done.args.blocks)).toContain('Painting time: 2 min');
    await world.sender.buttonClick(BOB, CHANNEL, message.ts, ACTION.details, buttonValue(done, ACTION.details) ?? '');
    const details = await world.api.waitForCall('chat.postEphemeral', (a) => a.user === BOB.id && String(a.text).startsWith('Settings of this picture'));
    expect(String(details.args.text)).toContain('• Painting time: 2 min');
  });

  it('a time the limit no longer fits (a form opened before it changed) is capped to the longest that does', async () => {
    world.engine.script = finishAtOnce;
    const content = world.addUserFile('FRT3', await makeGradientPng(64, 48, 3));
    const style = world.addUserFile('FRT4', await makeGradientPng(48, 48, 4));
    const before = callCount(world);
    await submitModal(world, BOB, modalValues({ content, style }, { paintingTime: '10', size: 64 }));
    const message = await jobMessageOf(world, BOB.id, before);
    await postedResult(world, message.ts);
    expect(world.engine.runs.at(-1)?.options).toEqual({ preset: 'balanced', size: 64, timeBudgetMs: 120_000 });
  });
});
