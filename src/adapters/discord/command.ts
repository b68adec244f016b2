// The /stylize slash command: its definition (registered by register.ts, answered by the adapter) and the
// reading of its options into the queue's JobOptions.
import { ApplicationIntegrationType, InteractionContextType, SlashCommandBuilder } from 'discord.js';
import type { Attachment, ChatInputCommandInteraction } from 'discord.js';
import { PRESETS, type PresetName } from '../../transfer/index.js';
import type { JobOptions } from '../../queue/index.js';
import { say } from '../../wording/index.js';
import { DEFAULT_PRESET, MAX_SEED, MAX_SIZE, MIN_SIZE } from '../shared/options.js';
import { isPresetName } from '../shared/presets.js';

export const COMMAND_NAME = 'stylize';

const OPTION = {
  content: 'content',
  style: 'style',
  preset: 'preset',
  size: 'size',
  seed: 'seed',
  keepColours: 'keep_colours',
  spoiler: 'spoiler',
} as const;

export function buildStylizeCommand(): SlashCommandBuilder {
  const command = new SlashCommandBuilder()
    .setName(COMMAND_NAME)
    .setDescription(say('command-description'))
    // In a server with the bot the result goes into a thread on the reply; in DMs, group DMs and servers where
    // only the user installed the app, into the user's DM with the bot (see ownerOf in adapter.ts).
    .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM, InteractionContextType.PrivateChannel)
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall, ApplicationIntegrationType.UserInstall);
  command
    .addAttachmentOption((option) =>
      option.setName(OPTION.content).setDescription(say('option-photo')).setRequired(true),
    )
    .addAttachmentOption((option) =>
      option.setName(OPTION.style).setDescription(say('option-style-image')).setRequired(true),
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
    )
    .addBooleanOption((option) => option.setName(OPTION.spoiler).setDescription(say('option-spoiler')));
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

/** Whether the result and previews are to be sent as spoilers. */
export function readSpoiler(interaction: ChatInputCommandInteraction): boolean {
  return interaction.options.getBoolean(OPTION.spoiler) === true;
}
