// Blends and brush size on Discord (issue 19): /stylize with a second style (an attachment, a link or a
// library painting) and a blend, the brush size and its result buttons, the words of the result and its
// Details, the refusals of what cannot be run, and the command's registration within Discord's limits.
// The real bot and discord.js client against the fake Discord, jobs on the scripted engine.
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildStylizeCommand } from '../src/adapters/discord/command.js';
import { findLibraryStyle } from '../src/styles/library.js';
import { startScriptedHarness } from './fake-discord/harness.js';
import type { ScriptedHarness } from './fake-discord/harness.js';
import type { HostedFile } from './fake-discord/attachment-host.js';
import { ephemeralReply, resultsIn, waitForResult } from './fake-discord/inspect.js';
import { makeGradientPng } from './fixtures/images.js';
import { finishAtOnce } from './fixtures/scripted-engine.js';

let h: ScriptedHarness;
let second: HostedFile;
let notes: HostedFile;

beforeAll(async () => {
  h = await startScriptedHarness({}, { maxPendingPerUser: 3 });
  second = h.host.add('second.png', await makeGradientPng(30, 20, 5), 'image/png');
  notes = h.host.add('notes.txt', Buffer.from('not a picture'), 'text/plain');
  await h.startBot();
}, 60_000);

afterAll(async () => {
  await h?.stop();
});

async function paintingSize(id: string) {
  const meta = await sharp(findLibraryStyle(id)?.path ?? '').metadata();
  return { width: meta.width, height: meta.height };
}

const buttonOf = (messageId: string, prefix: string) => h.fake.buttonIds(messageId).find((id) => id.startsWith(prefix)) ?? '';

