// Slack in the user's language: the real Bolt App inside the real bot against the fake Slack Web API,
// whose users.info says which language each user has set. A user on de-DE gets the form, the job's
// message, its previews, result, buttons and every refusal in German; a press is answered in the
// presser's language; a failing users.info reads English. Help, the jobs list, the not-in-channel refusal
// and the owner's ping (issue 10's reach) are in the user's language too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION, BLOCK } from '../src/adapters/slack/ids.js';
import { buttonValue, callCount, CHANNEL, jobMessageOf, modalValues, noteFor, slashAnswer, startSlackWorld, submitModal, updatesOf } from './fake-slack/harness.js';
import type { SlackWorld } from './fake-slack/harness.js';
import { makeGradientPng } from './fixtures/images.js';
import { waitFor } from './fixtures/wait-for.js';

const GRETA = { id: 'UGRETA', name: 'greta' };
const SAM = { id: 'USAM', name: 'sam' };
const AIKO = { id: 'UAIKO', name: 'aiko' };

let world: SlackWorld;

beforeAll(async () => {
  world = await startSlackWorld({ slack: { updateIntervalMs: 1_000, previewIntervalMs: 1_000 }, limits: { maxPendingPerUser: 1 } });
  world.api.userLocales.set(GRETA.id, 'de-DE');
  world.api.userLocales.set(AIKO.id, 'ja-JP');
});

afterAll(async () => {
  await world?.close();
});

