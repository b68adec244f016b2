// Cluster mode's processes as the operator sees them (issue 18): a front-end (`npm start` with
// STYLIZE_DATABASE_URL) needs no engine weights, and its /metrics counts the engine workers alive; an engine
// worker (`npm run worker`) serves /healthz (its engine, PostgreSQL) and /metrics (the jobs it ended by
// outcome, whether it runs one) on STYLIZE_OPERATOR_PORT.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig, type BotConfig } from '../src/bot/config.js';
import { createBot } from '../src/bot/create-bot.js';
import { createWorker } from '../src/bot/create-worker.js';
import { botWeightsAtStart } from '../src/bot/weights.js';
import { ClusterQueue } from '../src/queue/cluster/cluster-queue.js';
import { connectCluster } from '../src/queue/cluster/cluster-setup.js';
import { systemClock } from '../src/queue/index.js';
import { captureLog } from './fixtures/capture-log.js';
import { clusterServersHere, freshDatabase, type TestDatabase } from './fixtures/cluster-servers.js';
import { makeGradientPng } from './fixtures/images.js';
import { finishAtOnce, ScriptedEngine } from './fixtures/scripted-engine.js';
import { askUntil, baseUrl, health, scrape } from './fixtures/scrape.js';
import { startPostgres } from './fixtures/throwaway-servers.js';
import { EventRecorder, request } from './queue-harness.js';

const here = await clusterServersHere();

type ClusterConfig = BotConfig & { cluster: NonNullable<BotConfig['cluster']> };

describe.skipIf(!here)('cluster mode for the operator', () => {
  let database: TestDatabase;
  let dataDir: string;
  const cleanups: Array<() => Promise<void>> = [];

  beforeEach(async () => {
    database = await freshDatabase();
    dataDir = await mkdtemp(join(tmpdir(), 'stylize-cluster-operator-'));
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  function configOf(env: Record<string, string>): ClusterConfig {
    const config = parseConfig({ STYLIZE_DATABASE_URL: database.url, STYLIZE_DATA_DIR: dataDir, STYLIZE_OPERATOR_PORT: '0', LOG_LEVEL: 'silent', ...env }, dataDir);
    if (!config.cluster) throw new Error('STYLIZE_DATABASE_URL makes a cluster configuration');
    return config as ClusterConfig;
  }

  it('a front-end starts with no engine weights present, and its /metrics counts the engine workers alive', async () => {
    const noWeights = join(dataDir, 'no-weights');
    const config = configOf({ STYLIZE_WEIGHTS_DIR: noWeights, STYLIZE_WEB_PORT: '0' });
    const said: string[] = [];
    expect(await botWeightsAtStart(config, (line) => said.push(line))).toEqual({ ok: true });
    expect(said).toEqual([]);
    // The same folder on one machine: its engine would need them.
    expect((await botWeightsAtStart({ weightsDir: noWeights }, (line) => said.push(line))).ok).toBe(false);

    const { log } = captureLog();
    const bot = await createBot(config, { log });
    await bot.start();
    cleanups.push(() => bot.stop());
    const base = baseUrl(bot.operator?.address());
    expect((await scrape(base)).get('stylize_workers_alive')).toBe(0);

    const node = createWorker(configOf({}), { log, engine: new ScriptedEngine() });
    await node.start();
    cleanups.push(() => node.stop());
    await askUntil(() => scrape(base), (samples) => samples.get('stylize_workers_alive') === 1, 'the front-end to count the worker');
  });

  it('npm run worker serves /healthz (engine, PostgreSQL) and /metrics (jobs it ended, the one it runs)', async () => {
    const { log } = captureLog();
    const engine = new ScriptedEngine();
    const node = createWorker(configOf({}), { log, engine });
    await node.start();
    cleanups.push(() => node.stop());
    const base = baseUrl(node.operator?.address());
    const healthy = await health(base);
    expect(healthy.status).toBe(200);
    expect(healthy.body.checks['engine']?.ok).toBe(true);
    expect(healthy.body.checks['database']).toEqual({ ok: true, detail: 'PostgreSQL takes writes' });
    const before = await scrape(base);
    expect(before.get('stylize_worker_running_jobs')).toBe(0);
    expect(before.get('stylize_worker_jobs_total{outcome="done"}')).toBe(0);

    // A front-end hands it a job.
    const cluster = connectCluster(configOf({}).cluster, log);
    const queue = new ClusterQueue({ store: cluster.store, pool: cluster.pool, dispatch: cluster.dispatch, log, clock: systemClock });
    const events = new EventRecorder();
    events.listen(queue);
    await queue.start();
    cleanups.push(async () => {
      await queue.stop();
      await cluster.close();
    });
    const job = await queue.submit(request('alice', await makeGradientPng(48, 48, 1), await makeGradientPng(48, 48, 2)));
    const run = await engine.runOf(job.id);
    expect((await scrape(base)).get('stylize_worker_running_jobs')).toBe(1);
    await finishAtOnce(run);
    await events.waitFinished([job.id], 30_000);
    const after = await askUntil(() => scrape(base), (samples) => samples.get('stylize_worker_jobs_total{outcome="done"}') === 1, 'the worker to count the job');
    expect(after.get('stylize_worker_running_jobs')).toBe(0);

    engine.down = 'the engine process could not start';
    const sick = await health(base);
    expect(sick.status).toBe(503);
    expect(sick.body.checks['engine']).toEqual({ ok: false, detail: 'the engine process could not start' });
  });

  it("npm run worker's /healthz turns 503 while PostgreSQL is down, and 200 once it is back", async () => {
    const server = await startPostgres();
    cleanups.push(() => server.cleanup());
    const own = await freshDatabase({ host: '127.0.0.1', port: server.port, user: 'postgres' });
    const { log } = captureLog();
    const config = parseConfig({ STYLIZE_DATABASE_URL: own.url, STYLIZE_DATA_DIR: dataDir, STYLIZE_OPERATOR_PORT: '0', LOG_LEVEL: 'silent' }, dataDir) as ClusterConfig;
    const node = createWorker(config, { log, engine: new ScriptedEngine() });
    await node.start();
    cleanups.push(() => node.stop());
    const base = baseUrl(node.operator?.address());
    expect((await health(base)).status).toBe(200);

    await server.stop();
    const down = await health(base);
    expect(down.status).toBe(503);
    expect(down.body.checks['database']?.ok).toBe(false);
    expect(down.body.checks['engine']?.ok).toBe(true);
    await server.start();
    await askUntil(() => health(base), (answer) => answer.status === 200, "the worker's health to come back");
  });
});
