// What only the PostgreSQL job store does: survive its server going away and coming back, set up its schema
// from several processes at once, forget expired jobs for the whole cluster, keep previews. The behaviour it
// shares with the journal is in job-store-contract.test.ts.
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PgStore } from '../src/queue/cluster/pg-store.js';
import { StoreUnavailableError, type JobRecord } from '../src/queue/job-store.js';
import { UserError } from '../src/wording/index.js';
import { captureLog } from './fixtures/capture-log.js';
import { clusterServersHere, freshDatabase, type TestDatabase } from './fixtures/cluster-servers.js';
import { startPostgres, type ThrowawayServer } from './fixtures/throwaway-servers.js';
import { useQueueFixture, withQueue } from './queue-harness.js';

const TRY_LATER = new UserError('storage-unavailable');
/** The promise: calls work again within 10 s of the server's return. */
const BACK_WITHIN_MS = 10_000;

function record(id: string, seq: number, changes: Partial<JobRecord> = {}): JobRecord {
  return { id, platform: 'discord', userId: 'u1', userName: 'Ada', reply: { channelId: 'c1' }, options: { preset: 'balanced' }, state: 'queued', createdAt: seq, seq, round: 0, ...changes };
}

const here = await clusterServersHere();
const images = { content: Buffer.from('photo'), style: Buffer.from('painting') };

