// What /stylize-help and /stylize-jobs answer (only to the user who asked): pure rendering of the shared
// help text (in several messages once it outgrows one) and of the caller's jobs, with one Cancel button per
// job. The buttons carry the job's usual cancel id, so the job buttons' handler (adapter.ts) cancels them,
// for the owner only.
import { ActionRowBuilder, ButtonBuilder, ButtonStyle } from 'discord.js';
import type { JobInfo } from '../../queue/index.js';
import { say, type Locale } from '../../wording/index.js';
import { helpLines } from '../shared/help.js';
import type { HelpFacts } from '../shared/help.js';
import { cancelButtonId } from './buttons.js';
import { fitCount, listMore, pagesOf } from '../shared/fit.js';
import { DISCORD } from '../shared/platform-limits.js';

/** Every button in its own job's row: at most five rows of five. */
const MAX_BUTTONS = DISCORD.buttonsPerRow * DISCORD.rowsPerMessage;

/** The help in as many messages as it takes (each within Discord's limit): the first answers, the others follow. */
export function renderHelp(facts: HelpFacts, locale: Locale): string[] {
  return pagesOf(helpLines('discord', facts, (text) => `**${text}**`, locale), DISCORD.content);
}

interface JobsPayload {
  content: string;
  components: ActionRowBuilder<ButtonBuilder>[];
}

/** The asker's jobs, worded in the asker's language: as many as fit (with their Cancel buttons), then "and N more". */
export function renderJobs(jobs: ReadonlyArray<{ job: JobInfo; position?: number }>, locale: Locale): JobsPayload {
  if (jobs.length === 0) return { content: say('jobs-none', {}, locale), components: [] };
  const lines = jobs.slice(0, MAX_BUTTONS).map(({ job, position }, index) => {
    const what =
      position === undefined
        ? say('jobs-line-running', { preset: job.options.preset }, locale)
        : say('jobs-line-waiting', { preset: job.options.preset, position }, locale);
    return `${index + 1}. ${what} (\`${job.id}\`)`;
  });
  const render = (shown: number): string => {
    const more = listMore(jobs.length - shown, locale);
    return [say('jobs-heading', { count: jobs.length }, locale), ...lines.slice(0, shown), ...(more ? [`… ${more}`] : [])].join('\n');
  };
  const shown = fitCount(lines.length, DISCORD.content, render);
  const buttons = jobs.slice(0, shown).map(({ job }, index) =>
    new ButtonBuilder().setCustomId(cancelButtonId(job.id)).setLabel(say('jobs-cancel-button', { index: index + 1 }, locale)).setStyle(ButtonStyle.Danger),
  );
  const components: ActionRowBuilder<ButtonBuilder>[] = [];
  for (let start = 0; start < buttons.length; start += DISCORD.buttonsPerRow) {
    components.push(new ActionRowBuilder<ButtonBuilder>().addComponents(...buttons.slice(start, start + DISCORD.buttonsPerRow)));
  }
  return { content: render(shown), components };
}
