// Every payload the bot sends, rendered through the builders the adapters call, in every language and with
// worst-case inputs (the longest names, 100 allowed channels, the most jobs, file names and typed text with
// `&`, `<`, `>`), against the limits Discord and Slack document (src/adapters/shared/platform-limits.ts,
// the documentation's address beside each). Texts the bot writes itself (command descriptions, choices,
// form titles...) keep at least a tenth of each limit free, so that a reworded translation still fits.
// The end of the file checks the review's cases through the real discord.js and Bolt against the fake Discord
// and Slack, which refuse what the platforms would (test/fake-discord/limits.ts, test/fake-slack/limits.ts).
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { PermissionFlagsBits } from 'discord.js';
import type { Attachment, ChatInputCommandInteraction } from 'discord.js';
import { webApi } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildAdminCommand } from '../src/adapters/discord/admin.js';
import { cancelButtonId } from '../src/adapters/discord/buttons.js';
import { buildStylizeCommand } from '../src/adapters/discord/command.js';
import { renderHelp, renderJobs } from '../src/adapters/discord/help-jobs.js';
import { imageRows, libraryRow } from '../src/adapters/discord/message-command.js';
import { buildHelpCommand, buildJobsCommand, buildMessageCommand } from '../src/adapters/discord/reach-commands.js';
import { refusalText } from '../src/adapters/discord/refusal.js';
import { DISCORD_MARKUP, renderMovedToThread, renderResult, renderStatus, renderThreadStarter, threadName } from '../src/adapters/discord/render.js';
import { checkPlace } from '../src/adapters/discord/server-rules.js';
import { endingPing } from '../src/adapters/shared/ending-ping.js';
import { cutAtWord, pagesOf } from '../src/adapters/shared/fit.js';
import { describeSettings, previewWords, viewResult, type JobStage } from '../src/adapters/shared/job-view.js';
import { MAX_SEED, MAX_SIZE } from '../src/adapters/shared/options.js';
import { DISCORD, SLACK } from '../src/adapters/shared/platform-limits.js';
import { describeServerSettings } from '../src/adapters/shared/server-settings-view.js';
import { channelRefusal } from '../src/adapters/slack/admin.js';
import { subcommandAnswer, type EphemeralAnswer } from '../src/adapters/slack/help-jobs.js';
import { renderJobMessage, SLACK_MARKUP } from '../src/adapters/slack/messages.js';
import { noticeModal, stylizeModal } from '../src/adapters/slack/modal.js';
import { tellInMrkdwn } from '../src/adapters/slack/mrkdwn.js';
import type { JobInfo, JobOptions, StylizeQueue, JobResult, ServerSettings } from '../src/queue/index.js';
import { paintingWords, STYLE_LIBRARY } from '../src/styles/library.js';
import { MAX_OUTPUT_SIZE, PRESETS, type PresetName } from '../src/transfer/index.js';
import { LOCALES, say, tell, UserError, type DeliveryHitch, type Locale, type UserProblem } from '../src/wording/index.js';
import type { DeliveryHitchParams, UserErrorCode, UserErrorParams } from '../src/wording/catalogue.js';
import { BOT_TOKEN, CHANNEL, modalValues, slashAnswer, startSlackWorld, submitModal, type SlackWorld } from './fake-slack/harness.js';
import { makeGradientPng } from './fixtures/images.js';
import { startScriptedHarness, type ScriptedHarness } from './fake-discord/harness.js';
import { callback, contentOf, ephemeralFollowUps, ephemeralReply, replyEdits } from './fake-discord/inspect.js';
import type { RecordedCall } from './fake-discord/server.js';
import type { Bot } from '../src/bot/index.js';
import { registerCommands } from '../src/adapters/discord/register.js';

// ---- Worst-case inputs ----------------------------------------------------------------------------------

/** The review's file name: markup characters in each of Slack's three. */
const MARKUP_FILE_NAME = 'Q&A <draft> v2.png';
/** A file name as long as file systems allow. */
const LONG_FILE_NAME = `${'a very long holiday photo name '.repeat(8)}`.slice(0, 251) + '.png';
/** What a remote server or the platform may say about an error. */
const LONG_DETAIL = 'The request could not be completed because of an unexpected condition on the server side. '.repeat(2).trim();
const LONG_HOST = `${'sub-domain-'.repeat(22)}example.com`;
/** Ids as long as the platforms make them (Discord snowflakes reach 20 digits). */
const DISCORD_USER = '99999999999999999999';
const SLACK_USER = 'W0123456789ABC';
const JOB_ID = 'zzzzzzzzzzzzzzzzzzzz';
/** Discord display names hold at most 32 characters; Slack's 80. */
const LONG_USER_NAME = 'Maximiliane Alexandra Wolkenstei';
const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];
/** The painting with the longest name and credit in `locale`: the job's heading, result and details name them. */
const longestStyle = (locale: Locale) =>
  STYLE_LIBRARY.reduce((longest, style) => {
    const length = (entry: typeof style) => paintingWords(entry, locale).name.length + paintingWords(entry, locale).credit.length;
    return length(style) > length(longest) ? style : longest;
  });

/** Every option a job can carry, each at its longest. */
const worstOptions = (locale: Locale): JobOptions[] =>
  PRESET_NAMES.map((preset) => {
    const longest = longestStyle(locale).id;
    return {
      preset,
      // A Bigger job's: the largest size, and the picture it went on from.
      size: MAX_OUTPUT_SIZE,
      startAbove: MAX_OUTPUT_SIZE - 1,
      seed: MAX_SEED,
      preserveColors: true,
      libraryStyle: longest,
      // A blend of four paintings, each named and credited, with a brush size the chat does not offer.
      extraStyles: [{ libraryStyle: longest }, { libraryStyle: longest }, { libraryStyle: longest }],
      styleWeights: [1, 3, 5, 7],
      styleScale: 0.333,
    };
  });

