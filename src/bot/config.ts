// The bot's settings, read from environment variables (and an optional .env file) and checked at start.
// Each chat adapter reads its own variables (adapters/*/config.ts); this file adds the bot's and the queue's.
// Every problem is collected and reported at once, each line naming the variable to fix.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { readDiscordConfig, type DiscordConfig } from '../adapters/discord/config.js';
import { readSlackConfig, type SlackConfig } from '../adapters/slack/config.js';
import { readWebConfig, type WebConfig } from '../adapters/web/config.js';
import type { ClusterAddresses } from '../queue/cluster/cluster-setup.js';
import { DEFAULT_ENGINE_START_TIMEOUT_MS } from '../queue/engine-runner.js';
import { DEFAULT_LIMITS, type QueueLimits } from '../queue/limits.js';
import { DEFAULT_STORAGE, type StorageLimits } from '../queue/storage.js';
import { readOperatorConfig, type OperatorConfig } from '../operator/config.js';
import { EnvReader, type Env } from '../settings/env-reader.js';
import { BACKEND_ORDER, type BackendName } from '../transfer/index.js';

/** A cluster's servers and a front-end's timings (STYLIZE_LEASE_SECONDS, STYLIZE_RECONCILE_SECONDS). */
export interface ClusterSettings extends ClusterAddresses {
  leaseMs?: number;
  reconcileMs?: number;
}

