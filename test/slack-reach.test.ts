// Issue 10's reach items on Slack: `/stylize help`, `/stylize jobs` with Cancel buttons, the owner's ping
// in the job's thread when a job fails, and the refusal before any file is fetched when the bot is not in
// the channel. The real Bolt App inside the real bot against the fake Slack, on the scripted engine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION } from '../src/adapters/slack/ids.js';
import { STYLE_LIBRARY } from '../src/styles/library.js';
import { callCount, jobMessageOf, modalValues, noteFor, slashAnswer, startSlackWorld, submitModal, updatesOf, CHANNEL } from './fake-slack/harness.js';
import type { SlackWorld } from './fake-slack/harness.js';
import { makeGradientPng } from './fixtures/images.js';
import { finishAtOnce } from './fixtures/scripted-engine.js';
import { waitFor } from './fixtures/wait-for.js';

const ALICE = { id: 'UALICE', name: 'alice' };
const BOB = { id: 'UBOB', name: 'bob' };
const OUTSIDE = 'C0OUTSIDE';

let world: SlackWorld;

beforeAll(async () => {
  world = await startSlackWorld({ limits: { maxPendingPerUser: 3 } });
  world.api.channelsWithoutBot.add(OUTSIDE);
});

afterAll(async () => {
  await world?.close();
});

interface Answer {
  response_type?: string;
  text?: string;
  blocks?: Array<{ text?: { text: string }; accessory?: { action_id: string; value: string; text: { text: string } } }>;
}

async function slash(user: { id: string; name: string }, text: string): Promise<Answer> {
  return (await slashAnswer(world, user, CHANNEL, text)) as Answer;
}

async function startJob(user: { id: string; name: string }, seed: number): Promise<{ channel: string; ts: string }> {
  const started = callCount(world);
  const content = world.addUserFile(`FC${user.id}${seed}`, await makeGradientPng(64, 48, seed));
  const style = world.addUserFile(`FS${user.id}${seed}`, await makeGradientPng(32, 32, seed + 1));
  await submitModal(world, user, modalValues({ content, style }, { preset: seed % 2 === 0 ? 'balanced' : 'painting' }));
  return jobMessageOf(world, user.id, started);
}

