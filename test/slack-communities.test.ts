// Communities on Slack: workspace admins cancel anyone's job, `/stylize admin ...` (for admins only) sets
// the workspace's defaults, limits and channels, pauses, resumes and clears its jobs, and the settings
// survive a restart. The real bot (queue, journal, Bolt in HTTP mode) against the fake Slack; jobs on the
// scripted engine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION } from '../src/adapters/slack/ids.js';
import { buttonValue, callCount, CHANNEL, jobMessageOf, modalValues, postedResult, startSlackWorld, submitModal, updatesOf } from './fake-slack/harness.js';
import type { SlackWorld } from './fake-slack/harness.js';
import type { FakeFile } from './fake-slack/api.js';
import type { SlackUser } from './fake-slack/requests.js';
import { makeGradientPng } from './fixtures/images.js';
import { finishAtOnce } from './fixtures/scripted-engine.js';
import { waitFor } from './fixtures/wait-for.js';

const OWNER = { id: 'UOWNER', name: 'owner' };
const MEMBER = { id: 'UMEMBER', name: 'member' };
const ADMIN = { id: 'UADMIN', name: 'admin' };
const OTHER_CHANNEL = 'C0OTHER';

let world: SlackWorld;
let image: FakeFile;

beforeAll(async () => {
  world = await startSlackWorld({ limits: { maxPendingPerUser: 4 } });
  world.api.admins.add(ADMIN.id);
  image = world.addUserFile('FIMAGE', await makeGradientPng(64, 64, 3));
});

afterAll(async () => {
  await world?.close();
});

/** Sends `/stylize <text>` and returns the next ephemeral note to the user. */
async function command(user: SlackUser, text: string, channel = CHANNEL): Promise<string> {
  const start = callCount(world);
  await world.sender.slashCommand(user, channel, text);
  const note = await waitFor(() => world.api.calls.slice(start).find((c) => c.method === 'chat.postEphemeral' && c.args.user === user.id), 10_000, `the answer to /stylize ${text}`);
  return String(note.args.text);
}

/** Submits a job and returns its message and job id once it shows `state`. */
async function submit(user: SlackUser, state: RegExp, size?: number) {
  const start = callCount(world);
  await submitModal(world, user, modalValues({ content: image, style: image }, size === undefined ? {} : { size }));
  const message = await jobMessageOf(world, user.id, start);
  const edit = await waitFor(() => updatesOf(world, message.ts).find((c) => state.test(String(c.args.text))), 20_000, `the job ${state}`);
  return { message, jobId: buttonValue(edit, ACTION.cancel) ?? '' };
}

describe('moderation on Slack', () => {
  it("a member cannot cancel another's job; a workspace admin can, and the message names them", async () => {
    world.engine.script = undefined;
    const { message, jobId } = await submit(OWNER, /Starting|Painting/, 32);
    const run = await world.engine.runOf(jobId);
    await world.sender.buttonClick(MEMBER, message.channel, message.ts, ACTION.cancel, jobId);
    await world.api.waitForCall('chat.postEphemeral', (a) => a.user === MEMBER.id && String(a.text).includes('Only the person who started this job can cancel it.'));
    expect(run.cancelRequested).toBe(false);
    await world.sender.buttonClick(ADMIN, message.channel, message.ts, ACTION.cancel, jobId);
    await waitFor(() => updatesOf(world, message.ts).find((c) => String(c.args.text).includes(`Cancelled by <@${ADMIN.id}>`)), 20_000, 'cancelled by the admin');
    expect(run.outcome).toEqual({ kind: 'stopped' });
  });
});

