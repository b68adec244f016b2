// The engine's own errors. What a user can fix (an image that cannot be used, a size too large or too small
// for the image) is a UserError from src/wording; these are for the caller: the command line's expert
// options, the operator's weights, and the signal that a run was cancelled.

/** The run was stopped through its AbortSignal. */
export class CancelledError extends Error {
  override readonly name = 'CancelledError';
  constructor(message = 'The job was cancelled.') {
    super(message);
  }
}

/** Weights missing, unreadable or of the wrong shape; the message says what to run to get them. */
export class ModelError extends Error {
  override readonly name = 'ModelError';
}

/**
 * An expert option of a run that cannot be used (unknown layer, alpha without beta, an unknown preset...);
 * the message says why. The bot never sends such options: for it this is a bug, not the user's to fix.
 */
export class OptionsError extends Error {
  override readonly name = 'OptionsError';
}