const WORST_RESULT: JobResult = {
  width: MAX_OUTPUT_SIZE,
  height: MAX_OUTPUT_SIZE,
  iterations: 99_999,
  seconds: 86_399,
  backend: 'tensorflow-gpu',
  layers: { content: ['conv4_2', 'conv3_2', 'conv2_2'], style: ['conv1_1', 'conv2_1', 'conv3_1', 'conv4_1', 'conv5_1'] },
  alpha: 1,
  beta: 1e5,
  styleScale: 0.333,
  styleWeights: [0.0625, 0.1875, 0.3125, 0.4375],
  colorMode: 'luminance',
  initial: { content: 1e12, style: 1e12, total: 2e12 },
  final: { content: 1e11, style: 1e11, total: 2e11 },
} as JobResult;

/**
 * Every refusal and failure with its longest parameters. A new code is a compile error here until it gets
 * its worst case: every sentence a user can be refused with is checked against the limits.
 */
const WORST_PROBLEMS: { [C in UserErrorCode]: UserErrorParams[C] } = {
  'image-empty': { role: 'style', fileName: LONG_FILE_NAME },
  'image-not-an-image': { role: 'style', fileName: LONG_FILE_NAME },
  'image-format-refused': { role: 'style', fileName: LONG_FILE_NAME, format: 'postscript' },
  'image-truncated': { role: 'style', fileName: LONG_FILE_NAME },
  'image-too-many-pixels': { role: 'style', fileName: LONG_FILE_NAME, width: 99_999, height: 99_999, maxPixels: 40_000_000 },
  'image-not-accepted': { role: 'style', fileName: LONG_FILE_NAME },
  'image-too-large': { role: 'style', fileName: LONG_FILE_NAME, bytes: 2 ** 40, maxBytes: 2 ** 33 },
  'file-link-invalid': { role: 'style' },
  'file-host-not-allowed': { role: 'style', host: LONG_HOST },
  'download-too-large': { role: 'style', maxBytes: 2 ** 33 },
  'download-failed': { role: 'style', status: 503 },
  'download-timed-out': { role: 'style', timeoutMs: 3_599_000 },
  'download-network': { role: 'style' },
  'slack-file-unreadable': { role: 'style', detail: LONG_DETAIL },
  'images-not-checked': {},
  'image-too-small-for-size': { size: MAX_SIZE, width: 99_999, height: 1, minSide: MAX_SIZE, layers: ['conv1_1', 'conv2_1', 'conv3_1', 'conv4_1', 'conv5_1'] },
  'option-out-of-range': { option: 'iterations', min: 1, max: 99_999, got: 2 ** 31 },
  'size-exceeds-memory': { size: MAX_SIZE, largestSize: MAX_SIZE - 1 },
  'bot-restarting': {},
  'user-limit': { maxPerUser: 1000 },
  'queue-full': { maxQueueLength: 100_000 },
  'size-too-slow': { size: MAX_SIZE, limitMs: 86_399_000, largestSize: MAX_SIZE - 1 },
  'rerun-not-owner': {},
  'style-missing': {},
  'style-both': {},
  'library-style-unknown': { id: LONG_DETAIL },
  'rerun-images-gone': {},
  'storage-unavailable': {},
  'storage-full': {},
  'journal-failed': {},
  'job-timed-out': { limitMs: 86_399_000 },
  'engine-crashed': {},
  'engine-unavailable': {},
  'engine-failed': {},
  'model-missing': {},
  'crashed-too-often': { attempts: 99 },
  'result-gone': {},
  'delivery-gave-up': { attempts: 99 },
  'delivery-no-destination': {},
  'discord-missing-permissions': {},
  'discord-missing-access': {},
  'discord-upload-too-large': { bytes: 2 ** 33 },
  'discord-refused': { detail: LONG_DETAIL },
  'slack-not-in-channel': {},
  'slack-channel-not-found': {},
  'slack-channel-archived': {},
  'slack-missing-scope': {},
  'slack-token-type': {},
  'slack-restricted': {},
  'slack-upload-too-large': {},
  'slack-token-refused': {},
  'server-limit': { maxPerServer: 1000 },
  // Its channel list is fitted by its builders; the 100-channel case is checked below.
  'channel-not-allowed': { channels: '<#99999999999999999999>' },
  'no-image-permission': {},
  'admin-only': {},
  'admin-server-only': {},
  'photo-missing': {},
  'image-upload-and-link': { role: 'style' },
  'image-link-host-not-allowed': { role: 'style', host: LONG_HOST, hosts: 'cdn.discordapp.com, media.discordapp.net, files.slack.com' },
  'too-many-styles': { count: 99, max: 4 },
  'style-weights-invalid': { count: 99 },
  'second-style-both': {},
  'blend-needs-second-style': {},
};
const PROBLEMS = Object.entries(WORST_PROBLEMS).map(([code, params]) => ({ code, params }) as UserProblem);

const WORST_HITCHES: { [C in keyof DeliveryHitchParams]: DeliveryHitchParams[C] } = {
  'hitch-slow-down': { platform: 'discord' },
  'hitch-server-error': { platform: 'discord', status: 503 },
  'hitch-http-error': { platform: 'discord', status: 413 },
  'hitch-platform-error': { platform: 'discord', detail: LONG_DETAIL },
  'hitch-no-answer': { platform: 'discord' },
  'hitch-restarting': {},
  'hitch-unexpected': {},
};
const HITCHES = Object.entries(WORST_HITCHES).map(([code, params]) => ({ code, params }) as DeliveryHitch);

