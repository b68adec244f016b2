// `/stylize help` and `/stylize jobs`: answers only the caller sees (the slash command's ephemeral
// response). The jobs list's Cancel buttons are the job message's own (action stylize_cancel, value the
// job id), handled in actions.ts for the owner only.
import type { types } from '@slack/bolt';
import type { JobInfo, StylizeQueue } from '../../queue/index.js';
import { say, type Locale } from '../../wording/index.js';
import { helpLines } from '../shared/help.js';
import { ACTION } from './ids.js';

interface EphemeralAnswer {
  response_type: 'ephemeral';
  text: string;
  blocks?: types.KnownBlock[];
}

/** Slack: at most 50 blocks a message; one section per job. */
const MAX_JOBS_SHOWN = 40;

function helpAnswer(queue: StylizeQueue, locale: Locale): EphemeralAnswer {
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
  return { response_type: 'ephemeral', text: lines.join('\n') };
}

function jobsAnswer(jobs: ReadonlyArray<{ job: JobInfo; position?: number }>, locale: Locale): EphemeralAnswer {
  if (jobs.length === 0) return { response_type: 'ephemeral', text: say('jobs-none', {}, locale) };
  const heading = say('jobs-heading', { count: jobs.length }, locale);
  const blocks: types.KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: `*${heading}*` } }];
  const lines: string[] = [heading];
  jobs.slice(0, MAX_JOBS_SHOWN).forEach(({ job, position }, index) => {
    const what =
      position === undefined
        ? say('jobs-line-running', { preset: job.options.preset }, locale)
        : say('jobs-line-waiting', { preset: job.options.preset, position }, locale);
    const line = `${index + 1}. ${what} (\`${job.id}\`)`;
    lines.push(line);
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: line },
      accessory: { type: 'button', action_id: ACTION.cancel, value: job.id, style: 'danger', text: { type: 'plain_text', text: say('jobs-cancel-button', { index: index + 1 }, locale) } },
    });
  });
  return { response_type: 'ephemeral', text: lines.join('\n'), blocks };
}

/** The answer to `/stylize <text>` in the caller's language; undefined for an empty text (the form opens). */
export function subcommandAnswer(text: string, queue: StylizeQueue, userId: string, locale: Locale): EphemeralAnswer | undefined {
  const word = text.trim().toLowerCase();
  if (word === '') return undefined;
  if (word === 'help') return helpAnswer(queue, locale);
  if (word === 'jobs') return jobsAnswer(queue.jobsOf({ platform: 'slack', userId }), locale);
  return { response_type: 'ephemeral', text: say('slack-unknown-subcommand', { text: text.trim() }, locale) };
}
