// Where every job of the cluster stands on its way to an engine, in PostgreSQL: one row per place taken in
// line, from the reservation made before any download, through waiting and running, to the outcome a worker
// reached. The limits (per user, per server, total) are counted from these rows inside one transaction under
// an advisory lock, so two front-ends taking places at the same moment never pass a limit together. A row
// that a worker ended keeps its outcome until a front-end applies it (deleting the row): an outcome reached
// while no front-end ran is applied at the next start, never lost, never applied twice. A cancel asked for a
// running job is kept on its row too, so that a worker that missed the message, or takes the job later,
// still stops or refuses it.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { UserError } from '../../wording/index.js';
import type { UserProblem } from '../../wording/index.js';
import type { JobOutcome } from '../observer.js';

/** A reservation not used by then was left by a front-end that died mid-download: it no longer counts. */
const RESERVATION_TTL_S = 600;
/** One lock for every change to the places, so that counting and taking are one step across front-ends. */
const PLACES_LOCK = 0x57_79_6c_7a;

export type PlaceState = 'reserved' | 'queued' | 'running' | 'ended';

/** How a run on a worker ended, kept until a front-end applies it. */
export type RunOutcome =
  | { kind: 'done'; ranMs: number }
  | { kind: 'failed'; reason: UserProblem; counted: JobOutcome; ranMs: number | undefined }
  /** `ranMs` absent: cancelled before any worker ran it. */
  | { kind: 'cancelled'; byUserId: string; ranMs?: number };

/** A job's row as the front-ends compare their copies with it. */
export interface Place {
  state: PlaceState;
  turn: number;
  seq: number;
  /** The worker running it (state 'running'), or the last one that did. */
  worker?: string;
}

/** What a worker's claim found: the attempts so far, and who asked to cancel it before it ran (if anyone). */
export interface Claim {
  attempts: number;
  cancelledBy?: string;
}

/** The limits a new place is checked against (the server's own under the bot-wide ones). */
export interface PlaceLimits {
  maxPerUser: number;
  maxPerServer?: number;
  maxQueueLength: number;
}

export interface Asking {
  userKey: string;
  serverKey?: string;
}

export class ClusterPlaces {
  constructor(private readonly pool: pg.Pool) {}

  /** Creates the table or brings it up to date; under the places' lock, as processes start at the same time. */
  async install(): Promise<void> {
    await this.locked(async (client) => {
      await client.query(`
        CREATE TABLE IF NOT EXISTS stylize_places (
          id text PRIMARY KEY,
          user_key text NOT NULL,
          server_key text,
          state text NOT NULL,
          turn integer NOT NULL DEFAULT 0,
          seq bigserial,
          attempts integer NOT NULL DEFAULT 0,
          worker text,
          outcome jsonb,
          held_until timestamptz
        )`);
      await client.query(`ALTER TABLE stylize_places ADD COLUMN IF NOT EXISTS cancel_by text`);
    });
  }

  /** Takes a place for `asking` within `limits`, or throws the UserError naming the limit it would pass. */
  async reserve(asking: Asking, limits: PlaceLimits): Promise<string> {
    return this.locked(async (client) => {
      await client.query(`DELETE FROM stylize_places WHERE state = 'reserved' AND held_until < now()`);
      const { rows } = await client.query<{ mine: string; in_server: string; waiting: string }>(
        `SELECT count(*) FILTER (WHERE user_key = $1 AND state <> 'ended') AS mine,
                count(*) FILTER (WHERE server_key = $2 AND state <> 'ended') AS in_server,
                count(*) FILTER (WHERE state IN ('reserved', 'queued')) AS waiting
           FROM stylize_places`,
        [asking.userKey, asking.serverKey ?? null],
      );
      const counts = rows[0] ?? { mine: '0', in_server: '0', waiting: '0' };
      if (Number(counts.mine) >= limits.maxPerUser) throw new UserError('user-limit', { maxPerUser: limits.maxPerUser });
      if (asking.serverKey !== undefined && limits.maxPerServer !== undefined && Number(counts.in_server) >= limits.maxPerServer) {
        throw new UserError('server-limit', { maxPerServer: limits.maxPerServer });
      }
      if (Number(counts.waiting) >= limits.maxQueueLength) throw new UserError('queue-full', { maxQueueLength: limits.maxQueueLength });
      const token = `reserved:${randomUUID()}`;
      await client.query(`INSERT INTO stylize_places (id, user_key, server_key, state, held_until) VALUES ($1, $2, $3, 'reserved', now() + make_interval(secs => $4))`, [
        token,
        asking.userKey,
        asking.serverKey ?? null,
        RESERVATION_TTL_S,
      ]);
      return token;
    });
  }

