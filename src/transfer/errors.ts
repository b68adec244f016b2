// Typed errors of the engine. Each `message` is written for the end user: adapters show it as it is.
import type { ImageErrorCode } from './types.js';

/** A content or style image that cannot be used (empty, not an image, truncated, too large...). */
export class ImageInputError extends Error {
  override readonly name = 'ImageInputError';
  constructor(
    readonly code: ImageErrorCode,
    message: string,
  ) {
    super(message);
  }
}

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

/** An option of a run that cannot be used (unknown layer, size out of range...); the message says why. */
export class OptionsError extends Error {
  override readonly name = 'OptionsError';
}
