// Set-up shared by the Discord tests: the fake Discord, two fake attachment hosts (the allowed one and a
// foreign one), tiny real weights, small generated images and the real bot pointed at all of them.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBot } from '../../src/bot/index.js';
import type { Bot, BotConfig } from '../../src/bot/index.js';
import { DEFAULT_LIMITS } from '../../src/queue/index.js';
import type { QueueLimits } from '../../src/queue/index.js';
import { captureLog } from '../fixtures/capture-log.js';
import { makeGradientPng } from '../fixtures/images.js';
import { makeTinyVggWeights } from '../fixtures/tiny-vgg.js';
import { FakeAttachmentHost } from './attachment-host.js';
import type { HostedFile } from './attachment-host.js';
import { FakeDiscord } from './server.js';
import type { FakeDiscordOptions } from './server.js';

export interface Harness {
  fake: FakeDiscord;
  host: FakeAttachmentHost;
  foreignHost: FakeAttachmentHost;
  weightsDir: string;
  content: HostedFile;
  style: HostedFile;
  /** A larger photo for jobs that must run for a few seconds (size up to 1024). */
  bigContent: HostedFile;
  logText: () => string;
  /** Starts a bot on `dataDir` (a fresh one by default) connected to the fake Discord. */
  startBot(dataDir?: string): Promise<Bot>;
  stop(): Promise<void>;
}

export async function startHarness(options: FakeDiscordOptions = {}, limits: Partial<QueueLimits> = {}): Promise<Harness> {
  const fake = await new FakeDiscord(options).start();
  const host = await FakeAttachmentHost.start();
  const foreignHost = await FakeAttachmentHost.start();
  const weightsDir = await makeTinyVggWeights();
  const content = host.add('photo.png', await makeGradientPng(48, 40, 3), 'image/png');
  const style = host.add('painting.png', await makeGradientPng(40, 40, 7), 'image/png');
  const bigContent = host.add('big-photo.png', await makeGradientPng(1024, 768, 5), 'image/png');
  const { log, text } = captureLog();
  const bots: Bot[] = [];
  const dirs: string[] = [weightsDir];

  async function startBot(dataDir?: string): Promise<Bot> {
    const dir = dataDir ?? (await mkdtemp(join(tmpdir(), 'stylize-discord-')));
    if (!dataDir) dirs.push(dir);
    const config: BotConfig = {
      discord: { token: fake.token, applicationId: fake.applicationId, apiUrl: fake.apiUrl, attachmentHosts: [host.host] },
      weightsDir,
      dataDir: dir,
      backend: 'wasm',
      limits: { ...DEFAULT_LIMITS, maxPendingPerUser: 5, ...limits },
      logLevel: 'debug',
    };
    const bot = await createBot(config, { log });
    bots.push(bot);
    await bot.start();
    return bot;
  }

  return {
    fake,
    host,
    foreignHost,
    weightsDir,
    content,
    style,
    bigContent,
    logText: text,
    startBot,
    async stop() {
      for (const bot of bots) await bot.stop().catch(() => undefined);
      await Promise.all([fake.stop(), host.stop(), foreignHost.stop()]);
      await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
    },
  };
}