  /** Gives a reserved place back (a refused download, a bad image); nothing once it became a job. */
  async release(token: string): Promise<void> {
    await this.pool.query(`DELETE FROM stylize_places WHERE id = $1 AND state = 'reserved'`, [token]);
  }

  /**
   * Turns a reservation into a waiting job. Its turn is its ordinal among its owner's waiting jobs (1 for
   * the first): dispatch runs turn 1 of everyone before anyone's turn 2, first come first served within one.
   */
  async admit(token: string, jobId: string, asking: Asking): Promise<{ turn: number; seq: number }> {
    return this.locked(async (client) => {
      const { rows } = await client.query<{ waiting: string }>(`SELECT count(*) AS waiting FROM stylize_places WHERE user_key = $1 AND state = 'queued'`, [asking.userKey]);
      const turn = Number(rows[0]?.waiting ?? 0) + 1;
      const updated = await client.query<{ seq: string }>(`UPDATE stylize_places SET id = $2, state = 'queued', turn = $3, held_until = NULL WHERE id = $1 RETURNING seq`, [token, jobId, turn]);
      const seq = updated.rows[0]?.seq;
      if (seq !== undefined) return { turn, seq: Number(seq) };
      // The reservation expired (a download that took ten minutes): the job still gets its place.
      const inserted = await client.query<{ seq: string }>(`INSERT INTO stylize_places (id, user_key, server_key, state, turn) VALUES ($1, $2, $3, 'queued', $4) RETURNING seq`, [
        jobId,
        asking.userKey,
        asking.serverKey ?? null,
        turn,
      ]);
      return { turn, seq: Number(inserted.rows[0]?.seq ?? 0) };
    });
  }

  /** A job resumed from the store with no row (Redis and PostgreSQL parted in a crash): back in line. */
  async requeue(jobId: string, asking: Asking, turn: number): Promise<void> {
    await this.pool.query(`INSERT INTO stylize_places (id, user_key, server_key, state, turn) VALUES ($1, $2, $3, 'queued', $4) ON CONFLICT (id) DO NOTHING`, [
      jobId,
      asking.userKey,
      asking.serverKey ?? null,
      turn,
    ]);
  }

  /**
   * A worker takes a job: undefined when it is no longer waiting (cancelled, or ended). A job found 'running'
   * was left by a worker that died (the dispatcher gave it out again): it is taken over.
   */
  async claim(jobId: string, workerId: string): Promise<Claim | undefined> {
    const { rows } = await this.pool.query<{ attempts: number; cancel_by: string | null }>(
      `UPDATE stylize_places SET state = 'running', worker = $2, attempts = attempts + 1 WHERE id = $1 AND state IN ('queued', 'running') RETURNING attempts, cancel_by`,
      [jobId, workerId],
    );
    const row = rows[0];
    if (!row) return undefined;
    return row.cancel_by === null ? { attempts: row.attempts } : { attempts: row.attempts, cancelledBy: row.cancel_by };
  }