/** Repeats `call` until it resolves; the time it took. Fails past `withinMs`. */
async function worksAgainWithin<T>(withinMs: number, call: () => Promise<T>): Promise<number> {
  const started = Date.now();
  for (;;) {
    try {
      await call();
      return Date.now() - started;
    } catch (error) {
      if (Date.now() - started > withinMs) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

describe.skipIf(!here)('the PostgreSQL job store on its own server', () => {
  const fx = useQueueFixture();
  let server: ThrowawayServer;
  let database: TestDatabase;
  beforeAll(async () => {
    server = await startPostgres();
  });
  // Each test starts on an empty database (the queue's limits count the jobs it finds).
  beforeEach(async () => {
    database = await freshDatabase({ host: '127.0.0.1', port: server.port, user: 'postgres' });
  });
  afterAll(async () => {
    await server?.cleanup();
  });

  function store(): PgStore {
    return new PgStore({ connectionString: database.url, log: captureLog().log, connectTimeoutMs: 2000 });
  }

  it.each([
    ['stopped', () => server.stop()],
    ['killed (kill -9)', () => server.kill()],
  ])('fails cleanly while its server is %s and works again within 10 s of its return', async (_how, bringDown) => {
    const jobs = store();
    await jobs.open();
    try {
      await jobs.accept(record('before', 1), images);
      await bringDown();
      for (const call of [() => jobs.save(record('before', 1, { state: 'running' })), () => jobs.load(), () => jobs.accept(record('during', 2), images), () => jobs.probe()]) {
        await expect(call()).rejects.toBeInstanceOf(StoreUnavailableError);
      }
      await server.start();
      await worksAgainWithin(BACK_WITHIN_MS, () => jobs.probe());
      await jobs.accept(record('after', 3), images);
      expect((await jobs.load()).records.map((kept) => [kept.id, kept.state])).toEqual([
        ['before', 'queued'],
        ['after', 'queued'],
      ]);
      expect(await jobs.inputs('before')).toEqual(images);
    } finally {
      if (!server.running) await server.start();
      await jobs.close();
    }
  });

  it('fails cleanly while its server hangs (frozen, connections open) and works again once it goes on', async () => {
    const jobs = new PgStore({ connectionString: database.url, log: captureLog().log, connectTimeoutMs: 1000, queryTimeoutMs: 1000 });
    await jobs.open();
    try {
      await jobs.accept(record('hung', 1), images);
      server.pause();
      try {
        // The pooled connection gets no answer, then a new one gets none.
        await expect(jobs.inputs('hung')).rejects.toBeInstanceOf(StoreUnavailableError);
        await expect(jobs.load()).rejects.toBeInstanceOf(StoreUnavailableError);
      } finally {
        server.resume();
      }
      await worksAgainWithin(BACK_WITHIN_MS, () => jobs.probe());
      expect(await jobs.inputs('hung')).toEqual(images);
    } finally {
      await jobs.close();
    }
  });

  it('tells whoever submits "try again later" while the server is down, and takes jobs again once it is back', async () => {
    await withQueue(fx.workspace, { journal: store() }, async ({ queue }) => {
      await queue.submit(fx.request('u1'));
      await server.stop();
      try {
        await expect(queue.submit(fx.request('u2'))).rejects.toEqual(TRY_LATER);
        await expect(queue.submit(fx.request('u3'))).rejects.toEqual(TRY_LATER);
      } finally {
        await server.start();
      }
      await worksAgainWithin(BACK_WITHIN_MS, () => queue.submit(fx.request('u4')));
    });
  });

  it('says where the server is when it cannot be reached at start', async () => {
    await server.stop();
    try {
      const jobs = store();
      const opening = jobs.open();
      await expect(opening).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(opening).rejects.toThrow(`PostgreSQL at 127.0.0.1:${server.port}/${database.name} cannot be reached`);
      await jobs.close();
    } finally {
      await server.start();
    }
  });
});

describe.skipIf(!here)('the PostgreSQL job store on the shared server', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await freshDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  function store(): PgStore {
    return new PgStore({ connectionString: database.url, log: captureLog().log });
  }

  async function sql(text: string, values: unknown[] = []): Promise<unknown[]> {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      return (await client.query(text, values)).rows;
    } finally {
      await client.end();
    }
  }

  it('sets up its tables once when several processes open it at the same time, and again harmlessly', async () => {
    const stores = [store(), store(), store(), store()];
    await Promise.all(stores.map((each) => each.open()));
    await Promise.all(stores.map((each) => each.close()));
    const again = store();
    await again.open();
    await again.close();
    expect(await sql("SELECT value FROM store_meta WHERE key = 'schema'")).toEqual([{ value: '1' }]);
  });

  it('does not touch a database set up by a newer version', async () => {
    const jobs = store();
    await jobs.open();
    await jobs.close();
    await sql("UPDATE store_meta SET value = '99' WHERE key = 'schema'");
    try {
      const newer = store();
      await expect(newer.open()).rejects.toThrow('set up by a newer stylize (schema 99');
      await newer.close();
    } finally {
      await sql("UPDATE store_meta SET value = '1' WHERE key = 'schema'");
    }
  });

  it('forgets expired jobs and the oldest finished ones over the data cap, never waiting ones', async () => {
    const jobs = store();
    await jobs.open();
    try {
      await sql('TRUNCATE jobs, job_images, job_results');
      const hour = 3_600_000;
      const now = 10 * hour;
      await jobs.accept(record('old', 1, { state: 'done', finishedAt: now - 25 * hour, bytes: 100 }), images);
      await jobs.accept(record('older-kept', 2, { state: 'failed', finishedAt: now - 2 * hour, bytes: 100 }), images);
      await jobs.accept(record('newer-kept', 3, { state: 'done', finishedAt: now - hour, bytes: 100 }), images);
      await jobs.saveResult('newer-kept', { png: Buffer.from('png'), result: {} as never });
      await jobs.accept(record('waiting', 4, { bytes: 250 }), images);
      const rules = { keepFinishedMs: 24 * hour, keepFinishedCount: 10, maxDataBytes: 500 };
      expect(await jobs.forgetExpired(now, rules)).toEqual(['old']);
      // 450 bytes kept; 100 more coming: the oldest finished job goes.
      expect(await jobs.forgetExpired(now, rules, 100)).toEqual(['older-kept']);
      expect(await jobs.inputs('older-kept')).toBeUndefined();
      expect((await jobs.load()).records.map((kept) => kept.id)).toEqual(['newer-kept', 'waiting']);
      // Two front-ends pruning together forget each job once.
      const both = await Promise.all([jobs.forgetExpired(now, rules, 300), jobs.forgetExpired(now, rules, 300)]);
      expect(both.flat()).toEqual(['newer-kept']);
      expect(await jobs.result('newer-kept')).toBeUndefined();
      expect((await jobs.load()).records.map((kept) => kept.id)).toEqual(['waiting']);
    } finally {
      await jobs.close();
    }
  });

  it("keeps a running job's latest preview until the job's images go", async () => {
    const jobs = store();
    await jobs.open();
    try {
      await jobs.accept(record('p', 1), images);
      expect(await jobs.preview('p')).toBeUndefined();
      await jobs.savePreview('p', Buffer.from('first'));
      await jobs.savePreview('p', Buffer.from('second'));
      expect(await jobs.preview('p')).toEqual(Buffer.from('second'));
      expect(await jobs.inputs('p')).toEqual(images);
      await jobs.removeInputs('p');
      expect(await jobs.preview('p')).toBeUndefined();
    } finally {
      await jobs.close();
    }
  });

  it('stores images as they are, bytes of every value included', async () => {
    const jobs = store();
    await jobs.open();
    try {
      const every = Buffer.from(Array.from({ length: 256 }, (_, byte) => byte));
      await jobs.accept(record('bytes', 1, { userName: 'Zoë \u0000 名前' }), { content: every, style: Buffer.alloc(0) });
      expect(await jobs.inputs('bytes')).toEqual({ content: every, style: Buffer.alloc(0) });
      expect((await jobs.load()).records.find((kept) => kept.id === 'bytes')?.userName).toBe('Zoë \u0000 名前');
    } finally {
      await jobs.close();
    }
  });
});
