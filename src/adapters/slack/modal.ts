// The /stylize modal: the photo and style image inputs (or, from the message shortcut, the message's two
// images), a second style to blend in, the style ratio, brush size and the same options as on Discord; and
// the reading of a submission into JobOptions.
import type { types, ViewStateValue } from '@slack/bolt';
import { PRESETS, type PresetName } from '../../transfer/index.js';
import { DEFAULT_LIMITS, type JobOptions } from '../../queue/index.js';
import { ACCEPTED_FILE_TYPES, isLocale, say, tell, UserError, type Locale } from '../../wording/index.js';
import { paintingWords, STYLE_LIBRARY } from '../../styles/library.js';
import { BLEND_SHARES, BRUSH_SIZES, DEFAULT_BLEND_SHARE, isBlendShare, isBrushSize, withBrush, withSecondStyle } from '../shared/blend.js';
import { chooseSecondStyle, chooseStyle } from '../shared/library-choice.js';
import { isPresetName } from '../shared/presets.js';
import { offeredMinutes, readMinutes, withMinutes } from '../shared/run-time.js';
import { DEFAULT_PRESET, MAX_SEED, MAX_SIZE, MIN_SIZE } from '../shared/options.js';
import { BLOCK, INPUT_ACTION, MODAL_CALLBACK } from './ids.js';
import { refuseDeclaredFile } from './files.js';
import { escapeMrkdwn } from './mrkdwn.js';
import { cutAtWord } from '../shared/fit.js';
import { SLACK } from '../shared/platform-limits.js';
import type { DeclaredFile } from './files.js';

/** Carried through the modal in private_metadata (Slack sends it back on submission). */
export interface ModalMetadata {
  /** Where the command or shortcut was used: the job message goes there. */
  channel: string;
  /** Set when the images come from a message (shortcut): file ids, first = content, second = style. */
  messageFiles?: MessageFiles;
  /** The user's language, looked up when the modal opened: the form's own errors and the job's messages use it. */
  locale?: Locale;
}

type Values = Record<string, Record<string, ViewStateValue>>;

/** The two images of a message, first the photo, then the style image: file ids, or names to show. */
export interface MessageFiles {
  content: string;
  style: string;
}

/**
 * The photo, the style image unless the options name a library style (options.libraryStyle), and a second
 * style image when the options blend in an uploaded one (options.extraStyles without a library painting).
 */
export interface SubmittedFiles {
  content: DeclaredFile;
  style?: DeclaredFile;
  style2?: DeclaredFile;
}

export type Submission =
  | { ok: true; files: SubmittedFiles; options: JobOptions }
  | { ok: false; errors: Record<string, string> };

const plain = (text: string): types.PlainTextElement => ({ type: 'plain_text', text });

function fileInput(blockId: string, label: string, hint: string, optional = false): types.InputBlock {
  return {
    type: 'input',
    block_id: blockId,
    optional,
    label: plain(label),
    hint: plain(hint),
    // The bytes are still checked after download.
    element: { type: 'file_input', action_id: INPUT_ACTION, filetypes: [...ACCEPTED_FILE_TYPES], max_files: 1 },
  };
}

function optionBlocks(locale: Locale | undefined, initialPreset: PresetName, jobTimeoutMs: number): types.KnownBlock[] {
  const presetOptions = (Object.keys(PRESETS) as PresetName[]).map((preset) => ({
    text: plain(say('preset-label', { preset }, locale)),
    description: plain(cutAtWord(say('preset-description', { preset }, locale), SLACK.optionDescription)),
    value: preset,
  }));
  const initial = presetOptions.find((option) => option.value === initialPreset);
  return [
    {
      type: 'input',
      block_id: BLOCK.preset,
      label: plain(say('form-preset', {}, locale)),
      element: { type: 'static_select', action_id: INPUT_ACTION, options: presetOptions, ...(initial ? { initial_option: initial } : {}) },
    },
    {
      type: 'input',
      block_id: BLOCK.size,
      optional: true,
      label: plain(say('form-size', {}, locale)),
      hint: plain(say('form-size-hint', { min: MIN_SIZE, max: MAX_SIZE }, locale)),
      element: { type: 'number_input', action_id: INPUT_ACTION, is_decimal_allowed: false, min_value: String(MIN_SIZE), max_value: String(MAX_SIZE) },
    },
    {
      type: 'input',
      block_id: BLOCK.seed,
      optional: true,
      label: plain(say('form-seed', {}, locale)),
      hint: plain(say('option-seed', {}, locale)),
      element: { type: 'number_input', action_id: INPUT_ACTION, is_decimal_allowed: false, min_value: '0', max_value: String(MAX_SEED) },
    },
    {
      type: 'input',
      block_id: BLOCK.colours,
      optional: true,
      label: plain(say('form-colours', {}, locale)),
      element: {
        type: 'checkboxes',
        action_id: INPUT_ACTION,
        options: [{ text: plain(say('form-keep-colours', {}, locale)), value: 'keep', description: plain(say('form-keep-colours-hint', {}, locale)) }],
      },
    },
    {
      type: 'input',
      block_id: BLOCK.brushSize,
      optional: true,
      label: plain(say('form-brush-size', {}, locale)),
      hint: plain(say('option-brush-size', {}, locale)),
      element: { type: 'static_select', action_id: INPUT_ACTION, options: BRUSH_SIZES.map((brush) => ({ text: plain(say('brush-choice', { brush }, locale)), value: brush })) },
    },
    ...paintingTimeBlocks(locale, jobTimeoutMs),
  ];
}

