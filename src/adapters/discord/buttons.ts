// Buttons on job messages. Their custom ids carry everything needed to act on them (the job id and, for a
// rerun, the preset to use), so buttons keep working after the bot restarts. Which buttons a message has,
// and their labels, come from the shared job view.
import { ActionRowBuilder, ButtonBuilder, ButtonStyle } from 'discord.js';
import type { PresetName } from '../../transfer/index.js';
import type { JobButton } from '../shared/job-view.js';
import { isPresetName } from '../shared/presets.js';
import { isResultButton, parseResultButtonId, resultButton, type ResultButtonCommand } from './result-buttons.js';

const PREFIX = 'stylize';

export type ButtonCommand = { action: 'cancel'; jobId: string } | { action: 'rerun'; jobId: string; preset: PresetName } | ResultButtonCommand;

export function cancelButtonId(jobId: string): string {
  return `${PREFIX}:cancel:${jobId}`;
}

export function rerunButtonId(jobId: string, preset: PresetName): string {
  return `${PREFIX}:rerun:${preset}:${jobId}`;
}

/** The command a custom id stands for, or undefined when the id is not one of ours. */
export function parseButtonId(customId: string): ButtonCommand | undefined {
  const parts = customId.split(':');
  if (parts[0] !== PREFIX) return undefined;
  if (parts[1] === 'cancel' && parts.length === 3 && parts[2]) return { action: 'cancel', jobId: parts[2] };
  const preset = parts[2];
  if (parts[1] === 'rerun' && parts.length === 4 && preset !== undefined && isPresetName(preset) && parts[3]) {
    return { action: 'rerun', jobId: parts[3], preset };
  }
  return parseResultButtonId(customId);
}

function button(jobId: string, choice: JobButton): ButtonBuilder {
  if (choice.action === 'cancel') return new ButtonBuilder().setCustomId(cancelButtonId(jobId)).setLabel(choice.label).setStyle(ButtonStyle.Danger);
  if (isResultButton(choice)) return resultButton(jobId, choice);
  const style = choice.direction === 'more-style' ? ButtonStyle.Primary : ButtonStyle.Secondary;
  return new ButtonBuilder().setCustomId(rerunButtonId(jobId, choice.preset)).setLabel(choice.label).setStyle(style);
}

/** Discord's most buttons in one row. */
const ROW_MAX = 5;

/**
 * The buttons in rows: the ones that run the job again first, then the brush sizes (they run it again too,
 * on a row of their own), the others below (none: no rows).
 */
export function buttonRows(jobId: string, buttons: readonly JobButton[]): ActionRowBuilder<ButtonBuilder>[] {
  const runsAgain = (choice: JobButton): boolean => choice.action === 'cancel' || choice.action === 'rerun' || choice.action === 'bigger' || choice.action === 'colours';
  const runs = buttons.filter(runsAgain);
  const brushes = buttons.filter((choice) => choice.action === 'brush');
  const others = buttons.filter((choice) => !runsAgain(choice) && choice.action !== 'brush');
  const rows: ActionRowBuilder<ButtonBuilder>[] = [];
  for (const group of [runs, brushes, others]) {
    for (let start = 0; start < group.length; start += ROW_MAX) {
      rows.push(new ActionRowBuilder<ButtonBuilder>().addComponents(...group.slice(start, start + ROW_MAX).map((choice) => button(jobId, choice))));
    }
  }
  return rows;
}
