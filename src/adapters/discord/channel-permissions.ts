// What the bot needs in the channel where a job is asked for, checked from the interaction itself
// (Discord sends the bot's permissions there as app_permissions) before anything is downloaded: a job that
// could never show its progress or post its picture is refused at once, naming exactly what is missing.
import { ChannelType, PermissionFlagsBits } from 'discord.js';
import type { BaseInteraction, PermissionsBitField } from 'discord.js';
import { say, type ChannelPermission } from '../../wording/index.js';
import { localeOf } from './locale.js';

interface Needed {
  flag: bigint;
  /** Named in the user's language as Discord's channel settings name it (the catalogue). */
  name: ChannelPermission;
  /** Needed only where the job starts a thread (not when asked inside a thread). */
  startsThread?: boolean;
}

// The invite's permissions (README, 309237746688) less Read Message History, without which the bot
// still delivers (see the README, "never twice").
const NEEDED: readonly Needed[] = [
  { flag: PermissionFlagsBits.ViewChannel, name: 'view-channel' },
  { flag: PermissionFlagsBits.SendMessages, name: 'send-messages', startsThread: true },
  { flag: PermissionFlagsBits.CreatePublicThreads, name: 'create-public-threads', startsThread: true },
  { flag: PermissionFlagsBits.SendMessagesInThreads, name: 'send-messages-in-threads' },
  { flag: PermissionFlagsBits.AttachFiles, name: 'attach-files' },
];

const THREAD_TYPES: ReadonlySet<ChannelType> = new Set([ChannelType.PublicThread, ChannelType.PrivateThread, ChannelType.AnnouncementThread]);

/** The permissions the bot lacks in this channel, in a fixed order; [] when it has them all. */
function missingChannelPermissions(appPermissions: Readonly<PermissionsBitField>, channelType: ChannelType | undefined): ChannelPermission[] {
  const inThread = channelType !== undefined && THREAD_TYPES.has(channelType);
  return NEEDED.filter((needed) => !(inThread && needed.startsThread) && !appPermissions.has(needed.flag, false)).map((needed) => needed.name);
}

/** The refusal to show, in the asker's language, when the bot lacks a permission where `interaction` was used; undefined when it has them all. */
export function permissionRefusal(interaction: {
  appPermissions: Readonly<PermissionsBitField>;
  channel: { type: ChannelType } | null;
  locale: BaseInteraction['locale'];
}): string | undefined {
  const missing = missingChannelPermissions(interaction.appPermissions, interaction.channel?.type);
  return missing.length > 0 ? say('discord-missing-channel-permissions', { missing }, localeOf(interaction)) : undefined;
}
