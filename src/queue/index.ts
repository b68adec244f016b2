// The job queue's public API: what the chat adapters and the bot wiring import.
export * from './types.js';
export type { SizeCheck, SizeRefusal } from './size-check.js';
export { isOwner, mayManage } from './owners.js';
export type { ServerSettings, ServerSettingsChange } from './server-settings.js';
export { probeInChild } from './image-probe.js';
export type { Reservation } from './reservations.js';
export type { QueueLimits } from './limits.js';
export { DEFAULT_LIMITS } from './limits.js';
export type { Clock } from './clock.js';
export { systemClock } from './clock.js';
export type { EngineJobOptions, EngineOutcome, EngineProfile, EngineProgress, EngineRun, EngineStatus, JobEngine } from './engine.js';
export type { EngineRunnerSettings } from './engine-runner.js';
export { EngineRunner } from './engine-runner.js';
export type { JobOutcome, QueueLoad, QueueObserver } from './observer.js';
export { JOB_OUTCOMES } from './observer.js';
export type { Asker, StylizeQueue } from './stylize-queue.js';
export type { JobQueueOptions } from './job-queue.js';
export { JobQueue } from './job-queue.js';