  /**
   * Puts a running job whose worker is gone back in line, unless another front-end did first (or the worker
   * was heard of again and ended it): true for the one caller that did. The dead worker's attempt counts.
   */
  async handBack(jobId: string, workerId: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(`UPDATE stylize_places SET state = 'queued', worker = NULL WHERE id = $1 AND state = 'running' AND worker = $2`, [jobId, workerId]);
    return (rowCount ?? 0) > 0;
  }

  /** A worker stopping cleanly puts its job back in line; a clean stop does not count as an attempt. */
  async putBack(jobId: string): Promise<void> {
    await this.pool.query(`UPDATE stylize_places SET state = 'queued', worker = NULL, attempts = greatest(0, attempts - 1) WHERE id = $1 AND state = 'running'`, [jobId]);
  }

  /** A worker's outcome, kept until a front-end applies it. */
  async end(jobId: string, outcome: RunOutcome): Promise<void> {
    await this.pool.query(`UPDATE stylize_places SET state = 'ended', outcome = $2 WHERE id = $1`, [jobId, JSON.stringify(outcome)]);
  }

  /**
   * Cancels a waiting job: true when it was waiting (no worker has it). It ends there as cancelled, and the
   * front-end that serves its platform applies that as any outcome.
   */
  async cancelWaiting(jobId: string, byUserId: string): Promise<boolean> {
    const outcome: RunOutcome = { kind: 'cancelled', byUserId };
    const { rowCount } = await this.pool.query(`UPDATE stylize_places SET state = 'ended', outcome = $2, cancel_by = $3 WHERE id = $1 AND state = 'queued'`, [
      jobId,
      JSON.stringify(outcome),
      byUserId,
    ]);
    return (rowCount ?? 0) > 0;
  }

  /** Asks the worker of a running job to stop it: true when the job was running (the ask is kept on its row). */
  async requestCancel(jobId: string, byUserId: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(`UPDATE stylize_places SET cancel_by = coalesce(cancel_by, $2) WHERE id = $1 AND state = 'running'`, [jobId, byUserId]);
    return (rowCount ?? 0) > 0;
  }

  /** Who asked to cancel a running job, if anyone: a worker looks while it runs one. */
  async cancelRequest(jobId: string): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ cancel_by: string | null }>(`SELECT cancel_by FROM stylize_places WHERE id = $1 AND state = 'running'`, [jobId]);
    return rows[0]?.cancel_by ?? undefined;
  }

  /**
   * Takes an ended job's outcome for applying; undefined when another front-end took it first. A cancel's
   * outcome names who asked for it.
   */
  async takeOutcome(jobId: string): Promise<RunOutcome | undefined> {
    const { rows } = await this.pool.query<{ outcome: RunOutcome; cancel_by: string | null }>(
      `DELETE FROM stylize_places WHERE id = $1 AND state = 'ended' RETURNING outcome, cancel_by`,
      [jobId],
    );
    const row = rows[0];
    if (!row) return undefined;
    if (row.outcome.kind === 'cancelled' && !row.outcome.byUserId && row.cancel_by !== null) return { ...row.outcome, byUserId: row.cancel_by };
    return row.outcome;
  }

  /** Forgets a job's row whatever its state (its record is finished). */
  async forget(jobId: string): Promise<void> {
    await this.pool.query(`DELETE FROM stylize_places WHERE id = $1 AND state <> 'reserved'`, [jobId]);
  }

  /** Every job's row (reservations aside), or those of `ids`: what the front-ends compare their copies with. */
  async jobs(ids?: readonly string[]): Promise<Map<string, Place>> {
    const { rows } = await this.pool.query<{ id: string; state: PlaceState; turn: number; seq: string; worker: string | null }>(
      `SELECT id, state, turn, seq, worker FROM stylize_places WHERE state <> 'reserved' AND ($1::text[] IS NULL OR id = ANY($1))`,
      [ids ?? null],
    );
    return new Map(rows.map((row) => [row.id, { state: row.state, turn: row.turn, seq: Number(row.seq), ...(row.worker !== null ? { worker: row.worker } : {}) }]));
  }

  private async locked<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [PLACES_LOCK]);
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}
