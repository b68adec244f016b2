// The web chat end to end on the real engine: the real bot (createBot: queue, engine process on the tiny
// network, web adapter) and Debian's Chromium, from an upload to the picture in the page. The one web test
// that runs real image work; test/web-chat.test.ts runs the same page on the scripted engine.
// With STYLIZE_WEB_SCREENSHOT=<path> it also saves the finished job's card there (the README's picture:
// STYLIZE_WEB_SCREENSHOT=docs/web-chat.png npx vitest run test/web-end-to-end.test.ts).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { WebAdapter } from '../src/adapters/web/index.js';
import type { BotConfig } from '../src/bot/config.js';
import { createBot, type Bot } from '../src/bot/create-bot.js';
import { DEFAULT_LIMITS } from '../src/queue/index.js';
import { say } from '../src/wording/index.js';
import { captureLog } from './fixtures/capture-log.js';
import { makeGradientPng } from './fixtures/images.js';
import { makeTinyVggWeights } from './fixtures/tiny-vgg.js';
import { REAL_ENGINE_TIMEOUT_MS } from './fixtures/wait-for.js';
import { HAVE_CHROMIUM, launchChromium, NO_CHROMIUM_MESSAGE, type TestBrowser } from './fixtures/web-browser.js';

if (!HAVE_CHROMIUM) console.warn(NO_CHROMIUM_MESSAGE);

describe.skipIf(!HAVE_CHROMIUM)('the web chat on the real engine', () => {
  let work: string;
  let weightsDir: string;
  let bot: Bot;
  let chromium: TestBrowser;
  let url: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'stylize-web-e2e-'));
    weightsDir = await makeTinyVggWeights();
    const config: BotConfig = {
      web: { port: 0, host: '127.0.0.1' },
      weightsDir,
      dataDir: join(work, 'data'),
      backend: 'wasm',
      limits: DEFAULT_LIMITS,
      logLevel: 'debug',
    };
    bot = await createBot(config, { log: captureLog().log });
    await bot.start();
    url = bot.adapters.find((adapter): adapter is WebAdapter => adapter.name === 'web')?.url() ?? '';
    chromium = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await chromium?.close();
    await bot?.stop();
    await rm(work, { recursive: true, force: true });
    await rm(weightsDir, { recursive: true, force: true });
  });

  test('a photo dropped in the page comes back as a painting of the requested size, with its buttons', async () => {
    const photo = join(work, 'photo.png');
    await writeFile(photo, await makeGradientPng(400, 300, 5));
    const context = await chromium.newUser({ viewport: { width: 720, height: 900 } });
    const page = await context.newPage();
    await page.goto(url);
    await page.setInputFiles('#content-file', photo);
    await expect.poll(() => page.locator('#content-note').textContent()).toBe('Ready: photo.png');
    await page.check('input[name="library"][value="great-wave"]');
    await page.fill('#size', '256');
    await page.click('button[type="submit"]');

    const card = page.locator('#cards article').first();
    await expect.poll(() => card.locator('.status').textContent(), { timeout: REAL_ENGINE_TIMEOUT_MS }).toMatch(/^Done in /);
    const picture = card.locator('figure img');
    await expect.poll(() => picture.evaluate((img) => (img as unknown as { complete: boolean }).complete)).toBe(true);
    const src = (await picture.getAttribute('src')) ?? '';
    const png = Buffer.from(await (await page.request.get(new URL(src, url).href)).body());
    const meta = await sharp(png).metadata();
    expect({ format: meta.format, width: meta.width, height: meta.height }).toEqual({ format: 'png', width: 256, height: 192 });
    expect(await card.locator('h3').textContent()).toBe('Balanced · The Great Wave off Kanagawa · 256 px');
    expect(await card.locator('.buttons button').allTextContents()).toContain(say('button-bigger', { size: 384 }));
    const screenshot = process.env['STYLIZE_WEB_SCREENSHOT'];
    // A palette PNG: a small file for the README.
    if (screenshot) await sharp(await card.screenshot()).png({ palette: true, effort: 10 }).toFile(screenshot);
    await context.close();
  }, 2 * REAL_ENGINE_TIMEOUT_MS);
});
