// `npm run register:discord [-- --global]`: registers /stylize with Discord. With DISCORD_GUILD_ID set the
// command goes to that server only (it appears at once, handy while testing); otherwise, or with --global,
// to every server the bot is in (Discord may take a while to show changes there).
import { pathToFileURL } from 'node:url';
import { REST, Routes } from 'discord.js';
import { ConfigError, loadConfig } from '../../bot/config.js';
import type { DiscordConfig } from './config.js';
import { buildStylizeCommand } from './command.js';

export interface RegisterResult {
  scope: 'guild' | 'global';
  commandNames: string[];
}

/** Replaces the application's commands (in the guild, or globally) with /stylize. */
export async function registerCommands(config: DiscordConfig, options: { global?: boolean } = {}): Promise<RegisterResult> {
  const rest = new REST(config.apiUrl ? { api: config.apiUrl } : {}).setToken(config.token);
  const body = [buildStylizeCommand().toJSON()];
  const global = options.global === true || config.guildId === undefined;
  const route = global ? Routes.applicationCommands(config.applicationId) : Routes.applicationGuildCommands(config.applicationId, config.guildId ?? '');
  const saved = (await rest.put(route, { body })) as Array<{ name: string }>;
  return { scope: global ? 'global' : 'guild', commandNames: saved.map((command) => command.name) };
}

async function main(): Promise<number> {
  let config: DiscordConfig | undefined;
  try {
    config = loadConfig().discord;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    return 1;
  }
  if (!config) {
    console.error('Set DISCORD_TOKEN and DISCORD_APPLICATION_ID (and DISCORD_GUILD_ID for one server) in the environment or in .env, then run this again.');
    return 1;
  }
  const result = await registerCommands(config, { global: process.argv.includes('--global') });
  const where = result.scope === 'guild' ? `in server ${config.guildId}` : 'globally (it can take a while to appear everywhere)';
  console.log(`Registered /${result.commandNames.join(', /')} ${where}.`);
  return 0;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      console.error(`Registering the command failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    },
  );
}