/** Every stage a job message can show, each at its longest. */
function worstStages(): JobStage[] {
  return [
    { kind: 'preparing' },
    { kind: 'queued', position: 99_999, resumed: true, startsInMs: 86_399_000 },
    { kind: 'queued', position: 99_999, resumed: false },
    { kind: 'starting' },
    { kind: 'running', iteration: 99_998, total: 99_999, fraction: 0.99, etaMs: 86_399_000 },
    ...HITCHES.map((problem): JobStage => ({ kind: 'delivering', retryInMs: 86_399_000, problem })),
    { kind: 'done', result: WORST_RESULT },
    ...PROBLEMS.map((reason): JobStage => ({ kind: 'failed', reason })),
    { kind: 'cancelled', byUserId: DISCORD_USER },
  ];
}

function discordJob(options: JobOptions, locale: Locale): JobInfo {
  return { id: JOB_ID, platform: 'discord', userId: DISCORD_USER, userName: LONG_USER_NAME, server: DISCORD_USER, reply: { channelId: DISCORD_USER, interactionId: DISCORD_USER, spoiler: true }, options, state: 'running', createdAt: 0, locale };
}

/** Channel ids as long as each platform makes them. */
const discordChannels = (count: number): string[] => Array.from({ length: count }, (_, index) => `${99_999_999_999_999_999_999n - BigInt(index)}`);
const slackChannels = (count: number): string[] => Array.from({ length: count }, (_, index) => `C${String(index).padStart(12, '0')}`);

/** What the answers read of the queue: its limits at their largest, a busy server, and the caller's jobs. */
function queueWith(jobs: number): Pick<StylizeQueue, 'serverLoad' | 'limits' | 'jobsOf' | 'keepFinishedMs'> {
  return {
    limits: { maxPendingPerUser: 1000, maxQueueLength: 100_000, jobTimeoutMs: 86_399_000, maxInputBytes: 2 ** 33, maxAttempts: 99 },
    serverLoad: () => ({ waiting: 99_999, running: 999 }),
    jobsOf: () => Array.from({ length: jobs }, (_, index) => ({ job: discordJob(worstOptions('en')[index % PRESET_NAMES.length] as JobOptions, 'en'), ...(index === 0 ? {} : { position: 99_000 + index }) })),
    keepFinishedMs: 365 * 24 * 3_600_000,
  };
}

const WORST_SETTINGS = (channels: string[]): ServerSettings => ({ defaultPreset: 'painterly', defaultSize: MAX_SIZE, allowedChannels: channels, maxJobsPerUser: 1000, maxJobsPerServer: 1000, paused: true });

const HELP_FACTS = { maxBytes: 2 ** 33, maxPerUser: 1000, maxQueueLength: 100_000, jobTimeoutMs: 86_399_000, keptMs: 365 * 24 * 3_600_000 };

// ---- Checking ---------------------------------------------------------------------------------------------

/** What went over a limit, or too close to it: one line each, so that a failure lists them all. */
class Findings {
  readonly lines: string[] = [];

  /** `text` within `max` characters. */
  within(what: string, text: string | undefined, max: number): void {
    if (text === undefined) return;
    if (text.length > max) this.lines.push(`${what}: ${text.length} > ${max}: ${JSON.stringify(text.slice(0, 80))}...`);
  }

  /** The bot's own words: within 90% of `max`, so that a longer translation still fits. */
  roomy(what: string, text: string | undefined, max: number): void {
    if (text === undefined) return;
    if (text.length >= 0.9 * max) this.lines.push(`${what}: ${text.length} of ${max}, less than 10% room: ${JSON.stringify(text)}`);
  }

  count(what: string, items: readonly unknown[] | undefined, max: number): void {
    if (items !== undefined && items.length > max) this.lines.push(`${what}: ${items.length} items > ${max}`);
  }
}

function expectNone(findings: Findings): void {
  expect(findings.lines).toEqual([]);
}

/** The notes to one user beyond refusals, each at its longest: the same sentences on both platforms. */
function notes(locale: Locale, mention: string): string[] {
  return [
    say('cancel-not-owner', {}, locale),
    say('cancel-not-owner-named', { owner: mention }, locale),
    say('cancel-not-found', {}, locale),
    say('cancel-already-finished', {}, locale),
    ...PRESET_NAMES.map((preset) => say('rerun-last-step', { preset }, locale)),
    say('something-went-wrong', {}, locale),
    say('job-server-paused', {}, locale),
    say('delete-done', {}, locale),
    say('delete-not-owner', {}, locale),
    say('delete-not-found', {}, locale),
    say('delete-not-finished', {}, locale),
    say('discord-missing-channel-permissions', { missing: ['view-channel', 'send-messages', 'create-public-threads', 'send-messages-in-threads', 'attach-files'] }, locale),
    say('admin-nothing-to-change', {}, locale),
    say('admin-cleared', { count: 100_000 }, locale),
    say('slack-cannot-post', {}, locale),
    say('slack-admin-only', {}, locale),
    say('slack-admin-usage', {}, locale),
    say('slack-not-a-member', {}, locale),
    say('shortcut-needs-two-images', { found: 99 }, locale),
    say('images-not-checked', {}, locale),
  ];
}

// ---- Discord ----------------------------------------------------------------------------------------------

interface CommandJson {
  name: string;
  name_localizations?: Record<string, string> | null;
  description?: string;
  description_localizations?: Record<string, string> | null;
  options?: CommandJson[];
  choices?: Array<{ name: string; name_localizations?: Record<string, string> | null; value: string | number }>;
}

/** The longest of a text and its localizations: what Discord counts towards a command's total. */
function longest(text: string | undefined, localized: Record<string, string> | null | undefined): number {
  return Math.max((text ?? '').length, ...Object.values(localized ?? {}).map((value) => value.length));
}

