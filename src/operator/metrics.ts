// The bot's metrics in the Prometheus text format, kept by prom-client in a registry of their own (not
// prom-client's global one, so that two bots in one process, as in the tests, never share a count). The
// queue's gauges and the engine's restarts are read when scraped; jobs are counted and timed as the queue
// starts and ends them (durations on the queue's clock); platform API errors as the adapters see them.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ApiErrorListener } from '../adapters/types.js';
import { JOB_OUTCOMES, type EngineStatus, type StylizeQueue } from '../queue/index.js';

/** From a second to an hour: jobs take seconds to minutes (15 at most by default); a wait in line can take longer. */
export const DURATION_BUCKETS_SECONDS = [1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 900, 1800, 3600];

/** What the metrics read of the queue; a cluster's front-end also counts its engine workers alive. */
export type MeteredQueue = Pick<StylizeQueue, 'load' | 'engineStatus' | 'observe'> & { aliveWorkers?: () => number };

/**
 * stylize_engine_restarts_total, read from the engine's status at each scrape: the engine counts its
 * restarts itself, the counter follows it (a front-end's embedded engine, or a worker's).
 */
export function engineRestartsCounter(registers: Registry[], status: () => EngineStatus): void {
  let restartsSeen = 0;
  new Counter({
    name: 'stylize_engine_restarts_total',
    help: 'Engine processes started to replace one that crashed, was killed or could not start.',
    registers,
    collect() {
      const restarts = status().restarts;
      if (restarts > restartsSeen) this.inc(restarts - restartsSeen);
      restartsSeen = Math.max(restartsSeen, restarts);
    },
  });
}

export interface Scrape {
  contentType: string;
  body: string;
}

export class OperatorMetrics {
  private readonly registry = new Registry();
  private readonly apiErrors: Counter<'platform' | 'status'>;

  constructor(queue: MeteredQueue) {
    const registers = [this.registry];
    new Gauge({
      name: 'stylize_queue_waiting_jobs',
      help: 'Jobs waiting in line for the engine.',
      registers,
      collect() {
        this.set(queue.load.waiting);
      },
    });
    new Gauge({
      name: 'stylize_queue_running_jobs',
      help: 'Jobs running on the engine (one at a time).',
      registers,
      collect() {
        this.set(queue.load.running);
      },
    });
    if (queue.aliveWorkers) {
      new Gauge({
        name: 'stylize_workers_alive',
        help: 'Engine workers of the cluster heard from within their last three heartbeats.',
        registers,
        collect() {
          this.set(queue.aliveWorkers?.() ?? 0);
        },
      });
    }
    const jobs = new Counter({ name: 'stylize_jobs_total', help: 'Jobs ended, by outcome: done, failed, timed_out, cancelled.', labelNames: ['outcome'], registers });
    const duration = new Histogram({
      name: 'stylize_job_duration_seconds',
      help: 'Time a job ran on the engine, by outcome (jobs that never reached it are not timed).',
      labelNames: ['outcome'],
      buckets: DURATION_BUCKETS_SECONDS,
      registers,
    });
    // Every outcome from the start, so that rate() sees the first one of each.
    for (const outcome of JOB_OUTCOMES) {
      jobs.inc({ outcome }, 0);
      duration.zero({ outcome });
    }
    const wait = new Histogram({ name: 'stylize_job_wait_seconds', help: 'Time from a job being accepted to its start on the engine.', buckets: DURATION_BUCKETS_SECONDS, registers });
    engineRestartsCounter(registers, () => queue.engineStatus());
    this.apiErrors = new Counter({
      name: 'stylize_platform_api_errors_total',
      help: "Chat platform API answers that were errors, by platform and HTTP status (Slack's errors answered with 200: by error name).",
      labelNames: ['platform', 'status'],
      registers,
    });
    queue.observe({
      jobStarted: (_job, waitedMs) => wait.observe(waitedMs / 1000),
      jobEnded: (_job, outcome, ranMs) => {
        jobs.inc({ outcome });
        if (ranMs !== undefined) duration.observe({ outcome }, ranMs / 1000);
      },
    });
  }

  /** For the adapters: counts one error answer of a platform's API. */
  readonly countApiError: ApiErrorListener = ({ platform, status }) => {
    this.apiErrors.inc({ platform, status });
  };

  async scrape(): Promise<Scrape> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
