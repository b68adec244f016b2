// The operator endpoint, as the bot wiring (src/bot/) uses it: metrics that start counting when made (the
// adapters feed their API errors into them), and the HTTP server with /healthz and /metrics.
import type { Logger } from 'pino';
import type { ChatAdapter } from '../adapters/types.js';
import type { StylizeQueue } from '../queue/index.js';
import type { OperatorConfig } from './config.js';
import { checkHealth, type FrontEndState } from './health.js';
import { OperatorMetrics } from './metrics.js';
import { OperatorServer } from './server.js';

export type { OperatorConfig } from './config.js';
export { DEFAULT_OPERATOR_HOST, readOperatorConfig } from './config.js';
export type { FrontEndState, HealthCheck, HealthReport } from './health.js';
export { checkHealth } from './health.js';
export { DURATION_BUCKETS_SECONDS, OperatorMetrics } from './metrics.js';
export { HEALTH_PATH, METRICS_PATH, OperatorServer } from './server.js';
export { checkWorkerHealth, createWorkerEndpoint, WorkerMetrics, type WatchedWorker } from './worker-endpoint.js';

export interface OperatorEndpointOptions {
  config: OperatorConfig;
  queue: StylizeQueue;
  metrics: OperatorMetrics;
  /** The platforms whose connections /healthz checks. */
  platforms: readonly ChatAdapter[];
  /** A cluster front-end's state (serving, or standing by for another). */
  frontEnd?: () => FrontEndState;
  log: Logger;
}

export function createOperatorEndpoint(options: OperatorEndpointOptions): OperatorServer {
  const { config, queue, metrics, platforms, frontEnd, log } = options;
  return new OperatorServer({
    host: config.host,
    port: config.port,
    log: log.child({ component: 'operator' }),
    health: () => checkHealth(queue, platforms, frontEnd?.()),
    metrics: () => metrics.scrape(),
  });
}