function checkCommand(findings: Findings, json: CommandJson, path: string, depth = 0): number {
  const { command } = DISCORD;
  const nameMax = depth === 0 ? command.name : command.optionName;
  const descriptionMax = depth === 0 ? command.description : command.optionDescription;
  for (const [locale, name] of Object.entries({ default: json.name, ...json.name_localizations })) {
    findings.within(`${path} name (${locale})`, name, nameMax);
    if (!command.namePattern.test(name) || name !== name.toLowerCase()) findings.lines.push(`${path} name (${locale}): ${JSON.stringify(name)} breaks Discord's naming rule`);
  }
  for (const [locale, description] of Object.entries({ default: json.description, ...json.description_localizations })) {
    findings.within(`${path} description (${locale})`, description, descriptionMax);
    findings.roomy(`${path} description (${locale})`, description, descriptionMax);
  }
  findings.count(`${path} options`, json.options, command.options);
  findings.count(`${path} choices`, json.choices, command.choices);
  let total = longest(json.name, json.name_localizations) + longest(json.description, json.description_localizations);
  for (const choice of json.choices ?? []) {
    for (const [locale, name] of Object.entries({ default: choice.name, ...choice.name_localizations })) {
      findings.within(`${path} choice ${choice.value} (${locale})`, name, command.choiceName);
      findings.roomy(`${path} choice ${choice.value} (${locale})`, name, command.choiceName);
    }
    findings.within(`${path} choice value`, String(choice.value), command.choiceValue);
    total += longest(choice.name, choice.name_localizations) + String(choice.value).length;
  }
  for (const option of json.options ?? []) total += checkCommand(findings, option, `${path} ${option.name}`, depth + 1);
  return total;
}

interface ComponentJson {
  type: number;
  custom_id?: string;
  label?: string;
  placeholder?: string;
  options?: Array<{ label: string; description?: string; value: string }>;
  components?: ComponentJson[];
}

/** Rows, buttons, selects and their texts. */
function checkComponents(findings: Findings, what: string, rows: ReadonlyArray<{ toJSON(): unknown }>): void {
  findings.count(`${what} rows`, rows, DISCORD.rowsPerMessage);
  for (const row of rows.map((built) => built.toJSON() as ComponentJson)) {
    findings.count(`${what} buttons in a row`, row.components, DISCORD.buttonsPerRow);
    for (const component of row.components ?? []) {
      findings.within(`${what} custom_id`, component.custom_id, DISCORD.customId);
      findings.within(`${what} button label`, component.label, DISCORD.buttonLabel);
      findings.within(`${what} placeholder`, component.placeholder, DISCORD.selectPlaceholder);
      findings.count(`${what} select options`, component.options, DISCORD.selectOptions);
      for (const option of component.options ?? []) {
        findings.within(`${what} option label`, option.label, DISCORD.selectOptionLabel);
        findings.within(`${what} option description`, option.description, DISCORD.selectOptionDescription);
        findings.within(`${what} option value`, option.value, DISCORD.selectOptionValue);
      }
    }
  }
}

/** Just enough of an interaction in a server channel for checkPlace: a member who may attach files. */
function interactionIn(channelId: string, locale: Locale): ChatInputCommandInteraction {
  const discordLocale = locale === 'en' ? 'en-US' : locale === 'es' ? 'es-ES' : locale;
  return { inGuild: () => true, channelId, channel: null, locale: discordLocale, memberPermissions: { has: () => true } } as unknown as ChatInputCommandInteraction;
}

