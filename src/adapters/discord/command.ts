// The /stylize slash command: its definition (registered by register.ts, answered by the adapter) and the
// reading of its options into the queue's JobOptions.
import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import type { Attachment, ChatInputCommandInteraction } from 'discord.js';
import { PRESETS, type PresetName } from '../../transfer/index.js';
import type { JobOptions } from '../../queue/index.js';
import { say } from '../../wording/index.js';
import { DEFAULT_PRESET, MAX_SEED, MAX_SIZE, MIN_SIZE } from '../shared/options.js';
import { isPresetName } from '../shared/presets.js';
import { STYLE_LIBRARY } from '../../styles/library.js';

export const COMMAND_NAME = 'stylize';

const OPTION = {
  content: 'content',
  style: 'style',
  libraryStyle: 'library_style',
  preset: 'preset',
  size: 'size',
  seed: 'seed',
  keepColours: 'keep_colours',
} as const;

export function buildStylizeCommand(): SlashCommandBuilder {
  const command = new SlashCommandBuilder()
    .setName(COMMAND_NAME)
    .setDescription(say('command-description'))
    // The result goes into a thread started on the reply, and threads exist only in servers.
    .setContexts(InteractionContextType.Guild);
  command
    .addAttachmentOption((option) =>
      option.setName(OPTION.content).setDescription(say('option-photo')).setRequired(true),
    )
    .addAttachmentOption((option) =>
      // Optional: a library_style may stand in for it (exactly one of the two, see library-choice.ts).
      option.setName(OPTION.style).setDescription(say('option-style-image-or-library')),
    )
    .addStringOption((option) =>
      option
        .setName(OPTION.libraryStyle)
        .setDescription(say('option-library-style'))
        .addChoices(...STYLE_LIBRARY.map((style) => ({ name: `${style.name}: ${style.description}`.slice(0, 100), value: style.id }))),
    )
    .addStringOption((option) =>
      option
        .setName(OPTION.preset)
        .setDescription(say('option-preset', { preset: DEFAULT_PRESET }))
        .addChoices(
          ...(Object.keys(PRESETS) as PresetName[]).map((preset) => ({
            name: `${say('preset-label', { preset })}: ${say('preset-description', { preset })}`.slice(0, 100),
            value: preset,
          })),
        ),
    )
    .addIntegerOption((option) =>
      option
        .setName(OPTION.size)
        .setDescription(say('option-size'))
        .setMinValue(MIN_SIZE)
        .setMaxValue(MAX_SIZE),
    )
    .addIntegerOption((option) =>
      option.setName(OPTION.seed).setDescription(say('option-seed')).setMinValue(0).setMaxValue(MAX_SEED),
    )
    .addBooleanOption((option) =>
      option.setName(OPTION.keepColours).setDescription(say('option-keep-colours')),
    );
  return command;
}

export interface StylizeInputs {
  content: Attachment;
  /** The uploaded style image, if any; `libraryStyle` is the other way to name a style. */
  style: Attachment | undefined;
  libraryStyle: string | undefined;
  options: JobOptions;
}

/** Reads the command's options; Discord enforces the required ones, the ranges and the choices. */
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
  return {
    content: options.getAttachment(OPTION.content, true),
    style: options.getAttachment(OPTION.style) ?? undefined,
    libraryStyle: options.getString(OPTION.libraryStyle) ?? undefined,
    options: jobOptions,
  };
}
