// How a job gets into line from its images, the same in the embedded queue and a cluster's front-end: the
// checks before a place is taken, where the images come from (an upload, a known job's stored images, a
// done job's picture), and what a done or finished job still offers. Each queue keeps its own places,
// admission and records; this module only asks for them.
import type { Logger } from 'pino';
import { assertStylesMatch, bytesOfInputs, checkImages, inputsOf } from './input-check.js';
import type { JobInputs, JobRecord, JobStore } from './job-store.js';
import type { JobTimes } from './job-times.js';
import type { QueueLimits } from './limits.js';
import { isOwner, mayManage, mayReuse } from './owners.js';
import type { Reservation } from './reservations.js';
import { isFinished } from './retention.js';
import type { SizeCheck } from './size-check.js';
import type { Asker } from './stylize-queue.js';
import type { DeleteOutcome, JobActor, JobInfo, JobOptions, JobOwner, JobRequest, JobResult } from './types.js';
import { UserError } from '../wording/index.js';

/** Where a queue put a new job: its id, arrival order, turn among its owner's jobs and bytes kept. */
export interface Placing {
  id: string;
  createdAt: number;
  seq: number;
  round: number;
  bytes: number;
}

/** A new job's record, waiting in line: the owner's reply and options copied, so the caller's may change. */
export function queuedRecord(owner: JobOwner, options: JobOptions, placing: Placing): JobRecord {
  return {
    id: placing.id,
    platform: owner.platform,
    userId: owner.userId,
    userName: owner.userName,
    ...(owner.server === undefined ? {} : { server: owner.server }),
    reply: structuredClone(owner.reply),
    ...(owner.locale !== undefined ? { locale: owner.locale } : {}),
    options: structuredClone(options),
    state: 'queued',
    createdAt: placing.createdAt,
    seq: placing.seq,
    round: placing.round,
    bytes: placing.bytes,
  };
}

/** Options of a job that starts from scratch: a rerun or a new job from a Bigger job's settings does not go on from its picture. */
function afresh(options: JobOptions): JobOptions {
  if (options.startAbove === undefined) return options;
  const fresh = { ...options };
  delete fresh.startAbove;
  return fresh;
}

/** What a queue lends its intake: its store and records, and its own ways to hold a place and admit a job. */
export interface IntakeParts {
  store: JobStore;
  records: Map<string, JobRecord>;
  times: JobTimes;
  limits: QueueLimits;
  log: Logger;
  /** Throws UserError('bot-restarting') while the queue is not taking jobs. */
  assertAccepting(): void;
  /** A place in line within the limits (the cluster's answer comes from its database). */
  reserve(asker: Asker): Reservation | Promise<Reservation>;
  /** Keeps the job (with `keep`) in the place held for it and puts it in line. */
  admit(owner: JobOwner, options: JobOptions, place: Reservation, bytes: number, keep: (record: JobRecord) => Promise<void>): Promise<JobInfo>;
}

export class JobIntake {
  constructor(private readonly parts: IntakeParts) {}

  /**
   * Validates limits, keeps the job (images included) and queues it; throws UserError. With a reservation
   * the job takes the place held for it; the reservation is released in any case.
   */
  async submit(request: JobRequest, reservation?: Reservation): Promise<JobInfo> {
    const { store, limits, log } = this.parts;
    const place = reservation ?? (await this.parts.reserve(request));
    try {
      const { content, style, extraStyleImages, options: asked, ...owner } = request;
      const options = afresh(asked);
      this.assertSizeFits(options);
      assertStylesMatch(options, extraStyleImages?.length ?? 0);
      await checkImages(request, limits.maxInputBytes, log);
      const inputs = inputsOf({ content, style, ...(extraStyleImages ? { extraStyleImages } : {}) });
      return await this.parts.admit(owner, options, place, bytesOfInputs(inputs), (record) => store.accept(record, inputs));
    } finally {
      place.release();
    }
  }

  /**
   * A new job on a known job's stored images with other options, for that job's owner only; throws
   * UserError if the images are gone or `owner` is someone else.
   */
  async rerun(fromJobId: string, owner: JobOwner, asked: JobOptions): Promise<JobInfo> {
    const { store, records } = this.parts;
    const options = afresh(asked);
    this.parts.assertAccepting();
    const from = records.get(fromJobId);
    if (from && !isOwner(from, owner)) throw new UserError('rerun-not-owner');
    this.assertSizeFits(options);
    // The stored images are the first job's: a rerun may change how they are used, not how many there are.
    if (from) assertStylesMatch(options, from.options.extraStyles?.length ?? 0);
    const place = await this.parts.reserve(owner);
    try {
      if (!from || !(await store.inputs(fromJobId))) throw new UserError('rerun-images-gone');
      // Shared images (the journal's hard links) may still be a copy (another file system): counted as one.
      return await this.parts.admit(owner, options, place, from.bytes ?? 0, (record) => store.acceptFrom(record, fromJobId));
    } finally {
      place.release();
    }
  }

