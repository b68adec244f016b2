// Socket Mode: the same bot, chosen by configuration, connects out (apps.connections.open with the app-level
// token, then a WebSocket) instead of listening; commands and forms arrive as envelopes and are acked by id.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createBot } from '../src/bot/index.js';
import type { Bot } from '../src/bot/index.js';
import { DEFAULT_LIMITS } from '../src/queue/index.js';
import { BLOCK, MODAL_CALLBACK } from '../src/adapters/slack/ids.js';
import { FakeSlackApi } from './fake-slack/api.js';
import { FakeFileHost } from './fixtures/file-host.js';
import { FakeSocketMode } from './fake-slack/socket-mode.js';
import { BOT_TOKEN, CHANNEL, modalValues } from './fake-slack/harness.js';
import { ScriptedEngine } from './fixtures/scripted-engine.js';

const APP_TOKEN = 'xapp-test-app-token';
const FRED = { id: 'UFRED', name: 'fred' };

let api: FakeSlackApi;
let files: FakeFileHost;
let socket: FakeSocketMode;
let bot: Bot;
let dataDir: string;

beforeAll(async () => {
  api = await FakeSlackApi.start();
  files = await FakeFileHost.start();
  socket = await FakeSocketMode.start();
  api.socketUrl = socket.url;
  dataDir = await mkdtemp(join(tmpdir(), 'stylize-slack-socket-'));
  bot = await createBot(
    {
      slack: { botToken: BOT_TOKEN, signingSecret: '', mode: 'socket', appToken: APP_TOKEN, port: 0, apiUrl: api.url, fileHosts: [files.host] },
      dataDir,
      backend: 'wasm',
      limits: DEFAULT_LIMITS,
      logLevel: 'silent',
    },
    // No job runs here: the scripted engine stands in for the engine process.
    { log: pino({ level: 'silent' }), engine: new ScriptedEngine() },
  );
  await bot.start();
  await socket.connected();
});

afterAll(async () => {
  await bot?.stop();
  await Promise.all([api?.close(), files?.close(), socket?.close()]);
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

it('connects with the app-level token and answers /stylize over the socket', async () => {
  const open = api.callsTo('apps.connections.open');
  expect(open).toHaveLength(1);
  expect(open[0]?.authorization).toBe(`Bearer ${APP_TOKEN}`);

  const ack = await socket.deliver('slash_commands', {
    command: '/stylize',
    text: '',
    user_id: FRED.id,
    user_name: FRED.name,
    channel_id: CHANNEL,
    team_id: 'T1',
    api_app_id: 'A1',
    trigger_id: 'trigger-socket-1',
    response_url: 'http://127.0.0.1:1/unused',
  });
  expect(ack.envelope_id).toBe('envelope-1');
  const views = await api.waitForCall('views.open');
  expect(views.args.trigger_id).toBe('trigger-socket-1');
  expect(views.authorization).toBe(`Bearer ${BOT_TOKEN}`);
});

it('sends field errors back in the ack of a view submission', async () => {
  const ack = await socket.deliver('interactive', {
    type: 'view_submission',
    team: { id: 'T1', domain: 'example' },
    user: { id: FRED.id, name: FRED.name },
    api_app_id: 'A1',
    trigger_id: 'trigger-socket-2',
    view: { id: 'V1', type: 'modal', callback_id: MODAL_CALLBACK, private_metadata: JSON.stringify({ channel: CHANNEL }), state: { values: modalValues({}) } },
  });
  expect(ack.payload).toMatchObject({ response_action: 'errors', errors: { [BLOCK.content]: 'The photo is missing. Please add one picture.' } });
});
