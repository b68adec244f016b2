// How a process joins the cluster from its two addresses: the job store and the places on PostgreSQL
// (STYLIZE_DATABASE_URL), dispatch on Redis (STYLIZE_REDIS_URL) or, without it, on BullMQ's PostgreSQL
// backend in the same database. Front-ends and workers of one cluster must name the same servers.
import pg from 'pg';
import type { Logger } from 'pino';
import type { DispatchConnection } from './dispatch.js';
import { PgStore } from './pg-store.js';

export interface ClusterAddresses {
  databaseUrl: string;
  redisUrl?: string;
}

/** BullMQ's keys on Redis begin with this. */
const REDIS_PREFIX = 'stylize';

export function dispatchOf(addresses: ClusterAddresses): DispatchConnection {
  return addresses.redisUrl ? { kind: 'redis', url: addresses.redisUrl, prefix: REDIS_PREFIX } : { kind: 'postgres', url: addresses.databaseUrl };
}

export interface ClusterConnections {
  store: PgStore;
  /** The places' connections (limits, turns, outcomes). */
  pool: pg.Pool;
  dispatch: DispatchConnection;
  /** Lets go of the places' connections (the store closes with its owner). */
  close(): Promise<void>;
}

/**
 * How long a call waits for one of its pool's connections. The wait includes its turn behind the pool's
 * other calls: with 5 s, 200 /stylize at once on a machine whose cores were kept busy told some people
 * "try again later" (storage unavailable) while PostgreSQL was only slow. A server that is down refuses
 * the connection at once, so that answer still comes at once.
 */
const CONNECTION_WAIT_MS = 30_000;

export function connectCluster(addresses: ClusterAddresses, log: Logger): ClusterConnections {
  const pool = new pg.Pool({ connectionString: addresses.databaseUrl, max: 4, connectionTimeoutMillis: CONNECTION_WAIT_MS });
  // A connection that breaks while idle (PostgreSQL restarted) is dropped; the next call opens another.
  pool.on('error', (error) => log.warn({ err: error }, 'lost an idle connection to PostgreSQL; the next call opens a new one'));
  return {
    store: new PgStore({ connectionString: addresses.databaseUrl, log, maxConnections: 4, connectTimeoutMs: CONNECTION_WAIT_MS }),
    pool,
    dispatch: dispatchOf(addresses),
    close: () => pool.end(),
  };
}
