// The JSON shapes the fake Discord sends: users, the guild, channels, messages and interactions, with the
// fields discord.js reads (API v10).
import type { HostedFile } from './attachment-host.js';
import { snowflake } from './snowflake.js';

export type Json = Record<string, unknown>;

export interface FakeUser {
  id: string;
  username: string;
  global_name: string | null;
  discriminator: string;
  avatar: null;
  bot?: boolean;
}

export function makeUser(username: string, bot = false): FakeUser {
  return { id: snowflake(), username, global_name: bot ? null : username, discriminator: '0', avatar: null, ...(bot ? { bot: true } : {}) };
}

/** Everything one could do: the bot's permissions and the guild's @everyone role. The fake checks none. */
export const ALL_PERMISSIONS = '2251799813685247';
/**
 * A member's permissions unless a test gives others: everything but Administrator, Manage Server and Manage
 * Messages, so that a member is neither an admin nor a moderator of the server.
 */
const MEMBER_PERMISSIONS = String(BigInt(ALL_PERMISSIONS) & ~(0x8n | 0x20n | 0x2000n));

export function textChannel(id: string, guildId: string, name: string): Json {
  return {
    id,
    type: 0,
    guild_id: guildId,
    name,
    position: 0,
    permission_overwrites: [],
    parent_id: null,
    nsfw: false,
    topic: null,
    last_message_id: null,
    rate_limit_per_user: 0,
    flags: 0,
  };
}

export function threadChannel(id: string, guildId: string, parentId: string, ownerId: string, name: string, autoArchive: number): Json {
  return {
    id,
    type: 11,
    guild_id: guildId,
    parent_id: parentId,
    owner_id: ownerId,
    name,
    last_message_id: null,
    rate_limit_per_user: 0,
    message_count: 0,
    member_count: 1,
    total_message_sent: 0,
    flags: 0,
    thread_metadata: { archived: false, auto_archive_duration: autoArchive, archive_timestamp: new Date().toISOString(), locked: false },
  };
}

export function guildCreate(guildId: string, ownerId: string, channels: Json[]): Json {
  return {
    id: guildId,
    name: 'Fake Guild',
    icon: null,
    splash: null,
    discovery_splash: null,
    owner_id: ownerId,
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    roles: [{ id: guildId, name: '@everyone', color: 0, hoist: false, position: 0, permissions: ALL_PERMISSIONS, managed: false, mentionable: false, flags: 0 }],
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: 0,
    application_id: null,
    system_channel_id: null,
    system_channel_flags: 0,
    rules_channel_id: null,
    vanity_url_code: null,
    description: null,
    banner: null,
    premium_tier: 0,
    preferred_locale: 'en-US',
    public_updates_channel_id: null,
    nsfw_level: 0,
    premium_progress_bar_enabled: false,
    joined_at: new Date().toISOString(),
    large: false,
    unavailable: false,
    member_count: 3,
    voice_states: [],
    members: [],
    channels,
    threads: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
  };
}

export function member(user: FakeUser, permissions = MEMBER_PERMISSIONS): Json {
  return { user, roles: [], joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0, permissions, nick: null, avatar: null };
}

/** The bot's DM channel with a user. */
export function dmChannel(id: string, recipient: FakeUser): Json {
  return { id, type: 1, last_message_id: null, recipients: [recipient], flags: 0 };
}

export interface StoredAttachment {
  id: string;
  filename: string;
  size: number;
  content_type?: string;
  url: string;
  proxy_url: string;
  /** The uploaded bytes, for tests to decode (not part of Discord's JSON). */
  data?: Buffer;
}

export interface StoredMessage {
  id: string;
  channel_id: string;
  guild_id?: string;
  author: FakeUser;
  content: string;
  components: unknown[];
  attachments: StoredAttachment[];
  flags: number;
  timestamp: string;
  edited_timestamp: string | null;
  deleted: boolean;
  hasThread: boolean;
  /** Sent with enforce_nonce: a second create with it answers this message instead of making one. */
  nonce?: string;
}

export function messageJson(message: StoredMessage): Json {
  return {
    id: message.id,
    type: 0,
    channel_id: message.channel_id,
    ...(message.guild_id ? { guild_id: message.guild_id } : {}),
    author: message.author,
    content: message.content,
    timestamp: message.timestamp,
    edited_timestamp: message.edited_timestamp,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: message.attachments.map((attachment) => ({
      id: attachment.id,
      filename: attachment.filename,
      size: attachment.size,
      url: attachment.url,
      proxy_url: attachment.proxy_url,
      ...(attachment.content_type ? { content_type: attachment.content_type } : {}),
    })),
    embeds: [],
    components: message.components,
    pinned: false,
    flags: message.flags,
  };
}

export function interactionAttachment(id: string, file: HostedFile): Json {
  return { id, filename: file.filename, size: file.size, url: file.url, proxy_url: file.url, content_type: file.contentType, ephemeral: true };
}

export interface InteractionBase {
  id: string;
  token: string;
  applicationId: string;
  guildId: string;
  channel: Json;
  user: FakeUser;
  /** The user's client language ("de", "en-US"...). */
  locale: string;
  attachmentSizeLimit: number;
  /** The bot's permissions in the channel, as Discord sends them (app_permissions); default all. */
  appPermissions?: string;
  /** The member's permissions in the channel (default: a member's, neither moderator nor admin). */
  permissions?: string;
  /** Used in the user's DM with the bot: no guild, no member. */
  dm?: boolean;
}

function base(input: InteractionBase, type: number): Json {
  if (input.dm) {
    return {
      id: input.id,
      application_id: input.applicationId,
      type,
      channel_id: input.channel['id'],
      channel: input.channel,
      user: input.user,
      token: input.token,
      version: 1,
      app_permissions: input.appPermissions ?? ALL_PERMISSIONS,
      locale: input.locale,
      entitlements: [],
      authorizing_integration_owners: { '1': input.user.id },
      context: 1,
      attachment_size_limit: input.attachmentSizeLimit,
    };
  }
  return {
    id: input.id,
    application_id: input.applicationId,
    type,
    guild_id: input.guildId,
    channel_id: input.channel['id'],
    channel: input.channel,
    member: member(input.user, input.permissions),
    token: input.token,
    version: 1,
    app_permissions: input.appPermissions ?? ALL_PERMISSIONS,
    locale: input.locale,
    guild_locale: 'en-US',
    entitlements: [],
    authorizing_integration_owners: { '0': input.guildId },
    context: 0,
    attachment_size_limit: input.attachmentSizeLimit,
  };
}

export function commandInteraction(input: InteractionBase, name: string, options: Json[], attachments: Record<string, Json>, channels: Record<string, Json> = {}): Json {
  return {
    ...base(input, 2),
    data: { id: snowflake(), name, type: 1, ...(input.dm ? {} : { guild_id: input.guildId }), options, resolved: { attachments, channels } },
  };
}

export function buttonInteraction(input: InteractionBase, customId: string, message: Json): Json {
  return { ...base(input, 3), data: { custom_id: customId, component_type: 2 }, message };
}

/** A message command (Apps → name) on `message`, which Discord sends along in resolved.messages. */
export function messageCommandInteraction(input: InteractionBase, name: string, message: Json): Json {
  const targetId = String(message['id']);
  return { ...base(input, 2), data: { id: snowflake(), name, type: 3, guild_id: input.guildId, target_id: targetId, resolved: { messages: { [targetId]: message } } } };
}

export function selectInteraction(input: InteractionBase, customId: string, values: string[], message: Json): Json {
  return { ...base(input, 3), data: { custom_id: customId, component_type: 3, values }, message };
}
