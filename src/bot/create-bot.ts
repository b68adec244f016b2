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
import { connectCluster } from '../queue/cluster/cluster-setup.js';
import { FrontEndLease } from '../queue/cluster/front-end-lease.js';
import type { BotConfig, ClusterSettings } from './config.js';
import { configuredSecrets, createLogger } from './logger.js';

export interface Bot {
  queue: StylizeQueue;
  adapters: ChatAdapter[];
  /** The operator endpoint (/healthz, /metrics), when configured. */
  operator?: OperatorServer;
  /**
   * Starts the operator endpoint (a port in use stops the start here), the queue (resuming journaled jobs), then
   * the adapters. A cluster's front-end first waits until it holds the lease of its platforms: a standby waits
   * here while another front-end serves them.
   */
  start(): Promise<void>;
  /** Ends a standby's wait: start() then returns having started only the operator endpoint; stop() follows. */
  cancelStandby(): void;
  /** Stops taking jobs, journals the running one, disconnects the adapters, then closes the operator endpoint. */
  stop(): Promise<void>;
}

export interface BotDeps {
  log?: Logger;
  /** Where jobs run; default the engine process on the configured weights and backend. */
  engine?: JobEngine;
  /** What the queue and the adapters read time from; default the system clock. */
  clock?: Clock;
  /** A cluster front-end lost its lease (another may serve now): default, the bot stops; `npm start` exits. */
  onLeaseLost?: (reason: string) => void;
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
  // One front-end serves a cluster's platforms at a time; another may stand by (README, "Growing past one machine").
  const lease = config.cluster
    ? new FrontEndLease({
        connectionString: config.cluster.databaseUrl,
        platforms: adapters.map((adapter) => adapter.name),
        ...(config.cluster.leaseMs ? { leaseMs: config.cluster.leaseMs } : {}),
        log,
        onLost: (reason) => {
          log.error({ reason }, `stopping at once: ${reason}; another front-end may serve now, and two must never serve together`);
          if (deps.onLeaseLost) deps.onLeaseLost(reason);
          else void bot.stop();
        },
      })
    : undefined;
  const frontEnd = lease
    ? () => ({ standby: lease.role === 'waiting' || lease.role === 'standby', ok: lease.role === 'active', detail: lease.describe() })
    : undefined;
  const operator =
    config.operator && metrics ? createOperatorEndpoint({ config: config.operator, queue, metrics, platforms: adapters, log, ...(frontEnd ? { frontEnd } : {}) }) : undefined;
  const started: ChatAdapter[] = [];
  /** Until the lease is held, nothing but the operator endpoint runs. */
  let standingBy = lease !== undefined;

  async function stopAdapters(): Promise<void> {
    for (const adapter of started.splice(0).reverse()) {
      try {
        await adapter.stop();
      } catch (error) {
        log.error({ err: error, adapter: adapter.name }, 'adapter did not stop cleanly');
      }
    }
  }

  const bot: Bot = {
    queue,
    adapters,
    ...(operator ? { operator } : {}),
    async start() {
      // First, so that a port in use stops the start before anything connects; /healthz then shows the rest coming up.
      await operator?.start();
      // The same start as a restart's from here: the queue resumes the edits and deliveries left pending.
      if (lease && !(await lease.waitUntilHeld())) return;
      standingBy = false;
      try {
        await queue.start();
      } catch (error) {
        await operator?.stop();
        await lease?.release();
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
        await lease?.release();
        throw error;
      }
      log.info({ platforms: adapters.map((adapter) => adapter.name), dataDir: config.dataDir }, 'bot started');
    },
    cancelStandby() {
      lease?.stopWaiting();
    },
    async stop() {
      lease?.stopWaiting();
      // The queue first: while it stops, the adapters still answer new commands ("restarting, try again")
      // and deliver the last events; then they disconnect.
      if (!standingBy) {
        await queue.stop();
        await stopAdapters();
      }
      await operator?.stop();
      await closeQueue();
      // Last: a standby takes over only once nothing here delivers any more.
      await lease?.release();
      log.info('bot stopped');
    },
  };
  return bot;
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
function clusterQueue(config: BotConfig, settings: ClusterSettings, log: Logger, clock: Clock | undefined): { queue: StylizeQueue; closeQueue: () => Promise<void> } {
  const cluster = connectCluster(settings, log);
  const queue = new ClusterQueue({
    store: cluster.store,
    pool: cluster.pool,
    dispatch: cluster.dispatch,
    limits: config.limits,
    log,
    ...(config.storage ? { maxDataBytes: config.storage.maxDataBytes } : {}),
    ...(settings.reconcileMs ? { reconcileMs: settings.reconcileMs } : {}),
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
