// What /stylize-help and /stylize-jobs answer (only to the user who asked): pure rendering of the shared
// help text and of the caller's jobs, with one Cancel button per job. The buttons carry the job's usual
// cancel id, so the job buttons' handler (adapter.ts) cancels them, for the owner only.
import { ActionRowBuilder, ButtonBuilder, ButtonStyle } from 'discord.js';
import type { JobInfo } from '../../queue/index.js';
import { say, type Locale } from '../../wording/index.js';
import { helpLines } from '../shared/help.js';
import type { HelpFacts } from '../shared/help.js';
import { cancelButtonId } from './buttons.js';

/** Discord: 5 buttons a row, 5 rows a message. */
const BUTTONS_PER_ROW = 5;
const MAX_BUTTONS = 25;

export function renderHelp(facts: HelpFacts, locale: Locale): string {
  return helpLines('discord', facts, (text) => `**${text}**`, locale).join('\n');
}

interface JobsPayload {
  content: string;
  components: ActionRowBuilder<ButtonBuilder>[];
}

/** The asker's jobs, worded in the asker's language. */
export function renderJobs(jobs: ReadonlyArray<{ job: JobInfo; position?: number }>, locale: Locale): JobsPayload {
  if (jobs.length === 0) return { content: say('jobs-none', {}, locale), components: [] };
  const shown = jobs.slice(0, MAX_BUTTONS);
  const lines = shown.map(({ job, position }, index) => {
    const what =
      position === undefined
        ? say('jobs-line-running', { preset: job.options.preset }, locale)
        : say('jobs-line-waiting', { preset: job.options.preset, position }, locale);
    return `${index + 1}. ${what} (\`${job.id}\`)`;
  });
  const buttons = shown.map(({ job }, index) =>
    new ButtonBuilder().setCustomId(cancelButtonId(job.id)).setLabel(say('jobs-cancel-button', { index: index + 1 }, locale)).setStyle(ButtonStyle.Danger),
  );
  const components: ActionRowBuilder<ButtonBuilder>[] = [];
  for (let start = 0; start < buttons.length; start += BUTTONS_PER_ROW) {
    components.push(new ActionRowBuilder<ButtonBuilder>().addComponents(...buttons.slice(start, start + BUTTONS_PER_ROW)));
  }
  return { content: [say('jobs-heading', { count: jobs.length }, locale), ...lines].join('\n'), components };
}