export interface BotConfig {
  /** Present only when the Discord credentials are set. */
  discord?: DiscordConfig;
  /** Present only when the Slack credentials are set. */
  slack?: SlackConfig;
  /** The local web chat: on when no chat platform is configured, else only when STYLIZE_WEB_PORT is set. */
  web?: WebConfig;
  /** Folder with model.json (STYLIZE_WEIGHTS_DIR); absent means models/weights/vgg19, fetched at first start. */
  weightsDir?: string;
  /** Journal and job images (absolute path). */
  dataDir: string;
  backend?: BackendName;
  limits: QueueLimits;
  /** Free-disk floor and the cap on the jobs' images; absent means the queue's defaults. */
  storage?: StorageLimits;
  /** How long the engine process may take to load before it is killed and the job fails; absent: 5 minutes. */
  engineStartTimeoutMs?: number;
  /** The operator endpoint (/healthz, /metrics); absent means off. */
  operator?: OperatorConfig;
  logLevel: LogLevel;
  /**
   * Cluster mode (STYLIZE_DATABASE_URL, and STYLIZE_REDIS_URL for dispatch on Redis): the queue lives on those
   * servers and engine workers (`npm run worker`) run the jobs; absent, the embedded queue and engine run here.
   */
  cluster?: ClusterSettings;
}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** The settings are wrong or incomplete; `problems` has one plain line per variable to fix. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`The bot's configuration has ${problems.length === 1 ? 'a problem' : `${problems.length} problems`}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * Loads `envFile` (default `.env` in the working directory) into process.env when it exists, then parses
 * process.env. Variables already set in the environment win over the file (Node's loadEnvFile keeps them).
 */
export function loadConfig(envFile = resolve('.env')): BotConfig {
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  return parseConfig(process.env);
}

/** Parses and validates the settings; throws ConfigError listing every problem. */
export function parseConfig(env: Env, cwd = process.cwd()): BotConfig {
  const reader = new EnvReader(env);
  const discord = readDiscordConfig(reader);
  const slack = readSlackConfig(reader);
  // Any platform variable set counts (even a wrong one, reported below): the web chat then waits to be asked for.
  const web = readWebConfig(reader, !discord && !slack && reader.problems.length === 0);
  const weightsDir = reader.text('STYLIZE_WEIGHTS_DIR');
  const backend = reader.oneOf('STYLIZE_BACKEND', BACKEND_ORDER);
  const limits: QueueLimits = {
    maxPendingPerUser: reader.integer('STYLIZE_MAX_JOBS_PER_USER', 1, 1000) ?? DEFAULT_LIMITS.maxPendingPerUser,
    maxQueueLength: reader.integer('STYLIZE_MAX_QUEUE_LENGTH', 1, 100_000) ?? DEFAULT_LIMITS.maxQueueLength,
    jobTimeoutMs: minutesToMs(reader.number('STYLIZE_JOB_TIMEOUT_MINUTES', 0.05, 24 * 60)) ?? DEFAULT_LIMITS.jobTimeoutMs,
    maxInputBytes: mebibytesToBytes(reader.number('STYLIZE_MAX_IMAGE_MB', 0.01, 1024)) ?? DEFAULT_LIMITS.maxInputBytes,
    maxAttempts: reader.integer('STYLIZE_MAX_JOB_ATTEMPTS', 1, 100) ?? DEFAULT_LIMITS.maxAttempts,
  };
  const storage: StorageLimits = {
    maxDataBytes: mebibytesToBytes(reader.number('STYLIZE_MAX_DATA_MB', 1, 10_000_000)) ?? DEFAULT_STORAGE.maxDataBytes,
    minFreeBytes: mebibytesToBytes(reader.number('STYLIZE_MIN_FREE_DISK_MB', 0, 10_000_000)) ?? DEFAULT_STORAGE.minFreeBytes,
  };
  const engineStartTimeoutMs = minutesToMs(reader.number('STYLIZE_ENGINE_START_MINUTES', 0.05, 24 * 60)) ?? DEFAULT_ENGINE_START_TIMEOUT_MS;
  // Read by the engine process itself; checked here so that a bad value is reported at start, not per job.
  reader.integer('STYLIZE_WASM_THREADS', 1, 256);
  const operator = readOperatorConfig(reader);
  const logLevel = reader.oneOf('LOG_LEVEL', LOG_LEVELS) ?? 'info';
  const config: BotConfig = {
    dataDir: resolve(cwd, reader.text('STYLIZE_DATA_DIR') ?? 'data'),
    limits,
    storage,
    engineStartTimeoutMs,
    logLevel,
  };
  if (discord) config.discord = discord;
  if (slack) config.slack = slack;
  if (web) config.web = web;
  if (weightsDir) config.weightsDir = resolve(cwd, weightsDir);
  if (backend) config.backend = backend;
  if (operator) config.operator = operator;
  const databaseUrl = reader.text('STYLIZE_DATABASE_URL');
  const redisUrl = reader.text('STYLIZE_REDIS_URL');
  // How long a front-end's lease on its platforms lasts (a standby takes over once it runs out); default 15 s.
  const leaseMs = secondsToMs(reader.number('STYLIZE_LEASE_SECONDS', 1, 600));
  // How often a front-end reads every job again and hands dispatch what it lost (Redis emptied); default 10 s.
  const reconcileMs = secondsToMs(reader.number('STYLIZE_RECONCILE_SECONDS', 1, 600));
  if (databaseUrl) config.cluster = { databaseUrl, ...(redisUrl ? { redisUrl } : {}), ...(leaseMs ? { leaseMs } : {}), ...(reconcileMs ? { reconcileMs } : {}) };
  if (reader.problems.length > 0) throw new ConfigError(reader.problems);
  return config;
}

/** True when neither chat platform has its credentials set: the bot offers only the local web chat, if that. */
export function hasNoChatPlatform(config: BotConfig): boolean {
  return !config.discord && !config.slack;
}

function secondsToMs(seconds: number | undefined): number | undefined {
  return seconds === undefined ? undefined : Math.round(seconds * 1000);
}

function minutesToMs(minutes: number | undefined): number | undefined {
  return minutes === undefined ? undefined : Math.round(minutes * 60_000);
}

function mebibytesToBytes(mebibytes: number | undefined): number | undefined {
  return mebibytes === undefined ? undefined : Math.round(mebibytes * 1024 * 1024);
}
