// Messages to one user, and the job message's first post, with the fallbacks Slack needs: an ephemeral
// note or a channel post fails where the bot is not in the channel, so those go to the user's DM instead.
import type { webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import { slackErrorCode } from './files.js';
import type { SlackMessage } from './messages.js';

/** Errors meaning "the bot cannot post in this channel" rather than a real failure. */
const NOT_IN_CHANNEL = new Set(['not_in_channel', 'channel_not_found', 'is_archived', 'restricted_action']);

/**
 * An ephemeral note only `userId` sees in `channel`; the DM with the bot when that is not possible. `text` is
 * mrkdwn: what users wrote goes into it escaped (mrkdwn.ts).
 */
export async function notifyUser(client: webApi.WebClient, log: Logger, channel: string, userId: string, text: string): Promise<void> {
  try {
    await client.chat.postEphemeral({ channel, user: userId, text });
    return;
  } catch (error) {
    log.info({ channel, error: slackErrorCode(error) }, 'ephemeral note failed; sending it as a direct message');
  }
  try {
    await client.chat.postMessage({ channel: userId, text });
  } catch (error) {
    log.warn({ error: slackErrorCode(error) }, 'could not tell the user');
  }
}

/** Posts a message in `channel`, or in the user's DM with the bot when the bot cannot post there. */
export async function postInChannelOrDm(
  client: webApi.WebClient,
  log: Logger,
  channel: string,
  userId: string,
  message: SlackMessage,
): Promise<{ channel: string; ts: string }> {
  try {
    return await postMessage(client, channel, message);
  } catch (error) {
    const code = slackErrorCode(error);
    if (!NOT_IN_CHANNEL.has(code)) throw error;
    log.info({ channel, error: code }, 'cannot post in the channel; using the direct message with the user');
    return postMessage(client, userId, message);
  }
}

async function postMessage(
  client: webApi.WebClient,
  channel: string,
  message: SlackMessage,
): Promise<{ channel: string; ts: string }> {
  const response = await client.chat.postMessage({ channel, text: message.text, blocks: message.blocks });
  if (!response.channel || !response.ts) throw new Error('chat.postMessage answered without channel or ts');
  return { channel: response.channel, ts: response.ts };
}