  /**
   * A new job for `owner` from a done job's picture: as its photo ('content', with the first job's style
   * images) or as its style image ('style', with the first job's photo). Anyone on the job's platform may
   * (see mayReuse); throws UserError when the picture or the images are no longer kept.
   */
  async reuseResult(fromJobId: string, as: 'content' | 'style', owner: JobOwner, asked: JobOptions): Promise<JobInfo> {
    const { store, records } = this.parts;
    const options = afresh(asked);
    this.parts.assertAccepting();
    const from = records.get(fromJobId);
    if (!from || !mayReuse(from, owner)) throw new UserError('rerun-images-gone');
    this.assertSizeFits(options);
    const place = await this.parts.reserve(owner);
    try {
      const [picture, inputs] = await Promise.all([store.result(fromJobId), store.inputs(fromJobId)]);
      if (!picture || !inputs) throw new UserError('rerun-images-gone');
      // As the photo, the first job's style images (a blend: all of them) paint it; as the style, the picture alone.
      const images: JobInputs = as === 'content' ? { ...inputs, content: picture.png } : { content: inputs.content, style: picture.png };
      assertStylesMatch(options, images.extraStyleImages?.length ?? 0);
      return await this.parts.admit(owner, options, place, bytesOfInputs(images), (record) => store.accept(record, images));
    } finally {
      place.release();
    }
  }

  /**
   * "Bigger": a new job on a done job's images at a larger options.size that goes on from the job's picture
   * (kept with the new job's images as `init`, so a cluster worker finds it in the store), running only the
   * scales above the picture's long side (options.startAbove). For the job's owner only, as a rerun; throws
   * UserError when the picture or the images are no longer kept, or the size cannot finish in time.
   */
  async bigger(fromJobId: string, owner: JobOwner, asked: JobOptions): Promise<JobInfo> {
    const { store, records } = this.parts;
    this.parts.assertAccepting();
    const from = records.get(fromJobId);
    if (from && !isOwner(from, owner)) throw new UserError('rerun-not-owner');
    if (!from || from.state !== 'done') throw new UserError('rerun-images-gone');
    assertStylesMatch(asked, from.options.extraStyles?.length ?? 0);
    const place = await this.parts.reserve(owner);
    try {
      const [picture, inputs] = await Promise.all([store.result(fromJobId), store.inputs(fromJobId)]);
      if (!picture || !inputs) throw new UserError('rerun-images-gone');
      const startAbove = Math.max(picture.result.width, picture.result.height);
      if (!(asked.size !== undefined && asked.size > startAbove)) throw new Error(`Bigger asked for ${asked.size ?? 'the default size'}, not above the picture's ${startAbove} px`);
      const options: JobOptions = { ...asked, startAbove };
      this.assertSizeFits(options);
      const images: JobInputs = { ...inputsOf(inputs), init: picture.png };
      return await this.parts.admit(owner, options, place, bytesOfInputs(images), (record) => store.accept(record, images));
    } finally {
      place.release();
    }
  }

  /** What the engine said of a done job's picture (for its Details), while the job is kept. */
  async resultOf(jobId: string): Promise<JobResult | undefined> {
    if (this.parts.records.get(jobId)?.state !== 'done') return undefined;
    return (await this.parts.store.result(jobId))?.result;
  }

  /** A done job's kept picture (the PNG), while the job is kept: the web chat serves it from here. */
  async pictureOf(jobId: string): Promise<Buffer | undefined> {
    if (this.parts.records.get(jobId)?.state !== 'done') return undefined;
    return (await this.parts.store.result(jobId))?.png;
  }

  /**
   * Forgets a finished job for good, for whoever mayManage allows: its record, its images and its kept
   * picture. A job still waiting or running is cancelled instead. The adapters remove the posted messages.
   */
  async deleteJob(jobId: string, by: JobActor): Promise<DeleteOutcome> {
    const { store, records, log } = this.parts;
    const record = records.get(jobId);
    if (!record) return 'not-found';
    if (!mayManage(record, by)) return 'not-owner';
    if (!isFinished(record)) return 'not-finished';
    await store.remove(jobId);
    records.delete(jobId);
    log.info({ jobId, by: by.userId }, 'job deleted');
    return 'deleted';
  }

  /** Adapters persist their message refs (thread id, message ids...) to keep updating after a restart. */
  async updateReply(jobId: string, reply: Record<string, unknown>): Promise<void> {
    const record = this.parts.records.get(jobId);
    if (!record) return;
    record.reply = structuredClone(reply);
    await this.parts.store.save(record);
  }

  /**
   * Whether a job with these options can finish within the job time limit on this engine, from the
   * measured throughput (a prior before any job finished here) with a safety margin: the adapters ask
   * before downloading anything, and submit() and rerun() refuse the same sizes (UserError 'size-too-slow').
   * Every size passes while the engine's speed is unknown (not ready yet, or a backend never measured).
   */
  checkSize(options: Pick<JobOptions, 'size' | 'startAbove'>): SizeCheck {
    return this.parts.times.checkSize(options, this.parts.limits.jobTimeoutMs);
  }

  private assertSizeFits(options: JobOptions): void {
    const check = this.checkSize(options);
    if (!check.ok) throw new UserError('size-too-slow', { size: check.size, limitMs: check.limitMs, largestSize: check.largestSize });
  }
}
