// The /stylize modal: two file inputs (or, from the message shortcut, the message's two images), the
// style ratio and the same options as on Discord; and the reading of a submission into JobOptions.
import type { types, ViewStateValue } from '@slack/bolt';
import { PRESETS } from '../../transfer/index.js';
import type { JobOptions } from '../../queue/index.js';
import { isPresetName } from '../shared/presets.js';
import { DEFAULT_PRESET, MAX_SEED, MAX_SIZE, MIN_SIZE } from '../shared/options.js';
import { BLOCK, INPUT_ACTION, MODAL_CALLBACK } from './ids.js';
import { ACCEPTED_FORMATS_TEXT } from '../shared/formats.js';
import { ROLE_LABEL, type ImageRole } from '../shared/wording.js';
import { refuseDeclaredFile } from './files.js';
import type { DeclaredFile } from './files.js';

/** The image types the file inputs offer; the bytes are still checked after download. */
export const IMAGE_FILETYPES = ['jpg', 'jpeg', 'png', 'webp', 'gif'];

/** Carried through the modal in private_metadata (Slack sends it back on submission). */
export interface ModalMetadata {
  /** Where the command or shortcut was used: the job message goes there. */
  channel: string;
  /** Set when the images come from a message (shortcut): file ids, first = content, second = style. */
  messageFiles?: Record<ImageRole, string>;
}

type Values = Record<string, Record<string, ViewStateValue>>;

export type Submission =
  | { ok: true; files: Record<ImageRole, DeclaredFile>; options: JobOptions }
  | { ok: false; errors: Record<string, string> };

const plain = (text: string): types.PlainTextElement => ({ type: 'plain_text', text });

function fileInput(blockId: string, label: string, hint: string): types.InputBlock {
  return {
    type: 'input',
    block_id: blockId,
    label: plain(label),
    hint: plain(hint),
    element: { type: 'file_input', action_id: INPUT_ACTION, filetypes: IMAGE_FILETYPES, max_files: 1 },
  };
}

function optionBlocks(): types.KnownBlock[] {
  const presetOptions = Object.entries(PRESETS).map(([name, preset]) => ({
    text: plain(preset.label),
    description: plain(preset.description.slice(0, 75)),
    value: name,
  }));
  const initial = presetOptions.find((option) => option.value === DEFAULT_PRESET);
  return [
    {
      type: 'input',
      block_id: BLOCK.preset,
      label: plain('Style ratio'),
      element: { type: 'static_select', action_id: INPUT_ACTION, options: presetOptions, ...(initial ? { initial_option: initial } : {}) },
    },
    {
      type: 'input',
      block_id: BLOCK.size,
      optional: true,
      label: plain('Size (long side, pixels)'),
      hint: plain(`${MIN_SIZE} to ${MAX_SIZE}; larger takes longer. Leave empty for the default.`),
      element: { type: 'number_input', action_id: INPUT_ACTION, is_decimal_allowed: false, min_value: String(MIN_SIZE), max_value: String(MAX_SIZE) },
    },
    {
      type: 'input',
      block_id: BLOCK.seed,
      optional: true,
      label: plain('Seed'),
      hint: plain('The same seed and settings give the same picture.'),
      element: { type: 'number_input', action_id: INPUT_ACTION, is_decimal_allowed: false, min_value: '0', max_value: String(MAX_SEED) },
    },
    {
      type: 'input',
      block_id: BLOCK.colours,
      optional: true,
      label: plain('Colours'),
      element: {
        type: 'checkboxes',
        action_id: INPUT_ACTION,
        options: [{ text: plain("Keep my photo's colours"), value: 'keep', description: plain('Take only the brushwork from the painting.') }],
      },
    },
  ];
}

