// The bot's settings, read from environment variables (and an optional .env file) and checked at start.
// Every problem is collected and reported at once, each line naming the variable to fix.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { DiscordConfig } from '../adapters/discord/config.js';
import type { SlackConfig } from '../adapters/slack/config.js';
import { DEFAULT_LIMITS, type QueueLimits } from '../queue/limits.js';
import { BACKEND_ORDER, type BackendName } from '../transfer/types.js';

export interface BotConfig {
  /** Present only when the Discord credentials are set. */
  discord?: DiscordConfig;
  /** Present only when the Slack credentials are set. */
  slack?: SlackConfig;
  /** Folder with model.json (STYLIZE_WEIGHTS_DIR); absent means models/weights/vgg19, fetched at first start. */
  weightsDir?: string;
  /** Journal and job images (absolute path). */
  dataDir: string;
  backend?: BackendName;
  limits: QueueLimits;
  logLevel: LogLevel;
}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** The settings are wrong or incomplete; `problems` has one plain line per variable to fix. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`The bot's configuration has ${problems.length === 1 ? 'a problem' : `${problems.length} problems`}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export type Env = Readonly<Record<string, string | undefined>>;

const DISCORD_VARS = ['DISCORD_TOKEN', 'DISCORD_APPLICATION_ID', 'DISCORD_GUILD_ID', 'DISCORD_API_URL', 'DISCORD_ATTACHMENT_HOSTS'];
const SLACK_VARS = ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN', 'SLACK_SOCKET_MODE', 'SLACK_PORT', 'SLACK_HOST', 'SLACK_API_URL', 'SLACK_FILE_HOSTS'];
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
  const discord = readDiscord(reader);
  const slack = readSlack(reader);
  const weightsDir = reader.text('STYLIZE_WEIGHTS_DIR');
  const backend = reader.oneOf('STYLIZE_BACKEND', BACKEND_ORDER);
  const limits: QueueLimits = {
    maxPendingPerUser: reader.integer('STYLIZE_MAX_JOBS_PER_USER', 1, 1000) ?? DEFAULT_LIMITS.maxPendingPerUser,
    maxQueueLength: reader.integer('STYLIZE_MAX_QUEUE_LENGTH', 1, 100_000) ?? DEFAULT_LIMITS.maxQueueLength,
    jobTimeoutMs: minutesToMs(reader.number('STYLIZE_JOB_TIMEOUT_MINUTES', 0.05, 24 * 60)) ?? DEFAULT_LIMITS.jobTimeoutMs,
    maxInputBytes: mebibytesToBytes(reader.number('STYLIZE_MAX_IMAGE_MB', 0.01, 1024)) ?? DEFAULT_LIMITS.maxInputBytes,
  };
  // Read by the engine process itself; checked here so that a bad value is reported at start, not per job.
  reader.integer('STYLIZE_WASM_THREADS', 1, 256);
  const logLevel = reader.oneOf('LOG_LEVEL', LOG_LEVELS) ?? 'info';
  const config: BotConfig = {
    dataDir: resolve(cwd, reader.text('STYLIZE_DATA_DIR') ?? 'data'),
    limits,
    logLevel,
  };
  if (discord) config.discord = discord;
  if (slack) config.slack = slack;
  if (weightsDir) config.weightsDir = resolve(cwd, weightsDir);
  if (backend) config.backend = backend;
  if (reader.problems.length > 0) throw new ConfigError(reader.problems);
  return config;
}

/** True when neither platform has any of its variables set: the bot has nothing to connect to. */
export function hasNoChatPlatform(config: BotConfig): boolean {
  return !config.discord && !config.slack;
}

function readDiscord(reader: EnvReader): DiscordConfig | undefined {
  if (!reader.anySet(DISCORD_VARS)) return undefined;
  const token = reader.required('DISCORD_TOKEN', 'the bot token from the Developer Portal, Bot page', DISCORD_VARS);
  const applicationId = reader.required('DISCORD_APPLICATION_ID', 'the Application ID from the Developer Portal, General Information page', DISCORD_VARS);
  if (applicationId !== undefined && !/^\d{15,25}$/.test(applicationId)) {
    reader.problems.push('DISCORD_APPLICATION_ID must be the numeric Application ID (a snowflake such as 1234567890123456789).');
  }
  const guildId = reader.text('DISCORD_GUILD_ID');
  if (guildId !== undefined && !/^\d{15,25}$/.test(guildId)) {
    reader.problems.push('DISCORD_GUILD_ID must be a numeric server ID (right-click the server > Copy Server ID), or be left unset.');
  }
  const apiUrl = reader.url('DISCORD_API_URL');
  const attachmentHosts = reader.hosts('DISCORD_ATTACHMENT_HOSTS') ?? ['cdn.discordapp.com', 'media.discordapp.net'];
  if (token === undefined || applicationId === undefined) return undefined;
  const config: DiscordConfig = { token, applicationId, attachmentHosts };
  if (guildId) config.guildId = guildId;
  if (apiUrl) config.apiUrl = apiUrl;
  return config;
}

function readSlack(reader: EnvReader): SlackConfig | undefined {
  if (!reader.anySet(SLACK_VARS)) return undefined;
  const socket = reader.boolean('SLACK_SOCKET_MODE') ?? false;
  const botToken = reader.required('SLACK_BOT_TOKEN', 'the Bot User OAuth Token (xoxb-...) from the app\'s OAuth & Permissions page', SLACK_VARS);
  if (botToken !== undefined && !botToken.startsWith('xoxb-')) {
    reader.problems.push('SLACK_BOT_TOKEN must be the Bot User OAuth Token, which starts with "xoxb-".');
  }
  // Socket Mode does not verify request signatures (Slack never calls us), so the secret is optional there.
  const signingSecret = socket
    ? (reader.text('SLACK_SIGNING_SECRET') ?? '')
    : reader.required('SLACK_SIGNING_SECRET', 'the Signing Secret from the app\'s Basic Information page', SLACK_VARS);
  const appToken = reader.text('SLACK_APP_TOKEN');
  if (socket && appToken === undefined) {
    reader.problems.push('SLACK_APP_TOKEN is missing: Socket Mode (SLACK_SOCKET_MODE=true) needs an app-level token (xapp-...) with the connections:write scope.');
  } else if (appToken !== undefined && !appToken.startsWith('xapp-')) {
    reader.problems.push('SLACK_APP_TOKEN must be an app-level token, which starts with "xapp-".');
  }
  const port = reader.integer('SLACK_PORT', 0, 65_535) ?? 3000;
  const host = reader.text('SLACK_HOST');
  const apiUrl = reader.url('SLACK_API_URL');
  const fileHosts = reader.hosts('SLACK_FILE_HOSTS') ?? ['files.slack.com'];
  if (botToken === undefined || signingSecret === undefined) return undefined;
  const config: SlackConfig = { botToken, signingSecret, mode: socket ? 'socket' : 'http', port, fileHosts };
  if (appToken) config.appToken = appToken;
  if (host) config.host = host;
  // The Web API client joins method names onto the base, so the base must end with a slash.
  if (apiUrl) config.apiUrl = apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`;
  return config;
}

