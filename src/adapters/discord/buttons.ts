// Buttons on job messages. Their custom ids carry everything needed to act on them (the job id and, for a
// rerun, the preset to use), so buttons keep working after the bot restarts.
import { ActionRowBuilder, ButtonBuilder, ButtonStyle } from 'discord.js';
import { type PresetName, PRESETS } from '../../transfer/index.js';
import { isPresetName, nextPreset } from '../shared/presets.js';

const PREFIX = 'stylize';

export type ButtonCommand = { action: 'cancel'; jobId: string } | { action: 'rerun'; jobId: string; preset: PresetName };

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
  return undefined;
}

export function cancelRow(jobId: string): ActionRowBuilder<ButtonBuilder> {
  return new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder().setCustomId(cancelButtonId(jobId)).setLabel('Cancel').setStyle(ButtonStyle.Danger),
  );
}

/** "More content" and "More style": the neighbouring presets; a button is left out at either end. */
export function rerunRow(jobId: string, preset: PresetName): ActionRowBuilder<ButtonBuilder> | undefined {
  const buttons: ButtonBuilder[] = [];
  const lessStyle = nextPreset(preset, 'more-content');
  const moreStyle = nextPreset(preset, 'more-style');
  if (lessStyle) {
    buttons.push(
      new ButtonBuilder().setCustomId(rerunButtonId(jobId, lessStyle)).setLabel(`More content (${PRESETS[lessStyle].label})`).setStyle(ButtonStyle.Secondary),
    );
  }
  if (moreStyle) {
    buttons.push(
      new ButtonBuilder().setCustomId(rerunButtonId(jobId, moreStyle)).setLabel(`More style (${PRESETS[moreStyle].label})`).setStyle(ButtonStyle.Primary),
    );
  }
  return buttons.length > 0 ? new ActionRowBuilder<ButtonBuilder>().addComponents(...buttons) : undefined;
}
