// Discord in the user's language: the real bot (real queue, real discord.js client) against the fake
// Discord, its jobs on the scripted engine. A user whose client is German sees the job's messages, its
// result, its buttons and every refusal in German; a press is answered in the presser's language; the
// registered command carries its names and descriptions in each shipped language.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PermissionFlagsBits } from 'discord.js';
import { buildAdminCommand } from '../src/adapters/discord/admin.js';
import { buildStylizeCommand } from '../src/adapters/discord/command.js';
import { buildHelpCommand, buildJobsCommand, buildMessageCommand } from '../src/adapters/discord/reach-commands.js';
import { registerCommands } from '../src/adapters/discord/register.js';
import { LOCALES, say } from '../src/wording/index.js';
import { startScriptedHarness, type ScriptedHarness } from './fake-discord/harness.js';
import { callback, contentOf, ephemeralFollowUps, ephemeralReply, replyEdits, waitForResult } from './fake-discord/inspect.js';
import { ALL_PERMISSIONS, type Json } from './fake-discord/payloads.js';
import { finishAtOnce } from './fixtures/scripted-engine.js';

/** Discord's rule for command and option names (lower case where a letter has a case). */
const NAME_RULE = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

interface OptionJson {
  name: string;
  name_localizations?: Record<string, string>;
  description: string;
  description_localizations?: Record<string, string>;
  choices?: Array<{ name: string; name_localizations?: Record<string, string>; value: string }>;
}

