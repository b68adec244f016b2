// /stylize-admin: a server's own settings for the bot (src/queue/server-settings.ts). Discord shows the
// command to members with Manage Server by default; since a server may hand it to others in its
// integration settings, the bot checks Manage Server itself too. Every answer is ephemeral.
import { InteractionContextType, MessageFlags, PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import type { ChatInputCommandInteraction } from 'discord.js';
import type { Logger } from 'pino';
import { PRESETS, type PresetName } from '../../transfer/index.js';
import type { StylizeQueue, ServerSettings, ServerSettingsChange } from '../../queue/index.js';
import { say, type AdminCommandPart } from '../../wording/index.js';
import { MAX_SIZE, MIN_SIZE } from '../shared/options.js';
import { isPresetName } from '../shared/presets.js';
import { described, localeOf, localizations } from './locale.js';
import { describeServerSettings } from '../shared/server-settings-view.js';

export const ADMIN_COMMAND_NAME = 'stylize-admin';

/** The most a server may set a limit to; the bot-wide limits cap it again when jobs are counted. */
const MAX_LIMIT = 1000;


/**
 * A subcommand's or option's name, and its name in every other language: interactions carry the English
 * name (the one this file reads), Discord shows each member the name in their language.
 */
function named<B extends { setName(name: string): B; setNameLocalizations(names: Record<string, string>): B }>(builder: B, part: AdminCommandPart): B {
  return builder.setName(part).setNameLocalizations(localizations((locale) => say('admin-name', { part }, locale)));
}

export function buildAdminCommand(): SlashCommandBuilder {
  const command = described(new SlashCommandBuilder().setName(ADMIN_COMMAND_NAME), 'admin-command-description')
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
    .setContexts(InteractionContextType.Guild);
  command
    .addSubcommand((sub) => described(named(sub, 'show'), 'admin-show-description'))
    .addSubcommand((sub) =>
      described(named(sub, 'set'), 'admin-set-description')
        .addStringOption((option) =>
          described(named(option, 'default_preset'), 'admin-option-default-preset')
            .addChoices(...(Object.keys(PRESETS) as PresetName[]).map((preset) => ({
              name: say('preset-label', { preset }),
              name_localizations: localizations((locale) => say('preset-label', { preset }, locale)),
              value: preset,
            }))),
        )
        .addIntegerOption((option) => described(named(option, 'default_size'), 'admin-option-default-size').setMinValue(MIN_SIZE).setMaxValue(MAX_SIZE))
        .addIntegerOption((option) => described(named(option, 'user_limit'), 'admin-option-user-limit').setMinValue(1).setMaxValue(MAX_LIMIT))
        .addIntegerOption((option) => described(named(option, 'server_limit'), 'admin-option-server-limit').setMinValue(1).setMaxValue(MAX_LIMIT))
        .addBooleanOption((option) => described(named(option, 'reset'), 'admin-option-reset')),
    )
    .addSubcommand((sub) => described(named(sub, 'pause'), 'admin-pause-description'))
    .addSubcommand((sub) => described(named(sub, 'resume'), 'admin-resume-description'))
    .addSubcommand((sub) => described(named(sub, 'clear'), 'admin-clear-description'))
    .addSubcommand((sub) =>
      described(named(sub, 'channels'), 'admin-channels-description')
        .addChannelOption((option) => described(named(option, 'allow'), 'admin-option-allow'))
        .addChannelOption((option) => described(named(option, 'disallow'), 'admin-option-disallow'))
        .addBooleanOption((option) => described(named(option, 'everywhere'), 'admin-option-everywhere')),
    );
  return command;
}

/** What `/stylize-admin set` asks to change; undefined when it names nothing. */
function setChange(interaction: ChatInputCommandInteraction): ServerSettingsChange | undefined {
  const { options } = interaction;
  const change: ServerSettingsChange = {};
  if (options.getBoolean('reset') === true) Object.assign(change, { defaultPreset: null, defaultSize: null, maxJobsPerUser: null, maxJobsPerServer: null });
  const preset = options.getString('default_preset');
  if (preset !== null && isPresetName(preset)) change.defaultPreset = preset;
  const size = options.getInteger('default_size');
  if (size !== null) change.defaultSize = size;
  const perUser = options.getInteger('user_limit');
  if (perUser !== null) change.maxJobsPerUser = perUser;
  const perServer = options.getInteger('server_limit');
  if (perServer !== null) change.maxJobsPerServer = perServer;
  return Object.keys(change).length > 0 ? change : undefined;
}

/** What `/stylize-admin channels` asks to change; undefined when it names nothing. */
function channelsChange(interaction: ChatInputCommandInteraction, current: ServerSettings): ServerSettingsChange | undefined {
  const { options } = interaction;
  if (options.getBoolean('everywhere') === true) return { allowedChannels: null };
  const allow = options.getChannel('allow')?.id;
  const disallow = options.getChannel('disallow')?.id;
  if (allow === undefined && disallow === undefined) return undefined;
  const channels = new Set(current.allowedChannels ?? []);
  if (allow !== undefined) channels.add(allow);
  if (disallow !== undefined) channels.delete(disallow);
  return { allowedChannels: channels.size > 0 ? [...channels] : null };
}

export async function answerAdmin(interaction: ChatInputCommandInteraction, queue: StylizeQueue, log: Logger): Promise<void> {
  const locale = localeOf(interaction);
  if (!interaction.inGuild()) {
    await interaction.reply({ content: `⚠️ ${say('admin-server-only', {}, locale)}`, flags: MessageFlags.Ephemeral });
    return;
  }
  if (!interaction.memberPermissions.has(PermissionFlagsBits.ManageGuild)) {
    await interaction.reply({ content: `⚠️ ${say('admin-only', {}, locale)}`, flags: MessageFlags.Ephemeral });
    return;
  }
  const server = interaction.guildId;
  const subcommand = interaction.options.getSubcommand();
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const current = queue.serverSettings('discord', server);
  let content: string;
  if (subcommand === 'pause' || subcommand === 'resume') {
    const settings = await queue.changeServerSettings('discord', server, { paused: subcommand === 'pause' ? true : null });
    content = describeServerSettings(queue, 'discord', server, settings, locale, say(subcommand === 'pause' ? 'admin-paused' : 'admin-resumed', {}, locale));
  } else if (subcommand === 'clear') {
    const count = await queue.clearServer('discord', server, { platform: 'discord', userId: interaction.user.id });
    content = say('admin-cleared', { count }, locale);
  } else if (subcommand === 'set' || subcommand === 'channels') {
    const change = subcommand === 'set' ? setChange(interaction) : channelsChange(interaction, current);
    if (change) {
      const settings = await queue.changeServerSettings('discord', server, change);
      content = describeServerSettings(queue, 'discord', server, settings, locale, say('admin-saved', {}, locale));
    } else {
      content = say('admin-nothing-to-change', {}, locale);
    }
  } else {
    content = describeServerSettings(queue, 'discord', server, current, locale);
  }
  log.info({ guildId: server, userId: interaction.user.id, subcommand }, '/stylize-admin');
  await interaction.editReply({ content, allowedMentions: { parse: [] } });
}
