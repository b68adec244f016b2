// What both chat adapters say to users in the same words: the names of the two images and the notes
// for a cancel or a run-again that did not happen.
import type { CancelOutcome } from '../../queue/index.js';
import type { ImageRole } from '../../transfer/index.js';

export type { ImageRole };

/** How messages name each image, e.g. "The photo (cat.jpg) is not an image." */
export const ROLE_LABEL: Readonly<Record<ImageRole, string>> = { content: 'The photo', style: 'The style image' };

/** Told only to the user who pressed Cancel when nothing was cancelled. */
export const CANCEL_NOTES: Readonly<Record<Exclude<CancelOutcome, 'cancelled'>, string>> = {
  'not-owner': 'Only the person who started this job can cancel it.',
  'not-found': 'This job is no longer known, so there is nothing to cancel.',
  'already-finished': 'This job has already finished.',
};

/** Told only to a user who pressed "More content"/"More style" on someone else's job. */
export const RERUN_NOT_OWNER = 'Only the person who started this job can run it again. Use /stylize with your own images.';
