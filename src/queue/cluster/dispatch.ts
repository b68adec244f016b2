// The cluster's dispatch: one BullMQ queue of job ids, taken one at a time by each engine worker, and one
// stream of BullMQ custom events between the front-ends and the workers (progress, outcomes, cancels,
// engines getting ready). BullMQ runs on Redis, its default; its PostgreSQL backend serves where no Redis is
// set (the same API, in a schema of its own). Either way it holds nothing the places (places.ts) and the
// job store cannot rebuild: the reconciler adds back any waiting job it lost.
import { createPostgresBackend, createRedisBackend, Queue, QueueEvents, QueueEventsProducer, Worker, type BackendFactory, type IQueueBackend, type JobProgress, type Processor } from 'bullmq';
import type { ClusterMessage, DispatchedJob } from './messages.js';

export const QUEUE_NAME = 'stylize-jobs';
const EVENT_NAME = 'stylize';

/** Where dispatch runs: Redis (a redis:// URL, with a key prefix) or BullMQ's PostgreSQL backend (a postgres:// URL). */
export type DispatchConnection = { kind: 'redis'; url: string; prefix: string } | { kind: 'postgres'; url: string };

/** BullMQ's tables on PostgreSQL, beside the store's. */
const DISPATCH_SCHEMA = 'stylize_dispatch';
/** Connections each BullMQ class keeps at most on PostgreSQL (it listens on one more): a few per process in all. */
const DISPATCH_POOL_SIZE = 2;
/** A worker fetches again this long after a failed fetch: soon after its server returns, without a busy loop while it is away. */
const DISPATCH_RETRY_MS = 2000;

type DispatchData = DispatchedJob;

interface Backend {
  connection: unknown;
  factory: BackendFactory<IQueueBackend, unknown>;
  prefix?: string;
}

function backendOf(dispatch: DispatchConnection, forWorker: boolean): Backend {
  if (dispatch.kind === 'postgres') {
    // Each class sets up BullMQ's tables on its first connection (under BullMQ's own lock) if not there yet.
    const connection = { connectionString: dispatch.url, schema: DISPATCH_SCHEMA, migrate: true, max: DISPATCH_POOL_SIZE };
    return { connection, factory: createPostgresBackend as BackendFactory<IQueueBackend, unknown> };
  }
  const url = new URL(dispatch.url);
  const connection = {
    host: url.hostname,
    port: Number(url.port || 6379),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.pathname.length > 1 ? { db: Number(url.pathname.slice(1)) } : {}),
    // Workers and event readers wait on Redis for as long as it is away (BullMQ's advice); others fail fast.
    ...(forWorker ? { maxRetriesPerRequest: null } : { maxRetriesPerRequest: 1 }),
  };
  return { connection, factory: createRedisBackend as BackendFactory<IQueueBackend, unknown>, prefix: dispatch.prefix };
}

export type DispatchQueue = Queue<DispatchData, unknown, string, DispatchData, unknown, string, IQueueBackend, unknown>;
export type DispatchWorker = Worker<DispatchData, unknown, string, IQueueBackend, JobProgress, unknown>;
export type DispatchEvents = QueueEvents<unknown, IQueueBackend, unknown>;

export function dispatchQueue(dispatch: DispatchConnection): DispatchQueue {
  const { connection, factory, prefix } = backendOf(dispatch, false);
  return new Queue<DispatchData, unknown, string, DispatchData, unknown, string, IQueueBackend, unknown>(
    QUEUE_NAME,
    { connection, ...(prefix ? { prefix } : {}), defaultJobOptions: { removeOnComplete: true, removeOnFail: true } },
    factory,
  );
}

export function dispatchWorker(dispatch: DispatchConnection, processor: Processor<DispatchData, unknown, string>, options: { lockDurationMs: number; stalledIntervalMs: number }): DispatchWorker {
  const { connection, factory, prefix } = backendOf(dispatch, true);
  return new Worker<DispatchData, unknown, string, IQueueBackend, JobProgress, unknown>(
    QUEUE_NAME,
    processor,
    {
      connection,
      ...(prefix ? { prefix } : {}),
      concurrency: 1,
      autorun: false,
      lockDuration: options.lockDurationMs,
      stalledInterval: options.stalledIntervalMs,
      // A job whose worker died is given out again however often: the places count attempts (maxAttempts).
      maxStalledCount: 1000,
      // After a failed fetch (its server restarted) BullMQ waits this long before fetching again, and a stop
      // waits out that pause: its 15 s default held a worker's SIGTERM for 15 s after a PostgreSQL restart.
      runRetryDelay: DISPATCH_RETRY_MS,
    },
    factory,
  );
}

/** Sends and hears the cluster's messages on BullMQ's event stream (connected from open() to close()). */
export class ClusterChannel {
  private producer: QueueEventsProducer<IQueueBackend, unknown> | undefined;
  private events: DispatchEvents | undefined;

  constructor(
    private readonly dispatch: DispatchConnection,
    private readonly onMessage: (message: ClusterMessage) => void,
    /** Connection trouble (a server restarting, a connection cut): BullMQ reconnects by itself. */
    private readonly onError: (error: Error) => void,
  ) {}

  async open(): Promise<void> {
    const { connection, factory, prefix } = backendOf(this.dispatch, true);
    const options = { connection, ...(prefix ? { prefix } : {}) };
    this.producer = new QueueEventsProducer<IQueueBackend, unknown>(QUEUE_NAME, options, factory);
    this.events = new QueueEvents<unknown, IQueueBackend, unknown>(QUEUE_NAME, options, factory);
    this.events.on('error', this.onError);
    this.producer.on('error', this.onError);
    this.events.on(EVENT_NAME as 'error', (args: unknown) => {
      const raw = (args as { message?: unknown }).message;
      if (typeof raw === 'string') this.onMessage(JSON.parse(raw) as ClusterMessage);
    });
    await Promise.all([this.events.waitUntilReady(), this.producer.waitUntilReady()]);
  }

  async send(message: ClusterMessage): Promise<void> {
    if (!this.producer) throw new Error('the cluster channel is not open');
    await this.producer.publishEvent({ eventName: EVENT_NAME, message: JSON.stringify(message) }, 10_000);
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.events?.close(), this.producer?.close()]);
    this.events = undefined;
    this.producer = undefined;
  }
}
