// What a job's Slack message looks like: the shared job view (../shared/job-view.ts) rendered as Block Kit
// (with the plain-text fallback Slack uses for notifications), with Slack's mrkdwn and emoji. One message
// per job, edited as the job moves on. Pure rendering, no wording of its own.
import type { types } from '@slack/bolt';
import type { JobOptions } from '../../queue/index.js';
import { say, type Locale } from '../../wording/index.js';
import { statusOf, viewJob } from '../shared/job-view.js';
import type { JobButton, JobStage, Markup, StatusTone, StatusView } from '../shared/job-view.js';
import { ACTION, BRUSH_ACTION } from './ids.js';

export const SLACK_MARKUP: Markup = {
  bold: (text) => `*${text}*`,
  code: (text) => `\`${text}\``,
  mention: (userId) => `<@${userId}>`,
};

const EMOJI: Readonly<Record<StatusTone, string>> = {
  preparing: ':hourglass_flowing_sand:',
  queued: ':hourglass_flowing_sand:',
  starting: ':art:',
  running: ':art:',
  delivering: ':outbox_tray:',
  done: ':white_check_mark:',
  failed: ':x:',
  cancelled: ':no_entry_sign:',
  moved: ':thread:',
};

export interface JobMessageInput {
  /** Unknown while the images are still being checked (no job yet). */
  jobId?: string;
  userId: string;
  options: JobOptions;
  stage: JobStage;
  /** The owner's language (JobOwner.locale); English when absent. */
  locale?: Locale;
  /** The size a done job's Bigger button offers (none: no button). */
  biggerSize?: number;
}

export interface SlackMessage {
  text: string;
  blocks: types.KnownBlock[];
}

function withEmoji(status: StatusView): string {
  return `${EMOJI[status.tone]} ${status.text}`;
}

/** The job's status line, e.g. ":hourglass_flowing_sand: Queued: 3rd in line." */
export function statusLine(stage: JobStage, locale?: Locale): string {
  return withEmoji(statusOf(stage, SLACK_MARKUP, locale !== undefined ? { locale } : {}));
}

export function renderJobMessage(input: JobMessageInput): SlackMessage {
  const { jobId } = input;
  const view = viewJob(input, input.stage, SLACK_MARKUP, input.biggerSize === undefined ? {} : { biggerSize: input.biggerSize });
  const status = withEmoji(view.status);
  const blocks: types.KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: `${view.heading}\n${status}` } },
    { type: 'context', elements: [{ type: 'mrkdwn', text: view.settings.join(' · ') }] },
  ];
  // Before the job exists there is nothing to click.
  const buttons = jobId ? view.buttons.map((button) => slackButton(jobId, button)) : [];
  // No block_id: Slack asks for a new one on every update of a message and makes one where none is given
  // (https://docs.slack.dev/reference/block-kit/blocks/actions-block); clicks are told apart by action_id.
  if (buttons.length > 0) blocks.push({ type: 'actions', elements: buttons });
  return { text: say('job-summary', { owner: SLACK_MARKUP.mention(input.userId), status }, input.locale), blocks };
}

function slackButton(jobId: string, button: JobButton): types.Button {
  const text: types.PlainTextElement = { type: 'plain_text', text: button.label };
  switch (button.action) {
    case 'cancel':
      return { type: 'button', action_id: ACTION.cancel, value: jobId, style: 'danger', text };
    case 'rerun':
      return { type: 'button', action_id: button.direction === 'more-style' ? ACTION.moreStyle : ACTION.moreContent, value: jobId, text };
    case 'bigger':
      return { type: 'button', action_id: ACTION.bigger, value: `${jobId}:${button.size}`, style: 'primary', text };
    case 'colours':
      return { type: 'button', action_id: ACTION.colours, value: `${jobId}:${button.keep ? 'keep' : 'style'}`, text };
    case 'use-as':
      return { type: 'button', action_id: button.role === 'content' ? ACTION.usePhoto : ACTION.useStyle, value: jobId, text };
    case 'details':
      return { type: 'button', action_id: ACTION.details, value: jobId, text };
    case 'delete':
      return { type: 'button', action_id: ACTION.delete, value: jobId, style: 'danger', text };
    case 'brush':
      return { type: 'button', action_id: BRUSH_ACTION[button.brush], value: jobId, text };
  }
}
