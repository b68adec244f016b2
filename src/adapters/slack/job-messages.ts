// The life of a job's message on Slack. Same skeleton as on Discord (../discord/job-messages.ts): onJobEvent
// moves the job to its next stage (../shared/job-view.ts) and pushes the edit that shows it through the
// throttle (state changes at once, progress at most once per `updateIntervalMs`, one edit of a job at a time);
// deliver() makes one try at posting the picture; close() sends what is pending and stops.
//
// On Slack, one channel message per job is posted before the job is queued (post), then edited within the
// workspace's chat.update budget (edit-budget.ts: Tier 3, ~50 a minute); previews and the final PNG are
// uploaded into its thread. The message's channel and ts live in the job's `reply`, journaled by the queue,
// so a resumed job after a restart keeps editing the same message.
import { setTimeout as delay } from 'node:timers/promises';
import type { webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import type { Clock, Delivery, DeliveryOutcome, JobEvent, JobInfo, JobOptions, StylizeQueue } from '../../queue/index.js';
import type { Locale } from '../../wording/index.js';
import { applyEvent, isFinal, previewWords, type EditUrgency, type JobStage } from '../shared/job-view.js';
import { endingPing } from '../shared/ending-ping.js';
import { CoalescingThrottle } from '../shared/throttle.js';
import { judgeSlackFailure, uploadResultOnce } from './deliver.js';
import { slackErrorCode } from './files.js';
import type { EditBudget } from './edit-budget.js';
import { renderJobMessage, SLACK_MARKUP } from './messages.js';
import { biggerSize } from '../shared/result-actions.js';
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
  queue: StylizeQueue;
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
  /** Where each job shown now stands, until its last edit. */
  private readonly stages = new Map<string, JobStage>();
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
  async post(channel: string, userId: string, options: JobOptions, locale: Locale): Promise<SlackReply> {
    const message = renderJobMessage({ userId, options, stage: { kind: 'preparing' }, locale });
    return postInChannelOrDm(this.options.client, this.options.log, channel, userId, message);
  }

  /**
   * The queue listener for Slack jobs: the job's next stage, shown by an edit through the throttle. The
   * queue delivers one job's events one at a time and waits for this promise; only uploads take real time.
   */
  onJobEvent(job: JobInfo, event: JobEvent): Promise<void> {
    const work = this.handle(job, event).catch((error: unknown) =>
      this.options.log.warn({ jobId: job.id, event: event.type, error: slackErrorCode(error) }, 'job message work failed'),
    );
    this.inFlight.add(work);
    return work.finally(() => this.inFlight.delete(work));
  }

  /** Waits for uploads and updates under way (at most `timeoutMs`), then drops what is still waiting. */
  async close(timeoutMs: number): Promise<void> {
    await Promise.race([Promise.allSettled([...this.inFlight]), delay(timeoutMs, undefined, { ref: false })]);
    this.throttle.close();
  }

  private async handle(job: JobInfo, event: JobEvent): Promise<void> {
    const reply = this.moved.get(job.id) ?? readReply(job.reply);
    if (!reply) {
      this.options.log.warn({ jobId: job.id }, 'Slack job without a message to update');
      return;
    }
    const change = applyEvent(this.stages.get(job.id), event);
    this.stages.set(job.id, change.stage);
    if (change.preview && event.type === 'progress') this.maybeUploadPreview(job, reply, change.preview, event.iteration, event.total, event.fraction);
    if (isFinal(change.stage)) return this.finish(job, change.stage);
    this.show(job, change.stage, change.urgency);
  }

  /** The queue's deliverer for Slack jobs: one try at uploading the picture into the job's thread, after its previews. */
  async deliver(job: JobInfo, delivery: Delivery): Promise<DeliveryOutcome> {
    const reply = this.moved.get(job.id) ?? readReply(job.reply);
    if (!reply) return { kind: 'final', reason: { code: 'delivery-no-destination', params: {} } };
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
  }

  /** State changes skip the per-message wait; every edit is also within the workspace's budget. */
  private show(job: JobInfo, stage: JobStage, urgency: EditUrgency): void {
    this.throttle.push(job.id, () => (this.options.budget.take(urgency) ? this.update(job, stage) : Promise.resolve()), { urgent: urgency === 'state' });
  }

  /** The last edit of a job: runs after anything waiting, then the job's state is dropped. */
  private async finish(job: JobInfo, stage: JobStage): Promise<void> {
    this.show(job, stage, 'state');
    await this.throttle.drain(job.id);
    await this.threads.get(job.id)?.uploads;
    await this.pingOwner(job, stage);
    this.throttle.forget(job.id);
    this.stages.delete(job.id);
    this.threads.delete(job.id);
    this.moved.delete(job.id);
  }

  /** A job that ended badly tells its owner with a mention in its thread (an edit notifies no one). */
  private async pingOwner(job: JobInfo, stage: JobStage): Promise<void> {
    const ping = endingPing(job, stage, SLACK_MARKUP);
    const reply = this.moved.get(job.id) ?? readReply(job.reply);
    if (!ping || !reply) return;
    try {
      await this.options.background.chat.postMessage({ channel: reply.channel, thread_ts: reply.ts, text: ping.text });
    } catch (error) {
      this.options.log.warn({ jobId: job.id, error: slackErrorCode(error) }, 'could not tell the owner that the job ended');
    }
  }

  private async update(job: JobInfo, stage: JobStage): Promise<void> {
    const reply = this.moved.get(job.id) ?? readReply(job.reply);
    if (!reply) return;
    const bigger = stage.kind === 'done' ? biggerSize(stage.result, job.options, this.options.queue) : undefined;
    const message = renderJobMessage({ jobId: job.id, userId: job.userId, options: job.options, stage, ...(job.locale !== undefined ? { locale: job.locale } : {}), ...(bigger === undefined ? {} : { biggerSize: bigger }) });
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
  private maybeUploadPreview(job: JobInfo, reply: SlackReply, png: Buffer, iteration: number, total: number, fraction: number): void {
    if (this.options.previewIntervalMs <= 0) return;
    const thread = this.thread(job.id);
    const now = this.options.clock.now();
    if (thread.previewPending || now - thread.lastPreviewAt < this.options.previewIntervalMs) return;
    thread.previewPending = true;
    thread.lastPreviewAt = now;
    const words = previewWords(fraction, job.locale);
    thread.uploads = thread.uploads.then(async () => {
      try {
        await this.options.background.files.uploadV2({
          channel_id: reply.channel,
          thread_ts: reply.ts,
          file: png,
          filename: `preview-${iteration}-of-${total}.png`,
          title: words.title,
          initial_comment: words.comment,
        });
      } catch (error) {
        this.options.log.warn({ jobId: job.id, error: slackErrorCode(error) }, 'preview upload failed');
      } finally {
        thread.previewPending = false;
      }
    });
  }
}
