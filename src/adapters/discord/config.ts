// Settings of the Discord adapter, parsed from the environment by src/bot/config.ts.
export interface DiscordConfig {
  token: string;
  applicationId: string;
  /** Register and answer the command in this guild only (instant updates while testing). */
  guildId?: string;
  /** REST API base, e.g. 'https://discord.com/api'; tests point it at a fake Discord on 127.0.0.1. */
  apiUrl?: string;
  /** Hosts attachments may be downloaded from (Discord's CDN by default). */
  attachmentHosts: string[];
}
