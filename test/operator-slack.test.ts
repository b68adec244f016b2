// The operator endpoint of the real bot on the fake Slack in Socket Mode: /healthz reports the socket, and
// /metrics counts the Web API's error answers, by HTTP status or, for Slack's "ok": false answers (HTTP 200),
// by error name. The counting fetch is also checked on its own against a local server answering each kind.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countingFetch } from '../src/adapters/slack/api-errors.js';
import type { PlatformApiError } from '../src/adapters/types.js';
import { createBot, type Bot } from '../src/bot/index.js';
import { DEFAULT_LIMITS } from '../src/queue/index.js';
import { FakeSlackApi } from './fake-slack/api.js';
import { BOT_TOKEN, CHANNEL } from './fake-slack/harness.js';
import { FakeSocketMode } from './fake-slack/socket-mode.js';
import { FakeFileHost } from './fixtures/file-host.js';
import { closeServer, listenLocal, localServer } from './fixtures/local-http.js';
import { ScriptedEngine } from './fixtures/scripted-engine.js';
import { askUntil, baseUrl, health, scrape } from './fixtures/scrape.js';

describe('on the fake Slack in Socket Mode', () => {
  let api: FakeSlackApi;
  let files: FakeFileHost;
  let socket: FakeSocketMode;
  let bot: Bot;
  let dataDir: string;
  let base: string;

  beforeAll(async () => {
    api = await FakeSlackApi.start();
    files = await FakeFileHost.start();
    socket = await FakeSocketMode.start();
    api.socketUrl = socket.url;
    dataDir = await mkdtemp(join(tmpdir(), 'stylize-operator-slack-'));
    bot = await createBot(
      {
        slack: { botToken: BOT_TOKEN, signingSecret: '', mode: 'socket', appToken: 'xapp-test-app-token', port: 0, apiUrl: api.url, fileHosts: [files.host] },
        dataDir,
        backend: 'wasm',
        limits: DEFAULT_LIMITS,
        operator: { host: '127.0.0.1', port: 0 },
        logLevel: 'silent',
      },
      { log: pino({ level: 'silent' }), engine: new ScriptedEngine() },
    );
    await bot.start();
    await socket.connected();
    base = baseUrl(bot.operator?.address());
  });

  afterAll(async () => {
    await bot?.stop();
    await Promise.all([api?.close(), files?.close(), socket?.close()]);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('/healthz: the Socket Mode connection is open', async () => {
    expect(await health(base)).toEqual({
      status: 200,
      body: {
        ok: true,
        checks: { slack: { ok: true, detail: 'Socket Mode connection open' }, engine: { ok: true, detail: 'scripted engine' }, journal: { ok: true, detail: 'takes writes' } },
      },
    });
  });

  it("/metrics: Slack's error answered with 200 counts by its name", async () => {
    api.failNext('views.open', 'trigger_expired');
    await socket.deliver('slash_commands', {
      command: '/stylize',
      text: '',
      user_id: 'UFRED',
      user_name: 'fred',
      channel_id: CHANNEL,
      team_id: 'T1',
      api_app_id: 'A1',
      trigger_id: 'trigger-expired-1',
      response_url: 'http://127.0.0.1:1/unused',
    });
    await api.waitForCall('views.open', (args) => args.trigger_id === 'trigger-expired-1');
    const series = 'stylize_platform_api_errors_total{platform="slack",status="trigger_expired"}';
    // The fake has answered; the answer may still be on its way back to the bot.
    const samples = await askUntil(() => scrape(base), (answer) => answer.get(series) !== undefined, 'the error to be counted');
    expect(samples.get(series)).toBe(1);
  });

  it('/healthz turns 503 naming Slack when the socket closes', async () => {
    await socket.close();
    const down = await askUntil(() => health(base), (answer) => answer.status === 503, '/healthz to fail');
    expect(down.body.checks['slack']).toEqual({ ok: false, detail: 'Socket Mode connection not open' });
  });
});

describe('the counting fetch', () => {
  it('counts non-200 answers by status and "ok": false answers by error name; nothing else, and the caller still reads the body', async () => {
    const answers: Array<[number, string, string]> = [
      [429, 'application/json', '{"ok":false,"error":"ratelimited"}'],
      [503, 'text/html', '<h1>Service Unavailable</h1>'],
      [200, 'application/json; charset=utf-8', '{"ok":false,"error":"not_in_channel"}'],
      [200, 'application/json', '{"ok":false,"error":"Not a name <script>"}'],
      [200, 'application/json', '{"ok":true,"ts":"1.2"}'],
      [200, 'text/plain', 'OK - 1234'],
    ];
    let next = 0;
    const server = localServer((_req, res) => {
      const [status, type, body] = answers[next++] ?? [500, 'text/plain', 'no more answers'];
      res.writeHead(status, { 'content-type': type }).end(body);
    });
    const port = await listenLocal(server);
    const seen: PlatformApiError[] = [];
    const slackFetch = countingFetch((error) => seen.push(error));
    try {
      const bodies: string[] = [];
      for (let i = 0; i < answers.length; i += 1) bodies.push(await (await slackFetch(`http://127.0.0.1:${port}/api/chat.postMessage`, { method: 'POST' })).text());
      expect(bodies).toEqual(answers.map(([, , body]) => body));
    } finally {
      await closeServer(server);
    }
    expect(seen.map((error) => error.status)).toEqual(['429', '503', 'not_in_channel', 'unknown_error']);
    expect(seen.every((error) => error.platform === 'slack')).toBe(true);
  });
});
