// The job store of cluster mode, on PostgreSQL (node-postgres): what must not be lost when any machine
// dies. Job records, their images (photo, style, the latest preview) and finished pictures, each server's
// settings and the throughput learnt live in one database that every front-end and worker shares. Each
// write is one transaction, so a record is never stored without its images, and is durable when it
// resolves. Images are bytea kept out of line without compression (PNG and JPEG do not shrink further).
// A server that cannot be reached rejects every call with StoreUnavailableError at once, and the next
// call after its return works again: the pool opens fresh connections for the ones that broke.
import pg from 'pg';
import type { Logger } from 'pino';
import { StoreUnavailableError, type JobInputs, type JobRecord, type JobStore, type JournalContents, type StoredResult } from '../job-store.js';
import { parseJobRecord } from '../journal-records.js';
import { expiredJobs, type RetentionRules } from '../retention.js';
import type { ServerSettings } from '../server-settings.js';
import { parseThroughputFigures, type ThroughputFigures } from '../throughput.js';
import type { JobResult } from '../types.js';

/** What a cluster's front-end asks of the shared store beyond a JobStore's questions. */
export interface ClusterStore extends JobStore {
  /** The stored records of these jobs (those still kept). */
  records(ids: readonly string[]): Promise<JobRecord[]>;
  /** Bytes the images of the jobs not finished yet take, every front-end's. */
  unfinishedBytes(): Promise<number>;
  forgetExpired(now: number, rules: RetentionRules, incomingBytes?: number): Promise<string[]>;
}

export interface PgStoreOptions {
  /** postgres://user@host:port/database (STYLIZE_DATABASE_URL). */
  connectionString: string;
  log: Logger;
  /** Connections kept open at most; default 10. */
  maxConnections?: number;
  /** How long a call waits for a connection before it counts the server as down; default 5 s. */
  connectTimeoutMs?: number;
  /** How long a statement may go unanswered before the server counts as hung; default 30 s. */
  queryTimeoutMs?: number;
}

/** The schema this code writes; a database set up by a newer version is not touched. */
const SCHEMA_VERSION = 1;
/** Taken while the schema is created, so that processes starting together do not race (any fixed number). */
const MIGRATION_LOCK = 0x5354594c;
/** Taken while finished jobs are forgotten, so that two front-ends pruning at once do not count twice. */
const PRUNE_LOCK = 0x5354594d;

/**
 * Every statement is idempotent: open() runs them all on every start. Records are JSON text, as the
 * journal keeps them, with the columns the queries need beside them.
 */
