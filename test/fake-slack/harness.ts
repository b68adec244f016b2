// One Slack "world" for a test file: the fake Slack Web API, Slack's (fake) file host, a foreign file host,
// and the real bot (createBot with only the Slack config: real queue, real Bolt App in HTTP mode on
// 127.0.0.1) with a sender of signed requests. The bot runs its jobs on a scripted engine and reads time
// from a manual clock, which the test drives; with `engine: 'real'` (the end-to-end test) it runs the real
// engine process on the tiny VGG weights and the system clock.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp, { type Metadata } from 'sharp';
import { createBot } from '../../src/bot/index.js';
import type { Bot, BotConfig } from '../../src/bot/index.js';
import { DEFAULT_LIMITS } from '../../src/queue/index.js';
import type { QueueLimits } from '../../src/queue/index.js';
import { EVENTS_PATH } from '../../src/adapters/slack/index.js';
import type { ChatAdapter } from '../../src/adapters/types.js';
import type { SlackAdapter, SlackConfig } from '../../src/adapters/slack/index.js';
import { BLOCK, INPUT_ACTION, MODAL_CALLBACK } from '../../src/adapters/slack/ids.js';
import { captureLog, type LogLine } from '../fixtures/capture-log.js';
import { ManualClock } from '../fixtures/manual-clock.js';
import { ScriptedEngine } from '../fixtures/scripted-engine.js';
import { makeTinyVggWeights } from '../fixtures/tiny-vgg.js';
import { FakeSlackApi } from './api.js';
import type { FakeFile, RecordedCall } from './api.js';
import { waitFor } from '../fixtures/wait-for.js';
import { FakeFileHost } from '../fixtures/file-host.js';
import { SlackSender } from './requests.js';
import type { SlackUser } from './requests.js';

export const BOT_TOKEN = 'xoxb-test-bot-token-never-leaves-slack';
export const SIGNING_SECRET = 'test-signing-secret';
export const CHANNEL = 'C0CHANNEL';

export interface SlackWorld {
  api: FakeSlackApi;
  slackFiles: FakeFileHost;
  foreignFiles: FakeFileHost;
  bot: Bot;
  adapter: SlackAdapter;
  /** The scripted engine of the bot started last (each bot gets its own); unused with engine: 'real'. */
  engine: ScriptedEngine;
  /** The clock the bot reads and the fake Slack stamps calls with (clockAt); unused with engine: 'real'. */
  clock: ManualClock;
  sender: SlackSender;
  logLines: LogLine[];
  /** Stops the bot and starts a new one on the same data folder and fake Slack (a restart). */
  restart(): Promise<void>;
  /** Registers a user's upload: served by Slack's file host (or the foreign one) and known to files.info. */
  addUserFile(id: string, bytes: Buffer, options?: { mimetype?: string; name?: string; foreign?: boolean }): FakeFile;
  close(): Promise<void>;
}

export interface WorldOptions {
  slack?: Partial<SlackConfig>;
  limits?: Partial<QueueLimits>;
  /** 'scripted' (default): the scripted engine and a manual clock; 'real': the engine process, real time. */
  engine?: 'scripted' | 'real';
  /** A front-end of this cluster instead of a queue of its own (use with engine: 'real': the workers' clocks are real). */
  cluster?: BotConfig['cluster'];
}

