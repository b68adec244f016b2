// The web chat's HTTP guards, without a browser: what a request that is not the page's own gets. The access
// token off loopback, the Host check against DNS rebinding, posts from another origin, an image refused by
// its declared size before a byte of its body is read, a stalled body, a restart, a port already in use, and
// the reader's language. The real bot wiring on the scripted engine; test/web-chat.test.ts drives the page
// itself in Chromium.
import { request } from 'node:http';
import { createServer } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebAdapter, WebConfig } from '../src/adapters/web/index.js';
import { CONTENT_SECURITY_POLICY } from '../src/adapters/web/http.js';
import { localeOfBrowser } from '../src/adapters/web/locale.js';
import { createBot, type Bot } from '../src/bot/create-bot.js';
import { DEFAULT_LIMITS } from '../src/queue/index.js';
import { say } from '../src/wording/index.js';
import { captureLog } from './fixtures/capture-log.js';
import { makeGradientPng } from './fixtures/images.js';
import { ManualClock } from './fixtures/manual-clock.js';
import { ScriptedEngine } from './fixtures/scripted-engine.js';

const TOKEN = 'a-long-shared-secret';
let work: string;
const bots: Bot[] = [];

async function startBot(web: WebConfig, dataDir?: string, engine = new ScriptedEngine()): Promise<{ bot: Bot; url: string }> {
  const bot = await createBot({ web, dataDir: dataDir ?? (await mkdtemp(join(work, 'data-'))), limits: DEFAULT_LIMITS, logLevel: 'debug' }, { log: captureLog().log, engine, clock: new ManualClock() });
  bots.push(bot);
  await bot.start();
  return { bot, url: bot.adapters.find((adapter): adapter is WebAdapter => adapter.name === 'web')?.url() ?? '' };
}

async function startWeb(web: WebConfig): Promise<string> {
  return (await startBot(web)).url;
}

/** A browser's session as the page gives it: its cookie (new unless given) and its post token, with the Origin a post carries. */
async function session(url: string, cookie?: string): Promise<{ Cookie: string; Origin: string; 'x-csrf-token': string }> {
  const page = await fetch(url, cookie ? { headers: { Cookie: cookie } } : {});
  const token = /<meta name="csrf-token" content="([^"]+)">/.exec(await page.text())?.[1] ?? '';
  return { Cookie: cookie ?? (page.headers.get('set-cookie') ?? '').split(';')[0] ?? '', Origin: url, 'x-csrf-token': token };
}

/** Reads `read()` again until its answer passes `done`, within 10 s. */
async function waitForAsync<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${String(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The first events of the browser's live stream, up to its "My jobs" list, which comes last. */
async function firstEvents(url: string, cookie: string): Promise<string> {
  const controller = new AbortController();
  const response = await fetch(`${url}/events`, { headers: { Cookie: cookie }, signal: controller.signal });
  const reader = response.body?.getReader();
  let text = '';
  while (reader && !text.includes('event: jobs')) {
    const { value, done } = await reader.read();
    if (done) break;
    text += Buffer.from(value).toString('utf8');
  }
  controller.abort();
  return text;
}

/** A raw request: any Host header, and a body that may never come (only its headers are sent). */
function raw(url: string, options: { method?: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers ?? {} }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
        req.destroy();
      });
    });
    req.on('error', reject);
    if (options.body !== undefined) req.end(options.body);
    else req.flushHeaders();
  });
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'stylize-web-server-'));
});

afterAll(async () => {
  for (const bot of bots) await bot.stop();
  await rm(work, { recursive: true, force: true });
});

