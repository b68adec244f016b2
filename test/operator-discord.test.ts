// The operator endpoint of the real bot on the fake Discord (scripted engine, manual clock), turned on by its
// setting: /healthz reports the gateway connection, and /metrics counts Discord's error answers by status,
// also a 5xx that discord.js repeats by itself, which no call site of the bot ever sees.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Bot } from '../src/bot/index.js';
import { startScriptedHarness, type ScriptedHarness } from './fake-discord/harness.js';
import { contentOf, replyEdits, resultsIn } from './fake-discord/inspect.js';
import { finishAtOnce } from './fixtures/scripted-engine.js';
import { askUntil, baseUrl, health, scrape } from './fixtures/scrape.js';

let h: ScriptedHarness;
let bot: Bot;
let base: string;

beforeAll(async () => {
  h = await startScriptedHarness();
  bot = await h.startBot(undefined, { operator: { host: '127.0.0.1', port: 0 } });
  h.engine.script = finishAtOnce;
  base = baseUrl(bot.operator?.address());
}, 60_000);

afterAll(async () => {
  await h?.stop();
});

test('the setting turns it on: /healthz says Discord is connected, the engine up and the journal writable', async () => {
  expect(h.logText()).toMatch(/"msg":"operator endpoint listening on http:\/\/127\.0\.0\.1:\d+ \(\/healthz, \/metrics\)"/);
  const { status, body } = await health(base);
  expect(status).toBe(200);
  expect(body.ok).toBe(true);
  expect(Object.keys(body.checks)).toEqual(['discord', 'engine', 'journal']);
  expect(body.checks['discord']).toEqual({ ok: true, detail: expect.stringMatching(/^connected to the gateway as stylize-bot/) });
});

test("/metrics counts Discord's error answers by status: a 500 that discord.js repeats, a final 403 on the result", async () => {
  const { fake, clock } = h;
  fake.failNext({ method: 'POST', path: /^\/interactions\/\d+\/[^/]+\/callback$/ }, 500, 0, 'Internal Server Error');
  fake.fault({ method: 'POST', path: /^\/channels\/\d+\/messages$/, file: /^stylized-/ }, { status: 403, code: 50013, message: 'Missing Permissions', times: 1 });
  const job = fake.sendStylize({ user: fake.makeUser('ada'), content: { file: h.content }, style: { file: h.style }, size: 32 });
  const lastReply = (): string => contentOf(replyEdits(fake, job).at(-1) ?? { method: '', path: '', body: undefined, files: [], at: 0, status: 0 });
  await clock.advanceUntil(() => lastReply().includes('❌'), 'the final answer about the missing permission', { stepMs: 100 });
  expect(resultsIn(fake, job.originalId ?? '')).toHaveLength(0);

  const samples = await scrape(base);
  expect(samples.get('stylize_platform_api_errors_total{platform="discord",status="500"}')).toBe(1);
  expect(samples.get('stylize_platform_api_errors_total{platform="discord",status="403"}')).toBe(1);
  // The picture was made: the job counts as done; posting it is what failed.
  expect(samples.get('stylize_jobs_total{outcome="done"}')).toBe(1);
  expect(samples.get('stylize_queue_running_jobs')).toBe(0);
}, 60_000);

test('/healthz turns 503 naming Discord when the gateway closes for good', async () => {
  h.fake.closeGateway(4004);
  const down = await askUntil(() => health(base), (answer) => answer.status === 503, '/healthz to fail');
  expect(down.body.checks['discord']).toEqual({ ok: false, detail: 'gateway connection disconnected' });
  expect(down.body.checks['engine']?.ok).toBe(true);
  expect(down.body.checks['journal']?.ok).toBe(true);
}, 30_000);
