// Whether the bot is a member of the channel a job was asked for, checked before any file is fetched: a
// slash command and a message shortcut work in public channels the bot was never invited to, where it
// could neither post the job's message nor its thread. Direct messages with the bot need no check.
import type { webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import type { Clock } from '../../queue/index.js';
import { slackErrorCode } from './files.js';

/**
 * The form's answer is due within Slack's 3 s, and the images get 2 s of them: an answer slower than this
 * (a rate limit the client waits out) counts as "could not check".
 */
const CHECK_BUDGET_MS = 700;

/** false when the bot is known not to be in the channel; true when it is, or when Slack would not say in time. */
export async function botIsInChannel(client: webApi.WebClient, log: Logger, clock: Clock, channel: string): Promise<boolean> {
  if (channel.startsWith('D')) return true;
  let cancel = (): void => undefined;
  const late = new Promise<'late'>((resolve) => (cancel = clock.setTimeout(() => resolve('late'), CHECK_BUDGET_MS)));
  try {
    const answer = await Promise.race([client.conversations.info({ channel }), late]);
    if (answer === 'late') {
      log.warn({ channel }, 'channel membership check took too long; going on');
      return true;
    }
    return answer.channel?.is_member !== false;
  } catch (error) {
    const code = slackErrorCode(error);
    // A private channel the bot is not in is invisible to it.
    if (code === 'channel_not_found') return false;
    // An install without the :read scopes, or a passing fault: the job's own posts tell the rest.
    log.warn({ channel, error: code }, 'could not check channel membership; going on');
    return true;
  } finally {
    cancel();
  }
}
