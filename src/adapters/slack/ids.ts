// Names Slack sends back to us: the command, view callback ids, block and action ids. Button values carry
// the job id, so buttons keep working after a restart.
import type { BrushSize } from '../../wording/index.js';

export const COMMAND = '/stylize';
export const SHORTCUT_CALLBACK = 'stylize_message';
export const MODAL_CALLBACK = 'stylize_modal';

/** Block ids of the modal's inputs; response_action 'errors' names these. */
export const BLOCK = {
  content: 'content',
  style: 'style',
  libraryStyle: 'library_style',
  preset: 'preset',
  size: 'size',
  seed: 'seed',
  colours: 'colours',
  // A second style, blended into the first (issue 19), and the brush size.
  style2: 'style2',
  libraryStyle2: 'library_style2',
  blend: 'blend',
  brushSize: 'brush_size',
  // How long to paint (issue 21), in whole minutes.
  paintingTime: 'painting_time',
} as const;

/** Every modal input uses this action id inside its own block. */
export const INPUT_ACTION = 'value';

export const ACTION = {
  cancel: 'stylize_cancel',
  moreStyle: 'stylize_more_style',
  moreContent: 'stylize_more_content',
  // A finished picture's other buttons (results). Bigger's value is "<job id>:<size>", the colours'
  // "<job id>:keep" or "<job id>:style"; the others' the job id.
  bigger: 'stylize_bigger',
  colours: 'stylize_colours',
  usePhoto: 'stylize_use_photo',
  useStyle: 'stylize_use_style',
  details: 'stylize_details',
  delete: 'stylize_delete',
  // The brush sizes the result offers (one action id each: Slack wants them unique in a block); value: the job id.
  brushSmall: 'stylize_brush_small',
  brushNormal: 'stylize_brush_normal',
  brushLarge: 'stylize_brush_large',
} as const;

/** The action id of each brush-size button. */
export const BRUSH_ACTION: Readonly<Record<BrushSize, string>> = { small: ACTION.brushSmall, normal: ACTION.brushNormal, large: ACTION.brushLarge };
