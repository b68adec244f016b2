// The engine the queue runs its jobs on, as the queue sees it: one job at a time, progress as it goes, one
// outcome at the end. The bot passes the engine process (engine-runner.ts); tests pass a scripted engine
// they drive step by step, so queue and adapter tests never wait for real image work.
import type { BackendName, StylizeResult } from '../transfer/index.js';
import type { UserProblem } from '../wording/index.js';
import type { EngineFailureKind, EngineJobOptions, EngineProgress } from './engine-messages.js';

export type { EngineJobOptions, EngineProgress } from './engine-messages.js';

export interface EngineRun {
  jobId: string;
  content: Buffer;
  style: Buffer;
  /** A blend's style images after the first, in order (one per weight after the first in options.styleWeights). */
  extraStyleImages?: Buffer[];
  /** A Bigger job's picture to go on from (its first job's result); options.startAbove says its long side. */
  init?: Buffer;
  options: EngineJobOptions;
  /** Aborting cancels the job: the engine stops it and the run ends 'stopped'. */
  signal: AbortSignal;
  onProgress: (progress: EngineProgress & { preview?: Buffer }) => void;
}

export type EngineOutcome =
  | { kind: 'done'; result: Omit<StylizeResult, 'png'>; png: Buffer }
  /** The images or options cannot be used: `problem` says why, for the user; the message is for the log. */
  | { kind: 'failed'; why: 'input'; problem: UserProblem; message: string }
  /**
   * 'crashed': the engine died while working (wasm abort, out of memory, killed); 'unavailable': it could
   * not be started or did not get ready in time. The message is for the log.
   */
  | { kind: 'failed'; why: Exclude<EngineFailureKind, 'cancelled' | 'input'> | 'crashed' | 'unavailable'; message: string }
  /** The signal was aborted and the job stopped. */
  | { kind: 'stopped' };

/** What an engine says of itself, for the operator's health check and metrics. */
export interface EngineStatus {
  /** False while the engine cannot run jobs: its last process could not start or load. */
  up: boolean;
  /** One plain line: what the engine is doing, or why it is down. */
  detail: string;
  /** Engine processes started to replace one (after a crash, a kill or a failed start). */
  restarts: number;
}

/** What an engine says about itself once it is ready: the queue's time estimates start from it. */
export interface EngineProfile {
  backend: BackendName;
  /** Long side of a job that names no size. */
  defaultSize: number;
  /** Iterations of every job (jobs from chat name none). */
  defaultIterations: number;
  /** What an iteration costs on its network relative to the real VGG-19 (1 for its weights). */
  networkCost: number;
}

export interface JobEngine {
  /**
   * Gets ready ahead of the first job (the engine process loads its weights once). `onReady` hears from
   * every engine that gets ready, the first and any that replaces one that died.
   */
  start(onReady?: (profile: EngineProfile) => void): void;
  /** Runs one job to its outcome; never rejects. */
  run(job: EngineRun): Promise<EngineOutcome>;
  /** Ends the engine; a later run starts it again. */
  stop(): Promise<void>;
  /** For the operator; an engine that does not say counts as up, never restarted. */
  status?(): EngineStatus;
}
