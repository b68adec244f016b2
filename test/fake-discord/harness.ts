// Set-up shared by the Discord tests: the fake Discord, two fake attachment hosts (the allowed one and a
// foreign one), small generated images and the real bot pointed at all of them. The bot runs its jobs on a
// scripted engine and reads time from a manual clock (startScriptedHarness), or, for the end-to-end tests,
// on the real engine process with tiny weights and the system clock (startHarness).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBot } from '../../src/bot/index.js';
import type { Bot, BotConfig, BotDeps } from '../../src/bot/index.js';
import { DEFAULT_LIMITS } from '../../src/queue/index.js';
import type { QueueLimits } from '../../src/queue/index.js';
import { captureLog } from '../fixtures/capture-log.js';
import { makeGradientPng } from '../fixtures/images.js';
import { ManualClock } from '../fixtures/manual-clock.js';
import { ScriptedEngine } from '../fixtures/scripted-engine.js';
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
  /** A larger photo (1024 x 768), for jobs whose size matters. */
  bigContent: HostedFile;
  logText: () => string;
  /** Starts a bot on `dataDir` (a fresh one by default) connected to the fake Discord; `extra` adds settings. */
  startBot(dataDir?: string, extra?: Partial<BotConfig>): Promise<Bot>;
  /** Makes a data folder that stop() removes. */
  dataDir(): Promise<string>;
  stop(): Promise<void>;
}

export interface ScriptedHarness extends Harness {
  /** The clock the bot and the fake Discord read (calls carry clockAt). */
  clock: ManualClock;
  /** The scripted engine of the bot started last (each bot gets its own, as each gets an engine process). */
  readonly engine: ScriptedEngine;
}

/** The bot on the real engine process (tiny weights) and the system clock. */
export function startHarness(options: FakeDiscordOptions = {}, limits: Partial<QueueLimits> = {}): Promise<Harness> {
  return buildHarness(options, limits, () => ({}));
}

/** The bot on a scripted engine and a manual clock, which the test drives. */
export async function startScriptedHarness(options: FakeDiscordOptions = {}, limits: Partial<QueueLimits> = {}): Promise<ScriptedHarness> {
  const clock = new ManualClock();
  let engine = new ScriptedEngine();
  const harness = await buildHarness({ ...options, clock: () => clock.now() }, limits, () => {
    engine = new ScriptedEngine();
    return { engine, clock };
  });
  return {
    ...harness,
    clock,
    get engine() {
      return engine;
    },
  };
}

async function buildHarness(options: FakeDiscordOptions, limits: Partial<QueueLimits>, seams: () => Omit<BotDeps, 'log'>): Promise<Harness> {
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

  async function dataDir(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'stylize-discord-'));
    dirs.push(dir);
    return dir;
  }

  async function startBot(dir?: string, extra: Partial<BotConfig> = {}): Promise<Bot> {
    const config: BotConfig = {
      discord: { token: fake.token, applicationId: fake.applicationId, apiUrl: fake.apiUrl, attachmentHosts: [host.host] },
      weightsDir,
      dataDir: dir ?? (await dataDir()),
      backend: 'wasm',
      limits: { ...DEFAULT_LIMITS, maxPendingPerUser: 5, ...limits },
      logLevel: 'debug',
      ...extra,
    };
    const bot = await createBot(config, { log, ...seams() });
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
    dataDir,
    async stop() {
      for (const bot of bots) await bot.stop().catch(() => undefined);
      await Promise.all([fake.stop(), host.stop(), foreignHost.stop()]);
      await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
    },
  };
}
