// The life of a job's messages on Discord. Same skeleton as on Slack (../slack/job-messages.ts): onJobEvent
// moves the job to its next stage (../shared/job-view.ts) and pushes the edit that shows it through the
// throttle (state changes at once, progress at most once per `editIntervalMs`, one edit of a job at a time);
// deliver() makes one try at posting the picture; close() sends what is pending and stops.
//
// On Discord, progress first goes into the interaction reply; once the interaction token is near its
// 15-minute end, or gone (a restart, an error), it moves to a message the bot posts with its own token in
// the job's thread, which has no time limit. The thread is started on the reply when first needed (at the
// latest for the result). Message ids are saved with queue.updateReply so that a resumed job keeps updating
// the same thread after a restart.
import { setTimeout as delay } from 'node:timers/promises';
import { ChannelType, DiscordAPIError, RESTJSONErrorCodes, ThreadAutoArchiveDuration } from 'discord.js';
import type { Client, InteractionEditReplyOptions, Message, NewsChannel, REST, SendableChannels, TextChannel } from 'discord.js';
import type { Logger } from 'pino';
import type { Clock, Delivery, DeliveryOutcome, JobEvent, JobInfo, StylizeQueue } from '../../queue/index.js';
import { applyEvent, isFinal, type JobStage } from '../shared/job-view.js';
import { endingPing } from '../shared/ending-ping.js';
import { biggerSize } from '../shared/result-actions.js';
import { CoalescingThrottle } from '../shared/throttle.js';
import { judgeDiscordFailure, postResultOnce } from './deliver.js';
import { DISCORD_MARKUP, renderMovedToThread, renderStatus, renderThreadStarter, threadName } from './render.js';
import type { MessagePayload } from './render.js';
import { readDiscordReply } from './reply.js';
import type { DiscordReply } from './reply.js';

/** The part of a deferred interaction this module uses: its reply, read and edited while the token lasts. */
export interface ReplyHandle {
  fetchReply(): Promise<Message>;
  editReply(options: InteractionEditReplyOptions): Promise<Message>;
}

export interface JobMessagesTiming {
  /** Least time between two progress edits of one job. */
  editIntervalMs: number;
  /** How long after an interaction arrives its reply may still be edited (Discord allows 15 minutes). */
  tokenLifetimeMs: number;
}

export const DEFAULT_TIMING: JobMessagesTiming = { editIntervalMs: 3000, tokenLifetimeMs: 14 * 60_000 };

export interface JobMessagesOptions {
  client: Client;
  /** Message ids are journaled with the job through it. */
  queue: Pick<StylizeQueue, 'updateReply' | 'checkSize'>;
  log: Logger;
  /** Resolves once the client is logged in. */
  ready: Promise<void>;
  timing: JobMessagesTiming;
  /** Edit gaps and token lifetimes are measured on it. */
  clock: Clock;
  /** Posts results: a client that fails at once on 429 and 5xx, since the queue times the retries. */
  deliveryRest: REST;
}

interface LiveJob {
  job: JobInfo;
  refs: DiscordReply;
  interaction?: ReplyHandle;
  tokenDeadline: number;
  stage: JobStage;
  preview?: Buffer;
  previewVersion: number;
  /** Which message shows which preview, so an edit re-uploads a preview only when it changed. */
  shown?: { surface: string; previewVersion: number };
  /** Calls off the handover timer (see track). */
  cancelHandover?: () => void;
  /** The search for the job's thread under way, shared by whoever needs it meanwhile (see resultChannel). */
  findingChannel?: Promise<ThreadLike> | undefined;
}

/** Errors that mean the interaction token can no longer edit the reply. */
const TOKEN_GONE = new Set<number>([RESTJSONErrorCodes.InvalidWebhookToken, RESTJSONErrorCodes.UnknownWebhook, RESTJSONErrorCodes.UnknownInteraction]);
/** Errors that mean a message cannot be edited any more: post a new one instead. */
const MESSAGE_GONE = new Set<number>([RESTJSONErrorCodes.UnknownMessage, RESTJSONErrorCodes.MaximumNumberOfEditsToMessagesOlderThanOneHourReached]);