export async function startSlackWorld(options: WorldOptions = {}): Promise<SlackWorld> {
  const scripted = options.engine !== 'real';
  const clock = new ManualClock();
  const api = await FakeSlackApi.start(scripted ? () => clock.now() : undefined);
  const slackFiles = await FakeFileHost.start();
  const foreignFiles = await FakeFileHost.start();
  const weightsDir = await makeTinyVggWeights();
  const dataDir = await mkdtemp(join(tmpdir(), 'stylize-slack-'));
  const { log, lines: logLines } = captureLog();
  const slack: SlackConfig = {
    botToken: BOT_TOKEN,
    signingSecret: SIGNING_SECRET,
    mode: 'http',
    port: 0,
    host: '127.0.0.1',
    apiUrl: api.url,
    fileHosts: [slackFiles.host],
    ...options.slack,
  };
  const config: BotConfig & { weightsDir: string } = {
    slack,
    weightsDir,
    dataDir,
    backend: 'wasm',
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    logLevel: 'debug',
    ...(options.cluster ? { cluster: options.cluster } : {}),
  };
  const startBot = async () => {
    const engine = new ScriptedEngine();
    const bot = await createBot(config, scripted ? { log, engine, clock } : { log });
    await bot.start();
    const adapter = bot.adapters.find(isSlackAdapter);
    if (!adapter) throw new Error('createBot started no Slack adapter for a Slack config');
    const address = adapter.address();
    if (!address) throw new Error('the Slack adapter did not report its HTTP address');
    return { bot, adapter, engine, sender: new SlackSender(`http://127.0.0.1:${address.port}${EVENTS_PATH}`, SIGNING_SECRET, api.responseUrlBase) };
  };
  const world: SlackWorld = {
    api,
    slackFiles,
    foreignFiles,
    ...(await startBot()),
    clock,
    logLines,
    async restart() {
      await world.bot.stop();
      Object.assign(world, await startBot());
    },
    addUserFile(id, bytes, fileOptions = {}) {
      const name = fileOptions.name ?? `${id}.png`;
      const host = fileOptions.foreign ? foreignFiles : slackFiles;
      const mimetype = fileOptions.mimetype ?? 'image/png';
      const file: FakeFile = {
        id,
        name,
        mimetype,
        filetype: name.split('.').pop() ?? 'png',
        size: bytes.length,
        url_private: host.serve(`/files-pri/T1-${id}/${name}`, bytes, mimetype),
      };
      api.addFile(file);
      return file;
    },
    async close() {
      await world.bot.stop();
      await Promise.all([api.close(), slackFiles.close(), foreignFiles.close()]);
      await rm(dataDir, { recursive: true, force: true });
      await rm(weightsDir, { recursive: true, force: true });
    },
  };
  return world;
}

/** The Slack adapter among the bot's: the one that can say where it listens. */
function isSlackAdapter(adapter: ChatAdapter): adapter is SlackAdapter {
  return adapter.name === 'slack' && 'address' in adapter;
}

export interface ModalChoices {
  preset?: string;
  size?: number;
  seed?: number;
  keepColours?: boolean;
  /** A painting of the style library, picked in the form's select. */
  libraryStyle?: string;
  /** A second style to blend in: a painting of the library (style2 is a file), its share and the brush size. */
  libraryStyle2?: string;
  blend?: string;
  brushSize?: string;
  /** The painting time, minutes as the select's value (issue 21). */
  paintingTime?: string;
}

/** view.state.values of the /stylize modal as Slack sends them on submission. */
export function modalValues(files: { content?: FakeFile; style?: FakeFile; style2?: FakeFile }, choices: ModalChoices = {}): Record<string, Record<string, unknown>> {
  const fileValue = (file: FakeFile | undefined) => ({ [INPUT_ACTION]: { type: 'file_input', files: file ? [{ ...file, url_private_download: file.url_private }] : [] } });
  const values: Record<string, Record<string, unknown>> = {
    [BLOCK.preset]: { [INPUT_ACTION]: { type: 'static_select', selected_option: { text: { type: 'plain_text', text: 'x' }, value: choices.preset ?? 'balanced' } } },
    [BLOCK.size]: { [INPUT_ACTION]: { type: 'number_input', value: choices.size === undefined ? null : String(choices.size) } },
    [BLOCK.seed]: { [INPUT_ACTION]: { type: 'number_input', value: choices.seed === undefined ? null : String(choices.seed) } },
    [BLOCK.colours]: { [INPUT_ACTION]: { type: 'checkboxes', selected_options: choices.keepColours ? [{ value: 'keep' }] : [] } },
  };
  const select = (value: string) => ({ [INPUT_ACTION]: { type: 'static_select', selected_option: { text: { type: 'plain_text', text: 'x' }, value } } });
  if (choices.libraryStyle !== undefined) values[BLOCK.libraryStyle] = select(choices.libraryStyle);
  if (choices.libraryStyle2 !== undefined) values[BLOCK.libraryStyle2] = select(choices.libraryStyle2);
  if (choices.blend !== undefined) values[BLOCK.blend] = select(choices.blend);
  if (choices.brushSize !== undefined) values[BLOCK.brushSize] = select(choices.brushSize);
  if (choices.paintingTime !== undefined) values[BLOCK.paintingTime] = select(choices.paintingTime);
  if (files.style2 !== undefined) values[BLOCK.style2] = fileValue(files.style2);
  if (files.content !== undefined || files.style !== undefined) {
    values[BLOCK.content] = fileValue(files.content);
    values[BLOCK.style] = fileValue(files.style);
  }
  return values;
}

