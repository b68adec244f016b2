// The message command "Stylize" (Apps → Stylize on a message): the message's images become the job's.
// Two images: the first is the photo, the second the style image, and the job starts at once. One image:
// it is the photo, and a picker offers the style library. More than two: a picker for the photo and the
// style image (the first two chosen by default) and a button to start. Pickers are ephemeral messages;
// what they offer is kept here in memory for as long as Discord lets the bot answer (15 minutes), since a
// custom id cannot hold attachment addresses and the bot may not read messages later.
import { ActionRowBuilder, ButtonBuilder, ButtonStyle, MessageFlags, StringSelectMenuBuilder } from 'discord.js';
import type { Attachment, ButtonInteraction, MessageContextMenuCommandInteraction, StringSelectMenuInteraction } from 'discord.js';
import type { Clock, JobOptions } from '../../queue/index.js';
import { findLibraryStyle, paintingWords, STYLE_LIBRARY, type LibraryStyle } from '../../styles/library.js';
import { say, type Locale } from '../../wording/index.js';
import { DEFAULT_PRESET } from '../shared/options.js';
import { cutAtWord } from '../shared/fit.js';
import { DISCORD } from '../shared/platform-limits.js';
import { permissionRefusal } from './channel-permissions.js';
import type { ImageLink } from './image-links.js';
import { localeOf } from './locale.js';

const PREFIX = 'stylize-pick';
const PICKER_LIFETIME_MS = 15 * 60_000;

/** The interactions a job can be started from; the job's public reply answers it. */
export type JobInteraction = MessageContextMenuCommandInteraction | StringSelectMenuInteraction | ButtonInteraction;

export interface JobImages {
  /** An upload, or a link to a picture already posted (/stylize's photo_url). */
  content: Attachment | ImageLink;
  /** An uploaded or linked image, or a painting of the library. */
  style: Attachment | ImageLink | LibraryStyle;
  /** A second style blended into the first (/stylize's style2, style2_url or library_style2); the options say its share. */
  style2?: Attachment | ImageLink | LibraryStyle;
}

export interface MessageCommandDeps {
  clock: Clock;
  /** The /stylize flow from the checks on (permissions, images, a place in line, downloads, the job). */
  startJob(interaction: JobInteraction, images: JobImages, options: JobOptions, receivedAt: number): Promise<void>;
}

interface Picker {
  userId: string;
  images: Attachment[];
  photo: number;
  style: number;
  createdAt: number;
}

/** Jobs from a message always use the default settings: a message command has no options. */
const MESSAGE_JOB_OPTIONS: JobOptions = { preset: DEFAULT_PRESET };

export function isPickerId(customId: string): boolean {
  return customId.startsWith(`${PREFIX}:`);
}

export class MessageCommand {
  private readonly pickers = new Map<string, Picker>();

  constructor(private readonly deps: MessageCommandDeps) {}

  async onCommand(interaction: MessageContextMenuCommandInteraction): Promise<void> {
    const receivedAt = this.deps.clock.now();
    // Pickers and notes are only the asker's to see: in the asker's language.
    const locale = localeOf(interaction);
    const images = [...interaction.targetMessage.attachments.values()].filter((attachment) => attachment.contentType?.startsWith('image/') === true);
    const [first, second] = images;
    if (!first) {
      await interaction.reply({ content: say('context-no-images', {}, locale), flags: MessageFlags.Ephemeral });
      return;
    }
    // Before offering a choice, so nobody picks in vain; the job's start checks again.
    const refusal = permissionRefusal(interaction);
    if (refusal) {
      await interaction.reply({ content: `⚠️ ${refusal}`, flags: MessageFlags.Ephemeral });
      return;
    }
    if (second && images.length === 2) {
      await this.deps.startJob(interaction, { content: first, style: second }, MESSAGE_JOB_OPTIONS, receivedAt);
      return;
    }
    this.forgetOld();
    const key = interaction.id;
    this.pickers.set(key, { userId: interaction.user.id, images, photo: 0, style: 1, createdAt: receivedAt });
    const components = images.length === 1 ? [libraryRow(key, locale)] : imageRows(key, images, locale);
    const content = images.length === 1 ? say('context-pick-library', {}, locale) : say('context-pick-images', { count: images.length }, locale);
    await interaction.reply({ content, components, flags: MessageFlags.Ephemeral });
  }