describe('/stylize admin', () => {
  it('is for workspace admins only', async () => {
    expect(await command(MEMBER, 'admin pause')).toBe("Only the workspace's admins and owners can change my settings.");
    expect(await command(ADMIN, 'admin show')).toContain('Status: active; 0 waiting');
    expect(await command(ADMIN, 'admin set colour=blue')).toMatch(/^Usage: /);
  });

  it('pause keeps the jobs waiting, resume runs them, clear cancels the waiting ones', async () => {
    world.engine.script = finishAtOnce;
    expect(await command(ADMIN, 'admin pause')).toMatch(/^Paused\./);
    const runs = world.engine.runs.length;
    const { message } = await submit(OWNER, /Queued/, 32);
    expect(await command(ADMIN, 'admin show')).toContain('Status: paused; 1 waiting, 0 running');
    expect(world.engine.runs.length).toBe(runs);
    expect(await command(ADMIN, 'admin resume')).toMatch(/^Resumed\./);
    await postedResult(world, message.ts);

    await command(ADMIN, 'admin pause');
    const first = await submit(OWNER, /Queued/, 32);
    const second = await submit(MEMBER, /Queued/, 32);
    expect(await command(ADMIN, 'admin clear')).toBe('Cleared: 2 waiting jobs cancelled. A job already running finishes.');
    for (const job of [first, second]) {
      await waitFor(() => updatesOf(world, job.message.ts).find((c) => String(c.args.text).includes(`Cancelled by <@${ADMIN.id}>`)), 10_000, 'cleared');
    }
    await command(ADMIN, 'admin resume');
  });

  it('channels: /stylize elsewhere is refused naming the allowed ones, and opens no form', async () => {
    expect(await command(ADMIN, 'admin channels allow', OTHER_CHANNEL)).toContain(`Channels: <#${OTHER_CHANNEL}>`);
    const opened = world.api.callsTo('views.open').length;
    expect(await command(MEMBER, '')).toBe(`Here, /stylize works only in <#${OTHER_CHANNEL}>. Please use it there.`);
    expect(world.api.callsTo('views.open')).toHaveLength(opened);
    // A form opened elsewhere (the message shortcut opens in any channel) is refused at submission.
    const start = callCount(world);
    await submitModal(world, MEMBER, modalValues({ content: image, style: image }));
    const refusal = await waitFor(() => world.api.calls.slice(start).find((c) => c.method === 'chat.postEphemeral' && c.args.user === MEMBER.id), 10_000, 'the refusal');
    expect(String(refusal.args.text)).toBe(`Here, /stylize works only in <#${OTHER_CHANNEL}>. Please use it there.`);
    expect(world.api.calls.slice(start).filter((c) => c.method === 'chat.postMessage' || c.method === 'files.info')).toHaveLength(0);
    expect(await command(ADMIN, 'admin channels everywhere')).toContain('Channels: every channel');
  });

  it('default size and limits apply to the next jobs and survive a restart', async () => {
    const saved = await command(ADMIN, 'admin set preset=painting size=48 user-limit=1 server-limit=3');
    expect(saved).toContain('Default style ratio: Mostly style');
    expect(saved).toContain('Default size: 48 px');
    expect(saved).toContain('Jobs per person: 1');
    await world.restart();
    expect(await command(ADMIN, 'admin show')).toContain('Jobs for this server: 3');
    // The form starts on the workspace's style ratio.
    await world.sender.slashCommand(MEMBER, CHANNEL);
    const open = await world.api.waitForCall('views.open', (a) => JSON.stringify(a.view).includes('"initial_option":{"text":{"type":"plain_text","text":"Mostly style"'));
    expect(open).toBeDefined();

    world.engine.script = undefined;
    const { jobId } = await submit(OWNER, /Starting|Painting/);
    const run = await world.engine.runOf(jobId);
    expect(run.options.size).toBe(48);
    const start = callCount(world);
    await submitModal(world, OWNER, modalValues({ content: image, style: image }));
    const refusal = await waitFor(() => world.api.calls.slice(start).find((c) => c.method === 'chat.postEphemeral' && c.args.user === OWNER.id), 10_000, 'the refusal');
    expect(String(refusal.args.text)).toMatch(/^You already have 1 job waiting or running/);
    await run.finish();
    expect(await command(ADMIN, 'admin set reset')).toContain("Default size: Stylize's default");
  });
});
