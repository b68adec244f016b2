// The /stylize slash command: its definition (registered by register.ts, answered by the adapter) and the
// reading of its options into the queue's JobOptions.
import { ApplicationIntegrationType, InteractionContextType, SlashCommandBuilder } from 'discord.js';
import type { Attachment, ChatInputCommandInteraction } from 'discord.js';
import { PRESETS, type PresetName } from '../../transfer/index.js';
import { DEFAULT_LIMITS, type JobOptions } from '../../queue/index.js';
import { say, type CommandOption, type Locale } from '../../wording/index.js';
import { BLEND_SHARES, BRUSH_SIZES, isBlendShare, isBrushSize, withBrush, type BlendShare } from '../shared/blend.js';
import { DEFAULT_PRESET, MAX_SEED, MAX_SIZE, MIN_SIZE } from '../shared/options.js';
import { isPresetName } from '../shared/presets.js';
import { offeredMinutes, readMinutes } from '../shared/run-time.js';
import { described, localizations, localizationsWithEnglish } from './locale.js';
import { paintingWords, STYLE_LIBRARY, type LibraryStyle } from '../../styles/library.js';
import { cutAtWord } from '../shared/fit.js';
import { DISCORD } from '../shared/platform-limits.js';

export const COMMAND_NAME = 'stylize';

const OPTION = {
  content: 'content',
  style: 'style',
  libraryStyle: 'library_style',
  preset: 'preset',
  size: 'size',
  seed: 'seed',
  keepColours: 'keep_colours',
  spoiler: 'spoiler',
  photoUrl: 'photo_url',
  styleUrl: 'style_url',
  style2: 'style2',
  style2Url: 'style2_url',
  libraryStyle2: 'library_style2',
  blend: 'blend',
  brushSize: 'brush_size',
  paintingTime: 'painting_time',
} as const satisfies Record<string, CommandOption>;

/**
 * An option's name in every language. Interactions carry `name`; every client in a language the bot writes
 * in, English included, sees the name its words use ("photo", "style_ratio", "painting").
 */
function named<O extends { setName(name: string): O; setNameLocalizations(names: Record<string, string>): O }>(option: O, name: CommandOption): O {
  return option.setName(name).setNameLocalizations(localizationsWithEnglish((locale) => say('option-name', { option: name }, locale)));
}

/**
 * `jobTimeoutMs`: the queue's job time limit; the painting times offered are those that fit it (none, and
 * no painting_time option, when none does).
 */
export function buildStylizeCommand(jobTimeoutMs: number = DEFAULT_LIMITS.jobTimeoutMs): SlashCommandBuilder {
  const command = described(new SlashCommandBuilder().setName(COMMAND_NAME), 'command-description')
    // In a server with the bot the result goes into a thread on the reply; in DMs, group DMs and servers where
    // only the user installed the app, into the user's DM with the bot (see ownerOf in adapter.ts).
    .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM, InteractionContextType.PrivateChannel)
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall, ApplicationIntegrationType.UserInstall);
  command
    .addAttachmentOption((option) =>
      // Optional: photo_url may stand in for it (exactly one of the two, see image-choice.ts).
      described(named(option, OPTION.content), 'option-photo'),
    )
    .addAttachmentOption((option) =>
      // Optional: a library_style may stand in for it (exactly one of the two, see library-choice.ts).
      described(named(option, OPTION.style), 'option-style-image-or-library'),
    )
    .addStringOption((option) => described(named(option, OPTION.libraryStyle), 'option-library-style').addChoices(...libraryChoices()))
    .addStringOption((option) =>
      named(option, OPTION.preset)
        .setDescription(say('option-preset', { preset: DEFAULT_PRESET }))
        .setDescriptionLocalizations(localizations((locale) => say('option-preset', { preset: DEFAULT_PRESET }, locale)))
        .addChoices(
          ...(Object.keys(PRESETS) as PresetName[]).map((preset) => ({
            name: choiceName(preset),
            name_localizations: localizations((locale) => choiceName(preset, locale)),
            value: preset,
          })),
        ),
    )
    .addIntegerOption((option) =>
      described(named(option, OPTION.size), 'option-size')
        .setMinValue(MIN_SIZE)
        .setMaxValue(MAX_SIZE),
    )
    .addIntegerOption((option) =>
      described(named(option, OPTION.seed), 'option-seed')
        .setMinValue(0)
        .setMaxValue(MAX_SEED),
    )
    .addBooleanOption((option) =>
      described(named(option, OPTION.keepColours), 'option-keep-colours'),
    )
    .addBooleanOption((option) =>
      described(named(option, OPTION.spoiler), 'option-spoiler'),
    )
    // Links to pictures already posted on Discord, instead of attaching them again (image-links.ts).
    .addStringOption((option) =>
      described(named(option, OPTION.photoUrl), 'option-photo-url'),
    )
    .addStringOption((option) =>
      described(named(option, OPTION.styleUrl), 'option-style-url'),
    )
    // A second style blended into the first (issue 19): an image, its link or a painting, and its share.
    .addAttachmentOption((option) => described(named(option, OPTION.style2), 'option-style2'))
    .addStringOption((option) => described(named(option, OPTION.style2Url), 'option-style2-url'))
    .addStringOption((option) => described(named(option, OPTION.libraryStyle2), 'option-library-style2').addChoices(...libraryChoices()))
    .addIntegerOption((option) =>
      described(named(option, OPTION.blend), 'option-blend').addChoices(
        ...BLEND_SHARES.map((share) => ({ name: cutAtWord(say('blend-choice', { share }), DISCORD.command.choiceName), name_localizations: localizations((locale) => cutAtWord(say('blend-choice', { share }, locale), DISCORD.command.choiceName)), value: share })),
      ),
    )
    .addStringOption((option) =>
      described(named(option, OPTION.brushSize), 'option-brush-size').addChoices(
        ...BRUSH_SIZES.map((brush) => ({ name: say('brush-choice', { brush }), name_localizations: localizations((locale) => say('brush-choice', { brush }, locale)), value: brush })),
      ),
    );
  // How long to paint (issue 21): whole minutes within the job time limit.
  const minutes = offeredMinutes(jobTimeoutMs);
  if (minutes.length > 0) {
    command.addIntegerOption((option) =>
      described(named(option, OPTION.paintingTime), 'option-run-time').addChoices(
        ...minutes.map((value) => ({ name: say('run-time-choice', { minutes: value }), name_localizations: localizations((locale) => say('run-time-choice', { minutes: value }, locale)), value })),
      ),
    );
  }
  return command;
}

