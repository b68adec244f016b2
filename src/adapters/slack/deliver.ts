// Posting a job's picture into its message's thread, once. The queue retries (see src/queue/delivery.ts);
// this module makes one try and says how it went.
//
// No duplicates. Slack has no idempotency key for uploads, and a file appears in the thread only once
// files.completeUploadExternal succeeded; its answer can still be lost (a reset connection, a 5xx from a
// proxy, the bot killed before it journals `delivered`). So from the second try on (the queue journals each
// try before making it, which holds after kill -9 as well), the bot first reads the thread with
// conversations.replies and takes a file named after the job as the delivery. The check costs one call, and
// only on a retry. When the bot may not read the thread (an install without the history scopes), it posts
// anyway: a second copy is better than none.
import { webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import type { Delivery, DeliveryOutcome, JobInfo } from '../../queue/index.js';
import { PRESETS } from '../../transfer/index.js';
import { describeSettings } from '../shared/settings.js';
import { isNetworkFailure } from '../shared/transient.js';
import { slackErrorCode } from './files.js';

/** Where a job's picture goes: the thread of its channel message. */
export interface ResultThread {
  channel: string;
  ts: string;
}

/** The result's file name carries the job id: a retry recognises an earlier copy by it. */
export function resultFileName(job: Pick<JobInfo, 'id' | 'options'>): string {
  return `stylize-${job.options.preset}-${job.id}.png`;
}

/** One try: looks for an earlier copy on a retry, uploads otherwise; throws what Slack answered. */
export async function uploadResultOnce(client: webApi.WebClient, log: Logger, thread: ResultThread, job: JobInfo, delivery: Delivery): Promise<void> {
  const filename = resultFileName(job);
  if (delivery.attempt > 1 && (await alreadyInThread(client, log, thread, filename, job.id))) return;
  await client.files.uploadV2({
    channel_id: thread.channel,
    thread_ts: thread.ts,
    file: delivery.png,
    filename,
    title: `Stylize · ${PRESETS[job.options.preset].label}`,
    initial_comment: `<@${job.userId}>, here is your painting.\n${describeSettings(job.options, delivery.result).join('\n')}`,
  });
}

async function alreadyInThread(client: webApi.WebClient, log: Logger, thread: ResultThread, filename: string, jobId: string): Promise<boolean> {
  try {
    const replies = await client.conversations.replies({ channel: thread.channel, ts: thread.ts, limit: 200 });
    return (replies.messages ?? []).some((message) => (message.files ?? []).some((file) => file.name === filename));
  } catch (error) {
    if (judgeSlackFailure(error).kind === 'retry') throw error;
    log.warn({ jobId, error: slackErrorCode(error) }, 'cannot read the thread to look for an earlier copy; posting anyway');
    return false;
  }
}

const TOO_LARGE = 'The picture is ready, but it is larger than this workspace lets me upload.';
const TOKEN_REFUSED = "The picture is ready, but Slack no longer accepts the bot's token. The bot's operator has been told.";

/** Platform errors after which another try would fail the same way, with what the user must change. */
const FINAL: Record<string, string> = {
  not_in_channel: 'The picture is ready, but I am not in this channel any more: invite me (/invite @Stylize), then run the job again.',
  channel_not_found: 'The picture is ready, but I cannot find this channel any more (deleted, or I was removed), so it could not be posted.',
  is_archived: 'The picture is ready, but this channel is archived, so it could not be posted.',
  missing_scope: 'The picture is ready, but this Slack app may not upload files (missing scope files:write). Ask an admin to reinstall it, then run the job again.',
  not_allowed_token_type: 'The picture is ready, but this Slack app may not upload files. Ask an admin to check its installation.',
  restricted_action: 'The picture is ready, but this workspace does not let me post files in this channel.',
  file_too_large: TOO_LARGE,
  invalid_auth: TOKEN_REFUSED,
  account_inactive: TOKEN_REFUSED,
  token_revoked: TOKEN_REFUSED,
};

/** What a failed try means for the next one; the wording is for the user. */
export function judgeSlackFailure(error: unknown): Exclude<DeliveryOutcome, { kind: 'delivered' }> {
  if (error instanceof webApi.WebAPIRateLimitedError) return { kind: 'retry', problem: 'Slack asked the bot to slow down', retryAfterMs: error.retryAfter * 1000 };
  if (error instanceof webApi.WebAPIHTTPError) {
    if (error.statusCode === 413) return { kind: 'final', reason: TOO_LARGE };
    return { kind: 'retry', problem: `Slack answered with an error (${error.statusCode})` };
  }
  if (error instanceof webApi.WebAPIPlatformError) {
    const reason = FINAL[error.data.error];
    return reason ? { kind: 'final', reason } : { kind: 'retry', problem: `Slack answered ${error.data.error}` };
  }
  if (error instanceof webApi.WebAPIRequestError || isNetworkFailure(error)) return { kind: 'retry', problem: 'Slack did not answer in time' };
  return { kind: 'retry', problem: 'posting the picture failed unexpectedly' };
}