describe('a Slack user whose language is German', () => {
  it('gets the /stylize form in German, its language asked of users.info', async () => {
    await world.sender.slashCommand(GRETA, CHANNEL);
    const open = await world.api.waitForCall('views.open');
    const view = open.args.view as { title: { text: string }; submit: { text: string }; blocks: Array<{ block_id?: string; label?: { text: string } }>; private_metadata: string };
    expect(view.submit.text).toBe('Malen');
    expect(view.blocks.find((block) => block.block_id === BLOCK.content)?.label?.text).toBe('Dein Foto');
    expect(view.blocks.find((block) => block.block_id === BLOCK.style)?.label?.text).toBe('Stilbild');
    expect(JSON.parse(view.private_metadata)).toEqual({ channel: CHANNEL, locale: 'de' });
    expect(world.api.callsTo('users.info').find((call) => call.args.user === GRETA.id)?.args.include_locale).toBe('true');
  });

  it("shows the form's own errors in German", async () => {
    const response = await submitModal(world, GRETA, modalValues({}, { size: 5 }), { channel: CHANNEL, locale: 'de' });
    const body = JSON.parse(response.text) as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe('errors');
    expect(body.errors[BLOCK.content]).toBe('Das Foto fehlt. Bitte füge ein Bild hinzu.');
    expect(body.errors[BLOCK.size]).toMatch(/^Bitte gib eine ganze Zahl an Pixeln von \d+ bis \d+ ein oder lass das Feld leer\.$/);
  });

  it('runs the job with its message, preview, result and buttons in German; presses are answered in the presser\'s language', async () => {
    const started = callCount(world);
    const content = world.addUserFile('FCONTENTDE', await makeGradientPng(256, 192, 1));
    const style = world.addUserFile('FSTYLEDE', await makeGradientPng(64, 64, 2));
    // A form from before languages (no locale in its metadata): the language is looked up at submission.
    await submitModal(world, GRETA, modalValues({ content, style }, { preset: 'balanced', size: 128 }));
    const message = await jobMessageOf(world, GRETA.id, started);
    const post = world.api.callsTo('chat.postMessage').slice(-5).find((call) => String(call.args.text).includes(`<@${GRETA.id}>`));
    expect(String(post?.args.text)).toBe(`Stylize für <@${GRETA.id}>: :hourglass_flowing_sand: Deine Bilder werden geprüft…`);
    const run = await world.engine.active();
    const running = await waitFor(() => updatesOf(world, message.ts).find((call) => buttonValue(call, ACTION.cancel)), 10_000, 'an edit with Cancel');
    expect(JSON.stringify(running.args.blocks)).toContain('"text":"Abbrechen"');
    const jobId = buttonValue(running, ACTION.cancel) ?? '';

    // Someone else presses Cancel: told in their language (English here, Japanese for Aiko).
    await world.sender.buttonClick(SAM, CHANNEL, message.ts, ACTION.cancel, jobId);
    await world.api.waitForCall('chat.postEphemeral', (a) => a.user === SAM.id && a.text === 'Only the person who started this job can cancel it.');
    await world.sender.buttonClick(AIKO, CHANNEL, message.ts, ACTION.cancel, jobId);
    await world.api.waitForCall('chat.postEphemeral', (a) => a.user === AIKO.id && a.text === 'このジョブをキャンセルできるのは、開始した人だけです。');

    const preview = await makeGradientPng(16, 16, 6);
    let iteration = 0;
    await world.clock.advanceUntil(() => {
      if (updatesOf(world, message.ts).some((call) => String(call.args.text).includes('Wird gemalt'))) return true;
      iteration += 1;
      run.progress(iteration, 10, { etaMs: 5_000, preview });
      return false;
    }, 'a German progress edit', { stepMs: 100 });
    const previewUpload = await world.api.waitForCall('files.completeUploadExternal', (a) => a.thread_ts === message.ts && /^Das Bild bisher \(zu \d+ % gemalt\)\.$/.test(String(a.initial_comment)));
    expect(JSON.stringify(previewUpload.args)).toMatch(/"title":"Vorschau · \d+ %"/);
    // Plain words in the job message: no iterations, no style weight, no network layers, no device.
    const progressed = updatesOf(world, message.ts).map((call) => JSON.stringify(call.args.blocks)).join('\n');
    expect(progressed).not.toMatch(/Iteration|α|conv\d|wasm|onnx|Schichten/);
    await run.finish();
    const result = await world.api.waitForCall('files.completeUploadExternal', (a) => a.thread_ts === message.ts && String(a.initial_comment).includes('dein Bild ist fertig'));
    expect(String(result.args.initial_comment)).toContain(`<@${GRETA.id}>, dein Bild ist fertig: Ausgewogen · 128×96 px · `);
    const done = await waitFor(() => updatesOf(world, message.ts).find((call) => String(call.args.text).includes('Fertig nach')), 10_000, 'the German done edit');
    expect(JSON.stringify(done.args.blocks)).toMatch(/"text":"Mehr Foto \(Vor allem Foto\)".*"text":"Mehr Stil \(Malerisch\)"/);
    // Details, pressed by its owner: the settings, in German.
    await world.sender.buttonClick(GRETA, CHANNEL, message.ts, ACTION.details, buttonValue(done, ACTION.details) ?? '');
    await world.api.waitForCall('chat.postEphemeral', (a) => a.user === GRETA.id && String(a.text).startsWith('Einstellungen dieses Bildes:\n• Stilanteil: Ausgewogen (Stilgewicht α/β = ') && String(a.text).includes('• Farben: die des Stils'));
  }, 60_000);

  it("asks users.info once per user while their language is kept, and again once it is ten minutes old", async () => {
    const lookups = () => world.api.callsTo('users.info').filter((call) => call.args.user === GRETA.id).length;
    // The form, the submission without a language in its metadata and the job's presses: one lookup.
    expect(lookups()).toBe(1);
    await world.clock.advance(10 * 60_000);
    world.api.userLocales.set(GRETA.id, 'fr-FR');
    const opened = world.api.callsTo('views.open').length;
    await world.sender.slashCommand(GRETA, CHANNEL);
    const open = await waitFor(() => world.api.callsTo('views.open')[opened], 10_000, 'the form');
    expect((open.args.view as { submit: { text: string } }).submit.text).toBe('Peindre');
    expect(lookups()).toBe(2);
  });

  it("reads English when users.info fails (say, the app lacks users:read until it is reinstalled)", async () => {
    const max = { id: 'UMAX', name: 'max' };
    world.api.userLocales.set(max.id, 'de-DE');
    world.api.failNext('users.info', 'missing_scope');
    await world.sender.slashCommand(max, CHANNEL);
    const open = await world.api.waitForCall('views.open', (a) => JSON.stringify(a.view).includes('"submit":{"type":"plain_text","text":"Paint it"}'));
    expect(JSON.parse((open.args.view as { private_metadata: string }).private_metadata)).toEqual({ channel: CHANNEL, locale: 'en' });
    expect(world.logLines.some((line) => line.msg === "could not read the user's language; writing in English")).toBe(true);
  });
});

