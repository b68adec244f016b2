// One contract, every job store: the LevelDB journal (the embedded default) and PostgreSQL (cluster mode)
// keep records, images, pictures, server settings and throughput alike, across a close and a reopen.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PgStore } from '../src/queue/cluster/pg-store.js';
import type { JobRecord, JobStore } from '../src/queue/job-store.js';
import { Journal } from '../src/queue/journal.js';
import type { JobResult } from '../src/queue/types.js';
import { captureLog } from './fixtures/capture-log.js';
import { clusterServersHere, freshDatabase, type TestDatabase } from './fixtures/cluster-servers.js';

/** One implementation as the suite drives it. */
interface StoreUnderTest {
  /** A store on this implementation's place, not opened yet; a second one after close() finds the same data. */
  make(): JobStore;
  /** Makes a stored record unreadable, while no store has it open (a hand edit, an older version's record). */
  damage(id: string): Promise<void>;
  /** Leaves images of `id` without a record (a crash between the two writes, where one can happen). */
  orphan(id: string): Promise<void>;
}

interface Implementation {
  /** A clean place for one test. */
  place(): Promise<StoreUnderTest & { cleanup(): Promise<void> }>;
  setUp?(): Promise<void>;
  tearDown?(): Promise<void>;
}

const journal: Implementation = {
  async place() {
    const dataDir = await mkdtemp(join(tmpdir(), 'stylize-store-'));
    return {
      make: () => new Journal(dataDir),
      damage: async (id) => {
        const db = new ClassicLevel<string, string>(join(dataDir, 'journal'), { valueEncoding: 'utf8' });
        await db.put(`job:${id}`, '{"id":');
        await db.close();
      },
      orphan: async (id) => {
        await mkdir(join(dataDir, 'jobs', id), { recursive: true });
        await writeFile(join(dataDir, 'jobs', id, 'content'), 'photo');
        await writeFile(join(dataDir, 'jobs', id, 'style'), 'painting');
      },
      cleanup: () => rm(dataDir, { recursive: true, force: true }),
    };
  },
};

let database: TestDatabase;
/** Each test empties the tables, so the suite needs one database only (creating one costs ~100 ms). */
async function onDatabase(sql: string, values: unknown[] = []): Promise<void> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    await client.query(sql, values);
  } finally {
    await client.end();
  }
}

const postgres: Implementation = {
  async setUp() {
    database = await freshDatabase();
  },
  async tearDown() {
    await database.drop();
  },
  async place() {
    const { log: logger } = captureLog();
    const first = new PgStore({ connectionString: database.url, log: logger });
    await first.open();
    await first.close();
    await onDatabase('TRUNCATE jobs, job_images, job_results, server_settings, quarantined_jobs, store_meta');
    return {
      make: () => new PgStore({ connectionString: database.url, log: logger }),
      damage: (id) => onDatabase('UPDATE jobs SET record = $2 WHERE id = $1', [id, '{"id":']),
      orphan: (id) => onDatabase("INSERT INTO job_images (job_id, kind, bytes) VALUES ($1, 'content', 'photo'), ($1, 'style', 'painting')", [id]),
      cleanup: async () => undefined,
    };
  },
};

function record(id: string, seq: number, changes: Partial<JobRecord> = {}): JobRecord {
  return {
    id,
    platform: 'discord',
    userId: 'u1',
    userName: 'Ada',
    server: 'g1',
    reply: { channelId: 'c1' },
    options: { preset: 'balanced', size: 256 },
    state: 'queued',
    createdAt: 1000 + seq,
    seq,
    round: 0,
    bytes: 13,
    ...changes,
  };
}

const photo = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255]);
const painting = Buffer.from('painting bytes');
const picture = { png: Buffer.from([0x89, 0x50, 0, 9, 8]), result: { width: 256, height: 192, backend: 'wasm' } as unknown as JobResult };

