// The commands besides /stylize: /stylize-help, /stylize-jobs and the message command "Stylize" (Apps →
// Stylize on a message with images). Discord does not let a command with options have subcommands, and
// /stylize keeps its options, so help and the jobs list are commands of their own.
import { ApplicationCommandType, ContextMenuCommandBuilder, InteractionContextType, SlashCommandBuilder } from 'discord.js';
import { described } from './locale.js';

export const HELP_COMMAND_NAME = 'stylize-help';
export const JOBS_COMMAND_NAME = 'stylize-jobs';
/** A message command's name is what people see in the Apps menu. */
export const MESSAGE_COMMAND_NAME = 'Stylize';

export function buildHelpCommand(): SlashCommandBuilder {
  return described(new SlashCommandBuilder().setName(HELP_COMMAND_NAME), 'help-command-description').setContexts(InteractionContextType.Guild);
}

export function buildJobsCommand(): SlashCommandBuilder {
  return described(new SlashCommandBuilder().setName(JOBS_COMMAND_NAME), 'jobs-command-description').setContexts(InteractionContextType.Guild);
}

export function buildMessageCommand(): ContextMenuCommandBuilder {
  // Guild only, as /stylize: the result goes into a thread. A message command has a name and no
  // description; "Stylize" is the app's name in every language, so it has no localised names.
  return new ContextMenuCommandBuilder().setName(MESSAGE_COMMAND_NAME).setType(ApplicationCommandType.Message).setContexts(InteractionContextType.Guild);
}