describe('Discord payloads within the documented limits', () => {
  test('command registrations, with every localization: names, descriptions, options, choices and the total per command', () => {
    const findings = new Findings();
    for (const builder of [buildStylizeCommand(), buildAdminCommand(), buildHelpCommand(), buildJobsCommand()]) {
      const json = builder.toJSON() as CommandJson;
      findings.within(`/${json.name} in all`, 'x'.repeat(checkCommand(findings, json, `/${json.name}`)), DISCORD.command.total);
    }
    findings.within('message command name', buildMessageCommand().toJSON().name, DISCORD.command.name);
    expectNone(findings);
  });

  test('no choice is cut inside a word: the preset choices are whole in every language', () => {
    const json = buildStylizeCommand().toJSON() as CommandJson;
    const preset = json.options?.find((option) => option.name === 'preset');
    for (const choice of preset?.choices ?? []) {
      for (const locale of LOCALES) {
        const shown = locale === 'en' ? choice.name : choice.name_localizations?.[locale === 'es' ? 'es-ES' : locale];
        expect(shown).toBe(say('preset-choice', { preset: choice.value as PresetName }, locale));
      }
    }
  });

  test("a job's messages at every stage, its result, its thread and its pings", () => {
    const findings = new Findings();
    for (const locale of LOCALES) {
      for (const options of worstOptions(locale)) {
        const job = discordJob(options, locale);
        findings.within(`thread name (${locale})`, threadName(job), DISCORD.threadName);
        for (const stage of worstStages()) {
          const what = `${stage.kind} ${stage.kind === 'failed' ? stage.reason.code : ''} (${locale}, ${options.preset})`;
          for (const inThread of [false, true]) {
            const status = renderStatus(job, stage, { inThread, preview: Buffer.alloc(1) });
            findings.within(`status ${what}`, status.content, DISCORD.content);
            checkComponents(findings, `status ${what}`, status.components);
          }
          findings.within(`ping ${what}`, endingPing(job, stage, DISCORD_MARKUP)?.text, DISCORD.content);
        }
        const result = renderResult(job, WORST_RESULT, Buffer.alloc(1), { biggerSize: MAX_OUTPUT_SIZE });
        findings.within(`result (${locale})`, result.content, DISCORD.content);
        checkComponents(findings, `result (${locale})`, result.components);
        for (const file of result.files ?? []) findings.within(`result alt text (${locale})`, file.description ?? undefined, DISCORD.attachmentDescription);
        findings.within(`moved to thread (${locale})`, renderMovedToThread(job).content, DISCORD.content);
        findings.within(`thread starter (${locale})`, renderThreadStarter(job).content, DISCORD.content);
        const details = [say('details-heading', {}, locale), ...describeSettings(options, WORST_RESULT, locale).map((line) => `• ${line}`)].join('\n');
        findings.within(`details (${locale})`, details, DISCORD.content);
      }
    }
    expectNone(findings);
  });

  test('every refusal and note, in every language', () => {
    const findings = new Findings();
    for (const locale of LOCALES) {
      for (const problem of PROBLEMS) findings.within(`${problem.code} (${locale})`, refusalText(problem, locale), DISCORD.content);
      for (const note of notes(locale, DISCORD_MARKUP.mention(DISCORD_USER))) findings.within(`note (${locale})`, `⚠️ ${note}`, DISCORD.content);
    }
    expectNone(findings);
  });

  test('"channel not allowed" with 100 allowed channels names those that fit, then "and N more"', () => {
    for (const locale of LOCALES) {
      const allowed = discordChannels(100);
      let refusal: UserError | undefined;
      try {
        checkPlace(interactionIn('1', locale), { allowedChannels: allowed });
      } catch (error) {
        refusal = error as UserError;
      }
      expect(refusal?.code).toBe('channel-not-allowed');
      const text = refusalText((refusal as UserError).problem, locale);
      expect(text.length).toBeLessThanOrEqual(DISCORD.content);
      const named = text.match(/<#\d+>/g) ?? [];
      expect(named.length).toBeGreaterThan(10);
      expect(named).toEqual(allowed.slice(0, named.length).map((id) => `<#${id}>`));
      expect(text).toContain(say('list-and-more', { count: 100 - named.length }, locale));
    }
  });

  test('a few allowed channels are all named, with no "and N more"', () => {
    let refusal: UserError | undefined;
    try {
      checkPlace(interactionIn('1', 'en'), { allowedChannels: ['11', '12'] });
    } catch (error) {
      refusal = error as UserError;
    }
    expect(tell((refusal as UserError).problem, 'en')).toContain('<#11>, <#12>');
    expect(tell((refusal as UserError).problem, 'en')).not.toContain('more');
  });

  test('/stylize-admin answers with 100 allowed channels stay within 2000 characters, ending with "and N more"', () => {
    const findings = new Findings();
    for (const locale of LOCALES) {
      for (const lead of [undefined, say('admin-saved', {}, locale), say('admin-paused', {}, locale), say('admin-resumed', {}, locale)]) {
        const answer = describeServerSettings(queueWith(0), 'discord', 'G', WORST_SETTINGS(discordChannels(100)), locale, lead);
        findings.within(`settings (${locale}, ${lead ?? 'show'})`, answer, DISCORD.content);
        expect(answer).toMatch(new RegExp(`${say('list-and-more', { count: 99 }, locale).replace(/\d+/, '\\d+')}`));
        if (lead !== undefined) expect(answer.startsWith(`${lead}\n`)).toBe(true);
      }
      findings.within(`cleared (${locale})`, say('admin-cleared', { count: 100_000 }, locale), DISCORD.content);
      const few = describeServerSettings(queueWith(0), 'discord', 'G', WORST_SETTINGS(['11', '12']), locale);
      expect(few).toContain('<#11>, <#12>');
    }
    expectNone(findings);
  });

  test('/stylize-help: every message within 2000 characters, the whole help sent', () => {
    const findings = new Findings();
    for (const locale of LOCALES) {
      const pages = renderHelp(HELP_FACTS, locale);
      for (const page of pages) findings.within(`help (${locale})`, page, DISCORD.content);
      for (const style of STYLE_LIBRARY) expect(pages.join('\n')).toContain(paintingWords(style, locale).credit);
    }
    expectNone(findings);
  });

  test('/stylize-jobs with the most jobs: as many as fit with their Cancel buttons, then "and N more"', () => {
    const findings = new Findings();
    for (const locale of LOCALES) {
      for (const count of [1, 25, 26, 100]) {
        const jobs = queueWith(count).jobsOf({ platform: 'discord', userId: DISCORD_USER });
        const answer = renderJobs(jobs, locale);
        findings.within(`jobs ${count} (${locale})`, answer.content, DISCORD.content);
        checkComponents(findings, `jobs ${count} (${locale})`, answer.components);
        const buttons = answer.components.flatMap((row) => (row.toJSON() as ComponentJson).components ?? []);
        const listed = answer.content.split('\n').filter((line) => /^\d+\. /.test(line)).length;
        expect(buttons.map((button) => button.custom_id)).toEqual(jobs.slice(0, listed).map(({ job }) => cancelButtonId(job.id)));
        if (listed < count) expect(answer.content).toContain(say('list-and-more', { count: count - listed }, locale));
        else expect(answer.content).not.toContain(say('list-and-more', { count: 1 }, locale).replace('1', ''));
      }
    }
    expectNone(findings);
  });

  test('the message command\'s pickers: the library and ten images with long and marked-up names', () => {
    const findings = new Findings();
    const images = [MARKUP_FILE_NAME, ...Array.from({ length: 9 }, () => LONG_FILE_NAME)].map((name) => ({ name }) as Attachment);
    for (const locale of LOCALES) {
      checkComponents(findings, `library picker (${locale})`, [libraryRow(DISCORD_USER, locale)]);
      checkComponents(findings, `image picker (${locale})`, imageRows(DISCORD_USER, images, locale));
      for (const key of ['context-no-images', 'context-pick-library', 'context-picker-expired', 'context-pick-same'] as const) findings.within(`${key} (${locale})`, say(key, {}, locale), DISCORD.content);
      findings.within(`context-pick-images (${locale})`, say('context-pick-images', { count: 10 }, locale), DISCORD.content);
    }
    expectNone(findings);
  });
});

// ---- Slack ------------------------------------------------------------------------------------------------

interface BlockJson {
  type: string;
  block_id?: string;
  text?: { type: string; text: string };
  label?: { text: string };
  hint?: { text: string };
  elements?: Array<{ type: string; text?: string | { text: string }; action_id?: string; value?: string }>;
  element?: { type: string; options?: Array<{ text: { text: string }; description?: { text: string }; value: string }> };
  accessory?: { text: { text: string }; action_id: string; value: string };
}

function checkBlocks(findings: Findings, what: string, blocks: readonly unknown[], maxBlocks: number): void {
  findings.count(`${what} blocks`, blocks, maxBlocks);
  for (const block of blocks as BlockJson[]) {
    findings.within(`${what} block_id`, block.block_id, SLACK.blockId);
    findings.within(`${what} section text`, block.text?.text, SLACK.sectionText);
    findings.within(`${what} label`, block.label?.text, SLACK.inputLabel);
    findings.within(`${what} hint`, block.hint?.text, SLACK.inputHint);
    if (block.type === 'actions') findings.count(`${what} actions`, block.elements, SLACK.actionsElements);
    if (block.type === 'context') findings.count(`${what} context elements`, block.elements, SLACK.contextElements);
    for (const element of block.elements ?? []) {
      const text = typeof element.text === 'string' ? element.text : element.text?.text;
      findings.within(`${what} ${element.type} text`, text, element.type === 'button' ? SLACK.buttonText : SLACK.sectionText);
      findings.within(`${what} action_id`, element.action_id, SLACK.actionId);
      findings.within(`${what} button value`, element.value, SLACK.buttonValue);
    }
    if (block.accessory) {
      findings.within(`${what} button text`, block.accessory.text.text, SLACK.buttonText);
      findings.within(`${what} button value`, block.accessory.value, SLACK.buttonValue);
    }
    findings.count(`${what} select options`, block.element?.options, SLACK.selectOptions);
    for (const option of block.element?.options ?? []) {
      findings.within(`${what} option text`, option.text.text, SLACK.optionText);
      findings.within(`${what} option description`, option.description?.text, SLACK.optionDescription);
      findings.within(`${what} option value`, option.value, SLACK.optionValue);
    }
  }
}

describe('Slack payloads within the documented limits', () => {
  test('the app manifest', async () => {
    const manifest = await readFile(fileURLToPath(new URL('../src/adapters/slack/manifest.yaml', import.meta.url)), 'utf8');
    const field = (pattern: RegExp): string => manifest.match(pattern)?.[1]?.replace(/^"|"$/g, '') ?? '';
    const findings = new Findings();
    const { manifest: limits } = SLACK;
    findings.within('name', field(/^ {2}name: (.+)$/m), limits.name);
    findings.within('description', field(/^ {2}description: (.+)$/m), limits.description);
    findings.within('bot display name', field(/display_name: (.+)$/m), limits.botDisplayName);
    findings.within('command', field(/- command: (.+)$/m), limits.command);
    findings.within('command description', field(/- command: .+\n(?: .+\n)*? {6}description: (.+)$/m), limits.commandDescription);
    findings.within('usage hint', field(/usage_hint: (.+)$/m), limits.usageHint);
    findings.within('shortcut name', field(/- name: (.+)$/m), limits.shortcutName);
    findings.within('shortcut description', field(/- name: .+\n(?: .+\n)*? {6}description: (.+)$/m), limits.shortcutDescription);
    findings.within('shortcut callback id', field(/callback_id: (.+)$/m), limits.callbackId);
    expect(field(/- command: (.+)$/m)).toBe('/stylize');
    expectNone(findings);
  });

  test('the form, from the command and from a message with marked-up file names; every notice', () => {
    const findings = new Findings();
    for (const locale of LOCALES) {
      const metadata = { channel: slackChannels(1)[0] as string, locale };
      const forms = [stylizeModal(metadata, undefined, 'painting'), stylizeModal({ ...metadata, messageFiles: { content: 'F0123456789AB', style: 'F0123456789AC' } }, { content: MARKUP_FILE_NAME, style: LONG_FILE_NAME })];
      for (const form of forms) {
        for (const part of ['title', 'submit', 'close'] as const) {
          findings.within(`form ${part} (${locale})`, form[part]?.text, SLACK.modal[part]);
          findings.roomy(`form ${part} (${locale})`, form[part]?.text, SLACK.modal[part]);
        }
        findings.within(`form private_metadata (${locale})`, form.private_metadata, SLACK.modal.privateMetadata);
        checkBlocks(findings, `form (${locale})`, form.blocks, SLACK.modal.blocks);
      }
      // Nothing the bot wrote is cut: each option shows its whole description.
      const presets = (forms[0]?.blocks as BlockJson[]).find((block) => block.block_id === 'preset')?.element?.options ?? [];
      for (const option of presets) {
        const description = say('preset-description', { preset: option.value as PresetName }, locale);
        expect(option.description?.text).toBe(description);
        findings.roomy(`preset description ${option.value} (${locale})`, description, SLACK.optionDescription);
      }
      // So is each painting's name and description, with room for a longer wording.
      const paintings = (forms[0]?.blocks as BlockJson[]).find((block) => block.block_id === 'library_style')?.element?.options ?? [];
      expect(paintings).toHaveLength(STYLE_LIBRARY.length);
      for (const option of paintings) {
        const words = paintingWords(STYLE_LIBRARY.find((style) => style.id === option.value) as (typeof STYLE_LIBRARY)[number], locale);
        expect([option.text.text, option.description?.text]).toEqual([words.name, words.description]);
        findings.roomy(`painting ${option.value} (${locale})`, words.name, SLACK.optionText);
        findings.roomy(`painting description ${option.value} (${locale})`, words.description, SLACK.optionDescription);
      }
      const images = (forms[1]?.blocks as BlockJson[])[0]?.text?.text ?? '';
      expect(images).toContain('Q&amp;A &lt;draft&gt; v2.png');
      expect(images).not.toContain('<draft>');
      for (const text of [say('slack-not-a-member', {}, locale), ...PROBLEMS.map((problem) => tell(problem, locale))]) {
        const notice = noticeModal(text, locale);
        findings.within(`notice title (${locale})`, notice.title.text, SLACK.modal.title);
        checkBlocks(findings, `notice (${locale})`, notice.blocks, SLACK.modal.blocks);
      }
    }
    expectNone(findings);
  });

  test("a job's message at every stage, with no block_id kept from one update to the next", () => {
    const findings = new Findings();
    for (const locale of LOCALES) {
      for (const options of worstOptions(locale)) {
        for (const stage of worstStages()) {
          const what = `${stage.kind} ${stage.kind === 'failed' ? stage.reason.code : ''} (${locale}, ${options.preset})`;
          const message = renderJobMessage({ jobId: JOB_ID, userId: SLACK_USER, options, stage, locale, biggerSize: MAX_OUTPUT_SIZE });
          findings.within(`job message ${what}`, message.text, SLACK.text);
          checkBlocks(findings, `job message ${what}`, message.blocks, SLACK.messageBlocks);
          // Slack asks for a new block_id on each update; left out, Slack makes a fresh one each time.
          expect((message.blocks as BlockJson[]).map((block) => block.block_id).filter((id) => id !== undefined)).toEqual([]);
          const ping = endingPing({ userId: SLACK_USER, options, locale }, stage, SLACK_MARKUP);
          findings.within(`ping ${what}`, ping?.text, SLACK.text);
        }
        const details = [say('details-heading', {}, locale), ...describeSettings(options, WORST_RESULT, locale).map((line) => `• ${line}`)].join('\n');
        findings.within(`details (${locale})`, details, SLACK.text);
        findings.within(`preview comment (${locale})`, previewWords(0.99, locale).comment, SLACK.text);
        findings.within(`result comment (${locale})`, viewResult({ userId: SLACK_USER, options, locale }, WORST_RESULT, SLACK_MARKUP).greeting, SLACK.text);
      }
    }
    expectNone(findings);
  });

  test('every refusal and note, with the file name escaped', () => {
    const findings = new Findings();
    for (const locale of LOCALES) {
      for (const problem of PROBLEMS) findings.within(`${problem.code} (${locale})`, tellInMrkdwn(problem, locale), SLACK.text);
      for (const note of notes(locale, SLACK_MARKUP.mention(SLACK_USER))) findings.within(`note (${locale})`, note, SLACK.text);
    }
    const note = tellInMrkdwn({ code: 'image-not-accepted', params: { role: 'content', fileName: MARKUP_FILE_NAME } }, 'en');
    expect(note).toContain('Q&amp;A &lt;draft&gt; v2.png');
    expect(note).not.toMatch(/[<>]|&(?!amp;|lt;|gt;)/);
    expectNone(findings);
  });

  test('admin answers and the channel refusal with 100 allowed channels', () => {
    const findings = new Findings();
    for (const locale of LOCALES) {
      const channels = slackChannels(100);
      const answer = describeServerSettings(queueWith(0), 'slack', 'T', WORST_SETTINGS(channels), locale, say('admin-saved', {}, locale));
      findings.within(`settings (${locale})`, answer, SLACK.text);
      const refusal = channelRefusal({ serverSettings: () => ({ allowedChannels: channels }) }, 'T', 'C1', locale) ?? '';
      findings.within(`channel refusal (${locale})`, refusal, SLACK.text);
      expect(refusal).toContain(`<#${channels[0]}>`);
    }
    expectNone(findings);
  });

  test('/stylize help, /stylize jobs with the most jobs, and typed text echoed escaped', () => {
    const findings = new Findings();
    for (const locale of LOCALES) {
      const help = subcommandAnswer('help', queueWith(0), SLACK_USER, locale) as EphemeralAnswer;
      findings.within(`help (${locale})`, help.text, SLACK.text);
      checkBlocks(findings, `help (${locale})`, help.blocks ?? [], SLACK.messageBlocks);
      const shown = (help.blocks as BlockJson[]).map((block) => block.text?.text ?? '').join('\n\n');
      for (const style of STYLE_LIBRARY) expect(shown).toContain(paintingWords(style, locale).credit);
      for (const count of [1, 48, 49, 100]) {
        const jobs = subcommandAnswer('jobs', queueWith(count), SLACK_USER, locale) as EphemeralAnswer;
        findings.within(`jobs ${count} (${locale})`, jobs.text, SLACK.text);
        checkBlocks(findings, `jobs ${count} (${locale})`, jobs.blocks ?? [], SLACK.messageBlocks);
        const buttons = (jobs.blocks as BlockJson[]).filter((block) => block.accessory).length;
        if (buttons < count) expect(jobs.text).toContain(say('list-and-more', { count: count - buttons }, locale));
      }
      const unknown = subcommandAnswer('a&b <c>', queueWith(0), SLACK_USER, locale) as EphemeralAnswer;
      findings.within(`unknown word (${locale})`, unknown.text, SLACK.text);
      expect(unknown.text).toContain('a&amp;b &lt;c&gt;');
      expect(unknown.text).not.toContain('<c>');
    }
    expectNone(findings);
  });
});

// ---- Cutting ----------------------------------------------------------------------------------------------

describe('cutting to a limit', () => {
  test('a long text is cut between words, with "…"', () => {
    expect(cutAtWord('short', 10)).toBe('short');
    expect(cutAtWord('The texture of the style image dominates the photo', 20)).toBe('The texture of the…');
    expect(cutAtWord('スタイル画像の質感が主役になり写真は構図だけ残ります', 10)).toBe('スタイル画像の質感…');
  });

  test('a long help is split between sections, each message within the limit', () => {
    const lines = ['intro', '', 'heading', 'a'.repeat(30), 'b'.repeat(30), '', 'limits'];
    expect(pagesOf(lines, 40)).toEqual(['intro\n\nheading', 'a'.repeat(30), `${'b'.repeat(30)}\n\nlimits`]);
    expect(pagesOf(lines, 1000)).toEqual([lines.join('\n')]);
  });
});

// ---- The review's cases through the real discord.js and Bolt ------------------------------------------------

describe("Discord: the review's 100 allowed channels end to end", () => {
  const MEMBER = String(PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages | PermissionFlagsBits.AttachFiles | PermissionFlagsBits.SendMessagesInThreads);
  const ADMIN = String(BigInt(MEMBER) | PermissionFlagsBits.ManageGuild);
  let h: ScriptedHarness;
  let bot: Bot;

  beforeAll(async () => {
    h = await startScriptedHarness();
    bot = await h.startBot();
  }, 60_000);

  afterAll(async () => {
    await h?.stop();
  });

  test('the fake Discord refuses what Discord would: 2001 characters are a 400 (Invalid Form Body)', async () => {
    const response = await fetch(`${h.fake.apiUrl}/v10/channels/${h.fake.channelId}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bot ${h.fake.token}` },
      body: JSON.stringify({ content: 'x'.repeat(DISCORD.content + 1) }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { code: number }).code).toBe(50035);
    h.fake.refusedForLimits.length = 0;
  });

  test('/stylize-admin show and the refusal elsewhere reach the user, in French too', async () => {
    const { fake } = h;
    const allowed = Array.from({ length: 100 }, () => fake.addTextChannel('art'));
    await bot.queue.changeServerSettings('discord', fake.guildId, { allowedChannels: allowed });
    for (const locale of ['en-US', 'fr']) {
      const admin = fake.makeUser('boss', { locale });
      const show = fake.sendCommand({ user: admin, name: 'stylize-admin', options: [{ name: 'show', type: 1, options: [] }], permissions: ADMIN });
      const settings = await fake.waitFor(() => (replyEdits(fake, show).length > 0 ? contentOf(replyEdits(fake, show).at(-1) as RecordedCall) : undefined), 10_000, '/stylize-admin show');
      expect(settings.length).toBeLessThanOrEqual(DISCORD.content);
      expect(settings).toContain(`<#${allowed[0]}>`);
      expect(settings).toMatch(locale === 'fr' ? /et \d+ de plus/ : /and \d+ more/);

      const refused = fake.sendStylize({ user: fake.makeUser('paul', { locale }), content: { file: h.content }, style: { file: h.style }, permissions: MEMBER });
      await fake.waitFor(() => callback(fake, refused), 5000, 'the refusal');
      const refusal = ephemeralReply(fake, refused) ?? '';
      expect(refusal.length).toBeLessThanOrEqual(DISCORD.content);
      expect(refusal).toMatch(locale === 'fr' ? /et \d+ de plus/ : /and \d+ more/);
    }
    expect(fake.refusedForLimits).toEqual([]);
  });

  test('/stylize-help arrives whole and every command registers', async () => {
    const { fake } = h;
    for (const locale of ['fr', 'ja'] as const) {
      const help = fake.sendCommand({ user: fake.makeUser('reader', { locale }), name: 'stylize-help' });
      const text = await fake.waitFor(() => ephemeralReply(fake, help), 5000, 'the help');
      for (const style of STYLE_LIBRARY) expect([text, ...ephemeralFollowUps(fake, help)].join('\n')).toContain(paintingWords(style, locale).credit);
    }
    await registerCommands({ token: fake.token, applicationId: fake.applicationId, apiUrl: fake.apiUrl, attachmentHosts: [] });
    expect(fake.refusedForLimits).toEqual([]);
  });
});


