// What the bot and its engine process say to each other over the IPC channel. The channel uses Node's
// 'advanced' serialization (structured clone), so image bytes travel as Uint8Array without base64.
import type { BackendName, Losses, PresetName, StylizeResult } from '../transfer/index.js';
import type { UserProblem } from '../wording/index.js';

/** The engine settings a job runs with; everything else is the engine's default. */
export interface EngineJobOptions {
  preset: PresetName;
  size?: number;
  seed?: number;
  preserveColors?: boolean;
  /** One weight per style image when several are blended (the engine normalises them to sum 1). */
  styleWeights?: number[];
  /** The style image's long side as a multiple of the picture's (brush size); the engine's default is 1. */
  styleScale?: number;
  /** A Bigger job: the long side of the picture it goes on from (sent as `init`); only larger scales run. */
  startAbove?: number;
  /** Plan the run to end within this many milliseconds instead of the fixed iterations (run-time.ts). */
  timeBudgetMs?: number;
}

export type ToEngine =
  /** `extraStyleImages`: a blend's style images after the first, in order; `init`: the picture a Bigger job goes on from. */
  | { type: 'run'; jobId: string; content: Uint8Array; style: Uint8Array; extraStyleImages?: Uint8Array[]; init?: Uint8Array; options: EngineJobOptions }
  | { type: 'cancel'; jobId: string };

export interface EngineProgress {
  iteration: number;
  total: number;
  /** Share of the job's time done, 0..1 (see the engine's Progress): what a progress bar shows. */
  fraction: number;
  losses: Losses;
  elapsedMs: number;
  etaMs: number;
  preview?: Uint8Array;
}

/**
 * Why a job ended without a result, as far as the engine process can tell. 'input': the images or options
 * cannot be used (a UserError: its problem travels as data, to be worded for the user).
 */
export type EngineFailureKind = 'input' | 'cancelled' | 'model' | 'internal';

export type FromEngine =
  | { type: 'ready'; backend: BackendName; threads: number; layers: string[]; defaultSize: number; defaultIterations: number; networkCost: number; note?: string }
  | { type: 'load-failed'; kind: 'model' | 'internal'; message: string }
  | { type: 'progress'; jobId: string; progress: EngineProgress }
  | { type: 'done'; jobId: string; result: Omit<StylizeResult, 'png'>; png: Uint8Array; tensors: number }
  | { type: 'failed'; jobId: string; kind: 'input'; problem: UserProblem; message: string; tensors: number }
  | { type: 'failed'; jobId: string; kind: Exclude<EngineFailureKind, 'input'>; message: string; tensors: number };

/** Settings the engine process starts with (passed as its one argument, JSON). */
export interface EngineProcessSettings {
  weightsDir: string;
  backend?: BackendName;
  /** At most one preview image per this many milliseconds (previews cost an encode each). */
  previewIntervalMs: number;
}
