// What a server's settings and a member's permissions mean for /stylize and the job buttons on Discord:
// where the command may be used, the server's default options, and who moderates a job.
import { PermissionFlagsBits } from 'discord.js';
import type { ButtonInteraction, ChatInputCommandInteraction } from 'discord.js';
import type { JobInteraction } from './message-command.js';
import type { JobActor, JobOptions, ServerSettings } from '../../queue/index.js';
import { UserError } from '../../wording/index.js';
import { channelList } from '../shared/server-settings-view.js';
import { DISCORD } from '../shared/platform-limits.js';
import { localeOf } from './locale.js';
import { refusalText } from './refusal.js';

/** The one pressing a button; a moderator of the server the button is in when they have Manage Messages there. */
export function actorOf(interaction: ButtonInteraction): JobActor {
  const actor: JobActor = { platform: 'discord', userId: interaction.user.id };
  if (interaction.guildId !== null && interaction.memberPermissions?.has(PermissionFlagsBits.ManageMessages) === true) actor.moderatorOf = interaction.guildId;
  return actor;
}

/**
 * Refuses /stylize where the server's admins did not allow it, and where the user could not post a picture
 * themselves (the result must not land where they could not have put it). In a DM neither applies.
 */
export function checkPlace(interaction: ChatInputCommandInteraction | JobInteraction, settings: ServerSettings): void {
  if (!interaction.inGuild()) return;
  const allowed = settings.allowedChannels;
  if (allowed && allowed.length > 0) {
    // A thread counts as its channel.
    const parentId = interaction.channel?.isThread() === true ? interaction.channel.parentId : null;
    if (!allowed.includes(interaction.channelId) && (parentId === null || !allowed.includes(parentId))) {
      // As many of them as fit in the refusal (a server may allow a hundred channels).
      const locale = localeOf(interaction);
      const channels = channelList(allowed, DISCORD.content, locale, (list) => refusalText({ code: 'channel-not-allowed', params: { channels: list } }, locale));
      throw new UserError('channel-not-allowed', { channels });
    }
  }
  if (!interaction.memberPermissions.has(PermissionFlagsBits.AttachFiles)) throw new UserError('no-image-permission');
}

/** The server's default style ratio and size, where the command named none. */
export function withServerDefaults(interaction: ChatInputCommandInteraction, options: JobOptions, settings: ServerSettings): JobOptions {
  const chosen = { ...options };
  if (settings.defaultPreset !== undefined && interaction.options.getString('preset') === null) chosen.preset = settings.defaultPreset;
  if (settings.defaultSize !== undefined && interaction.options.getInteger('size') === null) chosen.size = settings.defaultSize;
  return chosen;
}