function discordErrorCode(error: unknown): number | undefined {
  return error instanceof DiscordAPIError && typeof error.code === 'number' ? error.code : undefined;
}

export class JobMessages {
  private readonly live = new Map<string, LiveJob>();
  /** Interactions whose job the queue has not announced yet, by interaction id (see DiscordReply). */
  private readonly expected = new Map<string, { handle: ReplyHandle; receivedAt: number }>();
  private readonly throttle: CoalescingThrottle;
  private closed = false;

  constructor(private readonly options: JobMessagesOptions) {
    this.throttle = new CoalescingThrottle(
      options.timing.editIntervalMs,
      (error, jobId) => options.log.error({ jobId, err: describeError(error) }, 'could not update the job message on Discord'),
      options.clock,
    );
  }

  /**
   * Call before submitting: the queue's first event for the job finds its interaction through this id.
   * `receivedAt` is on this JobMessages' clock.
   */
  expect(interactionId: string, handle: ReplyHandle, receivedAt: number): void {
    this.expected.set(interactionId, { handle, receivedAt });
  }

  forget(interactionId: string): void {
    this.expected.delete(interactionId);
  }

  /** The queue listener for Discord jobs: the job's next stage, shown by an edit through the throttle. */
  onJobEvent(job: JobInfo, event: JobEvent): void {
    if (this.closed) return; // after a shutdown the journal keeps the job; the next start resumes it
    const live = this.live.get(job.id) ?? this.track(job);
    if (!live) return;
    live.job = job;
    const change = applyEvent(live.stage, event);
    live.stage = change.stage;
    if (change.preview) {
      live.preview = change.preview;
      live.previewVersion += 1;
    }
    this.throttle.push(job.id, () => this.flush(live), { urgent: change.urgency === 'state' });
  }

  /** The queue's deliverer for Discord jobs: one try at posting the picture into the job's thread. */
  async deliver(job: JobInfo, delivery: Delivery): Promise<DeliveryOutcome> {
    if (this.closed) return { kind: 'retry', problem: { code: 'hitch-restarting', params: {} } };
    await this.options.ready;
    const live = this.live.get(job.id) ?? this.track(job);
    const botUserId = this.options.client.user?.id;
    if (!live || !botUserId) return { kind: 'final', reason: { code: 'delivery-no-destination', params: {} } };
    try {
      const target = await this.resultChannel(live);
      const bigger = biggerSize(delivery.result, job.options, this.options.queue);
      await postResultOnce({ rest: this.options.deliveryRest, target, botUserId, job, delivery, ...(bigger === undefined ? {} : { biggerSize: bigger }) });
      this.options.log.info({ jobId: job.id, threadId: live.refs.threadId, attempt: delivery.attempt }, 'result posted');
      return { kind: 'delivered' };
    } catch (error) {
      const outcome = judgeDiscordFailure(error, delivery.png.length);
      this.options.log.warn({ jobId: job.id, attempt: delivery.attempt, err: describeError(error), outcome: outcome.kind }, 'could not post the result');
      return outcome;
    }
  }

  /** Sends every job's pending edit now and waits for them (at most `timeoutMs`), then drops what is left. */
  async close(timeoutMs: number): Promise<void> {
    const edits = Promise.all([...this.live.keys()].map((jobId) => this.throttle.drain(jobId)));
    await Promise.race([edits, delay(timeoutMs, undefined, { ref: false })]);
    this.closed = true;
    this.throttle.close();
    for (const live of this.live.values()) live.cancelHandover?.();
    this.live.clear();
    this.expected.clear();
  }

