// What the operator's metrics (src/operator/) see of the queue: the moments a job starts and ends, told
// synchronously as the queue passes them, with durations measured on the queue's clock. The adapters' job
// events are not enough for that: they reach their listeners later (one job's events wait for each other),
// a picture's 'done' waits for the platform to accept it, and a time-out looks like any other failure.
import type { JobInfo } from './types.js';

/** How a job ended, as the operator counts it. A done job's picture is then posted (see delivery.ts). */
export type JobOutcome = 'done' | 'failed' | 'timed_out' | 'cancelled';

export const JOB_OUTCOMES: readonly JobOutcome[] = ['done', 'failed', 'timed_out', 'cancelled'];

export interface QueueObserver {
  /** A job went to the engine for the first time, `waitedMs` after it was accepted. */
  jobStarted(job: JobInfo, waitedMs: number): void;
  /** A job ended; `ranMs` is its last run on the engine, undefined when it never got there (cancelled while waiting...). */
  jobEnded(job: JobInfo, outcome: JobOutcome, ranMs: number | undefined): void;
}

/** Jobs in line and on the engine right now. */
export interface QueueLoad {
  waiting: number;
  running: number;
}