describe('Discord blends and brush size', () => {
  test('two styles blended: the engine gets both with their shares and the brush size; the result names and credits them', async () => {
    const { fake } = h;
    h.engine.script = finishAtOnce;
    const user = fake.makeUser('bea');
    const job = fake.sendStylize({ user, content: { file: h.content }, style: { file: h.style }, libraryStyle2: 'the-scream', blend: 25, brushSize: 'large', size: 64 });
    const result = await waitForResult(fake, job);
    const run = h.engine.runs.at(-1);
    expect(run?.options).toEqual({ preset: 'balanced', size: 64, styleWeights: [75, 25], styleScale: 2 });
    expect(run?.style).toEqual({ width: 40, height: 40 });
    expect(run?.extraStyles).toEqual([await paintingSize('the-scream')]);
    expect(result.message.content).toContain('your picture is ready: Balanced · The Scream · 64×53 px');
    expect(result.message.content).toContain('Styles: your style image, 75% · The Scream (Edvard Munch, 1893), 25%');
    const details = fake.clickButton(fake.makeUser('curious'), result.message.id, buttonOf(result.message.id, 'stylize:details:'));
    await fake.waitFor(() => ephemeralReply(fake, details), 5000, 'the details');
    const text = ephemeralReply(fake, details) ?? '';
    expect(text).toContain('• Styles: your style image, 75% · The Scream (Edvard Munch, 1893), 25%');
    expect(text).toContain("• Brush size: Large, style image at 2× the picture's size");
    expect(text).toContain("• Colours: the style's");
  });

  test('a library painting and a linked second style, half each when no blend is chosen', async () => {
    const { fake } = h;
    h.engine.script = finishAtOnce;
    const job = fake.sendStylize({ user: fake.makeUser('cai'), content: { file: h.content }, libraryStyle: 'udnie', style2Url: second.url, size: 64 });
    const result = await waitForResult(fake, job);
    const run = h.engine.runs.at(-1);
    expect(run?.options).toEqual({ preset: 'balanced', size: 64, styleWeights: [50, 50] });
    expect(run?.style).toEqual(await paintingSize('udnie'));
    expect(run?.extraStyles).toEqual([{ width: 30, height: 20 }]);
    expect(result.message.content).toContain('Styles: Udnie (Francis Picabia, 1913), 50% · your style image, 50%');
  });

  test('the brush-size buttons: the other sizes, run again for the owner with the same styles', async () => {
    const { fake } = h;
    h.engine.script = finishAtOnce;
    const dev = fake.makeUser('dev');
    const job = fake.sendStylize({ user: dev, content: { file: h.content }, style: { file: h.style }, style2: { file: second }, blend: 75, size: 64 });
    const first = await waitForResult(fake, job);
    const firstRun = h.engine.runs.at(-1);
    expect(firstRun?.options).toEqual({ preset: 'balanced', size: 64, styleWeights: [25, 75] });
    // Painted with the normal brush: small and large are offered.
    const brushes = h.fake.buttonIds(first.message.id).filter((id) => id.startsWith('stylize:brush:'));
    expect(brushes.map((id) => id.split(':')[2])).toEqual(['small', 'large']);
    const stranger = fake.clickButton(fake.makeUser('eve'), first.message.id, buttonOf(first.message.id, 'stylize:brush:small:'));
    await fake.waitFor(() => ephemeralReply(fake, stranger), 5000, 'the refusal');
    expect(ephemeralReply(fake, stranger)).toMatch(/Only the person who started this job can run it again/);

    fake.clickButton(dev, first.message.id, buttonOf(first.message.id, 'stylize:brush:small:'));
    const threadId = first.message.channel_id;
    await fake.waitFor(() => resultsIn(fake, threadId).length === 2, 30_000, 'the small-brush result');
    const run = h.engine.runs.at(-1);
    expect(run?.options).toEqual({ preset: 'balanced', size: 64, styleWeights: [25, 75], styleScale: 0.5 });
    expect(run?.style).toEqual(firstRun?.style);
    expect(run?.extraStyles).toEqual(firstRun?.extraStyles);
    const again = resultsIn(fake, threadId)[1];
    expect(h.fake.buttonIds(again?.id ?? '').filter((id) => id.startsWith('stylize:brush:')).map((id) => id.split(':')[2])).toEqual(['normal', 'large']);
  }, 60_000);

  test('a second style that is not a picture, given twice, or a blend without one is refused before any download', async () => {
    const { fake, host } = h;
    const before = host.requests.length;
    const fay = fake.makeUser('fay');
    const base = { user: fay, content: { file: h.content }, style: { file: h.style } };
    const text = fake.sendStylize({ ...base, style2: { file: notes } });
    const twice = fake.sendStylize({ ...base, style2: { file: second }, libraryStyle2: 'udnie' });
    const linkedToo = fake.sendStylize({ ...base, style2: { file: second }, style2Url: second.url });
    const lonelyBlend = fake.sendStylize({ ...base, blend: 50 });
    await fake.waitFor(() => [text, twice, linkedToo, lonelyBlend].every((job) => ephemeralReply(fake, job)), 5000, 'four refusals');
    expect(ephemeralReply(fake, text)).toBe('⚠️ The second style image (notes.txt) is not a JPEG, PNG, WebP or GIF picture, the only formats I take. Please choose one of those.');
    expect(ephemeralReply(fake, twice)).toBe('⚠️ Please give only one second style: either attach or link an image, or pick a painting, not both.');
    expect(ephemeralReply(fake, linkedToo)).toBe('⚠️ Please give the second style image only once: either attach it or give its link, not both.');
    expect(ephemeralReply(fake, lonelyBlend)).toMatch(/^⚠️ A blend mixes two styles: please also give a second style/);
    expect(host.requests.length).toBe(before);
  });
});

describe('the /stylize registration', () => {
  interface Choice {
    name: string;
    name_localizations?: Record<string, string>;
    value: string | number;
  }
  interface Option {
    name: string;
    name_localizations?: Record<string, string>;
    description: string;
    description_localizations?: Record<string, string>;
    choices?: Choice[];
  }

  test("stays within Discord's limits: 25 options, 100 characters a description, 8000 in all in every language", () => {
    const command = buildStylizeCommand().toJSON() as unknown as Option & { options: Option[] };
    expect(command.options.length).toBeLessThanOrEqual(25);
    const locales = ['en', ...Object.keys(command.description_localizations ?? {})];
    for (const locale of locales) {
      const inLocale = (text: string, localized?: Record<string, string>) => (locale === 'en' ? text : (localized?.[locale] ?? text));
      let total = inLocale(command.name, command.name_localizations).length + inLocale(command.description, command.description_localizations).length;
      for (const option of command.options) {
        const name = inLocale(option.name, option.name_localizations);
        const description = inLocale(option.description, option.description_localizations);
        expect(name.length, `${locale} ${option.name}`).toBeLessThanOrEqual(32);
        expect(description.length, `${locale} ${option.name}`).toBeLessThanOrEqual(100);
        total += name.length + description.length;
        for (const choice of option.choices ?? []) {
          const choiceName = inLocale(choice.name, choice.name_localizations);
          expect(choiceName.length).toBeLessThanOrEqual(100);
          total += choiceName.length + String(choice.value).length;
        }
      }
      expect(total, locale).toBeLessThanOrEqual(8000);
    }
  });
});
