// Posting a job's picture into its thread, once. The queue retries (see src/queue/delivery.ts); this module
// makes one try and says how it went.
//
// No duplicates. Two guards, because the answer to an upload can be lost after Discord made the message
// (a reset connection, a 5xx from a proxy, or the bot killed before it journals `delivered`):
// - the message carries a nonce derived from the job id with enforce_nonce: Discord then answers a repeated
//   create within a few minutes with the message it already made instead of a second one;
// - from the second try on (the queue journals each try before making it, so this holds after kill -9 as
//   well), the bot first reads the thread's latest messages and takes its own message whose attachment is
//   named after the job as the delivery: the thread belongs to the job, so its last 50 messages hold it.
// The read costs one call, and only on a retry; the nonce alone would not cover a restart after its window.
import { DiscordAPIError, HTTPError, MessagePayload, RESTJSONErrorCodes, RateLimitError, Routes } from 'discord.js';
import type { APIMessage, REST, SendableChannels } from 'discord.js';
import type { Delivery, DeliveryOutcome, JobInfo } from '../../queue/index.js';
import { isNetworkFailure } from '../shared/transient.js';
import { renderResult, resultFileName } from './render.js';

/** How far back a retry looks for an earlier copy of the picture. */
const LOOK_BACK = 50;

export interface ResultPost {
  /** A REST client that neither waits on 429s nor retries 5xx by itself: the queue's retries own the timing. */
  rest: REST;
  /** The job's thread. */
  target: SendableChannels;
  botUserId: string;
  job: JobInfo;
  delivery: Delivery;
  /** The size the result's Bigger button offers (none: no button). */
  biggerSize?: number;
}

/** One try: looks for an earlier copy on a retry, posts otherwise; throws what Discord answered. */
export async function postResultOnce(post: ResultPost): Promise<void> {
  const { rest, target, botUserId, job, delivery, biggerSize } = post;
  if (delivery.attempt > 1 && (await alreadyInThread(rest, target.id, botUserId, resultFileName(job)))) return;
  const payload = MessagePayload.create(target, { ...renderResult(job, delivery.result, delivery.png, biggerSize === undefined ? {} : { biggerSize }), nonce: nonceOf(job.id), enforceNonce: true });
  const { body, files } = await payload.resolveBody().resolveFiles();
  await rest.post(Routes.channelMessages(target.id), { body, files: files ?? [] });
}

/**
 * Whether the bot's own message with this attachment is among the thread's latest. Without Read Message
 * History it cannot tell and says no: the nonce still guards the first minutes, and a second copy is
 * better than none.
 */
async function alreadyInThread(rest: REST, threadId: string, botUserId: string, fileName: string): Promise<boolean> {
  let recent: APIMessage[];
  try {
    recent = (await rest.get(Routes.channelMessages(threadId), { query: new URLSearchParams({ limit: String(LOOK_BACK) }) })) as APIMessage[];
  } catch (error) {
    if (error instanceof DiscordAPIError && error.status === 403) return false;
    throw error;
  }
  return recent.some((message) => message.author.id === botUserId && message.attachments.some((file) => file.filename === fileName));
}

/** Discord takes nonces of up to 25 characters; job ids are 15. */
function nonceOf(jobId: string): string {
  return `r${jobId}`.slice(0, 25);
}

const SLOW_DOWN = { code: 'hitch-slow-down', params: { platform: 'discord' } } as const;

/** What a failed try means for the next one, as problems the user is told about. */
export function judgeDiscordFailure(error: unknown, pngBytes: number): Exclude<DeliveryOutcome, { kind: 'delivered' }> {
  if (error instanceof RateLimitError) return { kind: 'retry', problem: SLOW_DOWN, retryAfterMs: error.retryAfter };
  const status = error instanceof DiscordAPIError || error instanceof HTTPError ? error.status : undefined;
  const code = error instanceof DiscordAPIError ? error.code : undefined;
  if (code === RESTJSONErrorCodes.MissingPermissions) return { kind: 'final', reason: { code: 'discord-missing-permissions', params: {} } };
  if (code === RESTJSONErrorCodes.MissingAccess) return { kind: 'final', reason: { code: 'discord-missing-access', params: {} } };
  if (status === 413 || code === RESTJSONErrorCodes.RequestEntityTooLarge) {
    return { kind: 'final', reason: { code: 'discord-upload-too-large', params: { bytes: pngBytes } } };
  }
  if (status !== undefined && status >= 500) return { kind: 'retry', problem: { code: 'hitch-server-error', params: { platform: 'discord', status } } };
  if (status === 429) return { kind: 'retry', problem: SLOW_DOWN };
  if (status !== undefined) {
    const detail = error instanceof Error ? error.message : String(error);
    return { kind: 'final', reason: { code: 'discord-refused', params: { detail } } };
  }
  if (isNetworkFailure(error)) return { kind: 'retry', problem: { code: 'hitch-no-answer', params: { platform: 'discord' } } };
  return { kind: 'retry', problem: { code: 'hitch-unexpected', params: {} } };
}
