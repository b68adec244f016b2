// The Discord adapter's parts that need no bot: the command definition and its registration, button ids,
// journaled reply refs, message rendering and the host-checked capped download.
import { PermissionFlagsBits } from 'discord.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildAdminCommand } from '../src/adapters/discord/admin.js';
import { attachmentByteCap } from '../src/adapters/discord/attachments.js';
import { buttonRows, cancelButtonId, parseButtonId, rerunButtonId } from '../src/adapters/discord/buttons.js';
import { buildStylizeCommand } from '../src/adapters/discord/command.js';
import { registerCommands } from '../src/adapters/discord/register.js';
import { renderStatus, threadName } from '../src/adapters/discord/render.js';
import { readDiscordReply } from '../src/adapters/discord/reply.js';
import { checkDownloadUrl, downloadCapped } from '../src/adapters/shared/download.js';
import { rerunChoices } from '../src/adapters/shared/job-view.js';
import type { JobInfo } from '../src/queue/index.js';
import { LOCALES, UserError } from '../src/wording/index.js';
import { FakeAttachmentHost } from './fake-discord/attachment-host.js';
import { FakeDiscord } from './fake-discord/server.js';

const job: JobInfo = {
  id: 'mw1abc123',
  platform: 'discord',
  userId: '1234567890123',
  userName: 'alice',
  reply: { channelId: '42' },
  options: { preset: 'balanced', size: 64 },
  state: 'queued',
  createdAt: 0,
};

describe('the /stylize command', () => {
  test('has a photo or its link, a style image, its link or a library style, the presets as choices and the optional settings; servers, DMs and user installs', () => {
    const json = buildStylizeCommand().toJSON();
    expect(json.name).toBe('stylize');
    // Guild, BotDM, PrivateChannel; installed to a server or to a user.
    expect(json.contexts).toEqual([0, 1, 2]);
    expect(json.integration_types).toEqual([0, 1]);
    const options = (json.options ?? []) as unknown as Array<{ name: string; type: number; required?: boolean; choices?: Array<{ name: string; value: string }> }>;
    expect(options.map((option) => [option.name, option.type, option.required ?? false])).toEqual([
      ['content', 11, false],
      ['style', 11, false],
      ['library_style', 3, false],
      ['preset', 3, false],
      ['size', 4, false],
      ['seed', 4, false],
      ['keep_colours', 5, false],
      ['spoiler', 5, false],
      ['photo_url', 3, false],
      ['style_url', 3, false],
      ['style2', 11, false],
      ['style2_url', 3, false],
      ['library_style2', 3, false],
      ['blend', 4, false],
      ['brush_size', 3, false],
      ['painting_time', 4, false],
    ]);
    const paintings = options[2]?.choices ?? [];
    expect(paintings.map((choice) => choice.value)).toEqual(['starry-night', 'the-scream', 'shipwreck', 'woman-with-a-hat', 'great-wave', 'udnie']);
    expect(paintings[0]?.name).toBe('The Starry Night — Swirling, thick brushstrokes in deep blue and glowing yellow.');
    expect(paintings.every((choice) => choice.name.length <= 100)).toBe(true);
    const choices = options[3]?.choices ?? [];
    expect(choices.map((choice) => choice.value)).toEqual(['photo', 'balanced', 'painterly', 'painting']);
    expect(choices[1]?.name).toMatch(/^Balanced: /);
    expect(choices.every((choice) => choice.name.length <= 100)).toBe(true);
  });

  test('offers the painting times that fit the job time limit, in every language, and none when none fits (issue 21)', () => {
    type Choice = { name: string; value: number; name_localizations?: Record<string, string> };
    const paintingTime = (limitMs: number): { choices?: Choice[] } | undefined =>
      ((buildStylizeCommand(limitMs).toJSON().options ?? []) as unknown as Array<{ name: string; choices?: Choice[] }>).find((option) => option.name === 'painting_time');
    const standard = paintingTime(15 * 60_000)?.choices ?? [];
    expect(standard.map((choice) => [choice.value, choice.name])).toEqual([
      [1, '1 minute'],
      [2, '2 minutes'],
      [5, '5 minutes'],
      [10, '10 minutes'],
    ]);
    expect(standard[2]?.name_localizations).toMatchObject({ de: '5 Minuten', fr: '5\u00A0minutes', 'es-ES': '5 minutos', ja: '5分' });
    expect(paintingTime(5 * 60_000)?.choices?.map((choice) => choice.value)).toEqual([1, 2]);
    expect(paintingTime(60_000)).toBeUndefined();
  });

  test('/stylize-admin: Manage Server by default, servers only, one subcommand per task', () => {
    const json = buildAdminCommand().toJSON();
    expect(json.name).toBe('stylize-admin');
    expect(json.default_member_permissions).toBe(String(PermissionFlagsBits.ManageGuild));
    expect(json.contexts).toEqual([0]);
    expect((json.options ?? []).map((option) => option.name)).toEqual(['show', 'set', 'pause', 'resume', 'clear', 'channels']);
  });

  describe('registration', () => {
    let fake: FakeDiscord;
    beforeAll(async () => {
      fake = await new FakeDiscord().start();
    });
    afterAll(async () => {
      await fake.stop();
    });

    test('goes to the guild when one is set, else (or with --global) to every server', async () => {
      const config = { token: fake.token, applicationId: fake.applicationId, apiUrl: fake.apiUrl, attachmentHosts: [] };
      expect(await registerCommands({ ...config, guildId: fake.guildId })).toEqual({ scope: 'guild', commandNames: ['stylize', 'stylize-help', 'stylize-jobs', 'Stylize', 'stylize-admin'] });
      expect(await registerCommands({ ...config, guildId: fake.guildId }, { global: true })).toEqual({ scope: 'global', commandNames: ['stylize', 'stylize-help', 'stylize-jobs', 'Stylize', 'stylize-admin'] });
      expect(await registerCommands(config)).toEqual({ scope: 'global', commandNames: ['stylize', 'stylize-help', 'stylize-jobs', 'Stylize', 'stylize-admin'] });
      expect(fake.calls.map((call) => `${call.method} ${call.path}`)).toEqual([
        `PUT /applications/${fake.applicationId}/guilds/${fake.guildId}/commands`,
        `PUT /applications/${fake.applicationId}/commands`,
        `PUT /applications/${fake.applicationId}/commands`,
      ]);
      expect((fake.calls[0]?.body as Array<{ name: string }>)[0]?.name).toBe('stylize');
    });
  });
});

