// The queue contract: everything the chat adapters, the operator endpoint and the bot's wiring use of a job
// queue. Two implementations keep it: JobQueue (embedded: LevelDB journal, one engine process, the default)
// and the cluster queue (BullMQ on Redis for dispatch, PostgreSQL for what must not be lost). The members
// that are synchronous here stay so in both: a cluster front-end answers them from its own copy of the
// records, kept fresh by the cluster's events, so the adapters never wait on a server to draw a message.
import type { EngineStatus } from './engine.js';
import type { QueueLimits } from './limits.js';
import type { QueueLoad, QueueObserver } from './observer.js';
import type { Reservation } from './reservations.js';
import type { ServerSettings, ServerSettingsChange } from './server-settings.js';
import type { SizeCheck } from './size-check.js';
import type { CancelOutcome, DeleteOutcome, Deliverer, JobActor, JobInfo, JobListener, JobOptions, JobOwner, JobRequest, JobResult, Platform } from './types.js';

/** Who asks, and in which server (none in DMs): what the limits are counted by. */
export type Asker = Pick<JobOwner, 'platform' | 'userId' | 'server'>;

export interface StylizeQueue {
  readonly limits: QueueLimits;
  /** How long a finished job's images are kept (for "run again"); the help text tells users. */
  readonly keepFinishedMs: number;
  /** Jobs waiting in line and running now. */
  readonly load: QueueLoad;

  /**
   * Holds a place in line for `asker` within the per-user, per-server and total limits, before anything is
   * downloaded; throws (or rejects with) UserError when there is none. A cluster checks the limits against
   * every front-end at once, so the answer may come later: callers await it.
   */
  reserve(asker: Asker): Reservation | Promise<Reservation>;
  /** Checks and stores the job (images included) and queues it in the reserved place; throws UserError. */
  submit(request: JobRequest, reservation?: Reservation): Promise<JobInfo>;
  /** A new job on a known job's stored images with other options, for that job's owner only. */
  rerun(fromJobId: string, owner: JobOwner, options: JobOptions): Promise<JobInfo>;
  /** A new job for `owner` from a done job's picture, as its photo or as its style image. */
  reuseResult(fromJobId: string, as: 'content' | 'style', owner: JobOwner, options: JobOptions): Promise<JobInfo>;
  /**
   * "Bigger": a new job on a done job's images at a larger options.size, for that job's owner only, that
   * goes on from the job's picture (upscaled) and runs only the scales above its size.
   */
  bigger(fromJobId: string, owner: JobOwner, options: JobOptions): Promise<JobInfo>;
  /** What the engine said of a done job's picture, while the job is kept. */
  resultOf(jobId: string): Promise<JobResult | undefined>;
  /** A done job's kept picture (the PNG), while the job is kept: the web chat serves it from here. */
  pictureOf(jobId: string): Promise<Buffer | undefined>;
  /** Forgets a finished job for good (record, images, picture), for its owner or a moderator. */
  deleteJob(jobId: string, by: JobActor): Promise<DeleteOutcome>;
  /** Whether a job of this size (a Bigger one: going on from a picture of startAbove) can finish within the job time limit on the engines known. */
  checkSize(options: Pick<JobOptions, 'size' | 'startAbove'>): SizeCheck;
  /** Cancels a waiting or running job (wherever it runs) for its owner or a moderator of its server. */
  cancel(jobId: string, by: JobActor): Promise<CancelOutcome>;
  /** Cancels every waiting job of a server; the number cancelled. */
  clearServer(platform: Platform, server: string, by: JobActor): Promise<number>;

  serverSettings(platform: Platform, server: string | undefined): ServerSettings;
  changeServerSettings(platform: Platform, server: string, change: ServerSettingsChange): Promise<ServerSettings>;
  /** A server's jobs now: waiting in line and running. */
  serverLoad(platform: Platform, server: string): QueueLoad;

  get(jobId: string): JobInfo | undefined;
  /** One person's waiting and running jobs, the running ones first, each waiting one with its place in line. */
  jobsOf(actor: JobActor): Array<{ job: JobInfo; position?: number }>;
  /** Adapters keep their message refs with the job, to go on updating the same messages after a restart. */
  updateReply(jobId: string, reply: Record<string, unknown>): Promise<void>;

  /** Events of one platform's jobs, resumed ones included. Subscribe before start(). */
  subscribe(platform: Platform, listener: JobListener): void;
  /** The platform's adapter posts finished pictures through it. Register before start(). */
  deliverWith(platform: Platform, deliverer: Deliverer): void;
  /** The operator's metrics watch jobs start and end through it. */
  observe(observer: QueueObserver): void;

  /** False while the store of jobs does not take writes (new jobs are refused meanwhile). */
  journalWritable(): Promise<boolean>;
  /** What the engines say of themselves. */
  engineStatus(): EngineStatus;

  /** Resumes what was accepted before and starts running jobs. */
  start(): Promise<void>;
  /** Stops taking jobs; a running job goes back in line to run again later. */
  stop(): Promise<void>;
}
