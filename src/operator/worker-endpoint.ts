// The operator endpoint of an engine worker (`npm run worker`), on the same settings as the bot's
// (STYLIZE_OPERATOR_PORT, STYLIZE_OPERATOR_HOST): /healthz checks its engine and that PostgreSQL takes its
// writes; /metrics counts the jobs it ended by outcome, whether it runs one now, and its engine's restarts.
// Its series are named apart from a front-end's (stylize_worker_...), so that summing over every process
// of a cluster never counts a job twice.
import { Counter, Gauge, Registry } from 'prom-client';
import type { Logger } from 'pino';
import { JOB_OUTCOMES, type EngineStatus, type JobOutcome } from '../queue/index.js';
import type { OperatorConfig } from './config.js';
import type { HealthCheck, HealthReport } from './health.js';
import { engineRestartsCounter, type Scrape } from './metrics.js';
import { OperatorServer } from './server.js';

/** What the endpoint reads of the worker (ClusterWorker). */
export interface WatchedWorker {
  readonly busy: boolean;
  engineStatus(): EngineStatus;
  storeWritable(): Promise<boolean>;
  observe(observer: { jobEnded(outcome: JobOutcome, ranMs: number | undefined): void }): void;
}

export class WorkerMetrics {
  private readonly registry = new Registry();

  constructor(worker: WatchedWorker) {
    const registers = [this.registry];
    new Gauge({
      name: 'stylize_worker_running_jobs',
      help: 'Jobs this engine worker runs now (one at most).',
      registers,
      collect() {
        this.set(worker.busy ? 1 : 0);
      },
    });
    const jobs = new Counter({ name: 'stylize_worker_jobs_total', help: 'Jobs this engine worker ended, by outcome: done, failed, timed_out, cancelled.', labelNames: ['outcome'], registers });
    for (const outcome of JOB_OUTCOMES) jobs.inc({ outcome }, 0);
    engineRestartsCounter(registers, () => worker.engineStatus());
    worker.observe({ jobEnded: (outcome) => jobs.inc({ outcome }) });
  }

  async scrape(): Promise<Scrape> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

export async function checkWorkerHealth(worker: WatchedWorker): Promise<HealthReport> {
  const engine = worker.engineStatus();
  const checks: Record<string, HealthCheck> = {
    engine: { ok: engine.up, detail: engine.detail },
    database: (await worker.storeWritable()) ? { ok: true, detail: 'PostgreSQL takes writes' } : { ok: false, detail: 'PostgreSQL does not take writes (down or unreachable?); no job can start or end here' },
  };
  return { ok: Object.values(checks).every((check) => check.ok), checks };
}

/** The worker's endpoint; its metrics count from when this is made. */
export function createWorkerEndpoint(options: { config: OperatorConfig; worker: WatchedWorker; log: Logger }): OperatorServer {
  const metrics = new WorkerMetrics(options.worker);
  return new OperatorServer({
    host: options.config.host,
    port: options.config.port,
    log: options.log.child({ component: 'operator' }),
    health: () => checkWorkerHealth(options.worker),
    metrics: () => metrics.scrape(),
  });
}