describe('buttons', () => {
  test('carry the job id (and the rerun preset) and parse back', () => {
    expect(parseButtonId(cancelButtonId(job.id))).toEqual({ action: 'cancel', jobId: job.id });
    expect(parseButtonId(rerunButtonId(job.id, 'painting'))).toEqual({ action: 'rerun', jobId: job.id, preset: 'painting' });
    for (const junk of ['', 'other:cancel:1', 'stylize:cancel:', 'stylize:rerun:sepia:1', 'stylize:rerun:photo']) {
      expect(parseButtonId(junk)).toBeUndefined();
    }
    expect(rerunButtonId('x'.repeat(40), 'painterly').length).toBeLessThanOrEqual(100);
  });

  test('offer only the presets that exist on either side', () => {
    const ids = (preset: 'photo' | 'balanced' | 'painting') =>
      (buttonRows(job.id, rerunChoices({ preset }))[0]?.toJSON().components ?? []).map((button) => ('custom_id' in button ? button.custom_id : ''));
    expect(ids('photo')).toEqual([rerunButtonId(job.id, 'balanced')]);
    expect(ids('balanced')).toEqual([rerunButtonId(job.id, 'photo'), rerunButtonId(job.id, 'painterly')]);
    expect(ids('painting')).toEqual([rerunButtonId(job.id, 'painterly')]);
  });
});

describe('journaled reply refs', () => {
  test('keep only snowflake ids and need a channel', () => {
    expect(readDiscordReply({ channelId: '1', messageId: '2', threadId: 'x', statusMessageId: 3, other: '4' })).toEqual({ channelId: '1', messageId: '2' });
    expect(readDiscordReply({ channel: '1' })).toBeUndefined();
  });
});

