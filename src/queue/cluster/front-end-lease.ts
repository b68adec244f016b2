// One active front-end per chat platform, so that a second one can stand by: a row per platform in
// PostgreSQL names the front-end that serves it until a time on the database's clock (now() decides, so
// the machines' clocks never matter). The holder renews it every third of its length; a standby tries to
// take it as often and gets it only once it has expired or been given back. A front-end takes the leases of
// all its platforms together or none, so two front-ends with the same platforms never split them.
// The holder must stop serving before anyone else can hold its lease: it counts the lease's length from
// the moment it sent its last successful renewal (the database's now() is later still), on this machine's
// monotonic clock, and declares the lease lost a sixth of the length before that ends.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import type { Logger } from 'pino';

/** How long a lease lasts unless renewed (STYLIZE_LEASE_SECONDS): a standby takes over within about 1.4 times this. */
export const DEFAULT_LEASE_MS = 15_000;

/** Taken while the table is created, so that front-ends starting together do not race (any fixed number). */
const TABLE_LOCK = 0x5354594e;

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS stylize_front_end_leases (
  platform text PRIMARY KEY,
  holder text NOT NULL,
  expires_at timestamptz NOT NULL)`;

/** Takes or renews each lease this holder may have: its own, or one that has expired. */
const TAKE = `INSERT INTO stylize_front_end_leases (platform, holder, expires_at)
  SELECT platform, $2, now() + $3 * interval '1 millisecond' FROM unnest($1::text[]) AS platform
  ON CONFLICT (platform) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
  WHERE stylize_front_end_leases.holder = EXCLUDED.holder OR stylize_front_end_leases.expires_at <= now()
  RETURNING platform`;

export interface FrontEndLeaseOptions {
  /** The cluster's PostgreSQL (STYLIZE_DATABASE_URL). */
  connectionString: string;
  /** The platforms this front-end serves (discord, slack, web). */
  platforms: readonly string[];
  /** The lease's length; default DEFAULT_LEASE_MS. */
  leaseMs?: number;
  log: Logger;
  /** Called once when the lease is lost while held; the front-end must stop serving at once. */
  onLost: (reason: string) => void;
}

export type LeaseRole = 'waiting' | 'standby' | 'active' | 'lost' | 'stopped';

export class FrontEndLease {
  /** Who this front-end is in the lease table: its machine and process, and a random part for a reused pid. */
  readonly holder = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  readonly platforms: string[];
  readonly leaseMs: number;
  private readonly pool: pg.Pool;
  private readonly log: Logger;
  private state: LeaseRole = 'waiting';
  private timer: NodeJS.Timeout | undefined;
  private deadline: NodeJS.Timeout | undefined;
  private wake: (() => void) | undefined;
  private tableReady = false;
  private released = false;

  constructor(private readonly options: FrontEndLeaseOptions) {
    // Sorted: two front-ends taking the same rows take them in the same order, so they never deadlock.
    this.platforms = [...new Set(options.platforms)].sort();
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.log = options.log.child({ component: 'front-end-lease' });
    const callLimitMs = Math.max(250, Math.round(this.leaseMs / 4));
    // Its own connection: a renewal never waits behind the queue's work, and a server that stops answering
    // fails it well before the lease runs out.
    this.pool = new pg.Pool({ connectionString: options.connectionString, max: 1, connectionTimeoutMillis: callLimitMs, query_timeout: callLimitMs });
    this.pool.on('error', (error) => this.log.warn({ err: error }, 'lost the lease connection to PostgreSQL; the next try opens a new one'));
  }

  get role(): LeaseRole {
    return this.state;
  }

  /** One plain line on what this front-end is doing about its platforms. */
  describe(): string {
    const names = this.platforms.join(' and ');
    switch (this.state) {
      case 'active':
        return `active for ${names}`;
      case 'standby':
        return `standby: another front-end is active for ${names}; taking over when it stops`;
      case 'waiting':
        return `asking PostgreSQL whether another front-end is active for ${names}`;
      case 'lost':
        return `lost the lease for ${names}; stopped serving`;
      case 'stopped':
        return 'stopped';
    }
  }

  /**
   * Resolves true once this front-end holds every lease (then renews them until release()), or false when
   * stopWaiting() or release() was called first. PostgreSQL away only makes it try again later.
   */
  async waitUntilHeld(): Promise<boolean> {
    let troubleSaid = false;
    while (this.state === 'waiting' || this.state === 'standby') {
      try {
        const sentAt = performance.now();
        if (await this.take()) {
          if ((this.state as LeaseRole) === 'stopped') return false;
          this.state = 'active';
          this.log.info({ platforms: this.platforms, holder: this.holder }, `took the lease: ${this.describe()}`);
          this.holdFrom(sentAt);
          return true;
        }
        if (this.state === 'waiting') {
          this.state = 'standby';
          this.log.info({ platforms: this.platforms, active: await this.activeHolder() }, this.describe());
        }
        troubleSaid = false;
      } catch (error) {
        if (!troubleSaid) this.log.warn({ err: error }, 'could not ask PostgreSQL for the front-end lease; trying again');
        troubleSaid = true;
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        this.timer = setTimeout(resolve, this.renewEveryMs());
      });
    }
    return false;
  }

  /** Ends a wait of waitUntilHeld() (it resolves false); a lease already held is kept. */
  stopWaiting(): void {
    if (this.state !== 'waiting' && this.state !== 'standby') return;
    this.state = 'stopped';
    this.stopTimers();
  }

  /** Stops renewing and gives the leases back, so that a standby takes over at its next try. */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    const held = this.state === 'active';
    this.state = 'stopped';
    this.stopTimers();
    // Also when not active: a take that succeeded just as the wait was called off left rows of ours.
    if (this.tableReady) {
      await this.pool
      .query('DELETE FROM stylize_front_end_leases WHERE platform = ANY($1) AND holder = $2', [this.platforms, this.holder])
      .then(() => held && this.log.info({ platforms: this.platforms }, 'gave the front-end lease back'))
        .catch((error: unknown) => this.log.warn({ err: error }, 'could not give the front-end lease back; a standby takes over when it expires'));
    }
    await this.pool.end();
  }

  private renewEveryMs(): number {
    return Math.round(this.leaseMs / 3);
  }

  /** Held since a renewal sent at `sentAt`: renews on, and gives up serving before the lease can run out. */
  private holdFrom(sentAt: number): void {
    clearTimeout(this.deadline);
    const safeUntil = sentAt + this.leaseMs - this.leaseMs / 6;
    this.deadline = setTimeout(
      () => this.lose(`could not renew the front-end lease for ${this.platforms.join(' and ')} in time (PostgreSQL unreachable?)`),
      Math.max(0, safeUntil - performance.now()),
    );
    this.timer = setTimeout(() => void this.renew(), this.renewEveryMs());
  }

  private async renew(): Promise<void> {
    if (this.state !== 'active') return;
    const sentAt = performance.now();
    try {
      const held = await this.take();
      if (this.state !== 'active') return;
      if (!held) return this.lose(`another front-end holds the lease for ${this.platforms.join(' and ')} now`);
      this.holdFrom(sentAt);
    } catch (error) {
      if (this.state !== 'active') return;
      this.log.warn({ err: error }, 'could not renew the front-end lease; trying again');
      this.timer = setTimeout(() => void this.renew(), Math.round(this.leaseMs / 12));
    }
  }

  private lose(reason: string): void {
    if (this.state !== 'active') return;
    this.state = 'lost';
    this.stopTimers();
    this.options.onLost(reason);
  }

  private stopTimers(): void {
    clearTimeout(this.timer);
    clearTimeout(this.deadline);
    this.wake?.();
    this.wake = undefined;
  }

  /** Takes or renews every lease in one transaction: all of them, or none. */
  private async take(): Promise<boolean> {
    const client = await this.pool.connect();
    let broken = false;
    try {
      if (!this.tableReady) {
        await client.query('BEGIN');
        await client.query('SELECT pg_advisory_xact_lock($1)', [TABLE_LOCK]);
        await client.query(CREATE_TABLE);
        await client.query('COMMIT');
        this.tableReady = true;
      }
      await client.query('BEGIN');
      const taken = await client.query(TAKE, [this.platforms, this.holder, this.leaseMs]);
      const all = taken.rowCount === this.platforms.length;
      await client.query(all ? 'COMMIT' : 'ROLLBACK');
      return all;
    } catch (error) {
      broken = true;
      throw error;
    } finally {
      // A connection that failed mid-transaction is closed rather than reused.
      client.release(broken);
    }
  }

  /** Who holds the leases now, for the standby's log line. */
  private async activeHolder(): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ holder: string }>('SELECT holder FROM stylize_front_end_leases WHERE platform = ANY($1) AND expires_at > now() LIMIT 1', [
      this.platforms,
    ]);
    return rows[0]?.holder;
  }
}
