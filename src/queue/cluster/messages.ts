// What front-ends and engine workers tell each other on the cluster's event stream. Outcomes themselves are
// kept in PostgreSQL (places.ts): 'ended' only says one is there to apply, so a lost message loses nothing.
// So are the job records and server settings that front-ends change: 'changed' and 'settings' only say
// which to read again, and each front-end's reconciler reads everything again now and then in case one was
// lost.
import type { EngineJobOptions, EngineProfile } from '../engine.js';

/** What a dispatched job carries: enough for a worker to run it without a front-end. */
export interface DispatchedJob {
  jobId: string;
  options: EngineJobOptions;
}

export interface ProgressReport {
  iteration: number;
  total: number;
  fraction: number;
  elapsedMs: number;
  etaMs: number;
}

export type ClusterMessage =
  | { kind: 'started'; jobId: string; workerId: string; attempts: number }
  /** `preview`: a PNG, base64. */
  | { kind: 'progress'; jobId: string; progress: ProgressReport; preview?: string }
  | { kind: 'ended'; jobId: string }
  /** From a front-end: stop this job wherever it runs. */
  | { kind: 'cancel'; jobId: string }
  /** From a front-end: these jobs' records changed in PostgreSQL (new, finished, forgotten); the others read them again. */
  | { kind: 'changed'; from: string; jobIds: string[] }
  /** From a front-end: a server's settings changed in PostgreSQL; the others read them again. */
  | { kind: 'settings'; from: string }
  /** A worker's engine is ready (the front-ends estimate times from it), sent again on each heartbeat. */
  | { kind: 'alive'; workerId: string; profile?: EngineProfile; intervalMs: number };

/** How often a worker says it is alive unless told otherwise; a front-end that never heard one assumes it. */
export const DEFAULT_HEARTBEAT_MS = 5_000;