describe('rendering', () => {
  test("thread names fit Discord's 100 characters", () => {
    expect(threadName(job)).toBe('stylize · alice · Balanced');
    expect(threadName({ ...job, userName: 'n'.repeat(200) })).toHaveLength(100);
  });

  test('running shows a bar, the ETA, a preview and Cancel; a final state clears buttons and attachments', () => {
    const running = renderStatus(job, { kind: 'running', iteration: 30, total: 100, fraction: 0.3, etaMs: 7000 }, { preview: Buffer.from('png'), inThread: false });
    expect(running.content).toContain('30%');
    expect(running.content).toContain('about 7 s left');
    // Plain words in every language: a bar and the time left, no iteration count.
    for (const locale of LOCALES) {
      const content = renderStatus({ ...job, locale }, { kind: 'running', iteration: 30, total: 100, fraction: 0.3, etaMs: 7000 }, { inThread: false }).content;
      expect(content, locale).toMatch(/`█{6}░{14} 30%`/);
      expect(content, locale).not.toMatch(/30\/100|\b100\b|iteration|Iteration|itération|iteración|反復/);
    }
    expect(running.files).toHaveLength(1);
    expect(running.components).toHaveLength(1);
    const failed = renderStatus(job, { kind: 'failed', reason: { code: 'engine-crashed', params: {} } }, { inThread: false });
    expect(failed.content).toContain('❌ The engine crashed while working on your image');
    expect(failed.components).toEqual([]);
    expect(failed.attachments).toEqual([]);
  });

  test('the byte cap is the smaller of ours and the interaction upload limit', () => {
    expect(attachmentByteCap(10, 25)).toBe(10);
    expect(attachmentByteCap(10, 8)).toBe(8);
    expect(attachmentByteCap(10, null)).toBe(10);
  });
});

describe('capped download from allowed hosts', () => {
  let host: FakeAttachmentHost;
  beforeAll(async () => {
    host = await FakeAttachmentHost.start();
  });
  afterAll(async () => {
    await host.stop();
  });

  test('allows https on listed hosts, plain http only to a listed 127.0.0.1, ports when listed with one', () => {
    const hosts = ['cdn.discordapp.com', '127.0.0.1:5000'];
    expect(checkDownloadUrl('https://cdn.discordapp.com/a.png?ex=1', hosts, 'content').hostname).toBe('cdn.discordapp.com');
    expect(checkDownloadUrl('http://127.0.0.1:5000/a.png', hosts, 'content').port).toBe('5000');
    for (const refused of [
      'http://cdn.discordapp.com/a.png',
      'https://cdn.discordapp.com.evil.example/a.png',
      'https://user:pw@cdn.discordapp.com/a.png',
      'http://127.0.0.1:5001/a.png',
      'file:///etc/passwd',
      'not a url',
    ]) {
      expect(() => checkDownloadUrl(refused, hosts, 'style'), refused).toThrow(UserError);
    }
  });

  test('enforces the cap from the declared length and while streaming, and the time limit', async () => {
    const data = Buffer.alloc(4096, 7);
    const policy = { role: 'content' as const, allowedHosts: [host.host], maxBytes: 4096, timeoutMs: 2000 };
    expect(await downloadCapped(host.add('ok.bin', data, 'image/png').url, policy)).toEqual(data);
    const declared = host.add('big.bin', Buffer.alloc(5000), 'image/png');
    await expect(downloadCapped(declared.url, policy)).rejects.toMatchObject({ code: 'download-too-large', message: 'The photo is larger than the 4 KB limit. Please choose a smaller picture.' });
    const streamed = host.add('big-chunked.bin', Buffer.alloc(64 * 1024), 'image/png', { chunked: true });
    await expect(downloadCapped(streamed.url, policy)).rejects.toMatchObject({ code: 'download-too-large' });
    const slow = host.add('slow.bin', data, 'image/png', { delayMs: 1000 });
    await expect(downloadCapped(slow.url, { ...policy, timeoutMs: 200 })).rejects.toMatchObject({ code: 'download-timed-out' });
    await expect(downloadCapped(`http://${host.host}/missing.png`, policy)).rejects.toMatchObject({ code: 'download-failed', params: { role: 'content', status: 404 } });
  });
});
