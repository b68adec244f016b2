// The queue's public contract: what the chat adapters and the bot wiring rely on.
import type { PresetName, StylizeResult } from '../transfer/index.js';
import type { DeliveryHitch, Locale, UserProblem } from '../wording/index.js';

export type Platform = 'discord' | 'slack' | 'web';

/** The settings a user can choose in /stylize; mapped onto the engine's StylizeOptions by the queue. */
export interface JobOptions {
  preset: PresetName;
  size?: number;
  seed?: number;
  preserveColors?: boolean;
  /**
   * The built-in painting the style image came from (src/styles/library.ts id), for the result's text and
   * attribution; absent when the user uploaded the style image. Never sent to the engine.
   */
  libraryStyle?: string;
  /**
   * The style images after the first, when several are blended (at most MAX_STYLES in all), in order: the
   * library painting each came from, if any (for the result's text). Their bytes travel beside the first
   * style image (JobRequest.extraStyleImages). Absent: one style image, as on records from before blends.
   */
  extraStyles?: ExtraStyle[];
  /**
   * One weight per style image, the first included; the engine normalises them to sum 1. Absent: equal
   * shares (one style image: all of it).
   */
  styleWeights?: number[];
  /** Brush size: the style image's long side as a multiple of the picture's (the engine's default is 1). */
  styleScale?: number;
  /**
   * The run time the owner picked, in minutes (one of RUN_MINUTES): the engine plans its iterations to end
   * within it, capped by the job time limit (see run-time.ts). Absent: the engine's fixed iterations.
   */
  runMinutes?: number;
  /**
   * Set by the queue on a "Bigger" job (StylizeQueue.bigger), never by a user: the long side of the picture
   * the job goes on from, its first job's result, kept with its images (JobInputs.init). Only the scales
   * above it run. A rerun or a job started from the result starts afresh without it.
   */
  startAbove?: number;
}

/** A style image after the first: the library painting it came from; nothing when it was uploaded. */
export interface ExtraStyle {
  libraryStyle?: string;
}

/** The most style images one job blends: the engine's limit. */
export { MAX_STYLES } from '../transfer/index.js';

/**
 * Where and for whom to answer. `reply` is owned by the adapter (channel, message, thread ids...):
 * it is journaled as JSON so that the adapter can keep updating the same messages after a restart.
 */
export interface JobOwner {
  platform: Platform;
  userId: string;
  userName: string;
  /** The Discord server (guild id) or Slack workspace (team id) the job was asked in; absent in DMs. */
  server?: string;
  reply: Record<string, unknown>;
  /**
   * The language the owner's platform reported when they asked (src/wording/locale.ts): every message of
   * the job to them is written in it. Absent on records from before languages; those read English.
   */
  locale?: Locale;
}

/**
 * Someone acting on a job: who they are on which platform and, when the adapter found them to be one (Discord:
 * Manage Messages; Slack: workspace admin or owner), the server whose jobs they moderate.
 */
export interface JobActor extends Pick<JobOwner, 'platform' | 'userId'> {
  moderatorOf?: string;
}

export interface JobRequest extends JobOwner {
  content: Buffer; // already downloaded and size-checked by the adapter
  style: Buffer;
  /** The style images after the first, one per options.extraStyles entry. */
  extraStyleImages?: Buffer[];
  options: JobOptions;
}

export type JobState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface JobInfo extends JobOwner {
  id: string;
  options: JobOptions;
  state: JobState;
  createdAt: number;
}

/** What the engine reports about a finished picture (the PNG itself travels separately, see Deliverer). */
export type JobResult = Omit<StylizeResult, 'png'>;

export type JobEvent =
  /**
   * Position 1 = next to run. `startsInMs`: when the job should start, from the time the running job has
   * left and the estimated time of each job ahead (see wait-estimate.ts); absent while the engine's speed
   * is unknown. Sent again as 'position' when the place changes or the start moves by a noticeable amount.
   */
  | { type: 'queued'; position: number; resumed: boolean; startsInMs?: number }
  | { type: 'position'; position: number; startsInMs?: number }
  | { type: 'started' }
  /**
   * `fraction` (0..1, never decreasing) is the share of the job's time done: draw the bar from it, not
   * from iteration / total, which runs far ahead on the coarse scales. `etaMs` is the time left.
   */
  | { type: 'progress'; iteration: number; total: number; fraction: number; elapsedMs: number; etaMs: number; preview?: Buffer }
  /** The picture was made and the platform accepted it (see Deliverer). */
  | { type: 'done'; result: JobResult }
  /** The picture is made and kept, but posting it failed for now; the queue tries again in `retryInMs`. */
  | { type: 'delivering'; attempt: number; retryInMs: number; problem: DeliveryHitch }
  /** Why, as data: the adapter words it for the user (src/wording). */
  | { type: 'failed'; reason: UserProblem }
  | { type: 'cancelled'; byUserId: string };

export type JobListener = (job: JobInfo, event: JobEvent) => void | Promise<void>;

export type CancelOutcome = 'cancelled' | 'not-owner' | 'not-found' | 'already-finished';

/** 'not-finished': a waiting or running job is cancelled, not deleted. */
export type DeleteOutcome = 'deleted' | 'not-owner' | 'not-found' | 'not-finished';

/** A finished picture handed to a platform to post. */
export interface Delivery {
  png: Buffer;
  result: JobResult;
  /** 1 for the first try. From 2 on, an earlier try may have reached the platform without its answer reaching us. */
  attempt: number;
}

/**
 * How a delivery try went, as the adapter judges the platform's answer. `problem` says why the post is being
 * retried, `reason` says exactly what must change; both are worded for the user by the adapters.
 */
export type DeliveryOutcome =
  | { kind: 'delivered' }
  /** Worth another try (rate limit, 5xx, timeout, reset): after `retryAfterMs` when the platform said so. */
  | { kind: 'retry'; problem: DeliveryHitch; retryAfterMs?: number }
  /** Another try would fail the same way (missing permission, too large...): stop and tell the user. */
  | { kind: 'final'; reason: UserProblem };

/**
 * Posts a job's picture on its platform. Must not post it twice: when `attempt` > 1 it first looks for an
 * earlier copy (see the adapters). A rejection counts as a 'retry' outcome.
 */
export type Deliverer = (job: JobInfo, delivery: Delivery) => Promise<DeliveryOutcome>;