const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS store_meta (
     key text PRIMARY KEY,
     value text NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS jobs (
     id text PRIMARY KEY,
     seq bigint NOT NULL,
     state text NOT NULL,
     finished_at bigint,
     bytes bigint NOT NULL DEFAULT 0,
     delivery text,
     record text NOT NULL)`,
  `CREATE INDEX IF NOT EXISTS jobs_by_seq ON jobs (seq)`,
  `CREATE INDEX IF NOT EXISTS jobs_pending_delivery ON jobs (id) WHERE delivery = 'pending'`,
  // kind: 'content' | 'style' | 'init' (a Bigger job's picture to go on from) | 'preview'; position orders several of a kind (a blend's styles).
  `CREATE TABLE IF NOT EXISTS job_images (
     job_id text NOT NULL,
     kind text NOT NULL,
     position int NOT NULL DEFAULT 0,
     bytes bytea NOT NULL,
     PRIMARY KEY (job_id, kind, position))`,
  `ALTER TABLE job_images ALTER COLUMN bytes SET STORAGE EXTERNAL`,
  `CREATE TABLE IF NOT EXISTS job_results (
     job_id text PRIMARY KEY,
     png bytea NOT NULL,
     result text NOT NULL)`,
  `ALTER TABLE job_results ALTER COLUMN png SET STORAGE EXTERNAL`,
  `CREATE TABLE IF NOT EXISTS server_settings (
     key text PRIMARY KEY,
     value text NOT NULL)`,
  // Records that could not be read, moved aside with their text for the operator to look at.
  `CREATE TABLE IF NOT EXISTS quarantined_jobs (
     key text PRIMARY KEY,
     raw text NOT NULL,
     moved_at timestamptz NOT NULL DEFAULT now())`,
];

/** Connection errors: the server is down, restarting or full of connections; a later try can work. */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
/** SQLSTATEs of a server going away or not taking work now: admin, crash and startup shutdowns, too many connections, disk full. */
const UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03', '53100', '53200', '53300']);

/** Whether `error` says PostgreSQL cannot be reached now (a later try can work), not that a call was wrong. */
export function isUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  if (code !== undefined && (UNREACHABLE_CODES.has(code) || UNAVAILABLE_STATES.has(code) || code.startsWith('08'))) return true;
  // node-postgres' own words when a connection breaks or cannot be made in time.
  return /Connection terminated|timeout exceeded when trying to connect|not queryable|Connection ended|Query read timeout/i.test(error.message);
}

/** The columns of a record, from the record. */
function rowOf(record: JobRecord): unknown[] {
  return [record.id, record.seq, record.state, record.finishedAt ?? null, record.bytes ?? 0, record.delivery?.status ?? null, JSON.stringify(record)];
}

const UPSERT_JOB = `INSERT INTO jobs (id, seq, state, finished_at, bytes, delivery, record) VALUES ($1, $2, $3, $4, $5, $6, $7)
  ON CONFLICT (id) DO UPDATE SET seq = EXCLUDED.seq, state = EXCLUDED.state, finished_at = EXCLUDED.finished_at,
    bytes = EXCLUDED.bytes, delivery = EXCLUDED.delivery, record = EXCLUDED.record`;

const UPSERT_IMAGE = `INSERT INTO job_images (job_id, kind, position, bytes) VALUES ($1, $2, $3, $4)
  ON CONFLICT (job_id, kind, position) DO UPDATE SET bytes = EXCLUDED.bytes`;

export class PgStore implements ClusterStore {
  private readonly pool: pg.Pool;
  private readonly log: Logger;
  /** Where the server is, for messages (no password). */
  private readonly where: string;
  /** Writes to one key go one after another, so a later state of a job never lands before an earlier one. */
  private readonly chains = new Map<string, Promise<unknown>>();

  constructor(options: PgStoreOptions) {
    this.log = options.log.child({ component: 'pg-store' });
    this.pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.maxConnections ?? 10,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
      // A server that stops answering (a hung machine, a cut network) fails the call instead of holding it.
      query_timeout: options.queryTimeoutMs ?? 30_000,
      keepAlive: true,
    });
    // A connection that breaks while idle (the server restarted) is dropped by the pool; without a
    // listener the error would end the process.
    this.pool.on('error', (error) => this.log.warn({ err: error }, 'lost an idle connection to PostgreSQL; the next call opens a new one'));
    this.where = whereOf(options.connectionString);
  }

  /** Creates the tables on first use (any process may, at the same time) and checks the schema's version. */
  async open(): Promise<void> {
    await this.transaction(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      for (const statement of SCHEMA) await client.query(statement);
      const found = await client.query<{ value: string }>("SELECT value FROM store_meta WHERE key = 'schema'");
      const version = Number(found.rows[0]?.value ?? SCHEMA_VERSION);
      if (version > SCHEMA_VERSION) {
        throw new Error(`The database at ${this.where} was set up by a newer stylize (schema ${version}, this one knows ${SCHEMA_VERSION}); upgrade this machine's stylize.`);
      }
      await client.query("INSERT INTO store_meta (key, value) VALUES ('schema', $1) ON CONFLICT (key) DO NOTHING", [String(SCHEMA_VERSION)]);
    });
  }

  async close(): Promise<void> {
    await Promise.all([...this.chains.values()]);
    await this.pool.end();
  }

  async load(): Promise<JournalContents> {
    const { rows } = await this.query<{ id: string; record: string }>('SELECT id, record FROM jobs ORDER BY seq');
    const records: JobRecord[] = [];
    const bad: Array<{ id: string; raw: string }> = [];
    for (const { id, record: raw } of rows) {
      const record = parseJobRecord(raw);
      if (record && record.id === id) records.push(record);
      else bad.push({ id, raw });
    }
    for (const { id, raw } of bad) {
      await this.transaction(async (client) => {
        await client.query('INSERT INTO quarantined_jobs (key, raw) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET raw = EXCLUDED.raw, moved_at = now()', [`job:${id}`, raw]);
        await client.query('DELETE FROM jobs WHERE id = $1', [id]);
      });
    }
    return { records, quarantined: bad.map(({ id }) => `job:${id}`) };
  }

  async records(ids: readonly string[]): Promise<JobRecord[]> {
    const { rows } = await this.query<{ id: string; record: string }>('SELECT id, record FROM jobs WHERE id = ANY($1)', [ids]);
    return rows.map(({ record }) => parseJobRecord(record)).filter((record): record is JobRecord => record !== undefined);
  }

  async unfinishedBytes(): Promise<number> {
    const { rows } = await this.query<{ bytes: string }>("SELECT coalesce(sum(bytes), 0) AS bytes FROM jobs WHERE state IN ('queued', 'running')");
    return Number(rows[0]?.bytes ?? 0);
  }

  async probe(): Promise<void> {
    await this.query("INSERT INTO store_meta (key, value) VALUES ('probe', $1) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value", [new Date().toISOString()]);
  }

  async throughput(): Promise<ThroughputFigures> {
    const { rows } = await this.query<{ value: string }>("SELECT value FROM store_meta WHERE key = 'throughput'");
    const raw = rows[0]?.value;
    if (raw === undefined) return {};
    try {
      return parseThroughputFigures(JSON.parse(raw));
    } catch {
      return {};
    }
  }

  saveThroughput(figures: ThroughputFigures): Promise<void> {
    return this.inOrder('throughput', async () => {
      await this.query("INSERT INTO store_meta (key, value) VALUES ('throughput', $1) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value", [JSON.stringify(figures)]);
    });
  }

  async serverSettings(): Promise<Array<{ key: string; value: unknown }>> {
    const { rows } = await this.query<{ key: string; value: string }>('SELECT key, value FROM server_settings ORDER BY key');
    const found: Array<{ key: string; value: unknown }> = [];
    for (const { key, value } of rows) {
      try {
        found.push({ key, value: JSON.parse(value) });
      } catch {
        // A damaged row: that server starts from the defaults again.
      }
    }
    return found;
  }

  saveServerSettings(key: string, value: ServerSettings): Promise<void> {
    return this.inOrder(`server:${key}`, async () => {
      await this.query('INSERT INTO server_settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value', [key, JSON.stringify(value)]);
    });
  }

  accept(record: JobRecord, inputs: JobInputs): Promise<void> {
    const snapshot = structuredClone(record);
    return this.inOrder(`job:${record.id}`, () =>
      this.transaction(async (client) => {
        await client.query(UPSERT_IMAGE, [snapshot.id, 'content', 0, inputs.content]);
        await client.query(UPSERT_IMAGE, [snapshot.id, 'style', 0, inputs.style]);
        // A blend's further style images follow the first at positions 1, 2, 3.
        for (const [index, bytes] of (inputs.extraStyleImages ?? []).entries()) await client.query(UPSERT_IMAGE, [snapshot.id, 'style', index + 1, bytes]);
        // A Bigger job's picture to go on from; a rerun (acceptFrom) does not take it along.
        if (inputs.init) await client.query(UPSERT_IMAGE, [snapshot.id, 'init', 0, inputs.init]);
        await client.query(UPSERT_JOB, rowOf(snapshot));
      }),
    );
  }

  /** The images are copied row by row inside the server: no bytes travel, though the copy takes space. */
  acceptFrom(record: JobRecord, sourceId: string): Promise<void> {
    const snapshot = structuredClone(record);
    return this.inOrder(`job:${record.id}`, () =>
      this.transaction(async (client) => {
        const copied = await client.query(
          `INSERT INTO job_images (job_id, kind, position, bytes)
             SELECT $1, kind, position, bytes FROM job_images WHERE job_id = $2 AND kind IN ('content', 'style')
           ON CONFLICT (job_id, kind, position) DO UPDATE SET bytes = EXCLUDED.bytes`,
          [snapshot.id, sourceId],
        );
        if ((copied.rowCount ?? 0) < 2) throw new Error(`the images of job ${sourceId} are gone`);
        await client.query(UPSERT_JOB, rowOf(snapshot));
      }),
    );
  }

  async inputs(id: string): Promise<JobInputs | undefined> {
    const { rows } = await this.query<{ kind: string; position: number; bytes: Buffer }>(
      "SELECT kind, position, bytes FROM job_images WHERE job_id = $1 AND kind IN ('content', 'style', 'init') ORDER BY position",
      [id],
    );
    const content = rows.find((row) => row.kind === 'content' && row.position === 0)?.bytes;
    const [style, ...extraStyleImages] = rows.filter((row) => row.kind === 'style').map((row) => row.bytes);
    if (!content || !style || rows.find((row) => row.kind === 'style')?.position !== 0) return undefined;
    const init = rows.find((row) => row.kind === 'init')?.bytes;
    return { content, style, ...(extraStyleImages.length > 0 ? { extraStyleImages } : {}), ...(init ? { init } : {}) };
  }

  saveResult(id: string, picture: StoredResult): Promise<void> {
    return this.inOrder(`result:${id}`, async () => {
      await this.query('INSERT INTO job_results (job_id, png, result) VALUES ($1, $2, $3) ON CONFLICT (job_id) DO UPDATE SET png = EXCLUDED.png, result = EXCLUDED.result', [
        id,
        picture.png,
        JSON.stringify(picture.result),
      ]);
    });
  }

  async result(id: string): Promise<StoredResult | undefined> {
    const { rows } = await this.query<{ png: Buffer; result: string }>('SELECT png, result FROM job_results WHERE job_id = $1', [id]);
    const row = rows[0];
    if (!row) return undefined;
    try {
      return { png: row.png, result: JSON.parse(row.result) as JobResult };
    } catch {
      return undefined;
    }
  }

  /** The latest preview a worker kept of a running job, for the front-end that shows it. */
  savePreview(id: string, png: Buffer): Promise<void> {
    return this.inOrder(`preview:${id}`, async () => {
      await this.query(UPSERT_IMAGE, [id, 'preview', 0, png]);
    });
  }

  async preview(id: string): Promise<Buffer | undefined> {
    const { rows } = await this.query<{ bytes: Buffer }>("SELECT bytes FROM job_images WHERE job_id = $1 AND kind = 'preview' AND position = 0", [id]);
    return rows[0]?.bytes;
  }

  save(record: JobRecord): Promise<void> {
    const snapshot = structuredClone(record);
    return this.inOrder(`job:${record.id}`, async () => {
      await this.query(UPSERT_JOB, rowOf(snapshot));
    });
  }

  remove(id: string): Promise<void> {
    return this.inOrder(`job:${id}`, () =>
      this.transaction(async (client) => {
        await client.query('DELETE FROM jobs WHERE id = $1', [id]);
        await deleteImages(client, [id]);
      }),
    );
  }

  removeInputs(id: string): Promise<void> {
    return this.inOrder(`job:${id}`, () => this.transaction((client) => deleteImages(client, [id])));
  }

  /** Images and pictures of no stored job: a crash cannot leave them (one transaction), a hand edit can. */
  async removeOrphans(knownIds: ReadonlySet<string>): Promise<void> {
    const known = [...knownIds];
    await this.transaction(async (client) => {
      await client.query('DELETE FROM job_images i WHERE NOT EXISTS (SELECT 1 FROM jobs j WHERE j.id = i.job_id) AND NOT (i.job_id = ANY($1))', [known]);
      await client.query('DELETE FROM job_results r WHERE NOT EXISTS (SELECT 1 FROM jobs j WHERE j.id = r.job_id) AND NOT (r.job_id = ANY($1))', [known]);
    });
  }

  /**
   * Forgets the finished jobs that retention and the data cap let go (see retention.ts), with their
   * images, so that `incomingBytes` more fit: one process at a time, whichever front-end asks. The ids
   * forgotten.
   */
  async forgetExpired(now: number, rules: RetentionRules, incomingBytes = 0): Promise<string[]> {
    return this.transaction(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [PRUNE_LOCK]);
      const { rows } = await client.query<{ record: string }>('SELECT record FROM jobs');
      const records = rows.map((row) => parseJobRecord(row.record)).filter((record): record is JobRecord => record !== undefined);
      const ids = expiredJobs(records, now, rules, incomingBytes).map((record) => record.id);
      if (ids.length === 0) return [];
      await client.query('DELETE FROM jobs WHERE id = ANY($1)', [ids]);
      await deleteImages(client, ids);
      return ids;
    });
  }

  /** Runs `write` after the writes to `key` asked for before it. */
  private inOrder<T>(key: string, write: () => Promise<T>): Promise<T> {
    const result = (this.chains.get(key) ?? Promise.resolve()).then(write);
    const settled = result.then(
      () => undefined,
      () => undefined,
    );
    this.chains.set(key, settled);
    void settled.then(() => {
      if (this.chains.get(key) === settled) this.chains.delete(key);
    });
    return result;
  }

  private async query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>> {
    try {
      return await this.pool.query<R>(text, values);
    } catch (error) {
      throw this.mapped(error);
    }
  }

  /** One transaction on one connection: all of `work` is stored, or none of it. */
  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw this.mapped(error);
    }
    let broken: unknown;
    try {
      await client.query('BEGIN');
      const value = await work(client);
      await client.query('COMMIT');
      return value;
    } catch (error) {
      broken = error;
      await client.query('ROLLBACK').catch(() => undefined);
      throw this.mapped(error);
    } finally {
      // A connection that failed mid-transaction is not given back for reuse.
      client.release(broken !== undefined && isUnavailable(broken) ? (broken as Error) : undefined);
    }
  }

  /** A server that cannot be reached becomes StoreUnavailableError; anything else is a bug and stays as it is. */
  private mapped(error: unknown): unknown {
    if (!isUnavailable(error)) return error;
    const reason = error instanceof Error ? error.message : String(error);
    return new StoreUnavailableError(`PostgreSQL at ${this.where} cannot be reached (${reason}); try again when it is back.`, { cause: error });
  }
}

/** host:port/database of a connection string, for messages: never its password. */
function whereOf(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    // postgresql:///stylize?host=/var/run/postgresql names a Unix socket's folder instead of a host.
    const host = url.hostname || url.searchParams.get('host') || 'localhost';
    return `${host}:${url.port || '5432'}${url.pathname}`;
  } catch {
    return 'the configured database';
  }
}

async function deleteImages(client: pg.PoolClient, ids: string[]): Promise<void> {
  await client.query('DELETE FROM job_images WHERE job_id = ANY($1)', [ids]);
  await client.query('DELETE FROM job_results WHERE job_id = ANY($1)', [ids]);
}
