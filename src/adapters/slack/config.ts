// Settings of the Slack adapter: what they mean, and how they are read from the environment.
import type { EnvReader } from '../../settings/env-reader.js';

export interface SlackConfig {
  botToken: string;
  signingSecret: string;
  /** 'http' receives requests on port/host; 'socket' connects out with the app-level token. */
  mode: 'http' | 'socket';
  appToken?: string;
  /** 0 picks a free port; the adapter's address() tells which. */
  port: number;
  host?: string;
  /** Web API base, e.g. 'https://slack.com/api/'; tests point it at a fake Slack on 127.0.0.1. */
  apiUrl?: string;
  /** Hosts (URL.host, e.g. 'files.slack.com') that may receive the bot token when files are downloaded. */
  fileHosts: string[];
  /** Least time between two chat.update calls for one job message (default 3 s; chat.update is Tier 3). */
  updateIntervalMs?: number;
  /** Least time between two preview uploads into a job's thread (default 30 s; 0 posts no previews). */
  previewIntervalMs?: number;
}

export const SLACK_DEFAULTS = {
  /** Largest photo or style image file accepted, in bytes (Slack's own file_input limit); the queue's may be lower. */
  maxFileBytes: 10 * 1024 * 1024,
  /** Time allowed for one file download. */
  downloadTimeoutMs: 30_000,
  updateIntervalMs: 3_000,
  previewIntervalMs: 30_000,
} as const;

/** Every variable of the Slack adapter: setting any of them turns the adapter on (and asks for the rest). */
const SLACK_VARS = ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN', 'SLACK_SOCKET_MODE', 'SLACK_PORT', 'SLACK_HOST', 'SLACK_API_URL', 'SLACK_FILE_HOSTS'];

/** The adapter's settings, or undefined when none of its variables is set (or a required one is wrong). */
export function readSlackConfig(reader: EnvReader): SlackConfig | undefined {
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
