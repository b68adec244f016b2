// The bytes of a job's images, checked before anything is stored: a bad upload is refused at once, not
// after a wait in line. The images are parsed in a process of their own, never in the bot's (image-probe.ts).
// And a blend's shape (issue 19): how many style images, and one weight for each.
import type { Logger } from 'pino';
import { styleRole, UserError, type ImageRole } from '../wording/index.js';
import { ProbeFailedError, probeInChild } from './image-probe.js';
import type { JobInputs } from './job-store.js';
import type { EngineJobOptions } from './engine-messages.js';
import { timeBudgetOf } from './run-time.js';
import { MAX_STYLES, type JobOptions } from './types.js';

export async function checkImages(images: JobInputs, maxInputBytes: number, log: Logger): Promise<void> {
  const named: Array<[ImageRole, Buffer]> = [
    ['content', images.content],
    ...[images.style, ...(images.extraStyleImages ?? [])].map((bytes, index): [ImageRole, Buffer] => [styleRole(index), bytes]),
  ];
  for (const [role, bytes] of named) {
    if (bytes.length === 0) throw new UserError('image-empty', { role });
    if (bytes.length > maxInputBytes) throw new UserError('image-too-large', { role, bytes: bytes.length, maxBytes: maxInputBytes });
  }
  try {
    // A refused image throws a UserError that names it.
    await probeInChild({ content: images.content, style: images.style, ...(images.extraStyleImages ? { extraStyleImages: images.extraStyleImages } : {}) });
  } catch (error) {
    if (!(error instanceof ProbeFailedError)) throw error;
    log.warn({ err: error }, 'image check failed');
    throw new UserError('images-not-checked');
  }
}

/** A request's images as the store keeps them (no empty list of extra style images). */
export function inputsOf(images: JobInputs): JobInputs {
  const { content, style, extraStyleImages = [], init } = images;
  return { content, style, ...(extraStyleImages.length > 0 ? { extraStyleImages } : {}), ...(init ? { init } : {}) };
}

/**
 * A job's stored images as its run needs them, or undefined when they are not all there: a Bigger job
 * (options.startAbove) needs the picture it goes on from as well.
 */
export function runnableInputs(options: { startAbove?: number }, inputs: JobInputs | undefined): JobInputs | undefined {
  return inputs && (options.startAbove === undefined || inputs.init) ? inputs : undefined;
}

/** Bytes a job's images take. */
export function bytesOfInputs(inputs: JobInputs): number {
  return [inputs.content, inputs.style, ...(inputs.extraStyleImages ?? []), ...(inputs.init ? [inputs.init] : [])].reduce((sum, bytes) => sum + bytes.length, 0);
}

/**
 * Refuses a blend the engine cannot run: more than MAX_STYLES style images, or weights that are not one
 * per style image, each zero or more and not all zero. The options must name as many extra styles as there
 * are extra images (an adapter's bug otherwise, not the user's).
 */
export function assertStylesMatch(options: JobOptions, extraStyleImages: number): void {
  const extra = options.extraStyles?.length ?? 0;
  if (extra !== extraStyleImages) throw new Error(`the options name ${extra} extra style(s) but ${extraStyleImages} extra style image(s) came with them`);
  const count = 1 + extra;
  if (count > MAX_STYLES) throw new UserError('too-many-styles', { count, max: MAX_STYLES });
  const weights = options.styleWeights;
  if (weights === undefined) return;
  const usable = weights.length === count && weights.every((weight) => Number.isFinite(weight) && weight >= 0) && weights.some((weight) => weight > 0);
  if (!usable) throw new UserError('style-weights-invalid', { count });
}

/**
 * The options the engine runs with: which paintings they were is for the people reading the result, and a
 * picked run time becomes the engine's time budget, capped by the job time limit.
 */
export function engineOptionsOf(options: JobOptions, jobTimeoutMs: number): EngineJobOptions {
  const engineOptions: EngineJobOptions & Partial<JobOptions> = { ...options };
  delete engineOptions.libraryStyle;
  delete engineOptions.extraStyles;
  delete engineOptions.runMinutes;
  const timeBudgetMs = timeBudgetOf(options.runMinutes, jobTimeoutMs);
  if (timeBudgetMs !== undefined) engineOptions.timeBudgetMs = timeBudgetMs;
  return engineOptions;
}
