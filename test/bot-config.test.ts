// The bot's settings from the environment: what is enabled, the defaults, and one plain message per
// variable to fix.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, hasNoChatPlatform, loadConfig, parseConfig } from '../src/bot/config.js';
import { DEFAULT_ENGINE_START_TIMEOUT_MS } from '../src/queue/engine-runner.js';
import { DEFAULT_LIMITS } from '../src/queue/limits.js';
import { DEFAULT_STORAGE } from '../src/queue/storage.js';

const DISCORD = { DISCORD_TOKEN: 'token', DISCORD_APPLICATION_ID: '123456789012345678' };
const SLACK = { SLACK_BOT_TOKEN: 'xoxb-1-2-abc', SLACK_SIGNING_SECRET: 'secret' };

function problems(env: Record<string, string>): string[] {
  try {
    parseConfig(env, '/srv/stylize');
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('bot configuration', () => {
  it('with nothing set: no chat platform, the web chat on 127.0.0.1:8080, defaults for the rest', () => {
    const config = parseConfig({}, '/srv/stylize');
    expect(hasNoChatPlatform(config)).toBe(true);
    expect(config).toEqual({
      web: { port: 8080, host: '127.0.0.1' },
      dataDir: '/srv/stylize/data',
      limits: DEFAULT_LIMITS,
      storage: DEFAULT_STORAGE,
      engineStartTimeoutMs: DEFAULT_ENGINE_START_TIMEOUT_MS,
      logLevel: 'info',
    });
  });

  it('enables only the platforms whose credentials are set', () => {
    const discordOnly = parseConfig(DISCORD, '/srv/stylize');
    expect(discordOnly.discord).toEqual({ token: 'token', applicationId: '123456789012345678', attachmentHosts: ['cdn.discordapp.com', 'media.discordapp.net'] });
    expect(discordOnly.slack).toBeUndefined();
    const slackOnly = parseConfig(SLACK, '/srv/stylize');
    expect(slackOnly.discord).toBeUndefined();
    expect(slackOnly.slack).toEqual({ botToken: 'xoxb-1-2-abc', signingSecret: 'secret', mode: 'http', port: 3000, fileHosts: ['files.slack.com'] });
  });

  it('reads Socket Mode, the engine, the limits and the storage settings', () => {
    const config = parseConfig(
      {
        ...SLACK,
        SLACK_SOCKET_MODE: 'true',
        SLACK_APP_TOKEN: 'xapp-1-abc',
        STYLIZE_BACKEND: 'wasm',
        STYLIZE_WEIGHTS_DIR: 'weights',
        STYLIZE_DATA_DIR: '/var/lib/stylize',
        STYLIZE_MAX_JOBS_PER_USER: '2',
        STYLIZE_MAX_QUEUE_LENGTH: '10',
        STYLIZE_JOB_TIMEOUT_MINUTES: '5',
        STYLIZE_MAX_IMAGE_MB: '4',
        STYLIZE_MAX_JOB_ATTEMPTS: '5',
        STYLIZE_MAX_DATA_MB: '512',
        STYLIZE_MIN_FREE_DISK_MB: '50',
        STYLIZE_ENGINE_START_MINUTES: '2',
        LOG_LEVEL: 'debug',
      },
      '/srv/stylize',
    );
    expect(config.slack).toMatchObject({ mode: 'socket', appToken: 'xapp-1-abc' });
    expect(config).toMatchObject({ backend: 'wasm', weightsDir: '/srv/stylize/weights', dataDir: '/var/lib/stylize', logLevel: 'debug' });
    expect(config.limits).toEqual({ maxPendingPerUser: 2, maxQueueLength: 10, jobTimeoutMs: 300_000, maxInputBytes: 4 * 1024 * 1024, maxAttempts: 5 });
    expect(config.storage).toEqual({ maxDataBytes: 512 * 1024 * 1024, minFreeBytes: 50 * 1024 * 1024 });
    expect(config.engineStartTimeoutMs).toBe(120_000);
  });

  it('turns the operator endpoint on with a port, on 127.0.0.1 unless a host is named', () => {
    expect(parseConfig({}, '/srv/stylize').operator).toBeUndefined();
    expect(parseConfig({ STYLIZE_OPERATOR_PORT: '9464' }, '/srv/stylize').operator).toEqual({ port: 9464, host: '127.0.0.1' });
    expect(parseConfig({ STYLIZE_OPERATOR_PORT: '0', STYLIZE_OPERATOR_HOST: '0.0.0.0' }, '/srv/stylize').operator).toEqual({ port: 0, host: '0.0.0.0' });
    expect(problems({ STYLIZE_OPERATOR_HOST: '0.0.0.0' })).toEqual([expect.stringMatching(/^STYLIZE_OPERATOR_PORT is missing: .*because STYLIZE_OPERATOR_HOST is set/)]);
    expect(problems({ STYLIZE_OPERATOR_PORT: 'metrics' })).toEqual(['STYLIZE_OPERATOR_PORT must be a whole number from 0 to 65535; it is "metrics".']);
  });

  it('cluster mode from STYLIZE_DATABASE_URL, with the front-end lease of STYLIZE_LEASE_SECONDS', () => {
    const url = 'postgres://stylize@db:5432/stylize';
    expect(parseConfig({ STYLIZE_DATABASE_URL: url }, '/srv/stylize').cluster).toEqual({ databaseUrl: url });
    expect(parseConfig({ STYLIZE_DATABASE_URL: url, STYLIZE_LEASE_SECONDS: '2.5' }, '/srv/stylize').cluster).toEqual({ databaseUrl: url, leaseMs: 2500 });
    expect(problems({ STYLIZE_DATABASE_URL: url, STYLIZE_LEASE_SECONDS: '0' })).toEqual(['STYLIZE_LEASE_SECONDS must be a number from 1 to 600; it is "0".']);
    expect(parseConfig({ STYLIZE_DATABASE_URL: url, STYLIZE_RECONCILE_SECONDS: '2' }, '/srv/stylize').cluster).toEqual({ databaseUrl: url, reconcileMs: 2000 });
    expect(problems({ STYLIZE_DATABASE_URL: url, STYLIZE_RECONCILE_SECONDS: 'often' })).toEqual(['STYLIZE_RECONCILE_SECONDS must be a number from 1 to 600; it is "often".']);
  });

  it('the web chat: off beside a chat platform unless STYLIZE_WEB_PORT is set; off loopback only with a token', () => {
    expect(parseConfig(DISCORD, '/srv/stylize').web).toBeUndefined();
    expect(parseConfig({ ...SLACK, STYLIZE_WEB_PORT: '9000' }, '/srv/stylize').web).toEqual({ port: 9000, host: '127.0.0.1' });
    expect(parseConfig({ STYLIZE_WEB_PORT: '0', STYLIZE_WEB_HOST: '::1' }, '/srv/stylize').web).toEqual({ port: 0, host: '::1' });
    expect(problems({ STYLIZE_WEB_HOST: '0.0.0.0' })).toEqual([
      'STYLIZE_WEB_TOKEN is missing: the web chat listens on 0.0.0.0, which other machines can reach, so it needs a shared secret (any long random text) that each browser types once.',
    ]);
    expect(problems({ STYLIZE_WEB_HOST: '0.0.0.0', STYLIZE_WEB_TOKEN: 'short' })).toEqual(['STYLIZE_WEB_TOKEN is too short: use at least 12 characters (a long random text is best).']);
    expect(parseConfig({ STYLIZE_WEB_HOST: '0.0.0.0', STYLIZE_WEB_TOKEN: 'a-long-shared-secret' }, '/srv/stylize').web).toEqual({ port: 8080, host: '0.0.0.0', token: 'a-long-shared-secret' });
    expect(problems({ STYLIZE_WEB_PORT: 'eighty' })).toEqual(['STYLIZE_WEB_PORT must be a whole number from 0 to 65535; it is "eighty".']);
  });

  it('names every missing or wrong variable at once', () => {
    expect(problems({ DISCORD_TOKEN: 'token' })).toEqual([expect.stringMatching(/^DISCORD_APPLICATION_ID is missing: .*because DISCORD_TOKEN is set/)]);
    const many = problems({
      ...DISCORD,
      DISCORD_GUILD_ID: 'my server',
      SLACK_BOT_TOKEN: 'xoxp-user-token',
      SLACK_PORT: 'eighty',
      STYLIZE_BACKEND: 'gpu',
      STYLIZE_MAX_IMAGE_MB: '-1',
      STYLIZE_MAX_DATA_MB: '0',
      SLACK_FILE_HOSTS: 'files.slack.com, https://evil/',
      STYLIZE_WASM_THREADS: 'all',
    });
    expect(many.map((line) => line.split(' ')[0])).toEqual(['DISCORD_GUILD_ID', 'SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_PORT', 'SLACK_FILE_HOSTS', 'STYLIZE_BACKEND', 'STYLIZE_MAX_IMAGE_MB', 'STYLIZE_MAX_DATA_MB', 'STYLIZE_WASM_THREADS']);
    // Secrets are never echoed back in the messages.
    expect(many.join('\n')).not.toContain('xoxp-user-token');
    expect(problems({ ...SLACK, SLACK_SOCKET_MODE: 'yes' })).toEqual([expect.stringMatching(/^SLACK_APP_TOKEN is missing: Socket Mode/)]);
  });

  describe('with a .env file', () => {
    const saved = { ...process.env };
    let dir: string | undefined;
    beforeEach(() => {
      // The machine's own bot settings must not leak into these tests.
      for (const name of Object.keys(process.env)) if (/^(DISCORD_|SLACK_|STYLIZE_|LOG_LEVEL)/.test(name)) delete process.env[name];
    });
    afterEach(async () => {
      // loadConfig writes into process.env: put it back as it was.
      for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
      Object.assign(process.env, saved);
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('reads the file, and a variable already in the environment wins over it', async () => {
      dir = await mkdtemp(join(tmpdir(), 'stylize-env-'));
      const file = join(dir, '.env');
      await writeFile(file, '# Slack, HTTP mode\nSLACK_BOT_TOKEN="xoxb-from-file"\nSLACK_SIGNING_SECRET=file-secret\nSLACK_PORT=3100\nLOG_LEVEL=debug\n');
      process.env['SLACK_PORT'] = '3200';
      const config = loadConfig(file);
      expect(config.slack).toMatchObject({ botToken: 'xoxb-from-file', signingSecret: 'file-secret', port: 3200 });
      expect(config.logLevel).toBe('debug');
      expect(config.discord).toBeUndefined();
    });

    it('is optional', () => {
      expect(() => loadConfig(join(tmpdir(), 'no-such-folder', '.env'))).not.toThrow();
    });
  });
});
