// Delivers job events to the adapters' listeners. Events of one job reach the listeners one at a time
// and in order (an adapter never edits the same message twice at once); when a listener is still busy,
// only the newest pending progress event is kept, so a slow chat API never builds a backlog of previews.
// A listener that throws is logged and does not affect the queue or other listeners.
import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { JobEvent, JobInfo, JobListener, Platform } from './types.js';

interface Pending {
  job: JobInfo;
  event: JobEvent;
}

export class JobEvents {
  private readonly listeners = new Map<Platform, JobListener[]>();
  private readonly backlog = new Map<string, Pending[]>();
  private readonly pumps = new Map<string, Promise<void>>();

  constructor(private readonly log: Logger) {}

  subscribe(platform: Platform, listener: JobListener): void {
    this.listeners.set(platform, [...(this.listeners.get(platform) ?? []), listener]);
  }

  /** `job` should be a snapshot: listeners see the job as it was when the event happened. */
  emit(job: JobInfo, event: JobEvent): void {
    const waiting = this.backlog.get(job.id) ?? [];
    const last = waiting.at(-1);
    if (event.type === 'progress' && last?.event.type === 'progress') waiting[waiting.length - 1] = { job, event };
    else waiting.push({ job, event });
    this.backlog.set(job.id, waiting);
    // Started on a later microtask so that the pump is registered before it can finish and unregister.
    if (!this.pumps.has(job.id)) this.pumps.set(job.id, Promise.resolve().then(() => this.pump(job.id)));
  }

  /** Waits until every event emitted so far has been handled, or `timeoutMs` has passed. */
  async drain(timeoutMs: number): Promise<void> {
    // An unreferenced timer: it never keeps a stopping process alive, so nothing needs to clear it.
    await Promise.race([Promise.all(this.pumps.values()), delay(timeoutMs, undefined, { ref: false })]);
  }

  private async pump(jobId: string): Promise<void> {
    for (let next = this.backlog.get(jobId)?.shift(); next; next = this.backlog.get(jobId)?.shift()) {
      for (const listener of this.listeners.get(next.job.platform) ?? []) {
        try {
          await listener(next.job, next.event);
        } catch (error) {
          this.log.error({ err: error, jobId, event: next.event.type }, 'a job listener failed');
        }
      }
    }
    this.backlog.delete(jobId);
    this.pumps.delete(jobId);
  }
}
