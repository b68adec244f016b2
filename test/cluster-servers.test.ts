// The test fixtures for cluster mode's servers: a clean place on the shared Redis and PostgreSQL, and
// servers of a test's own that can be stopped, killed and started again.
import { execFile } from 'node:child_process';
import { access } from 'node:fs/promises';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { clusterServersHere, freshDatabase, freshRedisSpace } from './fixtures/cluster-servers.js';
import { startPostgres, startRedis, type ThrowawayServer } from './fixtures/throwaway-servers.js';

const run = promisify(execFile);

async function redis(url: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('redis-cli', ['-u', url, ...args]);
  return stdout.trim();
}

async function query(url: string, sql: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

const here = await clusterServersHere();

describe.skipIf(!here)('a clean place on the shared servers', () => {
  it('gives each caller its own empty database and drops it afterwards', async () => {
    const [one, two] = await Promise.all([freshDatabase(), freshDatabase()]);
    expect(one.name).not.toBe(two.name);
    await query(one.url, 'CREATE TABLE marks (n int); INSERT INTO marks VALUES (1)');
    expect(await query(two.url, "SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'marks'")).toEqual([{ n: 0 }]);
    // An open connection does not keep the database alive.
    const lingering = new pg.Client({ connectionString: one.url });
    await lingering.connect();
    lingering.on('error', () => undefined);
    await Promise.all([one.drop(), two.drop()]);
    await lingering.end().catch(() => undefined);
    const left = await query('postgres://postgres@127.0.0.1:5432/postgres', `SELECT datname FROM pg_database WHERE datname IN ('${one.name}', '${two.name}')`);
    expect(left).toEqual([]);
  });

  it('gives each caller its own Redis key prefix and clears only its keys', async () => {
    const mine = freshRedisSpace();
    const theirs = freshRedisSpace();
    expect(mine.prefix).not.toBe(theirs.prefix);
    try {
      await redis(mine.url, 'SET', `${mine.prefix}:a`, '1');
      await redis(mine.url, 'SET', `${mine.prefix}:b`, '2');
      await redis(theirs.url, 'SET', `${theirs.prefix}:a`, '3');
      await mine.clear();
      expect(await redis(mine.url, 'EXISTS', `${mine.prefix}:a`, `${mine.prefix}:b`)).toBe('0');
      expect(await redis(theirs.url, 'GET', `${theirs.prefix}:a`)).toBe('3');
    } finally {
      await Promise.all([mine.clear(), theirs.clear()]);
    }
  });
});

describe.skipIf(!here)('servers of a test of its own', () => {
  const started: ThrowawayServer[] = [];
  afterAll(async () => {
    await Promise.all(started.map((server) => server.cleanup()));
  });

  it('runs a Redis that can be stopped, killed and started again, keeping its data with an append-only file', async () => {
    const server = await startRedis({ appendOnly: true });
    started.push(server);
    expect(server.url).toBe(`redis://127.0.0.1:${server.port}`);
    await redis(server.url, 'SET', 'kept', 'yes');
    await server.stop();
    expect(server.running).toBe(false);
    await expect(redis(server.url, 'PING')).rejects.toThrow();
    await server.start();
    expect(await redis(server.url, 'GET', 'kept')).toBe('yes');
    await server.kill();
    expect(server.running).toBe(false);
    await server.start();
    expect(await redis(server.url, 'PING')).toBe('PONG');
    // Paused, it answers nothing (redis-cli is stopped after 1 s), until it goes on.
    server.pause();
    await expect(run('redis-cli', ['-u', server.url, 'PING'], { timeout: 1000 })).rejects.toThrow();
    server.resume();
    expect(await redis(server.url, 'PING')).toBe('PONG');
  });

  it('runs a PostgreSQL that can be stopped, killed and started again, keeping its data', async () => {
    const server = await startPostgres();
    started.push(server);
    await query(server.url, 'CREATE TABLE marks (n int); INSERT INTO marks VALUES (7)');
    await server.stop();
    await expect(query(server.url, 'SELECT 1')).rejects.toThrow();
    await server.start();
    expect(await query(server.url, 'SELECT n FROM marks')).toEqual([{ n: 7 }]);
    await server.kill();
    expect(server.running).toBe(false);
    await server.start();
    expect(await query(server.url, 'SELECT n FROM marks')).toEqual([{ n: 7 }]);
    // A fresh database works on it as on the shared server.
    const db = await freshDatabase({ host: '127.0.0.1', port: server.port, user: 'postgres' });
    await query(db.url, 'SELECT 1');
    await db.drop();
  });

  it('removes its data folder at cleanup, running or not', async () => {
    const server = await startRedis();
    const dir = (await run('redis-cli', ['-u', server.url, 'CONFIG', 'GET', 'dir'])).stdout.trim().split('\n')[1] as string;
    await server.cleanup();
    expect(server.running).toBe(false);
    await expect(access(dir)).rejects.toThrow();
  });
});
