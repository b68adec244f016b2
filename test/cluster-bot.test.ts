// `npm start` in cluster mode: with STYLIZE_DATABASE_URL set, the bot's queue is a front-end of the cluster
// (no engine of its own), and a job submitted to it is run by an engine worker and handed back to it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/bot/config.js';
import { createBot } from '../src/bot/create-bot.js';
import { connectCluster } from '../src/queue/cluster/cluster-setup.js';
import { ClusterWorker } from '../src/queue/cluster/worker.js';
import { DEFAULT_LIMITS, systemClock } from '../src/queue/index.js';
import { captureLog } from './fixtures/capture-log.js';
import { clusterServersHere, freshDatabase } from './fixtures/cluster-servers.js';
import { makeGradientPng } from './fixtures/images.js';
import { timedEngine } from './fixtures/timed-engine.js';
import { EventRecorder, request } from './queue-harness.js';

const here = await clusterServersHere();

describe.skipIf(!here)('the bot in cluster mode', () => {
  it('runs its jobs on an engine worker when STYLIZE_DATABASE_URL is set', async () => {
    const database = await freshDatabase();
    const dataDir = await mkdtemp(join(tmpdir(), 'stylize-cluster-bot-'));
    const { log } = captureLog();
    const config = parseConfig({ STYLIZE_DATABASE_URL: database.url, STYLIZE_DATA_DIR: dataDir, STYLIZE_WEB_PORT: '0', LOG_LEVEL: 'silent' }, dataDir);
    expect(config.cluster).toEqual({ databaseUrl: database.url });
    const bot = await createBot(config, { log });
    const cluster = connectCluster({ databaseUrl: database.url }, log);
    const worker = new ClusterWorker({ engine: timedEngine(100), store: cluster.store, pool: cluster.pool, dispatch: cluster.dispatch, limits: DEFAULT_LIMITS, clock: systemClock, log });
    const events = new EventRecorder();
    events.listen(bot.queue);
    try {
      await bot.start();
      await worker.start();
      const job = await bot.queue.submit(request('alice', await makeGradientPng(48, 48, 1), await makeGradientPng(48, 48, 2)));
      await events.waitFinished([job.id], 60_000);
      expect(bot.queue.get(job.id)?.state).toBe('done');
      expect(events.delivered.get(job.id)).toHaveLength(1);
      expect(bot.queue.engineStatus()).toMatchObject({ up: true, detail: '1 engine worker alive' });
    } finally {
      await worker.stop();
      await cluster.close();
      await bot.stop();
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