describe('the registered /stylize in each language', () => {
  test('carries localised descriptions, option names and choices under Discord locale codes', () => {
    const json = buildStylizeCommand().toJSON() as unknown as OptionJson & { options: OptionJson[] };
    expect(json.name).toBe('stylize');
    expect(json.description_localizations).toEqual({
      de: say('command-description', {}, 'de'),
      fr: say('command-description', {}, 'fr'),
      'es-ES': say('command-description', {}, 'es'),
      'es-419': say('command-description', {}, 'es'),
      ja: say('command-description', {}, 'ja'),
    });
    expect(json.description_localizations?.['de']).toBe('Male dein Foto im Stil eines anderen Bildes.');
    const byName = Object.fromEntries(json.options.map((option) => [option.name, option]));
    expect(byName['content']?.name_localizations?.['de']).toBe('foto');
    expect(byName['style']?.name_localizations?.['de']).toBe('stilbild');
    expect(byName['style']?.description_localizations?.['de']).toBe('Das Bild, mit dessen Stil gemalt wird (oder wähle unter „gemälde“ ein Gemälde)');
    // The paintings by their names in each language.
    const starryNight = byName['library_style']?.choices?.find((choice) => choice.value === 'starry-night');
    expect(starryNight?.name).toBe('The Starry Night — Swirling, thick brushstrokes in deep blue and glowing yellow.');
    expect(starryNight?.name_localizations).toMatchObject({ de: 'Die Sternennacht – Wirbelnde, dicke Pinselstriche in tiefem Blau und leuchtendem Gelb.', ja: '星月夜: 深い青と輝く黄色の、渦を巻く厚い筆致。' });
    expect(starryNight?.name_localizations?.['es-419']).toMatch(/^La noche estrellada — /);
    expect(byName['preset']?.choices?.find((choice) => choice.value === 'balanced')?.name_localizations?.['de']).toBe(
      'Ausgewogen: Foto und Stilbild im Gleichgewicht.',
    );
    for (const option of json.options) {
      const names = Object.values(option.name_localizations ?? {});
      // Each of the five languages (English and Spanish twice), every name valid, lower case and distinct within its language.
      expect(Object.keys(option.name_localizations ?? {}).sort()).toEqual(['de', 'en-GB', 'en-US', 'es-419', 'es-ES', 'fr', 'ja']);
      for (const name of names) {
        expect(name, option.name).toMatch(NAME_RULE);
        expect(name).toBe(name.toLowerCase());
      }
      for (const text of [...Object.values(option.description_localizations ?? {}), ...(option.choices ?? []).flatMap((c) => Object.values(c.name_localizations ?? {}))]) {
        expect(text.length).toBeGreaterThan(0);
        expect(text.length).toBeLessThanOrEqual(100);
      }
    }
    // English clients see the words the help and the form use; interactions carry the original names.
    expect(json.options.map((option) => `${option.name}=${option.name_localizations?.['en-US']}`)).toEqual([
      'content=photo', 'style=style_image', 'library_style=painting', 'preset=style_ratio', 'size=size', 'seed=seed',
      'keep_colours=keep_colours', 'spoiler=spoiler', 'photo_url=photo_link', 'style_url=style_image_link',
      'style2=style_image2', 'style2_url=style_image2_link', 'library_style2=painting2', 'blend=blend', 'brush_size=brush_size',
      'painting_time=painting_time',
    ]);
    for (const code of ['de', 'fr', 'es-ES', 'ja', 'en-GB']) {
      const names = json.options.map((option) => option.name_localizations?.[code]);
      expect(new Set(names).size, code).toBe(json.options.length);
    }
    expect(LOCALES).toEqual(['en', 'de', 'fr', 'es', 'ja']);
  });

  test('/stylize-help and /stylize-jobs carry localised descriptions; the message command is "Stylize" in every language', () => {
    for (const [build, key] of [
      [buildHelpCommand, 'help-command-description'],
      [buildJobsCommand, 'jobs-command-description'],
    ] as const) {
      const json = build().toJSON() as unknown as OptionJson;
      expect(json.description).toBe(say(key));
      expect(json.description_localizations).toEqual({
        de: say(key, {}, 'de'),
        fr: say(key, {}, 'fr'),
        'es-ES': say(key, {}, 'es'),
        'es-419': say(key, {}, 'es'),
        ja: say(key, {}, 'ja'),
      });
    }
    expect(buildHelpCommand().toJSON().description_localizations?.['de']).toBe('So nutzt du Stylize: Stilanteil, Gemälde, Grenzen und Datenschutz.');
    // /stylize-admin: interactions carry the English names; Discord shows each admin the names, descriptions and choices in their language.
    const admin = buildAdminCommand().toJSON() as unknown as OptionJson & { options: Array<OptionJson & { options?: OptionJson[] }> };
    expect(admin.description_localizations?.['de']).toBe('Die Einstellungen von Stylize für diesen Server ändern.');
    const set = admin.options.find((sub) => sub.name === 'set');
    expect(set?.description_localizations?.['ja']).toBe(say('admin-set-description', {}, 'ja'));
    expect(set?.options?.find((option) => option.name === 'default_preset')?.choices?.find((choice) => choice.value === 'painting')?.name_localizations?.['fr']).toBe('Surtout le style');
    expect(set?.name_localizations).toEqual({ de: 'festlegen', fr: 'régler', 'es-ES': 'ajustar', 'es-419': 'ajustar', ja: '設定' });
    expect(set?.options?.find((option) => option.name === 'default_preset')?.name_localizations?.['de']).toBe('standard_stilanteil');
    for (const level of [admin.options, ...admin.options.map((sub) => sub.options ?? [])]) {
      for (const code of ['de', 'fr', 'es-ES', 'es-419', 'ja']) {
        const names = level.map((option) => option.name_localizations?.[code] ?? '');
        // Every name valid, lower case and distinct among its siblings, in every language.
        for (const name of names) {
          expect(name, code).toMatch(NAME_RULE);
          expect(name).toBe(name.toLowerCase());
        }
        expect(new Set(names).size, code).toBe(level.length);
      }
    }
    for (const text of [...admin.options, ...admin.options.flatMap((sub) => sub.options ?? [])].flatMap((option) => Object.values(option.description_localizations ?? {}))) {
      expect(text.length).toBeGreaterThan(0);
      expect(text.length).toBeLessThanOrEqual(100);
    }
    const message = buildMessageCommand().toJSON();
    expect(message.name).toBe('Stylize');
    expect(message.name_localizations ?? {}).toEqual({});
  });
});

