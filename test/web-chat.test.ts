// The local web chat in a real browser: Debian's Chromium (headless, through playwright-core) against the
// real bot wiring (createBot: the real queue, journal, image probe and web adapter) on the scripted
// engine. Each browser context is its own user. One launch of Chromium for the whole file.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { BotConfig } from '../src/bot/config.js';
import { createBot, type Bot } from '../src/bot/create-bot.js';
import type { WebAdapter } from '../src/adapters/web/index.js';
import { CONTENT_SECURITY_POLICY } from '../src/adapters/web/http.js';
import { DEFAULT_LIMITS } from '../src/queue/index.js';
import { localeFrom, say } from '../src/wording/index.js';
import { captureLog } from './fixtures/capture-log.js';
import { makeGradientPng } from './fixtures/images.js';
import { ManualClock } from './fixtures/manual-clock.js';
import { ScriptedEngine } from './fixtures/scripted-engine.js';
import { HAVE_CHROMIUM, launchChromium, NO_CHROMIUM_MESSAGE, type TestBrowser } from './fixtures/web-browser.js';

const MB = 1024 * 1024;

/** The little of the page's DOM the tests read inside the browser (the project's types have no DOM). */
interface PageGlobals {
  document: {
    querySelector(selector: string): { getAttribute(name: string): string | null } | null;
    activeElement: { id: string } | null;
    documentElement: { scrollWidth: number; clientWidth: number };
  };
  axe: { run(context: unknown, options: object): Promise<{ violations: Array<{ id: string; impact: string; nodes: unknown[] }> }> };
}

const AXE_SOURCE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

if (!HAVE_CHROMIUM) console.warn(NO_CHROMIUM_MESSAGE);