  private track(job: JobInfo): LiveJob | undefined {
    const refs = readDiscordReply(job.reply);
    if (!refs) {
      this.options.log.warn({ jobId: job.id }, 'Discord job without a channel to answer in; its updates are dropped');
      return undefined;
    }
    const expected = refs.interactionId !== undefined ? this.expected.get(refs.interactionId) : undefined;
    if (refs.interactionId !== undefined) this.expected.delete(refs.interactionId);
    const live: LiveJob = {
      job,
      refs,
      tokenDeadline: expected ? expected.receivedAt + this.options.timing.tokenLifetimeMs : 0,
      stage: { kind: 'queued', position: 1, resumed: false },
      previewVersion: 0,
    };
    if (expected) {
      live.interaction = expected.handle;
      this.scheduleHandover(live);
    }
    this.live.set(job.id, live);
    return live;
  }

  /**
   * The reply's last edit while the token lasts, on time: a job with no event near the token's end (a long
   * run between two progress reports, a long wait in line) would otherwise keep a reply whose Cancel button
   * and status the bot can no longer change. showStatus makes the handover once the deadline has passed.
   */
  private scheduleHandover(live: LiveJob): void {
    const { clock } = this.options;
    live.cancelHandover = clock.setTimeout(() => {
      live.cancelHandover = undefined;
      if (this.closed || this.live.get(live.job.id) !== live || !live.interaction) return;
      this.throttle.push(live.job.id, () => this.flush(live), { urgent: true });
    }, Math.max(0, live.tokenDeadline - clock.now()));
  }

  /** Brings the job's messages up to date with its current state (runs serialized per job). */
  private async flush(live: LiveJob): Promise<void> {
    // Whether this flush is the job's last is known when it starts: a final event that arrives while it
    // runs (the job ends during a progress edit) is waiting in the throttle and must not be dropped, or the
    // picture would never be posted.
    const last = isFinal(live.stage);
    await this.options.ready;
    try {
      await this.showStatus(live);
      if (last) await this.pingOwner(live);
    } finally {
      if (last) {
        live.cancelHandover?.();
        this.live.delete(live.job.id);
        this.throttle.forget(live.job.id);
      }
    }
  }

  private async showStatus(live: LiveJob): Promise<void> {
    if (live.interaction) {
      const handle = live.interaction;
      if (this.options.clock.now() < live.tokenDeadline) {
        if (await this.editReply(live, handle, this.payloadFor(live, 'reply', false))) return;
      } else {
        // The token has about a minute left: a final edit of the reply, then the thread takes over.
        live.interaction = undefined;
        const final = isFinal(live.stage);
        const payload = final ? this.payloadFor(live, 'reply', false) : renderMovedToThread(live.job);
        if ((await this.editReply(live, handle, payload)) && final) return;
        this.options.log.info({ jobId: live.job.id }, 'interaction token about to expire; progress moves to the thread');
      }
    }
    await this.showInThread(live);
  }

  /**
   * A job that ended badly tells its owner with a mention (status edits notify no one): a reply to the
   * job's message in its channel, so that a job that never got to its thread does not get one for this.
   */
  private async pingOwner(live: LiveJob): Promise<void> {
    const ping = endingPing(live.job, live.stage, DISCORD_MARKUP);
    if (!ping) return;
    const { channelId, messageId } = live.refs;
    try {
      const channel = await this.fetchChannel(channelId);
      if (!channel?.isSendable()) return;
      await channel.send({
        content: ping.text,
        // The replied-to message is the bot's own: only the owner is notified.
        allowedMentions: { users: [ping.userId], repliedUser: false },
        ...(messageId !== undefined ? { reply: { messageReference: messageId, failIfNotExists: false } } : {}),
      });
    } catch (error) {
      this.options.log.warn({ jobId: live.job.id, err: describeError(error) }, 'could not tell the owner that the job ended');
    }
  }