/** How long to paint: the whole minutes within the job time limit; no field when none fits. Left empty: the usual run. */
function paintingTimeBlocks(locale: Locale | undefined, jobTimeoutMs: number): types.KnownBlock[] {
  const minutes = offeredMinutes(jobTimeoutMs);
  if (minutes.length === 0) return [];
  return [
    {
      type: 'input',
      block_id: BLOCK.paintingTime,
      optional: true,
      label: plain(say('form-run-time', {}, locale)),
      hint: plain(say('option-run-time', {}, locale)),
      element: { type: 'static_select', action_id: INPUT_ACTION, options: minutes.map((value) => ({ text: plain(say('run-time-choice', { minutes: value }, locale)), value: String(value) })) },
    },
  ];
}

/** A second style, blended into the first: an upload or a library painting, and its share. */
function secondStyleBlocks(locale: Locale | undefined): types.KnownBlock[] {
  return [
    fileInput(BLOCK.style2, say('form-style2', {}, locale), say('form-style2-hint', {}, locale), true),
    libraryBlock(BLOCK.libraryStyle2, say('form-library-style2', {}, locale), say('option-library-style2', {}, locale), locale),
    {
      type: 'input',
      block_id: BLOCK.blend,
      optional: true,
      label: plain(say('form-blend', {}, locale)),
      hint: plain(say('option-blend', {}, locale)),
      element: {
        type: 'static_select',
        action_id: INPUT_ACTION,
        options: BLEND_SHARES.map((share) => ({ text: plain(cutAtWord(say('blend-choice', { share }, locale), SLACK.optionText)), value: String(share) })),
      },
    },
  ];
}

/** The built-in paintings, as a select next to a style image's file input. */
function libraryBlock(blockId: string, label: string, hint: string, locale: Locale | undefined): types.InputBlock {
  return {
    type: 'input',
    block_id: blockId,
    optional: true,
    label: plain(label),
    hint: plain(hint),
    element: {
      type: 'static_select',
      action_id: INPUT_ACTION,
      options: STYLE_LIBRARY.map((style) => {
        const words = paintingWords(style, locale);
        return { text: plain(cutAtWord(words.name, SLACK.optionText)), description: plain(cutAtWord(words.description, SLACK.optionDescription)), value: style.id };
      }),
    },
  };
}

/** The modal; `messageFileNames` switches it to the shortcut form (images taken from the message). */
/** `initialPreset`: the workspace's default style ratio, where its admins set one. */
/** `jobTimeoutMs`: the queue's job time limit, which decides the painting times offered. */
export function stylizeModal(metadata: ModalMetadata, messageFileNames?: MessageFiles, initialPreset: PresetName = DEFAULT_PRESET, jobTimeoutMs: number = DEFAULT_LIMITS.jobTimeoutMs): types.ModalView {
  const { locale } = metadata;
  const imageBlocks: types.KnownBlock[] = messageFileNames
    ? [
        {
          type: 'section',
          text: { type: 'mrkdwn', text: say('form-message-images', { photo: escapeMrkdwn(messageFileNames.content), styleImage: escapeMrkdwn(messageFileNames.style) }, locale) },
        },
      ]
    : [
        fileInput(BLOCK.content, say('form-photo', {}, locale), say('form-photo-hint', {}, locale)),
        // Optional: the library select below may stand in for it (exactly one of the two).
        fileInput(BLOCK.style, say('form-style-image', {}, locale), say('form-style-image-optional-hint', {}, locale), true),
        libraryBlock(BLOCK.libraryStyle, say('form-library-style', {}, locale), say('form-library-style-hint', {}, locale), locale),
        ...secondStyleBlocks(locale),
      ];
  return {
    type: 'modal',
    callback_id: MODAL_CALLBACK,
    private_metadata: JSON.stringify(metadata),
    title: plain(say('form-title', {}, locale)),
    submit: plain(say('form-submit', {}, locale)),
    close: plain(say('form-close', {}, locale)),
    blocks: [...imageBlocks, ...optionBlocks(locale, initialPreset, jobTimeoutMs)],
  };
}

/** A modal with a message only, for when there is nothing to submit. */
export function noticeModal(text: string, locale?: Locale): types.ModalView {
  return { type: 'modal', title: plain(cutAtWord(say('form-title', {}, locale), SLACK.modal.title)), close: plain(say('form-ok', {}, locale)), blocks: [{ type: 'section', text: plain(text) }] };
}

