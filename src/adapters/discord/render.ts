// What the job's messages say: pure functions from a job's state to a Discord message payload.
import { AttachmentBuilder } from 'discord.js';
import type { ActionRowBuilder, ButtonBuilder, MessageMentionOptions } from 'discord.js';
import { PRESETS } from '../../transfer/index.js';
import type { JobInfo } from '../../queue/index.js';
import { formatDuration, formatQueuePosition, progressBar } from '../shared/progress.js';
import { describeSettings } from '../shared/settings.js';
import type { ResultSummary } from '../shared/settings.js';
import { cancelRow, rerunRow } from './buttons.js';

/** Where a job stands, as its status message shows it. */
export type JobView =
  | { kind: 'queued'; position: number; resumed: boolean }
  | { kind: 'starting' }
  | { kind: 'running'; iteration: number; total: number; elapsedMs: number; etaMs: number }
  /** The picture is made; posting it failed for now and is tried again (see src/queue/delivery.ts). */
  | { kind: 'delivering'; retryInMs: number; problem: string }
  | { kind: 'done'; seconds: number }
  | { kind: 'failed'; reason: string }
  | { kind: 'cancelled'; byUserId: string };

export interface MessagePayload {
  content: string;
  components: ActionRowBuilder<ButtonBuilder>[];
  files?: AttachmentBuilder[];
  /** [] removes earlier attachments (the last preview) from an edited message. */
  attachments?: [];
  allowedMentions: MessageMentionOptions;
}

export const PREVIEW_NAME = 'preview.png';
/** The result's attachment is named after its job: a retry recognises an earlier copy by it (see deliver.ts). */
export function resultFileName(jobId: string): string {
  return `stylized-${jobId}.png`;
}
/** Discord's limit on thread names. */
const THREAD_NAME_MAX = 100;

/** Status edits never ping anyone. */
const NO_PINGS: MessageMentionOptions = { parse: [] };

export function threadName(job: Pick<JobInfo, 'userName' | 'options'>): string {
  return `stylize · ${job.userName} · ${PRESETS[job.options.preset].label}`.slice(0, THREAD_NAME_MAX);
}

export function headerLine(job: Pick<JobInfo, 'userId' | 'options'>): string {
  const size = job.options.size !== undefined ? ` · ${job.options.size} px` : '';
  return `🎨 **Stylize** for <@${job.userId}> · ${PRESETS[job.options.preset].label}${size}`;
}

export function isFinal(view: JobView): boolean {
  return view.kind === 'done' || view.kind === 'failed' || view.kind === 'cancelled';
}

function statusLine(view: JobView, inThread: boolean): string {
  switch (view.kind) {
    case 'queued':
      return `⏳ ${view.resumed ? 'Back in the queue after a restart' : 'Queued'}: ${formatQueuePosition(view.position)}.`;
    case 'starting':
      return '⚙️ Starting…';
    case 'running': {
      const eta = view.iteration > 0 ? ` · about ${formatDuration(view.etaMs)} left` : '';
      return `🖌️ \`${progressBar(view.iteration, view.total)}\` iteration ${view.iteration}/${view.total}${eta}`;
    }
    case 'delivering':
      return `📤 The picture is ready, but posting it failed (${view.problem}). Trying again in ${formatDuration(view.retryInMs)}.`;
    case 'done':
      return `✅ Done in ${formatDuration(view.seconds * 1000)}${inThread ? '.' : ': the picture is in the thread.'}`;
    case 'failed':
      return `❌ ${view.reason}`;
    case 'cancelled':
      return `🛑 Cancelled by <@${view.byUserId}>.`;
  }
}

/**
 * The status message: header, state, a preview while running and a Cancel button until the job ends.
 * `preview` is attached only when it is new for this message (an edit keeps earlier attachments otherwise).
 */
export function renderStatus(job: JobInfo, view: JobView, options: { preview?: Buffer; inThread: boolean }): MessagePayload {
  const payload: MessagePayload = {
    content: `${headerLine(job)}\n${statusLine(view, options.inThread)}`,
    // Nothing left to cancel once the picture is made.
    components: isFinal(view) || view.kind === 'delivering' ? [] : [cancelRow(job.id)],
    allowedMentions: NO_PINGS,
  };
  if (isFinal(view)) {
    payload.files = [];
    payload.attachments = [];
  } else if (options.preview) {
    payload.files = [new AttachmentBuilder(options.preview, { name: PREVIEW_NAME, description: 'Preview of the picture so far' })];
  }
  return payload;
}

/**
 * The last word in the interaction reply when progress moves to a bot message in the thread. Without a
 * Cancel button: the reply cannot be edited any more, and the thread's status message has one.
 */
export function renderMovedToThread(job: JobInfo): MessagePayload {
  return {
    content: `${headerLine(job)}\n🧵 Still working: progress continues in the thread.`,
    components: [],
    files: [],
    attachments: [],
    allowedMentions: NO_PINGS,
  };
}

/** The finished picture, posted into the thread with the settings used; pings the requester once. */
export function renderResult(job: JobInfo, result: ResultSummary, png: Buffer): MessagePayload {
  const row = rerunRow(job.id, job.options.preset);
  const settings = describeSettings(job.options, result).map((line) => `• ${line}`);
  return {
    content: [`🖼️ <@${job.userId}>, your picture is ready.`, ...settings].join('\n'),
    components: row ? [row] : [],
    files: [new AttachmentBuilder(png, { name: resultFileName(job.id), description: `Stylized picture, ${result.width}×${result.height}` })],
    allowedMentions: { users: [job.userId] },
  };
}

/** Shown in the channel when the original reply is gone and a thread still needs a message to start on. */
export function renderThreadStarter(job: JobInfo): MessagePayload {
  return { content: headerLine(job), components: [], allowedMentions: NO_PINGS };
}