  /** A choice in a picker: remember it, or start the job. */
  async onPick(interaction: StringSelectMenuInteraction | ButtonInteraction): Promise<void> {
    const receivedAt = this.deps.clock.now();
    const [, key = '', part] = interaction.customId.split(':');
    this.forgetOld();
    const picker = this.pickers.get(key);
    if (!picker || picker.userId !== interaction.user.id) {
      await interaction.reply({ content: say('context-picker-expired', {}, localeOf(interaction)), flags: MessageFlags.Ephemeral });
      return;
    }
    const value = interaction.isStringSelectMenu() ? interaction.values[0] : undefined;
    if (part === 'library') {
      const style = value === undefined ? undefined : findLibraryStyle(value);
      const [photo] = picker.images;
      if (!style || !photo) return this.expired(interaction);
      this.pickers.delete(key);
      await this.deps.startJob(interaction, { content: photo, style }, MESSAGE_JOB_OPTIONS, receivedAt);
      return;
    }
    if (part === 'photo' || part === 'style') {
      const index = Number(value);
      if (!Number.isInteger(index) || index < 0 || index >= picker.images.length) return this.expired(interaction);
      picker[part] = index;
      await interaction.deferUpdate();
      return;
    }
    const photo = picker.images[picker.photo];
    const style = picker.images[picker.style];
    if (!photo || !style) return this.expired(interaction);
    if (picker.photo === picker.style) {
      await interaction.reply({ content: say('context-pick-same', {}, localeOf(interaction)), flags: MessageFlags.Ephemeral });
      return;
    }
    this.pickers.delete(key);
    await this.deps.startJob(interaction, { content: photo, style }, MESSAGE_JOB_OPTIONS, receivedAt);
  }

  private async expired(interaction: StringSelectMenuInteraction | ButtonInteraction): Promise<void> {
    await interaction.reply({ content: say('context-picker-expired', {}, localeOf(interaction)), flags: MessageFlags.Ephemeral });
  }

  /** Pickers Discord no longer lets the bot answer are dropped, so the map stays small. */
  private forgetOld(): void {
    const oldest = this.deps.clock.now() - PICKER_LIFETIME_MS;
    for (const [key, picker] of this.pickers) if (picker.createdAt < oldest) this.pickers.delete(key);
  }
}

export function libraryRow(key: string, locale: Locale): ActionRowBuilder<StringSelectMenuBuilder> {
  const select = new StringSelectMenuBuilder()
    .setCustomId(`${PREFIX}:${key}:library`)
    .setPlaceholder(say('context-pick-style', {}, locale))
    .addOptions(
      STYLE_LIBRARY.map((style) => {
        const words = paintingWords(style, locale);
        return { label: cutAtWord(words.name, DISCORD.selectOptionLabel), value: style.id, description: cutAtWord(words.description, DISCORD.selectOptionDescription) };
      }),
    );
  return new ActionRowBuilder<StringSelectMenuBuilder>().addComponents(select);
}

export function imageRows(key: string, images: readonly Attachment[], locale: Locale): Array<ActionRowBuilder<StringSelectMenuBuilder> | ActionRowBuilder<ButtonBuilder>> {
  const select = (part: 'photo' | 'style', chosen: number, placeholder: string) =>
    new ActionRowBuilder<StringSelectMenuBuilder>().addComponents(
      new StringSelectMenuBuilder()
        .setCustomId(`${PREFIX}:${key}:${part}`)
        .setPlaceholder(placeholder)
        .addOptions(
          images.map((image, index) => ({
            label: cutAtWord(say('context-image-label', { index: index + 1, fileName: image.name }, locale), DISCORD.selectOptionLabel),
            value: String(index),
            default: index === chosen,
          })),
        ),
    );
  const start = new ButtonBuilder().setCustomId(`${PREFIX}:${key}:go`).setLabel(say('form-submit', {}, locale)).setStyle(ButtonStyle.Primary);
  return [select('photo', 0, say('context-pick-photo', {}, locale)), select('style', 1, say('context-pick-style', {}, locale)), new ActionRowBuilder<ButtonBuilder>().addComponents(start)];
}