export function parseMetadata(raw: string): ModalMetadata | undefined {
  try {
    const value = JSON.parse(raw) as unknown;
    if (typeof value !== 'object' || value === null) return undefined;
    const { channel, messageFiles, locale } = value as Record<string, unknown>;
    if (typeof channel !== 'string' || channel === '') return undefined;
    // A form opened before languages, or naming one this version lacks, reads English.
    const language = isLocale(locale) ? { locale } : {};
    if (messageFiles === undefined) return { channel, ...language };
    const files = messageFiles as Record<string, unknown>;
    if (typeof files.content !== 'string' || typeof files.style !== 'string') return undefined;
    return { channel, messageFiles: { content: files.content, style: files.style }, ...language };
  } catch {
    return undefined;
  }
}

/** Reads and checks a submission; field errors are keyed by block id for response_action 'errors'. */
export function readSubmission(values: Values, metadata: ModalMetadata, maxBytes: number, jobTimeoutMs: number = DEFAULT_LIMITS.jobTimeoutMs): Submission {
  const { locale } = metadata;
  const errors: Record<string, string> = {};
  const presetValue = values[BLOCK.preset]?.[INPUT_ACTION]?.selected_option?.value ?? DEFAULT_PRESET;
  let options: JobOptions = { preset: isPresetName(presetValue) ? presetValue : DEFAULT_PRESET };
  const files: Partial<SubmittedFiles> = {};
  const selected = (blockId: string): string | undefined => values[blockId]?.[INPUT_ACTION]?.selected_option?.value ?? undefined;
  if (metadata.messageFiles) {
    files.content = { id: metadata.messageFiles.content };
    files.style = { id: metadata.messageFiles.style };
  } else {
    const read = (role: 'content' | 'style' | 'style2'): DeclaredFile | undefined => {
      const uploaded = values[BLOCK[role]]?.[INPUT_ACTION]?.files ?? [];
      const first = uploaded[0];
      if (!first) return undefined;
      if (uploaded.length > 1) {
        errors[BLOCK[role]] = say('form-one-image-only', {}, locale);
        return undefined;
      }
      const file: DeclaredFile = { id: first.id, name: first.name, mimetype: first.mimetype, size: first.size };
      const refusal = refuseDeclaredFile(file, role, maxBytes);
      if (refusal) errors[BLOCK[role]] = tell(refusal.problem, locale);
      return file;
    };
    files.content = read('content');
    if (!files.content && !errors[BLOCK.content]) errors[BLOCK.content] = say('form-image-missing', { role: 'content' }, locale);
    const styleFile = read('style');
    try {
      const style = chooseStyle(styleFile, selected(BLOCK.libraryStyle));
      if (style.kind === 'upload') files.style = style.upload;
      else options.libraryStyle = style.style.id;
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      errors[BLOCK.style] ??= tell(error.problem, locale);
    }
    // A second style, blended into the first: an upload or a painting (not both), with its share.
    const style2File = read('style2');
    const blend = Number(selected(BLOCK.blend));
    try {
      const second = chooseSecondStyle(style2File, selected(BLOCK.libraryStyle2));
      if (second) {
        if (second.kind === 'upload') files.style2 = second.upload;
        options = withSecondStyle(options, second.kind === 'library' ? { libraryStyle: second.style.id } : {}, isBlendShare(blend) ? blend : DEFAULT_BLEND_SHARE);
      } else if (isBlendShare(blend) && !errors[BLOCK.style2]) {
        errors[BLOCK.blend] = say('blend-needs-second-style', {}, locale);
      }
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      errors[BLOCK.style2] ??= tell(error.problem, locale);
    }
  }
  const brush = selected(BLOCK.brushSize);
  if (isBrushSize(brush)) options = withBrush(options, brush);
  // A form opened under a longer limit than today's may offer a time that no longer fits: capped to what does.
  options = withMinutes(options, readMinutes(selected(BLOCK.paintingTime), jobTimeoutMs));
  const size = readInteger(values[BLOCK.size]?.[INPUT_ACTION]?.value);
  if (size === 'invalid' || (typeof size === 'number' && (size < MIN_SIZE || size > MAX_SIZE))) {
    errors[BLOCK.size] = say('form-size-invalid', { min: MIN_SIZE, max: MAX_SIZE }, locale);
  } else if (size !== undefined) {
    options.size = size;
  }
  const seed = readInteger(values[BLOCK.seed]?.[INPUT_ACTION]?.value);
  if (seed === 'invalid' || (typeof seed === 'number' && (seed < 0 || seed > MAX_SEED))) {
    errors[BLOCK.seed] = say('form-seed-invalid', { max: MAX_SEED }, locale);
  } else if (seed !== undefined) {
    options.seed = seed;
  }
  const colours = values[BLOCK.colours]?.[INPUT_ACTION]?.selected_options ?? [];
  if (colours.some((option) => option.value === 'keep')) options.preserveColors = true;
  if (Object.keys(errors).length > 0 || !files.content) return { ok: false, errors };
  return { ok: true, files: { content: files.content, ...(files.style ? { style: files.style } : {}), ...(files.style2 ? { style2: files.style2 } : {}) }, options };
}

function readInteger(raw: string | null | undefined): number | 'invalid' | undefined {
  if (raw === undefined || raw === null || raw.trim() === '') return undefined;
  return /^\s*\d+\s*$/.test(raw) ? Number(raw) : 'invalid';
}
