/** What the queue accepts; every limit has a plain message for the user when it is hit. */
export interface QueueLimits {
  /** Jobs a user may have waiting or running at once. */
  maxPendingPerUser: number;
  /** Jobs waiting across all users. */
  maxQueueLength: number;
  /** A running job that takes longer fails with a plain message. */
  jobTimeoutMs: number;
  /** Largest content or style image, in bytes. */
  maxInputBytes: number;
  /** A job during whose run the bot itself died this many times fails instead of being resumed again. */
  maxAttempts: number;
}

export const DEFAULT_LIMITS: QueueLimits = {
  maxPendingPerUser: 3,
  maxQueueLength: 20,
  jobTimeoutMs: 15 * 60_000,
  maxInputBytes: 10 * 1024 * 1024,
  maxAttempts: 3,
};
