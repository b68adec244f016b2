// Registers /stylize, /stylize-help, /stylize-jobs and the message command "Stylize" with Discord (`npm run register:discord`, src/commands/register-discord.ts). In one
// guild the command appears at once, handy while testing; globally Discord may take a while to show it.
import { REST, Routes } from 'discord.js';
import type { DiscordConfig } from './config.js';
import { buildAdminCommand } from './admin.js';
import { buildStylizeCommand } from './command.js';
import { buildHelpCommand, buildJobsCommand, buildMessageCommand } from './reach-commands.js';

export interface RegisterResult {
  scope: 'guild' | 'global';
  commandNames: string[];
}

/**
 * Replaces the application's commands (in the guild, or globally) with /stylize, /stylize-help, /stylize-jobs the message command "Stylize" and /stylize-admin.
 * `jobTimeoutMs`: the bot's job time limit, which decides the painting times /stylize offers (default: the queue's default limit).
 */
export async function registerCommands(config: DiscordConfig, options: { global?: boolean; jobTimeoutMs?: number } = {}): Promise<RegisterResult> {
  const rest = new REST(config.apiUrl ? { api: config.apiUrl } : {}).setToken(config.token);
  const body = [buildStylizeCommand(options.jobTimeoutMs).toJSON(), buildHelpCommand().toJSON(), buildJobsCommand().toJSON(), buildMessageCommand().toJSON(), buildAdminCommand().toJSON()];
  const global = options.global === true || config.guildId === undefined;
  const route = global ? Routes.applicationCommands(config.applicationId) : Routes.applicationGuildCommands(config.applicationId, config.guildId ?? '');
  const saved = (await rest.put(route, { body })) as Array<{ name: string }>;
  return { scope: global ? 'global' : 'guild', commandNames: saved.map((command) => command.name) };
}
