// Whether the bot is a member of the channel a job was asked for, checked before any file is fetched: a
// slash command and a message shortcut work in public channels the bot was never invited to, where it
// could neither post the job's message nor its thread. Direct messages with the bot need no check. It runs
// after the form is answered, so a slow answer (a rate limit the client waits out) delays only the job.
import type { webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import { slackErrorCode } from './files.js';

/** false when the bot is known not to be in the channel; true when it is, or when Slack would not say. */
export async function botIsInChannel(client: webApi.WebClient, log: Logger, channel: string): Promise<boolean> {
  if (channel.startsWith('D')) return true;
  try {
    const answer = await client.conversations.info({ channel });
    return answer.channel?.is_member !== false;
  } catch (error) {
    const code = slackErrorCode(error);
    // A private channel the bot is not in is invisible to it.
    if (code === 'channel_not_found') return false;
    // An install without the :read scopes, or a passing fault: the job's own posts tell the rest.
    log.warn({ channel, error: code }, 'could not check channel membership; going on');
    return true;
  }
}