/** The suite every store passes. */
function contract(implementation: Implementation): void {
  let place: StoreUnderTest & { cleanup(): Promise<void> };
  let store: JobStore;

  beforeAll(async () => {
    await implementation.setUp?.();
  });
  afterAll(async () => {
    await implementation.tearDown?.();
  });
  beforeEach(async () => {
    place = await implementation.place();
    store = place.make();
    await store.open();
  });
  afterEach(async () => {
    await store.close();
    await place.cleanup();
  });

  async function reopen(): Promise<void> {
    await store.close();
    store = place.make();
    await store.open();
  }

  it('keeps accepted jobs and their images across a reopen, in arrival order', async () => {
    await store.accept(record('b', 2), { content: photo, style: painting });
    await store.accept(record('a', 1), { content: painting, style: photo });
    await reopen();
    const { records, quarantined } = await store.load();
    expect(records).toEqual([record('a', 1), record('b', 2)]);
    expect(quarantined).toEqual([]);
    expect(await store.inputs('b')).toEqual({ content: photo, style: painting });
  });

  it("keeps a record's latest state when saves follow each other without waiting", async () => {
    await store.accept(record('a', 1), { content: photo, style: painting });
    const saves = (['running', 'done'] as const).map((state, attempts) => store.save(record('a', 1, { state, attempts: attempts + 1 })));
    await Promise.all(saves);
    await reopen();
    expect((await store.load()).records).toEqual([record('a', 1, { state: 'done', attempts: 2 })]);
  });

  it("starts a rerun on another job's images, which outlive the first job", async () => {
    await store.accept(record('a', 1), { content: photo, style: painting });
    await store.acceptFrom(record('b', 2), 'a');
    await store.remove('a');
    expect(await store.inputs('b')).toEqual({ content: photo, style: painting });
    expect((await store.load()).records.map((kept) => kept.id)).toEqual(['b']);
  });

  it("keeps a blend's style images in order, also in a rerun on them (issue 19)", async () => {
    const third = Buffer.from('third style');
    await store.accept(record('a', 1), { content: photo, style: painting, extraStyleImages: [third, photo] });
    await reopen();
    expect(await store.inputs('a')).toEqual({ content: photo, style: painting, extraStyleImages: [third, photo] });
    await store.acceptFrom(record('b', 2), 'a');
    await store.remove('a');
    expect(await store.inputs('b')).toEqual({ content: photo, style: painting, extraStyleImages: [third, photo] });
  });

  it("keeps a Bigger job's picture to go on from, which a rerun of that job leaves behind (issue 21)", async () => {
    const picture = Buffer.from('the first result');
    await store.accept(record('a', 1), { content: photo, style: painting, extraStyleImages: [photo], init: picture });
    await reopen();
    expect(await store.inputs('a')).toEqual({ content: photo, style: painting, extraStyleImages: [photo], init: picture });
    await store.acceptFrom(record('b', 2), 'a');
    expect(await store.inputs('b')).toEqual({ content: photo, style: painting, extraStyleImages: [photo] });
  });

  it('refuses a rerun whose images are gone and stores nothing of it', async () => {
    await store.accept(record('a', 1), { content: photo, style: painting });
    await store.removeInputs('a');
    await expect(store.acceptFrom(record('b', 2), 'a')).rejects.toThrow();
    expect((await store.load()).records.map((kept) => kept.id)).toEqual(['a']);
  });

  it('keeps a finished picture with its description until the images go, the record staying', async () => {
    await store.accept(record('a', 1), { content: photo, style: painting });
    expect(await store.result('a')).toBeUndefined();
    await store.saveResult('a', picture);
    await reopen();
    expect(await store.result('a')).toEqual(picture);
    await store.removeInputs('a');
    expect(await store.result('a')).toBeUndefined();
    expect(await store.inputs('a')).toBeUndefined();
    expect((await store.load()).records.map((kept) => kept.id)).toEqual(['a']);
  });

  it('forgets a removed job entirely', async () => {
    await store.accept(record('a', 1), { content: photo, style: painting });
    await store.saveResult('a', picture);
    await store.remove('a');
    await reopen();
    expect((await store.load()).records).toEqual([]);
    expect(await store.inputs('a')).toBeUndefined();
    expect(await store.result('a')).toBeUndefined();
    expect(await store.inputs('never-there')).toBeUndefined();
  });

  it('removes images left without a record and keeps those of known jobs', async () => {
    await store.accept(record('a', 1), { content: photo, style: painting });
    await store.close();
    await place.orphan('lost');
    store = place.make();
    await store.open();
    await store.removeOrphans(new Set(['a']));
    expect(await store.inputs('lost')).toBeUndefined();
    expect(await store.inputs('a')).toEqual({ content: photo, style: painting });
  });

  it('moves an unreadable record aside and loads the others', async () => {
    await store.accept(record('a', 1), { content: photo, style: painting });
    await store.accept(record('b', 2), { content: photo, style: painting });
    await store.close();
    await place.damage('a');
    store = place.make();
    await store.open();
    expect(await store.load()).toEqual({ records: [record('b', 2)], quarantined: ['job:a'] });
    // Moved, not left to be reported at every start.
    expect(await store.load()).toEqual({ records: [record('b', 2)], quarantined: [] });
  });

  it('keeps the throughput figures and the servers’ settings', async () => {
    expect(await store.throughput()).toEqual({});
    expect(await store.serverSettings()).toEqual([]);
    await store.saveThroughput({ wasm: { msPerMegapixelIteration: 70_000, jobs: 3 } });
    await store.saveServerSettings('discord:g1', { paused: true, maxJobsPerUser: 2 });
    await store.saveServerSettings('slack:T1', { defaultSize: 384 });
    await store.saveServerSettings('discord:g1', { paused: false });
    await reopen();
    expect(await store.throughput()).toEqual({ wasm: { msPerMegapixelIteration: 70_000, jobs: 3 } });
    expect(await store.serverSettings()).toEqual([
      { key: 'discord:g1', value: { paused: false } },
      { key: 'slack:T1', value: { defaultSize: 384 } },
    ]);
  });

  it('takes a test write', async () => {
    await expect(store.probe()).resolves.toBeUndefined();
  });
}

describe('a job store: the LevelDB journal', () => contract(journal));
describe.skipIf(!(await clusterServersHere()))('a job store: PostgreSQL', () => contract(postgres));
