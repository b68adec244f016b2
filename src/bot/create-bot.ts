// Wires the bot: one job queue (one engine process) shared by the chat adapters whose settings are present.
import type { Logger } from 'pino';
import { DEFAULT_WEIGHTS_DIR } from '../../models/manifest.js';
import { createDiscordAdapter } from '../adapters/discord/index.js';
import { IntakeGate } from '../adapters/shared/intake-gate.js';
import { createSlackAdapter } from '../adapters/slack/index.js';
import { createWebAdapter } from '../adapters/web/index.js';
import type { ChatAdapter } from '../adapters/types.js';
import { createOperatorEndpoint, OperatorMetrics, type OperatorServer } from '../operator/index.js';
import { EngineRunner, JobQueue, type StylizeQueue } from '../queue/index.js';
import type { Clock, JobEngine } from '../queue/index.js';
import { ClusterQueue } from '../queue/cluster/cluster-queue.js';
import { connectCluster, type ClusterAddresses } from '../queue/cluster/cluster-setup.js';
import type { BotConfig } from './config.js';
import { configuredSecrets, createLogger } from './logger.js';

export interface Bot {
  queue: StylizeQueue;
  adapters: ChatAdapter[];
  /** The operator endpoint (/healthz, /metrics), when configured. */
  operator?: OperatorServer;
  /** Starts the operator endpoint (a port in use stops the start here), the queue (resuming journaled jobs), then the adapters. */
  start(): Promise<void>;
  /** Stops taking jobs, journals the running one, disconnects the adapters, then closes the operator endpoint. */
  stop(): Promise<void>;
}

export interface BotDeps {
  log?: Logger;
  /** Where jobs run; default the engine process on the configured weights and backend. */
  engine?: JobEngine;
  /** What the queue and the adapters read time from; default the system clock. */
  clock?: Clock;
}

export async function createBot(config: BotConfig, deps: BotDeps = {}): Promise<Bot> {
  const log = deps.log ?? createLogger(config.logLevel, { secrets: configuredSecrets(config) });
  const clock = deps.clock;
  const { queue, closeQueue } = config.cluster
    ? clusterQueue(config, config.cluster, log, clock)
    : { queue: embeddedQueue(config, deps.engine ?? engineProcess(config, log), log, clock), closeQueue: async () => undefined };
  // Adapters subscribe to the queue as they are created, before it starts, so resumed jobs reach them.
  const adapters: ChatAdapter[] = [];
  // One cap on uploads fetched at once for the whole bot, whichever platform they come from.
  const intake = new IntakeGate();
  // Made before the adapters, which count their platform's API errors into it.
  const metrics = config.operator ? new OperatorMetrics(queue) : undefined;
  const shared = { queue, log, intake, ...(clock ? { clock } : {}), ...(metrics ? { onApiError: metrics.countApiError } : {}) };
  if (config.discord) adapters.push(createDiscordAdapter({ config: config.discord, ...shared }));
  if (config.slack) adapters.push(createSlackAdapter({ config: config.slack, ...shared }));
  if (config.web) adapters.push(createWebAdapter({ config: config.web, queue, log, intake, ...(clock ? { clock } : {}) }));
  const operator = config.operator && metrics ? createOperatorEndpoint({ config: config.operator, queue, metrics, platforms: adapters, log }) : undefined;
  const started: ChatAdapter[] = [];

  async function stopAdapters(): Promise<void> {
    for (const adapter of started.splice(0).reverse()) {
      try {
        await adapter.stop();
      } catch (error) {
        log.error({ err: error, adapter: adapter.name }, 'adapter did not stop cleanly');
      }
    }
  }

  return {
    queue,
    adapters,
    ...(operator ? { operator } : {}),
    async start() {
      // First, so that a port in use stops the start before anything connects; /healthz then shows the rest coming up.
      await operator?.start();
      try {
        await queue.start();
      } catch (error) {
        await operator?.stop();
        throw error;
      }
      try {
        for (const adapter of adapters) {
          await adapter.start();
          started.push(adapter);
        }
      } catch (error) {
        // A platform that cannot connect (a revoked token...) stops the whole bot rather than half of it.
        await stopAdapters();
        await queue.stop();
        await operator?.stop();
        throw error;
      }
      log.info({ platforms: adapters.map((adapter) => adapter.name), dataDir: config.dataDir }, 'bot started');
    },
    async stop() {
      // The queue first: while it stops, the adapters still answer new commands ("restarting, try again")
      // and deliver the last events; then they disconnect.
      await queue.stop();
      await stopAdapters();
      await operator?.stop();
      await closeQueue();
      log.info('bot stopped');
    },
  };
}

/** The queue of one machine: journal and images in the data folder, jobs on this engine. */
function embeddedQueue(config: BotConfig, engine: JobEngine, log: Logger, clock: Clock | undefined): StylizeQueue {
  return new JobQueue({
    engine,
    dataDir: config.dataDir,
    limits: config.limits,
    log,
    ...(config.storage ? { storage: config.storage } : {}),
    ...(clock ? { clock } : {}),
  });
}

/** A front-end of a cluster: jobs kept on its servers and run by engine workers (npm run worker). */
function clusterQueue(config: BotConfig, addresses: ClusterAddresses, log: Logger, clock: Clock | undefined): { queue: StylizeQueue; closeQueue: () => Promise<void> } {
  const cluster = connectCluster(addresses, log);
  const queue = new ClusterQueue({
    store: cluster.store,
    pool: cluster.pool,
    dispatch: cluster.dispatch,
    limits: config.limits,
    log,
    ...(config.storage ? { maxDataBytes: config.storage.maxDataBytes } : {}),
    ...(clock ? { clock } : {}),
  });
  log.info({ dispatch: cluster.dispatch.kind }, 'cluster mode: jobs run on engine workers (npm run worker)');
  return { queue, closeQueue: () => cluster.close() };
}

/** The engine process on the configured weights and backend. */
function engineProcess(config: BotConfig, log: Logger): EngineRunner {
  return new EngineRunner({
    weightsDir: config.weightsDir ?? DEFAULT_WEIGHTS_DIR,
    ...(config.backend ? { backend: config.backend } : {}),
    ...(config.engineStartTimeoutMs ? { startTimeoutMs: config.engineStartTimeoutMs } : {}),
    log: log.child({ component: 'engine' }),
  });
}
