/** A job the queue will not take; `message` is written for the end user and shown as it is. */
export class QueueRejectedError extends Error {
  override readonly name = 'QueueRejectedError';
}
