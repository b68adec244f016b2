// Posting a finished picture is its own journaled step, after the engine's work. The picture is on disk
// (jobs/<id>/result.png) before the job is journaled `done`; from then on this module asks the platform's
// adapter to post it, and on a transient failure tries again with growing waits, measured on the Clock,
// until the platform accepts it, says no for good, or `maxAttempts` is reached. A restart (even after
// kill -9) resumes every delivery still `pending`. Each try is journaled before it is made, so the
// adapter knows from `attempt` > 1 that an earlier try may have reached the platform unacknowledged and
// looks for that copy before posting again: at least once, never twice.
import type { Logger } from 'pino';
import type { Clock } from './clock.js';
import type { JobEvents } from './events.js';
import type { JobRecord, JobStore } from './job-store.js';
import type { Deliverer, DeliveryOutcome, JobInfo, JobResult, Platform } from './types.js';

export interface DeliveryPolicy {
  /** Wait after the first failed try; it doubles with each further one... */
  firstRetryMs: number;
  /** ...up to this. */
  maxRetryMs: number;
  /** Tries before giving up on a platform that keeps failing (40 tries at these waits: about 3 hours). */
  maxAttempts: number;
}

export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = { firstRetryMs: 2000, maxRetryMs: 5 * 60_000, maxAttempts: 40 };

/** The wait before the next try: exponential backoff, never shorter than what the platform asked for. */
export function retryDelayMs(attempt: number, policy: DeliveryPolicy, retryAfterMs = 0): number {
  const backoff = Math.min(policy.maxRetryMs, policy.firstRetryMs * 2 ** Math.max(0, attempt - 1));
  return Math.max(backoff, retryAfterMs);
}

export interface DeliveriesDeps {
  /** Where the picture waits (results are read from it). */
  journal: Pick<JobStore, 'result'>;
  /**
   * Journals a record; false when the write failed (already logged). A delivery goes on regardless: with the
   * disk full, the picture reaching its owner matters more than the attempt count that guards a crash.
   */
  save: (record: JobRecord) => Promise<boolean>;
  events: JobEvents;
  clock: Clock;
  log: Logger;
  policy: DeliveryPolicy;
  /** The job as listeners see it. */
  info: (record: JobRecord) => JobInfo;
}

export class Deliveries {
  private readonly deliverers = new Map<Platform, Deliverer>();
  private readonly timers = new Map<string, () => void>();
  private readonly inFlight = new Map<string, Promise<void>>();
  private stopped = false;

  constructor(private readonly deps: DeliveriesDeps) {}

  register(platform: Platform, deliverer: Deliverer): void {
    this.deliverers.set(platform, deliverer);
  }

  /** Plans the next try of a pending delivery at its journaled time (at once for a new one). */
  schedule(record: JobRecord): void {
    const delivery = record.delivery;
    if (this.stopped || delivery?.status !== 'pending') return;
    this.timers.get(record.id)?.();
    const wait = Math.max(0, delivery.nextAttemptAt - this.deps.clock.now());
    const cancel = this.deps.clock.setTimeout(() => {
      this.timers.delete(record.id);
      const work = this.tryOnce(record)
        .catch((error: unknown) => this.deps.log.error({ err: error, jobId: record.id }, 'delivery bookkeeping failed; it is tried again after a restart'))
        .finally(() => this.inFlight.delete(record.id));
      this.inFlight.set(record.id, work);
    }, wait);
    this.timers.set(record.id, cancel);
  }

  /** No new tries; waits for those under way, whose outcome is journaled. Pending ones resume after a restart. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const cancel of this.timers.values()) cancel();
    this.timers.clear();
    await Promise.allSettled([...this.inFlight.values()]);
  }

  private async tryOnce(record: JobRecord): Promise<void> {
    const { journal, log } = this.deps;
    const delivery = record.delivery;
    if (delivery?.status !== 'pending') return;
    const deliverer = this.deliverers.get(record.platform);
    if (!deliverer) {
      log.warn({ jobId: record.id, platform: record.platform }, 'no adapter for this platform; the picture waits on disk for a restart with one');
      return;
    }
    const picture = await journal.result(record.id);
    if (!picture) return this.conclude(record, { kind: 'final', reason: { code: 'result-gone', params: {} } }, undefined);
    delivery.attempts += 1;
    await this.deps.save(record);
    let outcome: DeliveryOutcome;
    try {
      outcome = await deliverer(this.deps.info(record), { png: picture.png, result: picture.result, attempt: delivery.attempts });
    } catch (error) {
      log.warn({ err: error, jobId: record.id }, 'delivery failed unexpectedly; treated as transient');
      outcome = { kind: 'retry', problem: { code: 'hitch-unexpected', params: {} } };
    }
    await this.conclude(record, outcome, picture.result);
  }

  private async conclude(record: JobRecord, outcome: DeliveryOutcome, result: JobResult | undefined): Promise<void> {
    const { save, events, clock, log, policy } = this.deps;
    const delivery = record.delivery;
    if (!delivery) return;
    if (outcome.kind === 'retry' && delivery.attempts >= policy.maxAttempts) {
      outcome = { kind: 'final', reason: { code: 'delivery-gave-up', params: { attempts: delivery.attempts } } };
    }
    if (outcome.kind === 'delivered') {
      delivery.status = 'delivered';
      await save(record);
      log.info({ jobId: record.id, attempts: delivery.attempts }, 'picture delivered');
      if (result) events.emit(this.deps.info(record), { type: 'done', result });
      return;
    }
    if (outcome.kind === 'final') {
      delivery.status = 'failed-final';
      await save(record);
      log.warn({ jobId: record.id, attempts: delivery.attempts, reason: outcome.reason.code }, 'picture could not be delivered');
      events.emit(this.deps.info(record), { type: 'failed', reason: outcome.reason });
      return;
    }
    const retryInMs = retryDelayMs(delivery.attempts, policy, outcome.retryAfterMs);
    delivery.nextAttemptAt = clock.now() + retryInMs;
    await save(record);
    log.info({ jobId: record.id, attempt: delivery.attempts, retryInMs, problem: outcome.problem.code }, 'delivery failed for now; retrying');
    events.emit(this.deps.info(record), { type: 'delivering', attempt: delivery.attempts, retryInMs, problem: outcome.problem });
    this.schedule(record);
  }
}
