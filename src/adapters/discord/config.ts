// Settings of the Discord adapter: what they mean, and how they are read from the environment.
import type { EnvReader } from '../../settings/env-reader.js';

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

/** Every variable of the Discord adapter: setting any of them turns the adapter on (and asks for the rest). */
const DISCORD_VARS = ['DISCORD_TOKEN', 'DISCORD_APPLICATION_ID', 'DISCORD_GUILD_ID', 'DISCORD_API_URL', 'DISCORD_ATTACHMENT_HOSTS'];

/** The adapter's settings, or undefined when none of its variables is set (or a required one is wrong). */
export function readDiscordConfig(reader: EnvReader): DiscordConfig | undefined {
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