/** The library's paintings as a command's choices, in every language. */
function libraryChoices(): Array<{ name: string; name_localizations: Partial<Record<string, string>>; value: string }> {
  return STYLE_LIBRARY.map((style) => ({ name: paintingChoice(style), name_localizations: localizations((locale) => paintingChoice(style, locale)), value: style.id }));
}

/** "The Starry Night — Swirling, thick brushstrokes…" in the reader's language, within Discord's 100 characters, never cut inside a word. */
function paintingChoice(style: LibraryStyle, locale?: Locale): string {
  const { name, description } = paintingWords(style, locale);
  return cutAtWord(say('library-choice', { name, description }, locale), DISCORD.command.choiceName);
}

/** "Balanced: Photo and style image in balance." within Discord's 100 characters, never cut inside a word. */
function choiceName(preset: PresetName, locale?: Locale): string {
  return cutAtWord(say('preset-choice', { preset }, locale), DISCORD.command.choiceName);
}

export interface StylizeInputs {
  /** The uploaded photo, if any; `photoUrl` is the other way to give it. */
  content: Attachment | undefined;
  photoUrl: string | undefined;
  /** The uploaded style image, if any; `styleUrl` and `libraryStyle` are the other ways to name a style. */
  style: Attachment | undefined;
  styleUrl: string | undefined;
  libraryStyle: string | undefined;
  /** A second style to blend in: uploaded, linked or from the library (at most one of them), and its share. */
  style2: Attachment | undefined;
  style2Url: string | undefined;
  libraryStyle2: string | undefined;
  blend: BlendShare | undefined;
  options: JobOptions;
}

/**
 * Reads the command's options; Discord enforces the ranges and the choices, chooseImage and chooseStyle the
 * rest. A painting time registered under a longer limit than today's is capped to what fits now.
 */
export function readStylizeInputs(interaction: ChatInputCommandInteraction, jobTimeoutMs: number): StylizeInputs {
  const { options } = interaction;
  const presetValue = options.getString(OPTION.preset);
  const jobOptions: JobOptions = { preset: presetValue !== null && isPresetName(presetValue) ? presetValue : DEFAULT_PRESET };
  const size = options.getInteger(OPTION.size);
  const seed = options.getInteger(OPTION.seed);
  const keepColours = options.getBoolean(OPTION.keepColours);
  if (size !== null) jobOptions.size = size;
  if (seed !== null) jobOptions.seed = seed;
  if (keepColours !== null) jobOptions.preserveColors = keepColours;
  const minutes = readMinutes(options.getInteger(OPTION.paintingTime), jobTimeoutMs);
  if (minutes !== undefined) jobOptions.runMinutes = minutes;
  const brush = options.getString(OPTION.brushSize);
  const blend = options.getInteger(OPTION.blend);
  return {
    content: options.getAttachment(OPTION.content) ?? undefined,
    photoUrl: options.getString(OPTION.photoUrl) ?? undefined,
    style: options.getAttachment(OPTION.style) ?? undefined,
    styleUrl: options.getString(OPTION.styleUrl) ?? undefined,
    libraryStyle: options.getString(OPTION.libraryStyle) ?? undefined,
    style2: options.getAttachment(OPTION.style2) ?? undefined,
    style2Url: options.getString(OPTION.style2Url) ?? undefined,
    libraryStyle2: options.getString(OPTION.libraryStyle2) ?? undefined,
    blend: isBlendShare(blend) ? blend : undefined,
    options: isBrushSize(brush) ? withBrush(jobOptions, brush) : jobOptions,
  };
}

/** Whether the result and previews are to be sent as spoilers. */
export function readSpoiler(interaction: ChatInputCommandInteraction): boolean {
  return interaction.options.getBoolean(OPTION.spoiler) === true;
}
