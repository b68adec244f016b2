// `/stylize help` and `/stylize jobs`: answers only the caller sees (the slash command's ephemeral
// response). The jobs list's Cancel buttons are the job message's own (action stylize_cancel, value the
// job id), handled in actions.ts for the owner only.
import type { types } from '@slack/bolt';
import type { JobInfo, StylizeQueue } from '../../queue/index.js';
import { say, type Locale } from '../../wording/index.js';
import { helpLines } from '../shared/help.js';
import { ACTION } from './ids.js';
import { escapeMrkdwn } from './mrkdwn.js';
import { cutAtWord, fitCount, listMore, pagesOf } from '../shared/fit.js';
import { SLACK } from '../shared/platform-limits.js';

/** What the answers read of the queue. */
type AnswerQueue = Pick<StylizeQueue, 'jobsOf' | 'limits' | 'keepFinishedMs'>;

export interface EphemeralAnswer {
  response_type: 'ephemeral';
  text: string;
  blocks?: types.KnownBlock[];
}

/** A heading block and one section per job, and a last one saying how many more: within a message's blocks. */
const MAX_JOBS_SHOWN = SLACK.messageBlocks - 2;

function helpAnswer(queue: AnswerQueue, locale: Locale): EphemeralAnswer {
  const lines = helpLines(
    'slack',
    {
      maxBytes: queue.limits.maxInputBytes,
      maxPerUser: queue.limits.maxPendingPerUser,
      maxQueueLength: queue.limits.maxQueueLength,
      jobTimeoutMs: queue.limits.jobTimeoutMs,
      keptMs: queue.keepFinishedMs,
    },
    (text) => `*${text}*`,
    locale,
  );
  // One section per 3,000 characters: the help stays whole however many paintings the library holds. The
  // text (what a notification shows) is the whole help while it fits in Slack's 4,000, else its start.
  const blocks: types.KnownBlock[] = pagesOf(lines, SLACK.sectionText).map((page) => ({ type: 'section', text: { type: 'mrkdwn', text: page } }));
  return { response_type: 'ephemeral', text: cutAtWord(lines.join('\n'), SLACK.text), blocks };
}

/** The caller's jobs with a Cancel button each: as many as fit in a message, then "and N more". */
function jobsAnswer(jobs: ReadonlyArray<{ job: JobInfo; position?: number }>, locale: Locale): EphemeralAnswer {
  if (jobs.length === 0) return { response_type: 'ephemeral', text: say('jobs-none', {}, locale) };
  const heading = say('jobs-heading', { count: jobs.length }, locale);
  const lines = jobs.slice(0, MAX_JOBS_SHOWN).map(({ job, position }, index) => {
    const what =
      position === undefined
        ? say('jobs-line-running', { preset: job.options.preset }, locale)
        : say('jobs-line-waiting', { preset: job.options.preset, position }, locale);
    return `${index + 1}. ${what} (\`${job.id}\`)`;
  });
  const moreLine = (shown: number): string[] => {
    const more = listMore(jobs.length - shown, locale);
    return more ? [`… ${more}`] : [];
  };
  // The text (the notification's fallback) lists the same jobs as the blocks.
  const render = (shown: number): string => [heading, ...lines.slice(0, shown), ...moreLine(shown)].join('\n');
  const shown = fitCount(lines.length, SLACK.text, render);
  const blocks: types.KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: `*${heading}*` } }];
  jobs.slice(0, shown).forEach(({ job }, index) => {
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: lines[index] ?? '' },
      accessory: { type: 'button', action_id: ACTION.cancel, value: job.id, style: 'danger', text: { type: 'plain_text', text: say('jobs-cancel-button', { index: index + 1 }, locale) } },
    });
  });
  for (const line of moreLine(shown)) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: line } });
  return { response_type: 'ephemeral', text: render(shown), blocks };
}

/** The answer to `/stylize <text>` in the caller's language; undefined for an empty text (the form opens). */
export function subcommandAnswer(text: string, queue: AnswerQueue, userId: string, locale: Locale): EphemeralAnswer | undefined {
  const word = text.trim().toLowerCase();
  if (word === '') return undefined;
  if (word === 'help') return helpAnswer(queue, locale);
  if (word === 'jobs') return jobsAnswer(queue.jobsOf({ platform: 'slack', userId }), locale);
  // The words come back in a mrkdwn text: "/stylize a&b <c>" must read as typed, not as markup.
  return { response_type: 'ephemeral', text: say('slack-unknown-subcommand', { text: escapeMrkdwn(text.trim()) }, locale) };
}
