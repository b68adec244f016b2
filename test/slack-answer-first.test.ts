// Slack waits 3 s for an answer, network included: the form's answer comes before any check that needs
// Slack or the files (the bot's membership of the channel, the images), and a form opens at once even
// while job posts wait out a rate limit (the WebClient pauses all of its calls on a 429). Slack's slowness
// is the fake Slack holding calls open, or answering 429 with Retry-After; no sleeps.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BLOCK, MODAL_CALLBACK } from '../src/adapters/slack/ids.js';
import { say } from '../src/wording/index.js';
import { callCount, CHANNEL, jobMessageOf, modalValues, slashAnswer, startSlackWorld, submitModal } from './fake-slack/harness.js';
import type { SlackWorld } from './fake-slack/harness.js';
import { makeGradientPng } from './fixtures/images.js';
import { finishAtOnce } from './fixtures/scripted-engine.js';
import { waitFor } from './fixtures/wait-for.js';

let world: SlackWorld;

beforeAll(async () => {
  world = await startSlackWorld();
  world.engine.script = finishAtOnce;
});

afterAll(async () => {
  await world?.close();
});

it('the form is answered before the membership and image checks: with Slack slow to answer them, the answer still comes first', async () => {
  const DORA = { id: 'UDORA', name: 'dora' };
  let release = (): void => undefined;
  const slow = new Promise<void>((resolve) => (release = resolve));
  const membership = world.api.fault('conversations.info', { hold: slow, times: 1 });
  const files = world.api.fault('files.info', { hold: slow, times: 2 });
  const content = world.addUserFile('FSLOWC', await makeGradientPng(32, 32, 1));
  const style = world.addUserFile('FSLOWS', await makeGradientPng(32, 32, 2));
  const start = callCount(world);
  let answer: { status: number; text: string } | undefined;
  const answering = submitModal(world, DORA, modalValues({ content, style })).then((response) => (answer = response));
  try {
    // The form's answer (empty: it closes) is in while Slack still has not said whether the bot is in the channel.
    await waitFor(() => membership.caught() > 0 && answer, 10_000, 'the answer while the membership check waits');
    expect(answer).toMatchObject({ status: 200, text: '' });
    expect(files.caught()).toBe(0);
  } finally {
    release();
    await answering;
  }
  // Then the checks go on, and the job is queued as usual.
  await jobMessageOf(world, DORA.id, start);
  expect(files.caught()).toBe(2);
});

it('a job post waiting out a rate limit does not hold up a form: views.open goes out before the post is tried again', async () => {
  const EVA = { id: 'UEVA', name: 'eva' };
  const FINN = { id: 'UFINN', name: 'finn' };
  // Slack answers Eva's job post with 429 and "Retry-After: 10": the client that sent it pauses for 10 s.
  const limited = world.api.fault('chat.postMessage', { status: 429, retryAfterSeconds: 10, times: 1 });
  const content = world.addUserFile('FLIMITC', await makeGradientPng(32, 32, 3));
  const style = world.addUserFile('FLIMITS', await makeGradientPng(32, 32, 4));
  const start = callCount(world);
  await submitModal(world, EVA, modalValues({ content, style }));
  await waitFor(() => limited.caught() > 0, 10_000, 'the rate-limited job post');
  const limitedAt = world.api.callsTo('chat.postMessage').at(-1)?.at ?? 0;

  // Meanwhile Finn opens the form: its trigger_id lasts 3 s, so it cannot wait for the pause to end.
  const opening = callCount(world);
  await world.sender.slashCommand(FINN, CHANNEL);
  const open = await waitFor(() => world.api.calls.slice(opening).find((call) => call.method === 'views.open'), 8_000, 'the form to open');
  const retried = world.api.calls.find((call) => call.method === 'chat.postMessage' && call.at >= limitedAt && call.reply?.ok === true);
  expect(retried === undefined || retried.at > open.at).toBe(true);
  // Eva's job is posted once the pause is over.
  const message = await jobMessageOf(world, EVA.id, start);
  expect(message.channel).toBe(CHANNEL);
}, 60_000);

it('/stylize help is acknowledged before the language is looked up; the answer follows through the response_url', async () => {
  const GUS = { id: 'UGUS', name: 'gus' };
  let release = (): void => undefined;
  const lookup = world.api.fault('users.info', { hold: new Promise<void>((resolve) => (release = resolve)), times: 1 });
  const start = callCount(world);
  let ack: { status: number; text: string } | undefined;
  const sending = world.sender.slashCommand(GUS, CHANNEL, 'help').then((response) => (ack = response));
  try {
    await waitFor(() => lookup.caught() > 0 && ack, 10_000, 'the ack while users.info waits');
    expect(ack).toEqual({ status: 200, text: '' });
  } finally {
    release();
    await sending;
  }
  const answer = await waitFor(() => world.api.calls.slice(start).find((call) => call.method === 'response_url'), 10_000, 'the help');
  expect(answer.args).toMatchObject({ response_type: 'ephemeral' });
  expect(String(answer.args.text)).toContain('/stylize');
});

it('a form without its metadata (from before an upgrade) is answered at once, in the language already known, with no lookup first', async () => {
  const IDA = { id: 'UIDA', name: 'ida' };
  world.api.userLocales.set(IDA.id, 'de-DE');
  await slashAnswer(world, IDA, CHANNEL, 'jobs');
  const lookups = world.api.callsTo('users.info').length;
  const response = await world.sender.viewSubmission(IDA, { callback_id: MODAL_CALLBACK, private_metadata: 'not the metadata', values: modalValues({}) });
  const body = JSON.parse(response.text) as { response_action: string; errors: Record<string, string> };
  expect(body).toEqual({ response_action: 'errors', errors: { [BLOCK.preset]: say('form-out-of-date', {}, 'de') } });
  expect(world.api.callsTo('users.info').length).toBe(lookups);
});
