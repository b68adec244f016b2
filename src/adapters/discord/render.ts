// What a job's Discord messages look like: the shared job view (../shared/job-view.ts) rendered as message
// content with Discord's markdown and emoji, buttons and attachments. Pure functions, no wording of their own.
import { AttachmentBuilder } from 'discord.js';
import type { ActionRowBuilder, ButtonBuilder, MessageMentionOptions } from 'discord.js';
import type { JobInfo, JobResult } from '../../queue/index.js';
import { say } from '../../wording/index.js';
import { jobHeading, movedToThread, viewJob, viewResult } from '../shared/job-view.js';
import type { JobStage, Markup, StatusTone, StatusView } from '../shared/job-view.js';
import { buttonRows } from './buttons.js';
import { readDiscordReply } from './reply.js';
import { cutAtWord } from '../shared/fit.js';
import { DISCORD } from '../shared/platform-limits.js';

export const DISCORD_MARKUP: Markup = {
  bold: (text) => `**${text}**`,
  code: (text) => `\`${text}\``,
  mention: (userId) => `<@${userId}>`,
};

const EMOJI: Readonly<Record<StatusTone, string>> = {
  preparing: '⏳',
  queued: '⏳',
  starting: '⚙️',
  running: '🖌️',
  delivering: '📤',
  done: '✅',
  failed: '❌',
  cancelled: '🛑',
  moved: '🧵',
};

export interface MessagePayload {
  content: string;
  components: ActionRowBuilder<ButtonBuilder>[];
  files?: AttachmentBuilder[];
  /** [] removes earlier attachments (the last preview) from an edited message. */
  attachments?: [];
  allowedMentions: MessageMentionOptions;
}

const PREVIEW_NAME = 'preview.png';
/** Discord hides an attachment whose name starts with this until it is clicked. */
const SPOILER_PREFIX = 'SPOILER_';

/** An attachment's name, as a spoiler when the job asked for one. */
function fileName(job: Pick<JobInfo, 'reply'>, name: string): string {
  return readDiscordReply(job.reply)?.spoiler === true ? `${SPOILER_PREFIX}${name}` : name;
}

/** The result's attachment is named after its job: a retry recognises an earlier copy by it (see deliver.ts). */
export function resultFileName(job: Pick<JobInfo, 'id' | 'reply'>): string {
  return fileName(job, `stylized-${job.id}.png`);
}

/** Status edits never ping anyone. */
const NO_PINGS: MessageMentionOptions = { parse: [] };

export function threadName(job: Pick<JobInfo, 'userName' | 'options' | 'locale'>): string {
  const name = say('thread-name', { userName: job.userName, preset: job.options.preset }, job.locale);
  return cutAtWord(name, DISCORD.threadName);
}

function headerLine(job: Pick<JobInfo, 'userId' | 'options' | 'locale'>): string {
  return `🎨 ${jobHeading(job, DISCORD_MARKUP)}`;
}

function statusLine(status: StatusView): string {
  return `${EMOJI[status.tone]} ${status.text}`;
}

/**
 * The status message: heading, state, a preview while running and a Cancel button until the job ends (the
 * run-again buttons come with the picture, see renderResult). `preview` is attached only when it is new for
 * this message (an edit keeps earlier attachments otherwise).
 */
export function renderStatus(job: JobInfo, stage: JobStage, options: { preview?: Buffer; inThread: boolean }): MessagePayload {
  const view = viewJob(job, stage, DISCORD_MARKUP, { inThread: options.inThread });
  const payload: MessagePayload = {
    content: `${headerLine(job)}\n${statusLine(view.status)}`,
    components: buttonRows(job.id, view.buttons.filter((button) => button.action === 'cancel')),
    allowedMentions: NO_PINGS,
  };
  if (view.final) {
    payload.files = [];
    payload.attachments = [];
  } else if (options.preview) {
    payload.files = [new AttachmentBuilder(options.preview, { name: fileName(job, PREVIEW_NAME), description: say('preview-alt', {}, job.locale) })];
  }
  return payload;
}

/**
 * The last word in the interaction reply when progress moves to a bot message in the thread. Without a
 * Cancel button: the reply cannot be edited any more, and the thread's status message has one.
 */
export function renderMovedToThread(job: JobInfo): MessagePayload {
  return {
    content: `${headerLine(job)}\n${statusLine(movedToThread(job.locale))}`,
    components: [],
    files: [],
    attachments: [],
    allowedMentions: NO_PINGS,
  };
}

/** The finished picture, posted into the thread with the settings used and the run-again buttons; pings the requester once. */
export function renderResult(job: JobInfo, result: JobResult, png: Buffer, options: { biggerSize?: number } = {}): MessagePayload {
  const view = viewResult(job, result, DISCORD_MARKUP, options);
  // Plain: what was made and how long it took; the settings are behind the Details button (renderDetails).
  return {
    content: `🖼️ ${view.greeting}`,
    components: buttonRows(job.id, view.buttons),
    files: [new AttachmentBuilder(png, { name: resultFileName(job), description: view.alt })],
    allowedMentions: { users: [view.pingUserId] },
  };
}

/** Shown in the channel when the original reply is gone and a thread still needs a message to start on. */
export function renderThreadStarter(job: JobInfo): MessagePayload {
  return { content: headerLine(job), components: [], allowedMentions: NO_PINGS };
}

