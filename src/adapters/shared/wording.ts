// What both chat adapters say to users in the same words: the names of the two images and the notes
// for a cancel that did not happen.
import type { CancelOutcome } from '../../queue/index.js';
import type { ImageRole } from '../../transfer/images.js';

export type { ImageRole };

/** How messages name each image, e.g. "The photo (cat.jpg) is not an image." */
export const ROLE_LABEL: Readonly<Record<ImageRole, string>> = { content: 'The photo', style: 'The style image' };

/** Told only to the user who pressed Cancel when nothing was cancelled. */
export const CANCEL_NOTES: Readonly<Record<Exclude<CancelOutcome, 'cancelled'>, string>> = {
  'not-owner': 'Only the person who started this job can cancel it.',
  'not-found': 'This job is no longer known, so there is nothing to cancel.',
  'already-finished': 'This job has already finished.',
};