describe('a German-speaking Discord user', () => {
  let h: ScriptedHarness;

  beforeAll(async () => {
    h = await startScriptedHarness({}, { maxPendingPerUser: 1 });
    await h.startBot();
  }, 60_000);

  afterAll(async () => {
    await h?.stop();
  });

  test('registration sends the localised names to Discord', async () => {
    const { fake } = h;
    await registerCommands({ token: fake.token, applicationId: fake.applicationId, apiUrl: fake.apiUrl, attachmentHosts: [], guildId: fake.guildId });
    const put = fake.callsTo('PUT', /\/commands$/).at(-1);
    const [command] = (put?.body ?? []) as Json[];
    const options = (command?.['options'] ?? []) as OptionJson[];
    expect(command?.['description_localizations']).toMatchObject({ de: 'Male dein Foto im Stil eines anderen Bildes.' });
    expect(options.map((option) => option.name_localizations?.['de'])).toEqual(['foto', 'stilbild', 'gemälde', 'stilanteil', 'größe', 'seed', 'farben_behalten', 'spoiler', 'foto_link', 'stilbild_link', 'stilbild2', 'stilbild2_link', 'gemälde2', 'mischung', 'pinselgröße', 'maldauer']);
    const byName = Object.fromEntries(((put?.body ?? []) as Json[]).map((sent) => [sent['name'], sent]));
    expect(byName['stylize-help']?.['description_localizations']).toMatchObject({ de: say('help-command-description', {}, 'de'), ja: say('help-command-description', {}, 'ja') });
    expect(byName['stylize-jobs']?.['description_localizations']).toMatchObject({ de: 'Deine wartenden und laufenden Stylize-Aufträge, mit Abbrechen-Buttons.' });
    expect(byName['Stylize']).toBeDefined();
  });

  test('sees the progress, the result and its buttons in German; a press is answered in the presser\'s language', async () => {
    const { fake } = h;
    const greta = fake.makeUser('greta', { locale: 'de' });
    h.engine.script = undefined;
    const job = fake.sendStylize({ user: greta, content: { file: h.bigContent }, style: { file: h.style }, size: 640, preset: 'balanced' });
    await fake.waitFor(() => replyEdits(fake, job).some((call) => /Startet|Wird gemalt/.test(contentOf(call))) && job.originalId, 20_000, 'the job to run');
    const run = await h.engine.active();
    const replyId = job.originalId ?? '';
    const first = contentOf(replyEdits(fake, job)[0] ?? ({} as never));
    expect(first).toContain(`Stylize** für <@${greta.id}> · Ausgewogen · 640 px`);
    expect(first).toMatch(/In der Warteschlange: als Nächstes dran\.|Startet…/);
    // The Cancel button is labelled in German.
    const message = fake.messages.get(replyId);
    expect(JSON.stringify(message?.components)).toContain('"label":"Abbrechen"');

    // An English-speaking stranger presses Cancel: told in English, whose job it is.
    const stranger = fake.clickButton(fake.makeUser('sam'), replyId, fake.buttonIds(replyId).find((id) => id.startsWith('stylize:cancel:')) ?? '');
    await fake.waitFor(() => callback(fake, stranger), 3000, 'the refusal');
    expect(ephemeralReply(fake, stranger)).toBe(`Only <@${greta.id}> can cancel this job.`);
    // A French-speaking one: told in French.
    const pierre = fake.clickButton(fake.makeUser('pierre', { locale: 'fr' }), replyId, fake.buttonIds(replyId)[0] ?? '');
    await fake.waitFor(() => callback(fake, pierre), 3000, 'the refusal');
    expect(ephemeralReply(fake, pierre)).toBe(`Cette tâche ne peut être annulée que par <@${greta.id}>.`);

    run.progress(3, 10);
    // In plain words: the bar and the time left, no iteration count.
    await h.clock.advanceUntil(() => replyEdits(fake, job).some((call) => /Wird gemalt `█+░+ \d+%`/.test(contentOf(call))), 'the German progress edit');
    expect(replyEdits(fake, job).map((call) => contentOf(call)).join('\n')).not.toMatch(/Iteration|α|conv\d/);
    await run.finish();
    const result = await waitForResult(fake, job);
    expect(result.message.content).toContain(`<@${greta.id}>, dein Bild ist fertig: Ausgewogen · 640×480 px · `);
    expect(JSON.stringify(result.message.components)).toMatch(/"label":"Mehr Foto \(Vor allem Foto\)".*"label":"Mehr Stil \(Malerisch\)"/);
    await fake.waitFor(() => /Fertig nach /.test(contentOf(replyEdits(fake, job).at(-1) ?? ({} as never))), 10_000, 'the final edit');
    const thread = fake.threads().find((t) => t['id'] === result.message.channel_id);
    expect(thread?.['name']).toBe('stylize · greta · Ausgewogen');
    // A German-speaking stranger asks for the details and tries Delete: both answered in German.
    const dieter = fake.makeUser('dieter', { locale: 'de' });
    const details = fake.clickButton(dieter, result.message.id, fake.buttonIds(result.message.id).find((id) => id.startsWith('stylize:details:')) ?? '');
    await fake.waitFor(() => ephemeralReply(fake, details), 3000, 'the details');
    expect(ephemeralReply(fake, details)).toMatch(/^Einstellungen dieses Bildes:\n• Stilanteil: Ausgewogen \(Stilgewicht α\/β = /);
    // The settings moved from the result to Details (issue "Results"): still in German.
    expect(ephemeralReply(fake, details)).toContain('• Farben: die des Stils');
    const deletion = fake.clickButton(dieter, result.message.id, fake.buttonIds(result.message.id).find((id) => id.startsWith('stylize:delete:')) ?? '');
    await fake.waitFor(() => ephemeralReply(fake, deletion), 3000, 'the refusal');
    expect(ephemeralReply(fake, deletion)).toBe('Nur die Person, die diesen Auftrag gestartet hat, kann ihn löschen.');
  }, 60_000);

  test('is refused in German, before and after the download', async () => {
    const { fake, host } = h;
    h.engine.script = finishAtOnce;
    const greta = fake.makeUser('greta', { locale: 'de' });
    const huge = fake.sendStylize({ user: greta, content: { file: h.content, size: 50 * 1024 * 1024 }, style: { file: h.style } });
    await fake.waitFor(() => callback(fake, huge), 5000, 'the refusal');
    expect(ephemeralReply(fake, huge)).toBe('⚠️ Das Foto (photo.png) ist 50 MB groß; die Grenze liegt bei 10 MB. Bitte wähle ein kleineres Bild.');

    const liar = host.add('lüge.png', Buffer.from('this is not a picture at all'), 'image/png');
    const lying = fake.sendStylize({ user: greta, content: { file: liar }, style: { file: h.style } });
    await fake.waitFor(() => ephemeralFollowUps(fake, lying).length > 0, 5000, 'the follow-up');
    expect(ephemeralFollowUps(fake, lying)[0]).toBe(
      '⚠️ Das Foto ist kein Bild, das ich lesen kann. Bitte sende ein Bild im Format JPEG, PNG, WebP oder GIF.',
    );
  }, 30_000);

  test('asks for help and the jobs list in German, and is answered in German', async () => {
    const { fake } = h;
    const greta = fake.makeUser('greta', { locale: 'de' });
    const help = fake.sendCommand({ user: greta, name: 'stylize-help' });
    await fake.waitFor(() => callback(fake, help), 5000, 'the help');
    const text = ephemeralReply(fake, help) ?? '';
    expect(text).toMatch(/^\/stylize mit deinem Foto und einem Stilbild malt das Foto in diesem Stil\./);
    expect(text).toContain('**Stilanteil:**');
    expect(text).toContain('• Die Sternennacht (Vincent van Gogh, 1889): Wirbelnde, dicke Pinselstriche in tiefem Blau und leuchtendem Gelb.');
    expect(text).toContain('Nur du kannst deine Aufträge noch einmal ausführen; Moderatoren können sie auch abbrechen.');
    expect(text).toContain('• Vor allem Foto: Dein Foto mit einem leichten Hauch des Stilbilds.');
    expect(text).toContain('Grenzen: Bilder bis 10 MB (JPEG, PNG, WebP oder GIF); 1 Auftrag pro Person gleichzeitig');
    expect(text).toMatch(/Datenschutz: Deine zwei Bilder/);

    const jobs = fake.sendCommand({ user: greta, name: 'stylize-jobs' });
    await fake.waitFor(() => callback(fake, jobs), 5000, 'the jobs list');
    expect(ephemeralReply(fake, jobs)).toBe('Du hast keine wartenden oder laufenden Aufträge.');
  });

  test('the message command: the picker and the permission refusal in German, naming the permissions as German Discord does', async () => {
    const { fake } = h;
    const greta = fake.makeUser('greta', { locale: 'de' });
    const one = fake.postUserMessage(greta, [h.content]);
    const picker = fake.sendMessageCommand(greta, one.id, 'Stylize');
    await fake.waitFor(() => callback(fake, picker), 5000, 'the picker');
    expect(ephemeralReply(fake, picker)).toBe('Diese Nachricht hat ein Bild, dein Foto. Wähle ein Gemälde als Stil:');
    expect(JSON.stringify(callback(fake, picker))).toContain('"label":"Die Sternennacht","value":"starry-night","description":"Wirbelnde, dicke Pinselstriche');

    const appPermissions = String(BigInt(ALL_PERMISSIONS) & ~PermissionFlagsBits.AttachFiles);
    const two = fake.postUserMessage(greta, [h.content, h.style]);
    const refused = fake.sendMessageCommand(greta, two.id, 'Stylize', { appPermissions });
    await fake.waitFor(() => callback(fake, refused), 5000, 'the refusal');
    expect(ephemeralReply(fake, refused)).toMatch(/^⚠️ Ich kann in diesem Kanal nicht arbeiten: Mir fehlt die Berechtigung „Dateien anhängen“\. Bitte einen Server-Admin/);
  });

  test('/stylize-admin answers in German: the refusal to a member, the settings to an admin', async () => {
    const { fake } = h;
    const member = String(PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages);
    const admin = String(BigInt(member) | PermissionFlagsBits.ManageGuild);
    const ask = async (name: string, permissions: string): Promise<string> => {
      const call = fake.sendCommand({ user: fake.makeUser(name, { locale: 'de' }), name: 'stylize-admin', options: [{ name: 'show', type: 1, options: [] }], permissions });
      return fake.waitFor(() => ephemeralReply(fake, call) ?? (replyEdits(fake, call).length > 0 ? contentOf(replyEdits(fake, call).at(-1) ?? ({} as never)) : undefined), 10_000, '/stylize-admin show');
    };
    expect(await ask('mitglied', member)).toBe('⚠️ Nur die Admins des Servers (Server verwalten) können meine Einstellungen hier ändern.');
    const settings = await ask('chefin', admin);
    expect(settings).toContain('Standard-Stilanteil: Ausgewogen (Standard von Stylize)');
    expect(settings).toContain('Status: aktiv; 0 wartend, 0 laufend');
    expect(settings).toContain('Kanäle: alle Kanäle');
  });

  test("a failed job pings its owner in the owner's language", async () => {
    const { fake } = h;
    h.engine.script = (run) => run.fail('the engine ran out of memory', 'internal');
    const greta = fake.makeUser('greta', { locale: 'de' });
    fake.sendStylize({ user: greta, content: { file: h.content }, style: { file: h.style } });
    const pings = (): string[] =>
      fake
        .callsTo('POST', new RegExp(`^/channels/${fake.channelId}/messages$`))
        .map((call) => contentOf(call))
        .filter((content) => content.startsWith(`<@${greta.id}>, dein Auftrag wurde nicht fertig: `));
    const [ping] = await fake.waitFor(() => pings().length > 0 && pings(), 10_000, 'the German ping');
    expect(ping).toMatch(/^<@\d+>, dein Auftrag wurde nicht fertig: In der Engine ist bei der Arbeit an deinem Bild etwas schiefgegangen\./);
  }, 30_000);
});
