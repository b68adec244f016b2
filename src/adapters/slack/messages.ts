// What a job's channel message says in each state: one message per job, edited as the job moves on.
// Pure rendering (Block Kit plus the plain-text fallback Slack uses for notifications).
import type { types } from '@slack/bolt';
import { PRESETS } from '../../transfer/index.js';
import type { JobOptions } from '../../queue/index.js';
import { describeSettings } from '../shared/settings.js';
import type { ResultSummary } from '../shared/settings.js';
import { formatDuration, formatQueuePosition, progressBar } from '../shared/progress.js';
import { nextPreset } from '../shared/presets.js';
import { ACTION } from './ids.js';

export type JobDisplay =
  | { kind: 'preparing' }
  | { kind: 'queued'; position: number; resumed: boolean }
  | { kind: 'running'; iteration?: number; total?: number; etaMs?: number }
  /** The picture is made; posting it failed for now and is tried again (see src/queue/delivery.ts). */
  | { kind: 'delivering'; retryInMs: number; problem: string }
  | { kind: 'done'; result: ResultSummary }
  | { kind: 'failed'; reason: string }
  | { kind: 'cancelled'; byUserId: string };

export interface JobMessageInput {
  /** Unknown while the images are still being checked (no job yet). */
  jobId?: string;
  userId: string;
  options: JobOptions;
  display: JobDisplay;
}

export interface SlackMessage {
  text: string;
  blocks: types.KnownBlock[];
}

export function statusLine(display: JobDisplay): string {
  switch (display.kind) {
    case 'preparing':
      return ':hourglass_flowing_sand: Checking your images…';
    case 'queued':
      return `:hourglass_flowing_sand: Queued, ${formatQueuePosition(display.position)}${display.resumed ? ' (picked up again after a restart)' : ''}.`;
    case 'running': {
      if (display.iteration === undefined || display.total === undefined) return ':art: Painting… starting.';
      // The first iteration carries the engine's warm-up, so its estimate is far too long: wait for the second.
      const eta = display.etaMs !== undefined && display.iteration > 1 ? ` · about ${formatDuration(display.etaMs)} left` : '';
      return `:art: Painting \`${progressBar(display.iteration, display.total)}\` iteration ${display.iteration}/${display.total}${eta}`;
    }
    case 'delivering':
      return `:outbox_tray: The painting is ready, but posting it failed (${display.problem}). Trying again in ${formatDuration(display.retryInMs)}.`;
    case 'done':
      return `:white_check_mark: Done in ${formatDuration(display.result.seconds * 1000)}. The painting is in the thread.`;
    case 'failed':
      return `:x: ${display.reason}`;
    case 'cancelled':
      return `:no_entry_sign: Cancelled by <@${display.byUserId}>.`;
  }
}

export function renderJobMessage(input: JobMessageInput): SlackMessage {
  const { display, options, jobId } = input;
  const title = `*Stylize* for <@${input.userId}> · ${PRESETS[options.preset].label}`;
  const status = statusLine(display);
  const settings = describeSettings(options, display.kind === 'done' ? display.result : undefined);
  const blocks: types.KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: `${title}\n${status}` } },
    { type: 'context', elements: [{ type: 'mrkdwn', text: settings.join(' · ') }] },
  ];
  const buttons = jobId ? jobButtons(jobId, display, options) : [];
  if (buttons.length > 0) blocks.push({ type: 'actions', block_id: 'job', elements: buttons });
  return { text: `Stylize for <@${input.userId}>: ${status}`, blocks };
}

function jobButtons(jobId: string, display: JobDisplay, options: JobOptions): types.Button[] {
  if (display.kind === 'queued' || display.kind === 'running') {
    return [{ type: 'button', action_id: ACTION.cancel, value: jobId, style: 'danger', text: { type: 'plain_text', text: 'Cancel' } }];
  }
  if (display.kind !== 'done') return [];
  const buttons: types.Button[] = [];
  const moreContent = nextPreset(options.preset, 'more-content');
  const moreStyle = nextPreset(options.preset, 'more-style');
  if (moreContent) buttons.push({ type: 'button', action_id: ACTION.moreContent, value: jobId, text: { type: 'plain_text', text: `More content (${PRESETS[moreContent].label})` } });
  if (moreStyle) buttons.push({ type: 'button', action_id: ACTION.moreStyle, value: jobId, text: { type: 'plain_text', text: `More style (${PRESETS[moreStyle].label})` } });
  return buttons;
}
