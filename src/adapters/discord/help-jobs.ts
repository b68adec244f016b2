// What /stylize-help and /stylize-jobs answer (only to the user who asked): pure rendering of the shared
// help text and of the caller's jobs, with one Cancel button per job. The buttons carry the job's usual
// cancel id, so the job buttons' handler (adapter.ts) cancels them, for the owner only.
import { ActionRowBuilder, ButtonBuilder, ButtonStyle } from 'discord.js';
import type { JobInfo } from '../../queue/index.js';
import { say } from '../../wording/index.js';
import { helpLines } from '../shared/help.js';
import type { HelpFacts } from '../shared/help.js';
import { cancelButtonId } from './buttons.js';

/** Discord: 5 buttons a row, 5 rows a message. */
const BUTTONS_PER_ROW = 5;
const MAX_BUTTONS = 25;

export function renderHelp(facts: HelpFacts): string {
  return helpLines('discord', facts, (text) => `**${text}**`).join('\n');
}

interface JobsPayload {
  content: string;
  components: ActionRowBuilder<ButtonBuilder>[];
}

export function renderJobs(jobs: ReadonlyArray<{ job: JobInfo; position?: number }>): JobsPayload {
  if (jobs.length === 0) return { content: say('jobs-none'), components: [] };
  const shown = jobs.slice(0, MAX_BUTTONS);
  const lines = shown.map(({ job, position }, index) => {
    const what = position === undefined ? say('jobs-line-running', { preset: job.options.preset }) : say('jobs-line-waiting', { preset: job.options.preset, position });
    return `${index + 1}. ${what} (\`${job.id}\`)`;
  });
  const buttons = shown.map(({ job }, index) =>
    new ButtonBuilder().setCustomId(cancelButtonId(job.id)).setLabel(say('jobs-cancel-button', { index: index + 1 })).setStyle(ButtonStyle.Danger),
  );
  const components: ActionRowBuilder<ButtonBuilder>[] = [];
  for (let start = 0; start < buttons.length; start += BUTTONS_PER_ROW) {
    components.push(new ActionRowBuilder<ButtonBuilder>().addComponents(...buttons.slice(start, start + BUTTONS_PER_ROW)));
  }
  return { content: [say('jobs-heading', { count: jobs.length }), ...lines].join('\n'), components };
}
