// The life of a job's channel message: posted before the job is queued, edited with position, progress
// bar and ETA (throttled: chat.update is Tier 3, ~50 a minute per workspace), previews and the final PNG
// uploaded into its thread. The message's channel and ts live in the job's `reply`, journaled by the queue,
// so a resumed job after a restart keeps editing the same message.
import { setTimeout as delay } from 'node:timers/promises';
import type { webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import type { Clock, Delivery, DeliveryOutcome, JobEvent, JobInfo, JobOptions, JobQueue } from '../../queue/index.js';
import { CoalescingThrottle } from '../shared/throttle.js';
import { judgeSlackFailure, uploadResultOnce } from './deliver.js';
import { slackErrorCode } from './files.js';
import type { EditBudget, EditKind } from './edit-budget.js';
import { renderJobMessage } from './messages.js';
import type { JobDisplay } from './messages.js';
import { postInChannelOrDm } from './notify.js';

/** Where a job's message is: what the adapter keeps in JobOwner.reply. */
export interface SlackReply {
  channel: string;
  ts: string;
}

export function readReply(reply: Record<string, unknown>): SlackReply | undefined {
  const { channel, ts } = reply;
  return typeof channel === 'string' && typeof ts === 'string' ? { channel, ts } : undefined;
}

/** chat.update errors that mean the message is gone: post a new one instead. */
const MESSAGE_GONE = new Set(['message_not_found', 'cant_update_message', 'channel_not_found']);

export interface JobMessagesOptions {
  /** For the job message's first post, part of answering the user. */
  client: webApi.WebClient;
  /**
   * For edits and uploads: a client of their own, so that a rate limit on them (the WebClient pauses all
   * its calls on a 429) never holds up views.open, acks or notes, which must go within 3 s.
   */
  background: webApi.WebClient;
  /** The workspace's chat.update budget. */
  budget: EditBudget;
  /** Uploads results: a client that fails at once on 429 and errors, since the queue times the retries. */
  deliveryClient: webApi.WebClient;
  queue: JobQueue;
  log: Logger;
  updateIntervalMs: number;
  previewIntervalMs: number;
  /** Update and preview intervals are measured on it. */
  clock: Clock;
}

interface ThreadState {
  /** Uploads into the thread run one after the other so the final image comes last. */
  uploads: Promise<void>;
  lastPreviewAt: number;
  previewPending: boolean;
}

export class JobMessages {
  private readonly throttle: CoalescingThrottle;
  private readonly threads = new Map<string, ThreadState>();
  /** Replies moved to a new message (the old one was deleted), until the queue's copy catches up. */
  private readonly moved = new Map<string, SlackReply>();
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly options: JobMessagesOptions) {
    this.throttle = new CoalescingThrottle(
      options.updateIntervalMs,
      (error, key) => options.log.warn({ jobId: key, error: slackErrorCode(error) }, 'updating the job message failed'),
      options.clock,
    );
  }

  /** Posts the message a new job will live in, before it is queued. */
  async post(channel: string, userId: string, options: JobOptions): Promise<SlackReply> {
    const message = renderJobMessage({ userId, options, display: { kind: 'preparing' } });
    return postInChannelOrDm(this.options.client, this.options.log, channel, userId, message);
  }

  /**
   * The queue listener for Slack jobs. The queue delivers one job's events one at a time and waits for
   * this promise; edits themselves go through the throttle, so only uploads take real time here.
   */
  readonly onEvent = (job: JobInfo, event: JobEvent): Promise<void> => {
    const work = this.handle(job, event).catch((error: unknown) =>
      this.options.log.warn({ jobId: job.id, event: event.type, error: slackErrorCode(error) }, 'job message work failed'),
    );
    this.inFlight.add(work);
    return work.finally(() => this.inFlight.delete(work));
  };

  /** Waits for uploads and updates under way (bounded), then drops what is still waiting. */
  async close(timeoutMs = 10_000): Promise<void> {
    await Promise.race([Promise.allSettled([...this.inFlight]), delay(timeoutMs, undefined, { ref: false })]);
    this.throttle.close();
  }

  private async handle(job: JobInfo, event: JobEvent): Promise<void> {
    const reply = this.moved.get(job.id) ?? readReply(job.reply);
    if (!reply) {
      this.options.log.warn({ jobId: job.id }, 'Slack job without a message to update');
      return;
    }
    switch (event.type) {
      case 'queued':
        return this.show(job, { kind: 'queued', position: event.position, resumed: event.resumed }, 'state');
      case 'position':
        return this.show(job, { kind: 'queued', position: event.position, resumed: false }, 'position');
      case 'started':
        return this.show(job, { kind: 'running' }, 'state');
      case 'progress':
        if (event.preview) this.maybeUploadPreview(job, reply, event.preview, event.iteration, event.total);
        return this.show(job, { kind: 'running', iteration: event.iteration, total: event.total, etaMs: event.etaMs }, 'progress');
      case 'delivering':
        return this.show(job, { kind: 'delivering', retryInMs: event.retryInMs, problem: event.problem }, 'state');
      case 'done':
        return this.finish(job, { kind: 'done', result: event.result });
      case 'failed':
        return this.finish(job, { kind: 'failed', reason: event.reason });
      case 'cancelled':
        return this.finish(job, { kind: 'cancelled', byUserId: event.byUserId });
    }
  }

  /** The queue's deliverer for Slack jobs: one try at uploading the picture into the job's thread, after its previews. */
  readonly deliver = async (job: JobInfo, delivery: Delivery): Promise<DeliveryOutcome> => {
    const reply = this.moved.get(job.id) ?? readReply(job.reply);
    if (!reply) return { kind: 'final', reason: 'The picture is ready, but the bot no longer knows where to post it.' };
    const thread = this.thread(job.id);
    const upload = thread.uploads.then(() => uploadResultOnce(this.options.deliveryClient, this.options.log, reply, job, delivery));
    thread.uploads = upload.catch(() => undefined);
    try {
      await upload;
      this.options.log.info({ jobId: job.id, attempt: delivery.attempt }, 'result posted');
      return { kind: 'delivered' };
    } catch (error) {
      const outcome = judgeSlackFailure(error);
      this.options.log.warn({ jobId: job.id, attempt: delivery.attempt, error: slackErrorCode(error), outcome: outcome.kind }, 'result upload failed');
      return outcome;
    }
  };

  /** State changes skip the per-message wait; every edit is also within the workspace's budget. */
  private show(job: JobInfo, display: JobDisplay, kind: EditKind): void {
    this.throttle.push(job.id, () => (this.options.budget.take(kind) ? this.update(job, display) : Promise.resolve()), { urgent: kind === 'state' });
  }

  /** The last edit of a job: runs after anything waiting, then the job's state is dropped. */
  private async finish(job: JobInfo, display: JobDisplay): Promise<void> {
    this.show(job, display, 'state');
    await this.throttle.drain(job.id);
    await this.threads.get(job.id)?.uploads;
    this.throttle.forget(job.id);
    this.threads.delete(job.id);
    this.moved.delete(job.id);
  }

  private async update(job: JobInfo, display: JobDisplay): Promise<void> {
    const reply = this.moved.get(job.id) ?? readReply(job.reply);
    if (!reply) return;
    const message = renderJobMessage({ jobId: job.id, userId: job.userId, options: job.options, display });
    try {
      await this.options.background.chat.update({ channel: reply.channel, ts: reply.ts, text: message.text, blocks: message.blocks });
    } catch (error) {
      const code = slackErrorCode(error);
      if (!MESSAGE_GONE.has(code)) throw error;
      // The user deleted the message: carry on in a new one and remember it across restarts.
      const fresh = await postInChannelOrDm(this.options.background, this.options.log, reply.channel, job.userId, message);
      this.moved.set(job.id, fresh);
      await this.options.queue.updateReply(job.id, { ...fresh });
      this.options.log.info({ jobId: job.id, error: code }, 'job message was gone; posted a new one');
    }
  }

  private thread(jobId: string): ThreadState {
    let thread = this.threads.get(jobId);
    if (!thread) {
      thread = { uploads: Promise.resolve(), lastPreviewAt: -Infinity, previewPending: false };
      this.threads.set(jobId, thread);
    }
    return thread;
  }

  /** Previews are whole file uploads (three API calls): one every previewIntervalMs at most, never queued up. */
  private maybeUploadPreview(job: JobInfo, reply: SlackReply, png: Buffer, iteration: number, total: number): void {
    if (this.options.previewIntervalMs <= 0) return;
    const thread = this.thread(job.id);
    const now = this.options.clock.now();
    if (thread.previewPending || now - thread.lastPreviewAt < this.options.previewIntervalMs) return;
    thread.previewPending = true;
    thread.lastPreviewAt = now;
    thread.uploads = thread.uploads.then(async () => {
      try {
        await this.options.background.files.uploadV2({
          channel_id: reply.channel,
          thread_ts: reply.ts,
          file: png,
          filename: `preview-${iteration}-of-${total}.png`,
          title: `Preview ${iteration}/${total}`,
          initial_comment: `Preview at iteration ${iteration} of ${total}.`,
        });
      } catch (error) {
        this.options.log.warn({ jobId: job.id, error: slackErrorCode(error) }, 'preview upload failed');
      } finally {
        thread.previewPending = false;
      }
    });
  }
}
