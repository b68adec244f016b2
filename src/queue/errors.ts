import { userMessages } from './messages.js';
import type { SizeRefusal } from './size-check.js';

/** A job the queue will not take; `message` is written for the end user and shown as it is. */
export class QueueRejectedError extends Error {
  override readonly name: string = 'QueueRejectedError';
}

/**
 * A job refused because it cannot finish within the job time limit at its size (see size-check.ts). The
 * figures let the adapters word it and offer the largest size that fits; `message` is a plain fallback.
 */
export class SizeRefusedError extends QueueRejectedError {
  override readonly name = 'SizeRefusedError';
  readonly code = 'size-too-slow';
  constructor(readonly refusal: SizeRefusal) {
    super(userMessages.sizeTooSlow(refusal));
  }
}