  /** Edits the interaction reply; false when the reply or the token is gone (the thread takes over). */
  private async editReply(live: LiveJob, handle: ReplyHandle, payload: MessagePayload): Promise<boolean> {
    try {
      if (live.refs.messageId === undefined) await this.journalReplyId(live, handle);
      const message = await handle.editReply(payload);
      if (live.refs.messageId !== message.id) {
        live.refs.messageId = message.id;
        live.refs.channelId = message.channelId;
        await this.persist(live);
      }
      this.markShown(live, 'reply', payload);
      return true;
    } catch (error) {
      const code = discordErrorCode(error);
      if (code === RESTJSONErrorCodes.UnknownMessage) {
        this.options.log.info({ jobId: live.job.id }, 'the reply was deleted; posting progress in a new message');
        delete live.refs.messageId;
      } else if (code === undefined || !TOKEN_GONE.has(code)) {
        throw error;
      } else {
        this.options.log.info({ jobId: live.job.id, code }, 'interaction token no longer usable; using the bot token');
      }
      if (live.interaction === handle) delete live.interaction;
      return false;
    }
  }

  /**
   * Journals the reply's message id before the first edit tells the user the job is queued: a bot killed
   * while Discord applies that edit still finds the reply after the restart, and starts the job's thread on
   * it, instead of a thread on a new message under a reply that says "Queued" for ever.
   */
  private async journalReplyId(live: LiveJob, handle: ReplyHandle): Promise<void> {
    const reply = await handle.fetchReply();
    live.refs.messageId = reply.id;
    live.refs.channelId = reply.channelId;
    await this.persist(live);
  }

  /** Shows the status in the bot's own message in the thread, posting a new one when there is none. */
  private async showInThread(live: LiveJob): Promise<void> {
    const target = await this.resultChannel(live);
    const statusId = live.refs.statusMessageId;
    if (statusId !== undefined) {
      const payload = this.payloadFor(live, `status:${statusId}`, true);
      try {
        await target.messages.edit(statusId, payload);
        this.markShown(live, `status:${statusId}`, payload);
        return;
      } catch (error) {
        const code = discordErrorCode(error);
        if (code === undefined || !MESSAGE_GONE.has(code)) throw error;
        this.options.log.info({ jobId: live.job.id, code }, 'status message cannot be edited; posting a new one');
      }
    }
    const payload = this.payloadFor(live, 'new', true);
    const message = await target.send(payload);
    live.refs.statusMessageId = message.id;
    this.markShown(live, `status:${message.id}`, payload);
    await this.persist(live);
  }

  private payloadFor(live: LiveJob, surface: string, inThread: boolean): MessagePayload {
    const previewIsNew = live.shown?.surface !== surface || live.shown.previewVersion !== live.previewVersion;
    const options: { preview?: Buffer; inThread: boolean } = { inThread };
    if (live.preview && previewIsNew) options.preview = live.preview;
    return renderStatus(live.job, live.stage, options);
  }

  private markShown(live: LiveJob, surface: string, payload: MessagePayload): void {
    const previewVersion = payload.files?.length ? live.previewVersion : (live.shown?.surface === surface ? live.shown.previewVersion : 0);
    live.shown = { surface, previewVersion };
  }

  /**
   * Where the result and the bot's own status messages go: the job's thread, started on the reply message
   * (or on a new message when the reply was deleted). A command used inside a thread answers in that thread;
   * one used where the bot cannot make a thread, in the user's DM with the bot. The status flush and the
   * delivery may ask at the same moment: they share one search, so neither starts a second thread.
   */
  private resultChannel(live: LiveJob): Promise<ThreadLike> {
    live.findingChannel ??= this.findResultChannel(live).finally(() => {
      live.findingChannel = undefined;
    });
    return live.findingChannel;
  }

