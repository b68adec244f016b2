// The /stylize slash command: its definition (registered by register.ts, answered by the adapter) and the
// reading of its options into the queue's JobOptions.
import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import type { Attachment, ChatInputCommandInteraction } from 'discord.js';
import { PRESETS } from '../../transfer/index.js';
import type { JobOptions } from '../../queue/index.js';
import { ACCEPTED_FORMATS_TEXT } from '../shared/formats.js';
import { DEFAULT_PRESET, MAX_SEED, MAX_SIZE, MIN_SIZE } from '../shared/options.js';
import { isPresetName } from '../shared/presets.js';

export const COMMAND_NAME = 'stylize';

export const OPTION = {
  content: 'content',
  style: 'style',
  preset: 'preset',
  size: 'size',
  seed: 'seed',
  keepColours: 'keep_colours',
} as const;

export function buildStylizeCommand(): SlashCommandBuilder {
  const command = new SlashCommandBuilder()
    .setName(COMMAND_NAME)
    .setDescription('Paint your photo in the style of another image.')
    // The result goes into a thread started on the reply, and threads exist only in servers.
    .setContexts(InteractionContextType.Guild);
  command
    .addAttachmentOption((option) =>
      option.setName(OPTION.content).setDescription(`Your photo (${ACCEPTED_FORMATS_TEXT}).`).setRequired(true),
    )
    .addAttachmentOption((option) =>
      option.setName(OPTION.style).setDescription('The painting whose style to use.').setRequired(true),
    )
    .addStringOption((option) =>
      option
        .setName(OPTION.preset)
        .setDescription(`How much of the painting's style to apply (default: ${PRESETS[DEFAULT_PRESET].label}).`)
        .addChoices(
          ...Object.entries(PRESETS).map(([name, preset]) => ({ name: `${preset.label}: ${preset.description}`.slice(0, 100), value: name })),
        ),
    )
    .addIntegerOption((option) =>
      option
        .setName(OPTION.size)
        .setDescription('Long side of the result in pixels (larger takes longer).')
        .setMinValue(MIN_SIZE)
        .setMaxValue(MAX_SIZE),
    )
    .addIntegerOption((option) =>
      option.setName(OPTION.seed).setDescription('Same seed and settings give the same picture.').setMinValue(0).setMaxValue(MAX_SEED),
    )
    .addBooleanOption((option) =>
      option.setName(OPTION.keepColours).setDescription("Keep your photo's colours and take only the brushwork."),
    );
  return command;
}

export interface StylizeInputs {
  content: Attachment;
  style: Attachment;
  options: JobOptions;
}

/** Reads the command's options; Discord enforces the required ones and the ranges. */
export function readStylizeInputs(interaction: ChatInputCommandInteraction): StylizeInputs {
  const { options } = interaction;
  const presetValue = options.getString(OPTION.preset);
  const jobOptions: JobOptions = { preset: presetValue !== null && isPresetName(presetValue) ? presetValue : DEFAULT_PRESET };
  const size = options.getInteger(OPTION.size);
  const seed = options.getInteger(OPTION.seed);
  const keepColours = options.getBoolean(OPTION.keepColours);
  if (size !== null) jobOptions.size = size;
  if (seed !== null) jobOptions.seed = seed;
  if (keepColours !== null) jobOptions.preserveColors = keepColours;
  return { content: options.getAttachment(OPTION.content, true), style: options.getAttachment(OPTION.style, true), options: jobOptions };
}
