// The front-end lease (src/queue/cluster/front-end-lease.ts) on real PostgreSQL: one holder per platform, a
// front-end takes all its platforms or none, a lease given back is taken at the standby's next try, and one
// not renewed is taken once it has run out. The holder cut off from PostgreSQL (its server frozen, as
// behind a network partition) declares the lease lost before it can have run out.
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FrontEndLease } from '../src/queue/cluster/front-end-lease.js';
import { captureLog } from './fixtures/capture-log.js';
import { clusterServersHere, freshDatabase, type TestDatabase } from './fixtures/cluster-servers.js';
import { startPostgres, type ThrowawayServer } from './fixtures/throwaway-servers.js';
import { waitFor } from './fixtures/wait-for.js';

const here = await clusterServersHere();

describe.skipIf(!here)('the front-end lease', () => {
  let database: TestDatabase;
  const leases: FrontEndLease[] = [];
  const lost: Array<{ holder: string; reason: string }> = [];

  function lease(platforms: string[], leaseMs: number, url = database.url): FrontEndLease {
    const made: FrontEndLease = new FrontEndLease({
      connectionString: url,
      platforms,
      leaseMs,
      log: captureLog().log,
      onLost: (reason) => lost.push({ holder: made.holder, reason }),
    });
    leases.push(made);
    return made;
  }

  /** Resolves true when held within `ms`; else ends the wait and resolves false. */
  async function heldWithin(candidate: FrontEndLease, ms: number): Promise<boolean> {
    const timer = setTimeout(() => candidate.stopWaiting(), ms);
    try {
      return await candidate.waitUntilHeld();
    } finally {
      clearTimeout(timer);
    }
  }

  beforeEach(async () => {
    database = await freshDatabase();
    lost.length = 0;
  });
  afterEach(async () => {
    for (const made of leases.splice(0)) await made.release();
    await database.drop();
  });

  it('one holder per platform; a lease given back is taken at the next try, and only then', async () => {
    const first = lease(['discord'], 3000);
    expect(await first.waitUntilHeld()).toBe(true);
    expect(first.describe()).toBe('active for discord');
    const second = lease(['discord'], 3000);
    const waiting = second.waitUntilHeld();
    await waitFor(() => second.role === 'standby', 10_000, 'the second to stand by');
    expect(second.describe()).toBe('standby: another front-end is active for discord; taking over when it stops');
    // Several renewals pass: the holder keeps it.
    await new Promise((resolve) => setTimeout(resolve, 3500));
    expect(first.role).toBe('active');
    expect(second.role).toBe('standby');
    await first.release();
    expect(await waiting).toBe(true);
    expect(second.role).toBe('active');
    expect(lost).toEqual([]);
  });

  it('all platforms or none: a front-end for Discord and Slack takes neither while Discord is held', async () => {
    const discord = lease(['discord'], 3000);
    expect(await discord.waitUntilHeld()).toBe(true);
    const both = lease(['slack', 'discord'], 3000);
    expect(await heldWithin(both, 2500)).toBe(false);
    // Slack was left free: a front-end for Slack alone takes it.
    expect(await heldWithin(lease(['slack'], 3000), 2500)).toBe(true);
  });

  it('a lease not renewed is taken once it has run out, not before', async () => {
    // The table, made by a first try; then a holder that renewed its lease and died (kill -9) at once.
    expect(await lease(['slack'], 3000).waitUntilHeld()).toBe(true);
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      await client.query("INSERT INTO stylize_front_end_leases (platform, holder, expires_at) VALUES ('discord', 'dead', now() + interval '3 seconds')");
    } finally {
      await client.end();
    }
    const diedAt = Date.now();
    expect(await lease(['discord'], 3000).waitUntilHeld()).toBe(true);
    expect(Date.now() - diedAt).toBeGreaterThanOrEqual(3000);
  });

  describe('cut off from PostgreSQL', () => {
    let server: ThrowawayServer;
    beforeAll(async () => {
      server = await startPostgres();
    }, 120_000);
    afterAll(async () => {
      server?.resume();
      await server?.cleanup();
    });

    it('the holder declares the lease lost before it can have run out, and a standby takes it after', async () => {
      const own = await freshDatabase({ host: '127.0.0.1', port: server.port, user: 'postgres' });
      try {
        const leaseMs = 6000;
        const holder = lease(['discord'], leaseMs, own.url);
        expect(await holder.waitUntilHeld()).toBe(true);
        server.pause();
        const pausedAt = Date.now();
        await waitFor(() => lost.length > 0, 2 * leaseMs, 'the lease to be declared lost');
        const lostAfterMs = Date.now() - pausedAt;
        expect(lost).toEqual([{ holder: holder.holder, reason: 'could not renew the front-end lease for discord in time (PostgreSQL unreachable?)' }]);
        expect(holder.role).toBe('lost');
        // The last renewal was sent before the pause; the lease lasts leaseMs from the database's now() after that.
        expect(lostAfterMs).toBeLessThan(leaseMs);
        server.resume();
        expect(await heldWithin(lease(['discord'], leaseMs, own.url), 3 * leaseMs)).toBe(true);
      } finally {
        server.resume();
        for (const made of leases.splice(0)) await made.release();
        await own.drop();
      }
    }, 120_000);
  });
});
