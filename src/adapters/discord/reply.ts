// Where a Discord job answers: the ids the adapter keeps in the queue's journaled `reply` field.

export interface DiscordReply {
  /** The channel the command was used in (a text channel, or a thread for reruns from a result). */
  channelId: string;
  guildId?: string;
  /** Links the queue's first event for the job to the live interaction; useless after a restart. */
  interactionId?: string;
  /** The interaction reply (or, when that was deleted, the bot's message that starts the thread). */
  messageId?: string;
  /** Where the result and the bot's own status message go. */
  threadId?: string;
  /** The bot's status message in the thread, used once the interaction token is not. */
  statusMessageId?: string;
  /** No thread can be made where the command was used: the picture and later status go to the user's DM. */
  direct?: boolean;
  /** The result and previews are sent as spoilers. */
  spoiler?: boolean;
}

const SNOWFLAKE = /^\d{1,25}$/;
const OPTIONAL_KEYS = ['guildId', 'interactionId', 'messageId', 'threadId', 'statusMessageId'] as const;

/** Reads a journaled reply back; undefined when it does not name a channel (not written by this adapter). */
export function readDiscordReply(reply: Record<string, unknown>): DiscordReply | undefined {
  const { channelId } = reply;
  if (typeof channelId !== 'string' || !SNOWFLAKE.test(channelId)) return undefined;
  const result: DiscordReply = { channelId };
  for (const key of OPTIONAL_KEYS) {
    const value = reply[key];
    if (typeof value === 'string' && SNOWFLAKE.test(value)) result[key] = value;
  }
  if (reply['direct'] === true) result.direct = true;
  if (reply['spoiler'] === true) result.spoiler = true;
  return result;
}
