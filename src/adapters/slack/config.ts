// Settings of the Slack adapter, parsed from the environment by src/bot/config.ts.
export interface SlackConfig {
  botToken: string;
  signingSecret: string;
  /** 'http' receives requests on port/host; 'socket' connects out with the app-level token. */
  mode: 'http' | 'socket';
  appToken?: string;
  port: number;
  host?: string;
  /** Web API base, e.g. 'https://slack.com/api/'; tests point it at a fake Slack on 127.0.0.1. */
  apiUrl?: string;
  /** Hosts that may receive the bot token when files are downloaded (Slack's file host by default). */
  fileHosts: string[];
}
