// What people can do with a finished picture, the same on every platform: run it again with more content or
// more style, bigger, with the other colours; start a job of their own from it (as the photo, or as the style
// image); see its settings; delete it. This module decides which buttons a result offers and which options
// each one runs with; discord/ and slack/ render the buttons and answer the clicks.
import type { JobOptions, StylizeQueue, JobResult } from '../../queue/index.js';
import { MAX_OUTPUT_SIZE } from '../../transfer/index.js';
import { say, type BrushSize, type Locale } from '../../wording/index.js';
import { otherBrushSizes, withBrush, withoutBlend } from './blend.js';
import type { JobButton } from './job-view.js';

/**
 * The sizes "Bigger" steps through (long side, px); the next above the picture's own. Past the 1024 px a
 * user may type, each step doubles the pixels up to the engine's largest size: a Bigger job goes on from
 * the picture and runs only the scales above it (StylizeQueue.bigger), so these can fit a time limit that
 * a fresh run of the same size would not.
 */
const SIZE_LADDER: readonly number[] = [128, 256, 384, 512, 768, 1024, 1448, 2048];

/** The largest picture Bigger makes with these settings: the engine reads the style image at styleScale x size. */
function largestBigger(options: Pick<JobOptions, 'styleScale'>): number {
  return Math.floor(MAX_OUTPUT_SIZE / Math.max(1, options.styleScale ?? 1));
}

/**
 * The size "Bigger" offers: the next rung above the picture's long side when the queue's estimate of a
 * Bigger job of that size fits the job time limit, else the largest size that does (if it is still
 * bigger); undefined when none is, or the picture is as large as Bigger goes.
 */
export function biggerSize(result: Pick<JobResult, 'width' | 'height'>, options: Pick<JobOptions, 'styleScale'>, queue: Pick<StylizeQueue, 'checkSize'>): number | undefined {
  const current = Math.max(result.width, result.height);
  const next = SIZE_LADDER.find((size) => size > current && size <= largestBigger(options));
  if (next === undefined) return undefined;
  const check = queue.checkSize({ size: next, startAbove: current });
  if (check.ok) return next;
  return check.largestSize !== undefined && check.largestSize > current ? check.largestSize : undefined;
}

/** The finished picture's buttons after the run-again ones: bigger, colours, use as photo or style, details, delete. */
export function resultButtons(options: JobOptions, bigger: number | undefined, locale?: Locale): JobButton[] {
  const buttons: JobButton[] = [];
  if (bigger !== undefined) buttons.push({ action: 'bigger', size: bigger, label: say('button-bigger', { size: bigger }, locale) });
  const keep = options.preserveColors !== true;
  buttons.push({ action: 'colours', keep, label: say('button-keep-colours', { keep }, locale) });
  for (const brush of otherBrushSizes(options)) buttons.push({ action: 'brush', brush, label: say('button-brush-size', { brush }, locale) });
  buttons.push({ action: 'use-as', role: 'content', label: say('button-use-as-photo', {}, locale) });
  buttons.push({ action: 'use-as', role: 'style', label: say('button-use-as-style', {}, locale) });
  buttons.push({ action: 'details', label: say('button-details', {}, locale) });
  buttons.push({ action: 'delete', label: say('button-delete', {}, locale) });
  return buttons;
}

/**
 * Options of the job "Bigger" starts: the same settings at the new size (the queue adds where it goes on
 * from); undefined for a size Bigger never offers with them (a forged click).
 */
export function biggerOptions(options: JobOptions, size: number): JobOptions | undefined {
  if (!(Number.isInteger(size) && size >= 1 && size <= largestBigger(options))) return undefined;
  return { ...options, size };
}

/** Options of the job the colours button starts: the same settings with the photo's colours kept or not. */
export function coloursOptions(options: JobOptions, keep: boolean): JobOptions {
  const next: JobOptions = { ...options };
  if (keep) next.preserveColors = true;
  else delete next.preserveColors;
  return next;
}

/**
 * Options of a job started from a result: the same settings. As the photo, the style images are still the
 * first job's (library paintings keep their names, a blend its shares); as the style image, the picture is
 * the one style, no painting.
 */
export function reuseOptions(options: JobOptions, as: 'content' | 'style'): JobOptions {
  return as === 'style' ? withoutBlend(options) : { ...options };
}

/** Options of the job a brush-size button starts: the same settings with that brush size. */
export function brushOptions(options: JobOptions, brush: BrushSize): JobOptions {
  return withBrush(options, brush);
}