describe("Slack: the review's markup cases end to end", () => {
  const ALICE = { id: 'UALICE', name: 'alice' };
  let world: SlackWorld;

  beforeAll(async () => {
    world = await startSlackWorld();
  });

  afterAll(async () => {
    await world?.close();
  });

  test('a refused file named "Q&A <draft> v2.png" is named escaped in the note', async () => {
    const picture = await makeGradientPng(32, 32, 1);
    world.addUserFile('FQA', picture, { name: MARKUP_FILE_NAME, mimetype: 'application/pdf' });
    world.addUserFile('FSTYLE', picture);
    await submitModal(world, ALICE, modalValues({}), { channel: CHANNEL, messageFiles: { content: 'FQA', style: 'FSTYLE' } });
    const note = await world.api.waitForCall('chat.postEphemeral', (args) => args.user === ALICE.id && String(args.text).includes('Q&amp;A'));
    expect(String(note.args.text)).toContain('Q&amp;A &lt;draft&gt; v2.png');
    expect(String(note.args.text)).not.toContain('<draft>');
  });

  test('the fake Slack refuses what Slack would: a section of 3001 characters is invalid_blocks', async () => {
    const client = new webApi.WebClient(BOT_TOKEN, { slackApiUrl: world.api.url, retryConfig: { retries: 0 } });
    await expect(client.chat.postMessage({ channel: CHANNEL, text: 'x', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(SLACK.sectionText + 1) } }] })).rejects.toMatchObject({ data: { error: 'invalid_blocks' } });
    world.api.refusedForLimits.length = 0;
  });

  test('"/stylize a&b <c>" is echoed as typed', async () => {
    const answer = (await slashAnswer(world, ALICE, CHANNEL, 'a&b <c>')) as { text: string };
    expect(answer.text).toContain('a&amp;b &lt;c&gt;');
    expect(world.api.refusedForLimits).toEqual([]);
  });
});
