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
import type { DeliveryHitch, UserProblem } from '../../wording/index.js';
import { viewResult } from '../shared/job-view.js';
import { isNetworkFailure } from '../shared/transient.js';
import { slackErrorCode } from './files.js';
import { SLACK_MARKUP } from './messages.js';

/** Where a job's picture goes: the thread of its channel message. */
export interface ResultThread {
  channel: string;
  ts: string;
}

/** The result's file name carries the job id: a retry recognises an earlier copy by it. */
function resultFileName(job: Pick<JobInfo, 'id' | 'options'>): string {
  return `stylize-${job.options.preset}-${job.id}.png`;
}

/** One try: looks for an earlier copy on a retry, uploads otherwise; throws what Slack answered. */
export async function uploadResultOnce(client: webApi.WebClient, log: Logger, thread: ResultThread, job: JobInfo, delivery: Delivery): Promise<void> {
  const filename = resultFileName(job);
  if (delivery.attempt > 1 && (await alreadyInThread(client, log, thread, filename, job.id))) return;
  const view = viewResult(job, delivery.result, SLACK_MARKUP);
  await client.files.uploadV2({
    channel_id: thread.channel,
    thread_ts: thread.ts,
    file: delivery.png,
    filename,
    title: view.title,
    // Plain: what was made and how long it took; the settings are in the job message's footer and Details.
    initial_comment: view.greeting,
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

/** Platform errors after which another try would fail the same way; the user is told what must change. */
const FINAL: Readonly<Record<string, UserProblem>> = {
  not_in_channel: { code: 'slack-not-in-channel', params: {} },
  channel_not_found: { code: 'slack-channel-not-found', params: {} },
  is_archived: { code: 'slack-channel-archived', params: {} },
  missing_scope: { code: 'slack-missing-scope', params: {} },
  not_allowed_token_type: { code: 'slack-token-type', params: {} },
  restricted_action: { code: 'slack-restricted', params: {} },
  file_too_large: { code: 'slack-upload-too-large', params: {} },
  invalid_auth: { code: 'slack-token-refused', params: {} },
  account_inactive: { code: 'slack-token-refused', params: {} },
  token_revoked: { code: 'slack-token-refused', params: {} },
};

function retry(problem: DeliveryHitch, retryAfterMs?: number): Exclude<DeliveryOutcome, { kind: 'delivered' }> {
  return retryAfterMs === undefined ? { kind: 'retry', problem } : { kind: 'retry', problem, retryAfterMs };
}

/** What a failed try means for the next one, as problems the user is told about. */
export function judgeSlackFailure(error: unknown): Exclude<DeliveryOutcome, { kind: 'delivered' }> {
  if (error instanceof webApi.WebAPIRateLimitedError) return retry({ code: 'hitch-slow-down', params: { platform: 'slack' } }, error.retryAfter * 1000);
  if (error instanceof webApi.WebAPIHTTPError) {
    const status = error.statusCode;
    if (status === 413) return { kind: 'final', reason: { code: 'slack-upload-too-large', params: {} } };
    return retry({ code: status >= 500 ? 'hitch-server-error' : 'hitch-http-error', params: { platform: 'slack', status } });
  }
  if (error instanceof webApi.WebAPIPlatformError) {
    const reason = FINAL[error.data.error];
    return reason ? { kind: 'final', reason } : retry({ code: 'hitch-platform-error', params: { platform: 'slack', detail: error.data.error } });
  }
  if (error instanceof webApi.WebAPIRequestError || isNetworkFailure(error)) return retry({ code: 'hitch-no-answer', params: { platform: 'slack' } });
  return retry({ code: 'hitch-unexpected', params: {} });
}
