// The queue's public contract: what the chat adapters and the bot wiring rely on.
import type { PresetName, StylizeResult } from '../transfer/types.js';

export type Platform = 'discord' | 'slack';

/** The settings a user can choose in /stylize; mapped onto the engine's StylizeOptions by the queue. */
export interface JobOptions {
  preset: PresetName;
  size?: number;
  seed?: number;
  preserveColors?: boolean;
}

/**
 * Where and for whom to answer. `reply` is owned by the adapter (channel, message, thread ids...):
 * it is journaled as JSON so that the adapter can keep updating the same messages after a restart.
 */
export interface JobOwner {
  platform: Platform;
  userId: string;
  userName: string;
  reply: Record<string, unknown>;
}

/** Someone pressing a job's button: who they are on which platform. */
export type JobActor = Pick<JobOwner, 'platform' | 'userId'>;

export interface JobRequest extends JobOwner {
  content: Buffer; // already downloaded and size-checked by the adapter
  style: Buffer;
  options: JobOptions;
}

export type JobState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface JobInfo extends JobOwner {
  id: string;
  options: JobOptions;
  state: JobState;
  createdAt: number;
}

export type JobEvent =
  | { type: 'queued'; position: number; resumed: boolean } // position 1 = next to run
  | { type: 'position'; position: number }
  | { type: 'started' }
  | { type: 'progress'; iteration: number; total: number; elapsedMs: number; etaMs: number; preview?: Buffer }
  | { type: 'done'; result: Omit<StylizeResult, 'png'>; png: Buffer }
  | { type: 'failed'; reason: string } // reason is written for the end user
  | { type: 'cancelled'; byUserId: string };

export type JobListener = (job: JobInfo, event: JobEvent) => void | Promise<void>;

export type CancelOutcome = 'cancelled' | 'not-owner' | 'not-found' | 'already-finished';