/** Submits the /stylize modal opened in CHANNEL (the private_metadata the adapter put in the view). */
export async function submitModal(world: SlackWorld, user: SlackUser, values: Record<string, Record<string, unknown>>, metadata: Record<string, unknown> = { channel: CHANNEL }) {
  return world.sender.viewSubmission(user, { callback_id: MODAL_CALLBACK, private_metadata: JSON.stringify(metadata), values });
}

/** How many Web API calls the fake has seen: pass it to jobMessageOf to look only at later calls. */
export function callCount(world: SlackWorld): number {
  return world.api.calls.length;
}

/** The job message posted for a user after the first `after` calls: its channel and ts, once its first edit came. */
export async function jobMessageOf(world: SlackWorld, userId: string, after = 0): Promise<{ channel: string; ts: string }> {
  const post = await waitFor(
    () => world.api.calls.slice(after).find((c) => c.method === 'chat.postMessage' && c.reply?.ok === true && String(c.args.text).includes(`<@${userId}>`)),
    30_000,
    `the job message for ${userId}`,
  );
  // The message is known by the ts Slack gave it: another job's edit in the same channel may come first.
  const ts = String(post.reply?.ts);
  const index = world.api.calls.indexOf(post);
  await waitFor(() => world.api.calls.slice(index + 1).find((c) => c.method === 'chat.update' && c.args.ts === ts), 30_000, 'a first edit of the job message');
  return { channel: String(post.args.channel), ts };
}

/**
 * The text of the first note to a user after the first `after` calls: an ephemeral message Slack took, or,
 * where the bot cannot post in the channel, the direct message that stands in for it.
 */
export async function noteFor(world: SlackWorld, userId: string, after = 0): Promise<{ text: string; channel: string }> {
  const note = await waitFor(
    () =>
      world.api.calls
        .slice(after)
        .find((c) => c.reply?.ok === true && ((c.method === 'chat.postEphemeral' && c.args.user === userId) || (c.method === 'chat.postMessage' && c.args.channel === userId))),
    30_000,
    `a note to ${userId}`,
  );
  return { text: String(note.args.text), channel: String(note.args.channel) };
}

/**
 * What `/stylize <text>` answers the user: the command is acknowledged at once, and the answer posted to
 * the command's response_url.
 */
export async function slashAnswer(world: SlackWorld, user: SlackUser, channel: string, text: string): Promise<Record<string, unknown>> {
  const start = callCount(world);
  const response = await world.sender.slashCommand(user, channel, text);
  if (response.status !== 200) throw new Error(`/stylize ${text} answered HTTP ${response.status}`);
  const answer = await waitFor(() => world.api.calls.slice(start).find((call) => call.method === 'response_url'), 10_000, `the answer to /stylize ${text}`);
  return answer.args;
}

/** Every chat.update of one message, in order. */
export function updatesOf(world: SlackWorld, ts: string): RecordedCall[] {
  return world.api.callsTo('chat.update').filter((c) => c.args.ts === ts);
}

/** The value (a job id) of a button in an edit's blocks. */
export function buttonValue(call: RecordedCall, actionId: string): string | undefined {
  const blocks = (call.args.blocks ?? []) as Array<{ elements?: Array<{ action_id?: string; value?: string }> }>;
  for (const block of blocks) for (const element of block.elements ?? []) if (element.action_id === actionId) return element.value;
  return undefined;
}

/** The result posted in a job message's thread: its completeUploadExternal call and the PNG's metadata. */
export async function postedResult(world: SlackWorld, threadTs: string, timeoutMs = 30_000): Promise<{ call: RecordedCall; png: Metadata }> {
  const call = await world.api.waitForCall('files.completeUploadExternal', (a) => a.thread_ts === threadTs && String(a.initial_comment).includes('your picture is ready'), timeoutMs);
  const [uploaded] = call.args.files as Array<{ id: string }>;
  const bytes = world.api.uploads.get(uploaded?.id ?? '')?.bytes;
  if (!bytes) throw new Error(`no bytes were uploaded for the result in ${threadTs}`);
  return { call, png: await sharp(bytes).metadata() };
}

/** The job message's "Done" edit, which offers both run-again buttons. */
export async function doneEdit(world: SlackWorld, ts: string): Promise<RecordedCall> {
  return waitFor(() => updatesOf(world, ts).find((c) => String(c.args.text).includes('Done')), 10_000, 'the done edit');
}