function minutesToMs(minutes: number | undefined): number | undefined {
  return minutes === undefined ? undefined : Math.round(minutes * 60_000);
}

function mebibytesToBytes(mebibytes: number | undefined): number | undefined {
  return mebibytes === undefined ? undefined : Math.round(mebibytes * 1024 * 1024);
}

/** Reads one variable at a time and records a plain message for each bad one instead of throwing. */
class EnvReader {
  readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  /** The trimmed value, or undefined when unset or blank. */
  text(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value ? value : undefined;
  }

  anySet(names: readonly string[]): boolean {
    return names.some((name) => this.text(name) !== undefined);
  }

  required(name: string, what: string, group: readonly string[]): string | undefined {
    const value = this.text(name);
    if (value === undefined) {
      const set = group.filter((other) => this.text(other) !== undefined);
      this.problems.push(`${name} is missing: set it to ${what} (it is needed because ${set.join(', ')} ${set.length === 1 ? 'is' : 'are'} set).`);
    }
    return value;
  }

  number(name: string, min: number, max: number): number | undefined {
    return this.inRange(name, min, max, 'a number', Number.isFinite);
  }

  integer(name: string, min: number, max: number): number | undefined {
    return this.inRange(name, min, max, 'a whole number', Number.isInteger);
  }

  private inRange(name: string, min: number, max: number, kind: string, isKind: (value: number) => boolean): number | undefined {
    const raw = this.text(name);
    if (raw === undefined) return undefined;
    const value = Number(raw);
    if (!isKind(value) || value < min || value > max) {
      this.problems.push(`${name} must be ${kind} from ${min} to ${max}; it is "${raw}".`);
      return undefined;
    }
    return value;
  }

  boolean(name: string): boolean | undefined {
    const raw = this.text(name);
    if (raw === undefined) return undefined;
    if (/^(true|1|yes|on)$/i.test(raw)) return true;
    if (/^(false|0|no|off)$/i.test(raw)) return false;
    this.problems.push(`${name} must be true or false; it is "${raw}".`);
    return undefined;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[]): T | undefined {
    const raw = this.text(name);
    if (raw === undefined) return undefined;
    const value = allowed.find((option) => option === raw.toLowerCase());
    if (value === undefined) this.problems.push(`${name} must be one of ${allowed.join(', ')}; it is "${raw}".`);
    return value;
  }

  url(name: string): string | undefined {
    const raw = this.text(name);
    if (raw === undefined) return undefined;
    let parsed: URL | undefined;
    try {
      parsed = new URL(raw);
    } catch {
      parsed = undefined;
    }
    if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
      this.problems.push(`${name} must be an http(s) URL; it is "${raw}".`);
      return undefined;
    }
    return raw;
  }

  hosts(name: string): string[] | undefined {
    const raw = this.text(name);
    if (raw === undefined) return undefined;
    const hosts = raw.split(',').map((host) => host.trim().toLowerCase()).filter((host) => host.length > 0);
    const bad = hosts.filter((host) => !/^[a-z0-9.-]+(:\d{1,5})?$/.test(host));
    if (hosts.length === 0 || bad.length > 0) {
      this.problems.push(`${name} must be a comma-separated list of host names (such as cdn.example.com); ${bad.length > 0 ? `"${bad.join('", "')}" ${bad.length === 1 ? 'is' : 'are'} not` : 'it is empty'}.`);
      return undefined;
    }
    return hosts;
  }
}