  private async findResultChannel(live: LiveJob): Promise<ThreadLike> {
    const { refs } = live;
    if (refs.threadId !== undefined) {
      const known = await this.fetchChannel(refs.threadId);
      if (known && isThreadLike(known)) return known;
      delete refs.threadId;
    }
    if (refs.direct === true) {
      // No thread where the command was used (a DM, a group DM, a server without the bot): the user's DM
      // with the bot, which, unlike the interaction's reply, has no 15-minute limit.
      const dm = await this.options.client.users.createDM(live.job.userId);
      refs.threadId = dm.id;
      await this.persist(live);
      return dm;
    }
    const channel = await this.fetchChannel(refs.channelId);
    if (!channel) throw new Error(`channel ${refs.channelId} is not reachable`);
    if (channel.type !== ChannelType.GuildText && channel.type !== ChannelType.GuildAnnouncement) {
      // Already in a thread, or a channel that cannot hold threads: answer right there.
      if (!isThreadLike(channel)) throw new Error(`channel ${refs.channelId} does not take messages`);
      refs.threadId = channel.id;
      await this.persist(live);
      return channel;
    }
    const name = threadName(live.job);
    let thread: ThreadLike | undefined;
    if (refs.messageId !== undefined) {
      try {
        thread = await this.threadOn(channel, refs.messageId, name);
      } catch (error) {
        if (discordErrorCode(error) !== RESTJSONErrorCodes.UnknownMessage) throw error;
        delete refs.messageId;
      }
    }
    if (!thread) {
      const starter = await channel.send(renderThreadStarter(live.job));
      // Journaled at once: a restart from here starts the thread on this message, not on one more.
      refs.messageId = starter.id;
      await this.persist(live);
      thread = await this.threadOn(channel, starter.id, name);
    }
    if (!thread) throw new Error(`the thread on message ${refs.messageId ?? ''} is not reachable`);
    refs.threadId = thread.id;
    await this.persist(live);
    return thread;
  }

  /**
   * Starts the job's thread on a message. "A thread has already been created for this message" (an earlier
   * try whose answer was lost, which discord.js repeats on a 5xx, or another bot process) is success: that
   * thread is the job's, and a thread's id is its starter message's id.
   */
  private async threadOn(channel: TextChannel | NewsChannel, messageId: string, name: string): Promise<ThreadLike | undefined> {
    try {
      return await channel.threads.create({ startMessage: messageId, name, autoArchiveDuration: ThreadAutoArchiveDuration.OneDay });
    } catch (error) {
      if (discordErrorCode(error) !== RESTJSONErrorCodes.ThreadAlreadyCreatedForMessage) throw error;
      this.options.log.info({ messageId }, 'the thread was already made; using it');
      const existing = await this.fetchChannel(messageId);
      return existing && isThreadLike(existing) ? existing : undefined;
    }
  }

  private async fetchChannel(id: string) {
    try {
      return await this.options.client.channels.fetch(id);
    } catch (error) {
      const code = discordErrorCode(error);
      if (code === RESTJSONErrorCodes.UnknownChannel || code === RESTJSONErrorCodes.MissingAccess) return null;
      throw error;
    }
  }

  private async persist(live: LiveJob): Promise<void> {
    try {
      await this.options.queue.updateReply(live.job.id, { ...live.refs });
    } catch (error) {
      this.options.log.warn({ jobId: live.job.id, err: describeError(error) }, 'could not save the job message ids');
    }
  }
}

/** A channel we can post into and whose messages we can edit by id. */
type ThreadLike = SendableChannels & { messages: { edit(id: string, payload: MessagePayload): Promise<Message> } };

function isThreadLike(channel: NonNullable<Awaited<ReturnType<Client['channels']['fetch']>>>): channel is ThreadLike {
  return channel.isSendable() && 'messages' in channel;
}

/** Error details for logs: the API code and message, never request bodies or URLs with tokens. */
export function describeError(error: unknown): { message: string; code?: number | string; status?: number } {
  if (error instanceof DiscordAPIError) return { message: error.message, code: error.code, status: error.status };
  return { message: error instanceof Error ? error.message : String(error) };
}