/** The modal; `messageFileNames` switches it to the shortcut form (images taken from the message). */
export function stylizeModal(metadata: ModalMetadata, messageFileNames?: Record<ImageRole, string>): types.ModalView {
  const imageBlocks: types.KnownBlock[] = messageFileNames
    ? [
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text:
              'Using the two images of the message: the *first* is your photo (content), the *second* is the painting (style).\n' +
              `• Photo: ${escapeMrkdwn(messageFileNames.content)}\n• Style: ${escapeMrkdwn(messageFileNames.style)}`,
          },
        },
      ]
    : [
        fileInput(BLOCK.content, 'Your photo (content)', `${ACCEPTED_FORMATS_TEXT}.`),
        fileInput(BLOCK.style, 'Painting (style)', 'The picture whose style to paint with.'),
      ];
  return {
    type: 'modal',
    callback_id: MODAL_CALLBACK,
    private_metadata: JSON.stringify(metadata),
    title: plain('Stylize'),
    submit: plain('Paint it'),
    close: plain('Cancel'),
    blocks: [...imageBlocks, ...optionBlocks()],
  };
}

/** A modal with a message only, for when there is nothing to submit. */
export function noticeModal(title: string, text: string): types.ModalView {
  return { type: 'modal', title: plain(title.slice(0, 24)), close: plain('OK'), blocks: [{ type: 'section', text: plain(text) }] };
}

export function parseMetadata(raw: string): ModalMetadata | undefined {
  try {
    const value = JSON.parse(raw) as unknown;
    if (typeof value !== 'object' || value === null) return undefined;
    const { channel, messageFiles } = value as Record<string, unknown>;
    if (typeof channel !== 'string' || channel === '') return undefined;
    if (messageFiles === undefined) return { channel };
    const files = messageFiles as Record<string, unknown>;
    if (typeof files.content !== 'string' || typeof files.style !== 'string') return undefined;
    return { channel, messageFiles: { content: files.content, style: files.style } };
  } catch {
    return undefined;
  }
}

/** Reads and checks a submission; field errors are keyed by block id for response_action 'errors'. */
export function readSubmission(values: Values, metadata: ModalMetadata, maxBytes: number): Submission {
  const errors: Record<string, string> = {};
  const files = {} as Record<ImageRole, DeclaredFile>;
  for (const role of ['content', 'style'] as const) {
    if (metadata.messageFiles) {
      files[role] = { id: metadata.messageFiles[role] };
      continue;
    }
    const uploaded = values[BLOCK[role]]?.[INPUT_ACTION]?.files ?? [];
    const first = uploaded[0];
    if (!first) {
      errors[BLOCK[role]] = `${ROLE_LABEL[role]} is missing. Please add one picture.`;
    } else if (uploaded.length > 1) {
      errors[BLOCK[role]] = `Please add only one picture here.`;
    } else {
      files[role] = { id: first.id, name: first.name, mimetype: first.mimetype, size: first.size };
      const refusal = refuseDeclaredFile(files[role], role, maxBytes);
      if (refusal) errors[BLOCK[role]] = refusal;
    }
  }
  const presetValue = values[BLOCK.preset]?.[INPUT_ACTION]?.selected_option?.value ?? DEFAULT_PRESET;
  const options: JobOptions = { preset: isPresetName(presetValue) ? presetValue : DEFAULT_PRESET };
  const size = readInteger(values[BLOCK.size]?.[INPUT_ACTION]?.value);
  if (size === 'invalid' || (typeof size === 'number' && (size < MIN_SIZE || size > MAX_SIZE))) {
    errors[BLOCK.size] = `Please enter a whole number of pixels from ${MIN_SIZE} to ${MAX_SIZE}, or leave it empty.`;
  } else if (size !== undefined) {
    options.size = size;
  }
  const seed = readInteger(values[BLOCK.seed]?.[INPUT_ACTION]?.value);
  if (seed === 'invalid' || (typeof seed === 'number' && (seed < 0 || seed > MAX_SEED))) {
    errors[BLOCK.seed] = `Please enter a whole number from 0 to ${MAX_SEED}, or leave it empty.`;
  } else if (seed !== undefined) {
    options.seed = seed;
  }
  const colours = values[BLOCK.colours]?.[INPUT_ACTION]?.selected_options ?? [];
  if (colours.some((option) => option.value === 'keep')) options.preserveColors = true;
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, files, options };
}

function readInteger(raw: string | null | undefined): number | 'invalid' | undefined {
  if (raw === undefined || raw === null || raw.trim() === '') return undefined;
  return /^\s*\d+\s*$/.test(raw) ? Number(raw) : 'invalid';
}

/** Slack mrkdwn treats &, < and > specially; file names are user text. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
