// Turning checked inputs into a queued job: the job's message is posted first so that its channel and ts
// travel with the job (JobOwner.reply) from the start; a job the queue refuses has its message removed and
// the reason goes to the user alone.
import type { webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import type { JobInfo, JobOptions, JobOwner } from '../../queue/index.js';
import { say, UserError, type Locale } from '../../wording/index.js';
import { slackErrorCode } from './files.js';
import type { JobMessages, SlackReply } from './job-messages.js';
import { notifyUser } from './notify.js';
import { tellInMrkdwn } from './mrkdwn.js';

export interface LaunchDeps {
  client: webApi.WebClient;
  log: Logger;
  messages: JobMessages;
}

export interface LaunchRequest {
  channel: string;
  user: { id: string; name: string };
  /** The user's language: their job's messages and any refusal are written in it. */
  locale: Locale;
  /** The workspace (team id) the job is asked in: its admins moderate it and its settings apply. */
  team?: string;
  options: JobOptions;
  /** queue.submit or queue.rerun with the owner (whose reply is the new message). */
  enqueue: (owner: JobOwner) => Promise<JobInfo>;
}

export async function launchJob(deps: LaunchDeps, request: LaunchRequest): Promise<JobInfo | undefined> {
  const { user, locale } = request;
  let reply: SlackReply;
  try {
    reply = await deps.messages.post(request.channel, user.id, request.options, locale);
  } catch (error) {
    deps.log.warn({ channel: request.channel, error: slackErrorCode(error) }, 'could not post the job message');
    await notifyUser(deps.client, deps.log, request.channel, user.id, say('slack-cannot-post', {}, locale));
    return undefined;
  }
  const owner: JobOwner = { platform: 'slack', userId: user.id, userName: user.name, ...(request.team ? { server: request.team } : {}), reply: { ...reply }, locale };
  try {
    const job = await request.enqueue(owner);
    deps.log.info({ jobId: job.id, user: user.id, preset: job.options.preset }, 'Slack job queued');
    return job;
  } catch (error) {
    const refused = error instanceof UserError;
    const reason = refused ? tellInMrkdwn(error.problem, locale) : say('something-went-wrong', {}, locale);
    if (!refused) deps.log.error({ err: error }, 'queuing a Slack job failed');
    await deleteMessage(deps, reply);
    await notifyUser(deps.client, deps.log, reply.channel, user.id, reason);
    return undefined;
  }
}

async function deleteMessage(deps: LaunchDeps, reply: SlackReply): Promise<void> {
  try {
    await deps.client.chat.delete({ channel: reply.channel, ts: reply.ts });
  } catch (error) {
    deps.log.warn({ error: slackErrorCode(error) }, 'could not remove the message of a job that was not queued');
  }
}