describe('/stylize help and /stylize jobs', () => {
  it('help answers only the caller, with the style ratios, the library, the limits and privacy; no form opens', async () => {
    const opened = world.api.callsTo('views.open').length;
    const answer = await slash(ALICE, 'help');
    expect(answer.response_type).toBe('ephemeral');
    for (const label of ['Mostly photo', 'Balanced', 'Painterly', 'Mostly style']) expect(answer.text).toContain(label);
    for (const style of STYLE_LIBRARY) expect(answer.text).toContain(style.name);
    expect(answer.text).toMatch(/Limits: images up to 10 MB/);
    expect(answer.text).toMatch(/Privacy: .* for 24 h after it is done/);
    expect(world.api.callsTo('views.open').length).toBe(opened);
  });

  it('an unknown word says which ones exist', async () => {
    const answer = await slash(ALICE, 'paint');
    expect(answer).toMatchObject({ response_type: 'ephemeral' });
    expect(answer.text).toMatch(/I don't know "\/stylize paint"\. .*\/stylize help .*\/stylize jobs/);
  });

  it("jobs lists the caller's jobs with Cancel buttons that cancel them", async () => {
    world.engine.script = undefined;
    const first = await startJob(ALICE, 2);
    await world.engine.active();
    const second = await startJob(ALICE, 3);
    await waitFor(() => updatesOf(world, second.ts).some((c) => String(c.args.text).includes('Queued')), 10_000, 'the second job queued');

    expect(await slash(BOB, 'jobs')).toEqual({ response_type: 'ephemeral', text: 'You have no waiting or running jobs.' });
    const answer = await slash(ALICE, 'jobs');
    expect(answer.text).toMatch(/^Your 2 jobs:\n1\. Running: Balanced .*\n2\. Waiting, next in line: Mostly style/);
    const buttons = (answer.blocks ?? []).flatMap((block) => (block.accessory ? [block.accessory] : []));
    expect(buttons.map((button) => [button.action_id, button.text.text])).toEqual([
      [ACTION.cancel, 'Cancel job 1'],
      [ACTION.cancel, 'Cancel job 2'],
    ]);

    // A button of the list is the job message's own Cancel: only the owner's click counts.
    await world.sender.buttonClick(BOB, CHANNEL, '1.0', ACTION.cancel, buttons[1]?.value ?? '');
    await world.api.waitForCall('chat.postEphemeral', (a) => a.user === BOB.id && String(a.text).includes('Only the person who started this job can cancel it'));
    for (const [index, message] of [[1, second], [0, first]] as const) {
      await world.sender.buttonClick(ALICE, CHANNEL, '1.0', ACTION.cancel, buttons[index]?.value ?? '');
      await waitFor(() => updatesOf(world, message.ts).some((c) => String(c.args.text).includes('Cancelled by')), 10_000, 'the job cancelled');
    }
    expect(await slash(ALICE, 'jobs')).toEqual({ response_type: 'ephemeral', text: 'You have no waiting or running jobs.' });
    // Her own cancels ping nobody.
    expect(world.api.callsTo('chat.postMessage').filter((c) => c.args.thread_ts === first.ts || c.args.thread_ts === second.ts)).toEqual([]);
  }, 30_000);
});

describe('telling the owner', () => {
  it("a failed job mentions its owner in the job's thread", async () => {
    world.engine.script = (run) => run.fail('the engine ran out of memory', 'internal');
    const message = await startJob(BOB, 4);
    const ping = await world.api.waitForCall('chat.postMessage', (a) => a.thread_ts === message.ts && a.channel === message.channel, 10_000);
    expect(String(ping.args.text)).toMatch(/^<@UBOB>, your job did not finish: /);
  });
});

describe('channel membership', () => {
  it('a job asked for in a channel the bot is not in is refused before any file is fetched, saying to /invite it', async () => {
    const fetched = world.slackFiles.requests.length;
    const content = world.addUserFile('FOUTC', await makeGradientPng(32, 32, 1));
    const style = world.addUserFile('FOUTS', await makeGradientPng(32, 32, 2));
    const filesInfo = world.api.callsTo('files.info').length;
    const start = callCount(world);
    // The form closes at once (the membership check runs after Slack's answer); the refusal is a note, in
    // the user's DM with the bot since the bot cannot post where it is not a member.
    const response = await submitModal(world, ALICE, modalValues({ content, style }), { channel: OUTSIDE });
    expect(response.text).toBe('');
    const note = await noteFor(world, ALICE.id, start);
    expect(note.text).toMatch(/not a member of this channel.*\/invite @stylize/);
    expect(note.channel).toBe(ALICE.id);
    expect(world.api.callsTo('conversations.info').at(-1)?.args.channel).toBe(OUTSIDE);
    expect(world.api.callsTo('files.info').length).toBe(filesInfo);
    expect(world.slackFiles.requests.length).toBe(fetched);
    expect(world.api.callsTo('chat.postMessage').filter((c) => c.args.channel === OUTSIDE)).toEqual([]);
  });

  it('a private channel the bot cannot see is refused the same way; an install without the read scopes goes on', async () => {
    const content = world.addUserFile('FPRIVC', await makeGradientPng(32, 32, 1));
    const style = world.addUserFile('FPRIVS', await makeGradientPng(32, 32, 2));
    world.api.failNext('conversations.info', 'channel_not_found');
    const before = callCount(world);
    const hidden = await submitModal(world, ALICE, modalValues({ content, style }), { channel: 'C0PRIVATE' });
    expect(hidden.text).toBe('');
    expect((await noteFor(world, ALICE.id, before)).text).toMatch(/not a member of this channel/);
    expect(world.api.callsTo('files.info').filter((c) => c.args.file === 'FPRIVC')).toEqual([]);

    world.engine.script = finishAtOnce;
    world.api.failNext('conversations.info', 'missing_scope');
    const started = callCount(world);
    const response = await submitModal(world, ALICE, modalValues({ content, style }));
    expect(response.text).toBe('');
    await jobMessageOf(world, ALICE.id, started);
  });
});