describe.skipIf(!HAVE_CHROMIUM)('the web chat in Chromium', () => {
  let work: string;
  let bot: Bot;
  let url: string;
  let chromium: TestBrowser;
  const engine = new ScriptedEngine();
  const clock = new ManualClock();
  const captured = captureLog();
  let photo: string;
  let styleImage: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'stylize-web-'));
    photo = join(work, 'holiday.png');
    styleImage = join(work, 'swirls.png');
    await writeFile(photo, await makeGradientPng(96, 64, 3));
    await writeFile(styleImage, await makeGradientPng(64, 64, 7));
    const config: BotConfig = {
      web: { port: 0, host: '127.0.0.1' },
      dataDir: join(work, 'data'),
      // A day's limit: every size fits on the engine's prior speed, so Bigger is always offered.
      limits: { ...DEFAULT_LIMITS, maxPendingPerUser: 3, jobTimeoutMs: 24 * 3600_000 },
      logLevel: 'debug',
    };
    bot = await createBot(config, { log: captured.log, engine, clock });
    await bot.start();
    // Ready on a known backend: waiting jobs then carry when they should start.
    engine.ready({ backend: 'wasm', defaultSize: 256, defaultIterations: 100, networkCost: 1 });
    const web = bot.adapters.find((adapter): adapter is WebAdapter => adapter.name === 'web');
    url = web?.url() ?? '';
    chromium = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await chromium?.close();
    await bot?.stop();
    await rm(work, { recursive: true, force: true });
  });

  /** What the pages said went wrong in them: script errors, and anything the Content-Security-Policy refused. */
  const pageProblems: string[] = [];

  async function openPage(context: BrowserContext): Promise<Page> {
    const page = await context.newPage();
    page.on('pageerror', (error) => pageProblems.push(`script error: ${error.message}`));
    // A refused post is logged by Chromium as a failed resource: that one is expected, the rest is not.
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) pageProblems.push(message.text());
    });
    const response = await page.goto(url);
    expect(response?.headers()['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    // The live stream is open once the page shows no connection problem and its lists are drawn.
    await page.locator('#jobs-none').waitFor();
    return page;
  }

  async function pick(page: Page, role: 'content' | 'style', file: string | { name: string; mimeType: string; buffer: Buffer }): Promise<string> {
    await page.setInputFiles(`#${role}-file`, file);
    const note = page.locator(`#${role}-note`);
    const sending = say('web-sending', {}, localeFrom(await page.locator('html').getAttribute('lang')));
    await expect.poll(() => note.textContent()).not.toBe(sending);
    return (await note.textContent()) ?? '';
  }

  const card = (page: Page, index: number) => page.locator('#cards article').nth(index);

  let alice: BrowserContext;
  let alicePage: Page;
  let firstJobId: string;

  test('an upload and a library painting: queued with a place and a start, progress with a preview, the result, then Bigger', async () => {
    alice = await chromium.newUser();
    alicePage = await openPage(alice);
    const page = alicePage;
    expect(await pick(page, 'content', photo)).toBe('Ready: holiday.png');
    expect(await pick(page, 'style', styleImage)).toBe('Ready: swirls.png');
    await page.selectOption('#preset', 'painterly');
    await page.fill('#size', '128');
    await page.click('button[type="submit"]');
    const run = await engine.nth(0);
    firstJobId = run.jobId;
    expect(run.options).toMatchObject({ preset: 'painterly', size: 128 });
    expect(run.content).toEqual({ width: 96, height: 64 });
    expect(run.style).toEqual({ width: 64, height: 64 });

    // The second job takes a painting of the library instead of the style image, and waits behind the first.
    await page.check('input[name="library"][value="starry-night"]');
    await page.fill('#size', '');
    await page.click('button[type="submit"]');
    const waiting = card(page, 0);
    await expect.poll(() => waiting.locator('.status').textContent()).toMatch(/^Queued: next in line, starts in about .+\.$/);
    expect(await waiting.locator('h3').textContent()).toBe('Painterly · The Starry Night');
    expect(await page.locator('#my-jobs li').allTextContents()).toEqual(['Running: Painterly Cancel', 'Waiting, next in line: Painterly Cancel']);

    // Progress: a bar from the share of time done, the time left, and the preview.
    const running = card(page, 1);
    run.progress(3, 10, { fraction: 0.25, etaMs: 90_000, preview: await makeGradientPng(48, 32, 5) });
    await expect.poll(() => running.locator('.status').textContent()).toBe('Painting 25% · about 1 min 30 s left');
    expect(await running.locator('progress').evaluate((bar) => (bar as unknown as { value: number }).value)).toBe(0.25);
    await expect.poll(() => running.locator('figure img').evaluate((img) => { const { complete, naturalWidth } = img as unknown as { complete: boolean; naturalWidth: number }; return complete && naturalWidth; })).toBe(48);
    expect(await running.locator('figure img').getAttribute('alt')).toBe(say('preview-alt'));

    // The result, with Discord's buttons.
    await run.finish();
    await expect.poll(() => running.locator('.status').textContent()).toBe('Done in 1 s.');
    await expect.poll(() => running.locator('figure img').evaluate((img) => { const { complete, naturalWidth } = img as unknown as { complete: boolean; naturalWidth: number }; return complete && naturalWidth; })).toBe(128);
    expect(await running.locator('.buttons button').allTextContents()).toEqual([
      say('button-more-content', { preset: 'balanced' }),
      say('button-more-style', { preset: 'painting' }),
      say('button-bigger', { size: 256 }),
      say('button-keep-colours', { keep: true }),
      say('button-brush-size', { brush: 'small' }),
      say('button-brush-size', { brush: 'large' }),
      say('button-use-as-photo'),
      say('button-use-as-style'),
      say('button-details'),
      say('button-delete'),
    ]);
    await running.locator('button[data-action="details"]').click();
    await expect.poll(() => running.locator('.details li').first().textContent()).toMatch(/^Style ratio: Painterly/);

    // The library job runs next; Bigger waits behind it at 256 px with the same settings.
    const second = await engine.nth(1);
    expect(second.options.preset).toBe('painterly');
    await running.locator('button[data-action="bigger"]').click();
    await expect.poll(() => page.locator('#cards article').count()).toBe(3);
    await expect.poll(() => card(page, 0).locator('h3').textContent()).toBe('Painterly · 256 px');
    await second.finish();
    const bigger = await engine.nth(2);
    // It goes on from the 128 px picture, the same one the card shows.
    expect(bigger.options).toMatchObject({ preset: 'painterly', size: 256, startAbove: 128 });
    expect(bigger.init?.equals(run.outcome?.kind === 'done' ? run.outcome.png : Buffer.alloc(0))).toBe(true);
    expect(bigger.content).toEqual({ width: 96, height: 64 });
    await bigger.finish();
    await expect.poll(() => card(page, 0).locator('.status').textContent()).toBe('Done in 1 s.');
  }, 120_000);

  test('Cancel in "My jobs" cancels a waiting job; a browser is held to the per-person limit', async () => {
    const page = alicePage;
    await page.click('button[type="submit"]');
    const run = await engine.nth(3);
    await page.click('button[type="submit"]');
    await expect.poll(() => page.locator('#my-jobs li').count()).toBe(2);
    await page.click('button[type="submit"]');
    await expect.poll(() => page.locator('#my-jobs li').count()).toBe(3);
    // A fourth is one more than a person may have waiting or running.
    await page.click('button[type="submit"]');
    await expect.poll(() => page.locator('#form-note').textContent()).toBe(say('user-limit', { maxPerUser: 3 }));
    await page.locator('#my-jobs li').nth(2).locator('button').click();
    await expect.poll(() => page.locator('#my-jobs li').count()).toBe(2);
    await page.locator('#my-jobs li').nth(1).locator('button').click();
    await expect.poll(() => card(page, 0).locator('.status').textContent()).toBe('Cancelled.');
    await expect.poll(() => page.locator('#my-jobs li').count()).toBe(1);
    await run.finish();
    await expect.poll(() => page.locator('#my-jobs li').count()).toBe(0);
    expect(engine.runs).toHaveLength(4);
  }, 60_000);

  test("a second browser sees none of the first one's jobs and cannot cancel or delete them; posts from elsewhere are refused", async () => {
    const bob = await chromium.newUser();
    const page = await openPage(bob);
    expect(await page.locator('#cards article').count()).toBe(0);
    const postAs = (target: Page, path: string, token: 'own' | 'none' = 'own') =>
      target.evaluate(
        async ({ path, token }) => {
          const { document } = globalThis as unknown as PageGlobals;
          const headers: Record<string, string> = token === 'own' ? { 'x-csrf-token': document.querySelector('meta[name="csrf-token"]')?.getAttribute('content') ?? '' } : {};
          const response = await fetch(path, { method: 'POST', headers, body: new URLSearchParams() });
          return { status: response.status, body: (await response.json()) as { error?: string } };
        },
        { path, token },
      );
    // Alice's job waits behind a running one of hers.
    await alicePage.click('button[type="submit"]');
    const run = await engine.nth(4);
    await alicePage.click('button[type="submit"]');
    await expect.poll(() => alicePage.locator('#my-jobs li').count()).toBe(2);
    const waitingId = (await alicePage.locator('#cards article').first().getAttribute('id'))?.replace('job-', '') ?? '';
    expect(await postAs(page, `/jobs/${waitingId}/cancel`)).toEqual({ status: 403, body: { error: say('cancel-not-owner') } });
    expect(await postAs(page, `/jobs/${firstJobId}/delete`)).toEqual({ status: 403, body: { error: say('delete-not-owner') } });
    expect(await postAs(page, `/jobs/${firstJobId}/bigger`)).toEqual({ status: 403, body: { error: say('rerun-not-owner') } });
    expect((await page.request.get(`${url}/jobs/${firstJobId}/picture.png`)).status()).toBe(404);
    // Without the page's token (another site's form or script): refused, whoever's cookie it carries.
    expect((await postAs(alicePage, `/jobs/${waitingId}/cancel`, 'none')).status).toBe(403);
    expect(await alicePage.locator('#my-jobs li').count()).toBe(2);
    await alicePage.locator('#my-jobs li').nth(1).locator('button').click();
    await run.finish();
    await expect.poll(() => alicePage.locator('#my-jobs li').count()).toBe(0);

    // Alice's own Delete removes her first picture, from the page and from the bot.
    const first = alicePage.locator(`#job-${firstJobId}`);
    await first.locator('button[data-action="delete"]').click();
    await expect.poll(() => first.count()).toBe(0);
    expect(bot.queue.get(firstJobId)).toBeUndefined();
    await bob.close();
  }, 60_000);

  test('a TIFF and a 30 MB file are refused with the catalogue\'s sentences, before the body is kept', async () => {
    const page = alicePage;
    const tiff = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#808080' } }).tiff().toBuffer();
    expect(await pick(page, 'content', { name: 'scan.tif', mimeType: 'image/tiff', buffer: tiff })).toBe(say('image-not-accepted', { role: 'content', fileName: 'scan.tif' }));
    const huge = join(work, 'huge.png');
    await writeFile(huge, Buffer.alloc(30 * MB, 1));
    expect(await pick(page, 'style', huge)).toBe(say('image-too-large', { role: 'style', fileName: 'huge.png', bytes: 30 * MB, maxBytes: 10 * MB }));
    expect(await page.locator('#style-file').getAttribute('aria-invalid')).toBe('true');
    // A PNG by name that is a TIFF inside: the queue's probe refuses it at submit, and the line is as it was.
    await pick(page, 'content', { name: 'fake.png', mimeType: 'image/png', buffer: tiff });
    await page.check('input[name="library"][value="udnie"]');
    await page.click('button[type="submit"]');
    await expect.poll(() => page.locator('#form-note').textContent()).toBe(say('image-format-refused', { role: 'content', format: 'tiff' }));
    expect(engine.runs).toHaveLength(5);
  }, 60_000);

  test('the page in German, from the browser\'s language', async () => {
    const context = await chromium.newUser({ locale: 'de-DE' });
    const page = await openPage(context);
    expect(await page.locator('html').getAttribute('lang')).toBe('de');
    expect(await page.title()).toBe(say('web-page-title', {}, 'de'));
    expect(await page.locator('label[for="content-file"]').textContent()).toBe(say('form-photo', {}, 'de'));
    expect(await page.locator('#jobs-heading').textContent()).toBe('Meine Aufträge');
    expect(await pick(page, 'content', photo)).toBe('Bereit: holiday.png');
    // The paintings by their German names.
    expect(await page.locator('label.painting:has(input[value="the-scream"]) span').textContent()).toBe('Der SchreiEdvard Munch, 1893');
    await page.check('input[name="library"][value="the-scream"]');
    await page.click('button[type="submit"]');
    const run = await engine.nth(5);
    await run.finish();
    await expect.poll(() => card(page, 0).locator('.status').textContent()).toBe(say('status-done', { seconds: 1, inThread: true }, 'de'));
    expect(await card(page, 0).locator('h3').textContent()).toContain('Der Schrei');
    expect(await card(page, 0).locator('.buttons button').first().textContent()).toBe(say('button-more-content', { preset: 'photo' }, 'de'));
    await context.close();
  }, 60_000);

  test('Use as style and More style start jobs of the owner\'s from the picture', async () => {
    const page = alicePage;
    const done = page.locator('#cards article[data-tone="done"]').first();
    const doneId = (await done.getAttribute('id'))?.replace('job-', '') ?? '';
    const before = engine.runs.length;
    await done.locator('button[data-action="use-as"][data-value="style"]').click();
    const reuse = await engine.nth(before);
    // The picture is the style image now: no library painting named, the same photo.
    expect(reuse.options.preset).toBe('painterly');
    expect(reuse.content).toEqual({ width: 96, height: 64 });
    await reuse.finish();
    await page.locator(`#job-${doneId} button[data-action="rerun"][data-value="painting"]`).click();
    const moreStyle = await engine.nth(before + 1);
    expect(moreStyle.options.preset).toBe('painting');
    await moreStyle.finish();
    await expect.poll(() => page.locator('#cards article').first().locator('h3').textContent()).toMatch(/^Mostly style/);
  }, 60_000);

  test('a painting time from the form reaches the engine as its budget, and the card shows it (issue 21)', async () => {
    const context = await chromium.newUser();
    const page = await openPage(context);
    // A day's limit caps budgets at the engine's hour: every time the chat offers fits.
    expect(await page.locator('#minutes option').allTextContents()).toEqual([say('run-time-usual'), '1 minute', '2 minutes', '5 minutes', '10 minutes']);
    await pick(page, 'content', photo);
    await pick(page, 'style', styleImage);
    await page.selectOption('#minutes', '5');
    const before = engine.runs.length;
    await page.click('button[type="submit"]');
    const run = await engine.nth(before);
    expect(run.options).toEqual({ preset: 'balanced', timeBudgetMs: 300_000 });
    await expect.poll(() => card(page, 0).locator('h3').textContent()).toBe('Balanced · 5 min');
    await run.finish();
    await context.close();
  }, 60_000);

  test('accessible: no serious axe-core violations, usable by keyboard, no sideways scrolling on a phone or at 200% zoom', async () => {
    // axe is injected into the page, which the page's own policy forbids: this context bypasses it.
    const context = await chromium.newUser({ bypassCSP: true, viewport: { width: 360, height: 740 } });
    const page = await openPage(context);
    await pick(page, 'content', photo);
    await page.check('input[name="library"][value="great-wave"]');
    const runs = engine.runs.length;
    await page.click('button[type="submit"]');
    const run = await engine.nth(runs);
    await run.finish();
    await expect.poll(() => card(page, 0).locator('.buttons button').count()).toBeGreaterThan(0);
    await page.addScriptTag({ path: AXE_SOURCE });
    const results = await page.evaluate(async () => {
      const { axe, document } = globalThis as unknown as PageGlobals;
      const report = await axe.run(document, { resultTypes: ['violations'] });
      return report.violations.map(({ id, impact, nodes }) => ({ id, impact, nodes: nodes.length }));
    });
    expect(results.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')).toEqual([]);
    // A phone's width, and a 1280 px window at 200% zoom (640 CSS px): nothing runs off the side.
    for (const width of [320, 640]) {
      await page.setViewportSize({ width, height: 740 });
      expect(await page.evaluate(() => { const { documentElement } = (globalThis as unknown as PageGlobals).document; return documentElement.scrollWidth <= documentElement.clientWidth; })).toBe(true);
    }
    // From the top of the page, the keyboard reaches the photo's field first (axe checked each control's name).
    await page.reload();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).document.activeElement?.id)).toBe('content-file');
    // The live region that announces a job's news.
    expect(await page.locator('#announcer').getAttribute('aria-live')).toBe('polite');
    await context.close();
  }, 60_000);

  test('no page had a script error or anything refused by its Content-Security-Policy', () => {
    // Over every page the tests above opened (the axe page's own policy was bypassed).
    expect(pageProblems).toEqual([]);
  });
});