describe("issue 10's reach, for a Slack user whose language is German", () => {
  const HANS = { id: 'UHANS', name: 'hans' };
  const OUTSIDE = 'C0DRAUSSEN';

  beforeAll(() => {
    world.api.userLocales.set(HANS.id, 'de-DE');
    world.api.channelsWithoutBot.add(OUTSIDE);
  });

  async function slash(text: string): Promise<{ response_type?: string; text?: string }> {
    return (await slashAnswer(world, HANS, CHANNEL, text)) as { response_type?: string; text?: string };
  }

  it('/stylize help, /stylize jobs and an unknown word answer in German', async () => {
    const help = await slash('help');
    expect(help.response_type).toBe('ephemeral');
    expect(help.text).toMatch(/^\/stylize öffnet das Formular für dein Foto und ein Stilbild\./);
    expect(help.text).toContain('*Stilanteil:*');
    expect(help.text).toContain('• Der Schrei (Edvard Munch, 1893): Wellige Bänder in feurigem Orange und dunklem Blau.');
    expect(help.text).toContain('• Malerisch: Kräftiger Pinselstrich; das Foto bleibt erkennbar.');
    expect(help.text).toMatch(/Datenschutz: .* und danach noch 24 h/);
    expect(await slash('jobs')).toEqual({ response_type: 'ephemeral', text: 'Du hast keine wartenden oder laufenden Aufträge.' });
    expect((await slash('malen')).text).toMatch(/^„\/stylize malen“ kenne ich nicht\./);
  });

  it('a job asked for in a channel the bot is not in is refused in German (the form without a language looks it up)', async () => {
    const content = world.addUserFile('FDRAUSSENC', await makeGradientPng(32, 32, 1));
    const style = world.addUserFile('FDRAUSSENS', await makeGradientPng(32, 32, 2));
    const start = callCount(world);
    const response = await submitModal(world, HANS, modalValues({ content, style }), { channel: OUTSIDE });
    expect(response.text).toBe('');
    expect((await noteFor(world, HANS.id, start)).text).toBe(
      'Ich bin kein Mitglied dieses Kanals und kann deinen Auftrag deshalb hier nicht posten. Lade mich mit /invite @stylize ein und versuche es dann noch einmal. Es wurde nichts heruntergeladen.',
    );
    expect(world.api.callsTo('files.info').filter((call) => call.args.file === 'FDRAUSSENC')).toEqual([]);
  });

  it('/stylize admin answers in German: the refusal to a member, the usage and the settings to an admin', async () => {
    const HEIDI = { id: 'UHEIDI', name: 'heidi' };
    world.api.userLocales.set(HEIDI.id, 'de-DE');
    world.api.admins.add(HEIDI.id);
    const answer = async (user: { id: string; name: string }, text: string): Promise<string> => {
      const start = callCount(world);
      await world.sender.slashCommand(user, CHANNEL, text);
      const note = await waitFor(() => world.api.calls.slice(start).find((c) => c.method === 'chat.postEphemeral' && c.args.user === user.id), 10_000, `the answer to /stylize ${text}`);
      return String(note.args.text);
    };
    expect(await answer(HANS, 'admin pause')).toBe('Nur die Admins und Inhaber des Workspace können meine Einstellungen ändern.');
    // The subcommand words stay as they are typed.
    expect(await answer(HEIDI, 'admin set farbe=blau')).toMatch(/^Verwendung: `\/stylize admin show`, `pause`, `resume`, `clear`, `set preset=/);
    expect(await answer(HEIDI, 'admin show')).toContain('Standard-Stilanteil: Ausgewogen (Standard von Stylize)');
  });

  it("a failed job pings its owner in the thread, in the owner's language", async () => {
    world.engine.script = (run) => run.fail('the engine ran out of memory', 'internal');
    const started = callCount(world);
    const content = world.addUserFile('FPINGC', await makeGradientPng(64, 48, 3));
    const style = world.addUserFile('FPINGS', await makeGradientPng(32, 32, 4));
    await submitModal(world, HANS, modalValues({ content, style }), { channel: CHANNEL, locale: 'de' });
    const message = await jobMessageOf(world, HANS.id, started);
    const ping = await world.api.waitForCall('chat.postMessage', (a) => a.thread_ts === message.ts && a.channel === message.channel, 10_000);
    expect(String(ping.args.text)).toMatch(/^<@UHANS>, dein Auftrag wurde nicht fertig: In der Engine ist bei der Arbeit an deinem Bild etwas schiefgegangen\./);
  }, 30_000);
});
