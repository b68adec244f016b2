// Settings of the Slack adapter, parsed from the environment by src/bot/config.ts.
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
  /** Largest content or style file accepted, in bytes (default 10 MiB, Slack's own file_input limit). */
  maxFileBytes?: number;
  /** Time allowed for one file download (default 30 s). */
  downloadTimeoutMs?: number;
  /** Least time between two chat.update calls for one job message (default 3 s; chat.update is Tier 3). */
  updateIntervalMs?: number;
  /** Least time between two preview uploads into a job's thread (default 30 s; 0 posts no previews). */
  previewIntervalMs?: number;
}

export const SLACK_DEFAULTS = {
  maxFileBytes: 10 * 1024 * 1024,
  downloadTimeoutMs: 30_000,
  updateIntervalMs: 3_000,
  previewIntervalMs: 30_000,
} as const;
