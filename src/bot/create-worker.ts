// An engine worker of a cluster as `npm run worker` runs it: the ClusterWorker on the engine process (the
// configured weights and backend), with the operator endpoint (/healthz, /metrics) where one is configured.
import type { Logger } from 'pino';
import { DEFAULT_WEIGHTS_DIR } from '../../models/manifest.js';
import { createWorkerEndpoint, type OperatorServer } from '../operator/index.js';
import { connectCluster } from '../queue/cluster/cluster-setup.js';
import { ClusterWorker } from '../queue/cluster/worker.js';
import { EngineRunner, systemClock, type Clock, type JobEngine } from '../queue/index.js';
import type { BotConfig } from './config.js';

export interface WorkerNode {
  worker: ClusterWorker;
  operator?: OperatorServer;
  /** Starts the operator endpoint (a port in use stops the start here), then takes jobs. */
  start(): Promise<void>;
  /** Puts the running job back in line, lets go of the servers, then closes the endpoint. */
  stop(): Promise<void>;
}

export interface WorkerDeps {
  log: Logger;
  /** Where jobs run; default the engine process on the configured weights and backend. */
  engine?: JobEngine;
  clock?: Clock;
}

export function createWorker(config: BotConfig & { cluster: NonNullable<BotConfig['cluster']> }, deps: WorkerDeps): WorkerNode {
  const { log } = deps;
  const cluster = connectCluster(config.cluster, log);
  const engine =
    deps.engine ??
    new EngineRunner({
      weightsDir: config.weightsDir ?? DEFAULT_WEIGHTS_DIR,
      ...(config.backend ? { backend: config.backend } : {}),
      log: log.child({ component: 'engine' }),
    });
  const worker = new ClusterWorker({ engine, store: cluster.store, pool: cluster.pool, dispatch: cluster.dispatch, limits: config.limits, clock: deps.clock ?? systemClock, log });
  const operator = config.operator ? createWorkerEndpoint({ config: config.operator, worker, log }) : undefined;
  return {
    worker,
    ...(operator ? { operator } : {}),
    async start() {
      await operator?.start();
      try {
        await worker.start();
      } catch (error) {
        await operator?.stop();
        throw error;
      }
    },
    async stop() {
      await worker.stop();
      await cluster.close();
      await operator?.stop();
    },
  };
}