describe('the web chat with an access token', () => {
  let url: string;
  beforeAll(async () => {
    url = await startWeb({ port: 0, host: '127.0.0.1', token: TOKEN });
  });

  it('asks for the token, refuses a wrong one, and keeps a right one in an HttpOnly cookie', async () => {
    const first = await fetch(url);
    expect(first.status).toBe(401);
    expect(first.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await first.text()).toContain(say('web-token-title'));
    expect((await fetch(`${url}/events`)).status).toBe(401);

    const origin = { Origin: url, 'Content-Type': 'application/x-www-form-urlencoded' };
    const wrong = await fetch(`${url}/access`, { method: 'POST', headers: origin, body: 'token=guess', redirect: 'manual' });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain(say('web-token-wrong'));
    // From another site's page, even the right token is refused.
    const foreign = await fetch(`${url}/access`, { method: 'POST', headers: { ...origin, Origin: 'http://elsewhere.example' }, body: `token=${TOKEN}`, redirect: 'manual' });
    expect(foreign.status).toBe(403);

    const right = await fetch(`${url}/access`, { method: 'POST', headers: origin, body: `token=${TOKEN}`, redirect: 'manual' });
    expect(right.status).toBe(303);
    const cookie = right.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^stylize_access=[\w-]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
    expect(cookie).not.toContain(TOKEN);
    const page = await fetch(url, { headers: { Cookie: cookie.split(';')[0] ?? '' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form id="new-job"');
  });
});

describe('the web chat on loopback', () => {
  let url: string;
  let port: number;
  let cookie: string;
  let postToken: string;
  beforeAll(async () => {
    url = await startWeb({ port: 0, host: '127.0.0.1' });
    port = Number(new URL(url).port);
    const page = await fetch(url);
    cookie = (page.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    postToken = /<meta name="csrf-token" content="([^"]+)">/.exec(await page.text())?.[1] ?? '';
  });

  it('answers only to loopback names (DNS rebinding)', async () => {
    const rebound = await raw(url, { headers: { Host: `attacker.example:${port}` } });
    expect(rebound.status).toBe(421);
    expect(rebound.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect((await raw(url, { headers: { Host: `localhost:${port}` } })).status).toBe(200);
  });

  it('refuses posts without the same origin or without the page token', async () => {
    const post = (headers: Record<string, string>) => fetch(`${url}/jobs`, { method: 'POST', headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded', ...headers }, body: 'preset=balanced' });
    const refused = say('web-page-out-of-date');
    expect(await (await post({ Origin: url })).json()).toEqual({ error: refused });
    expect((await post({ Origin: 'http://elsewhere.example', 'x-csrf-token': postToken })).status).toBe(403);
    expect((await post({ Origin: url, 'Sec-Fetch-Site': 'cross-site', 'x-csrf-token': postToken })).status).toBe(403);
    // The page's own post gets as far as the form: here, with no photo, the form's sentence.
    const own = await post({ Origin: url, 'x-csrf-token': postToken });
    expect(own.status).toBe(400);
    expect(await own.json()).toEqual({ error: say('form-image-missing', { role: 'content' }) });
  });

  it('refuses an image over the size limit from its declared length, without waiting for its body', async () => {
    const maxBytes = DEFAULT_LIMITS.maxInputBytes;
    const bytes = 30 * 1024 * 1024;
    // Only the headers are sent: an answer proves the body was never waited for.
    const answer = await raw(`${url}/uploads/content`, {
      method: 'POST',
      headers: { Cookie: cookie, Origin: url, 'x-csrf-token': postToken, 'Content-Type': 'image/png', 'Content-Length': String(bytes), 'x-file-name': 'big.png' },
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toEqual({ error: say('image-too-large', { role: 'content', fileName: 'big.png', bytes, maxBytes }) });
    const tiff = await raw(`${url}/uploads/style`, { method: 'POST', headers: { Cookie: cookie, Origin: url, 'x-csrf-token': postToken, 'Content-Type': 'image/tiff', 'Content-Length': '4' }, body: 'II*\u0000' });
    expect(tiff.status).toBe(415);
    expect(JSON.parse(tiff.body)).toEqual({ error: say('image-not-accepted', { role: 'style' }) });
  });

  it('an image whose body stalls is answered after the time allowed, and frees its place in the intake', async () => {
    const quick = await startWeb({ port: 0, host: '127.0.0.1', uploadTimeoutMs: 300 });
    const page = await fetch(quick);
    const session = { Cookie: (page.headers.get('set-cookie') ?? '').split(';')[0] ?? '', Origin: quick, 'x-csrf-token': /<meta name="csrf-token" content="([^"]+)">/.exec(await page.text())?.[1] ?? '' };
    // Two stalled senders: as many as the bot reads at once. Each sends 10 of the 1000 bytes it announced.
    const stalled = await Promise.all(
      ['content', 'style'].map((role) => raw(`${quick}/uploads/${role}`, { method: 'POST', headers: { ...session, 'Content-Type': 'image/png', 'Content-Length': '1000' }, body: '0123456789' })),
    );
    for (const [index, role] of (['content', 'style'] as const).entries()) {
      expect(stalled[index]?.status).toBe(408);
      expect(JSON.parse(stalled[index]?.body ?? '{}')).toEqual({ error: say('download-timed-out', { role, timeoutMs: 300 }) });
    }
    const png = await makeGradientPng(8, 8, 1);
    const next = await fetch(`${quick}/uploads/content`, { method: 'POST', headers: { ...session, 'Content-Type': 'image/png' }, body: png });
    expect(next.status).toBe(200);
  });

  it('a browser keeps its jobs across a restart: they come back in line, and it may still cancel them', async () => {
    const dataDir = await mkdtemp(join(work, 'data-'));
    const engine = new ScriptedEngine();
    const first = await startBot({ port: 0, host: '127.0.0.1' }, dataDir, engine);
    const before = await session(first.url);
    const png = await makeGradientPng(16, 16, 2);
    const upload = (await (await fetch(`${first.url}/uploads/content`, { method: 'POST', headers: { ...before, 'Content-Type': 'image/png' }, body: png })).json()) as { id: string };
    const submit = async () => {
      const answer = await fetch(`${first.url}/jobs`, { method: 'POST', headers: { ...before, 'Content-Type': 'application/x-www-form-urlencoded' }, body: `photo=${upload.id}&library=udnie&preset=painting` });
      return ((await answer.json()) as { jobId: string }).jobId;
    };
    const running = await submit();
    await engine.runOf(running);
    const waiting = await submit();
    expect(first.bot.adapters[0]?.connection()).toEqual({ connected: true, detail: `serving the web chat on ${first.url}` });
    await first.bot.stop();

    // The same journal: the interrupted job runs again first (on an engine that never finishes it), the other waits.
    const second = await startBot({ port: 0, host: '127.0.0.1' }, dataDir);
    // Cookies go by host, not by port: the same browser, on the bot's new port. Its stream starts with
    // what it has now, so it is read again until the line has settled after the restart.
    const line = `event: jobs\ndata: [{"id":"${running}","text":"Running: Mostly style"},{"id":"${waiting}","text":"Waiting, next in line: Mostly style"}]`;
    const card = `"id":"${waiting}","heading":"Mostly style · Udnie","tone":"queued","status":"${say('status-queued', { position: 1, resumed: true })}"`;
    const events = await waitForAsync(() => firstEvents(second.url, before.Cookie), (text) => text.includes(line) && text.includes(card), 'the line after the restart');
    expect(events).toContain(`"id":"${running}","heading":"Mostly style · Udnie","tone":"starting"`);
    // The page from before the restart is told to reload; the reloaded page cancels.
    const stale = await fetch(`${second.url}/jobs/${waiting}/cancel`, { method: 'POST', headers: { ...before, Origin: second.url } });
    expect(await stale.json()).toEqual({ error: say('web-page-out-of-date') });
    const after = await session(second.url, before.Cookie);
    expect((await fetch(`${second.url}/jobs/${waiting}/cancel`, { method: 'POST', headers: after })).status).toBe(200);
    expect(second.bot.queue.get(waiting)?.state).toBe('cancelled');
  });

  it('a port in use stops the start with one plain sentence', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as { port: number }).port;
    try {
      await expect(startWeb({ port: taken, host: '127.0.0.1' })).rejects.toThrow(
        `The web chat cannot listen on 127.0.0.1:${taken}: the port is in use by another program. Set STYLIZE_WEB_PORT (or STYLIZE_WEB_HOST) to another value, or stop that program.`,
      );
    } finally {
      blocker.close();
    }
  });
});

describe("the reader's language, from Accept-Language", () => {
  it('is the first language by preference that the bot writes in; English otherwise', () => {
    expect(localeOfBrowser('de-DE,de;q=0.9,en;q=0.8')).toBe('de');
    expect(localeOfBrowser('pt-BR,pt;q=0.9,es-419;q=0.8,en;q=0.5')).toBe('es');
    expect(localeOfBrowser('fr;q=0.5, ja')).toBe('ja');
    expect(localeOfBrowser('de;q=0, fr;q=0.1')).toBe('fr');
    expect(localeOfBrowser('zh-CN, *;q=0.5')).toBe('en');
    expect(localeOfBrowser(undefined)).toBe('en');
  });
});
