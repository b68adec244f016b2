// `npm run worker`: an engine worker of a cluster. It joins the servers named by STYLIZE_DATABASE_URL (and
// STYLIZE_REDIS_URL), runs one job at a time on the engine process the bot uses (STYLIZE_WEIGHTS_DIR,
// STYLIZE_BACKEND) until SIGINT or SIGTERM, then puts its running job back in line and stops.
import { DEFAULT_WEIGHTS_DIR } from '../../models/manifest.js';
import { ConfigError, loadConfig } from '../bot/config.js';
import { createLogger } from '../bot/logger.js';
import { weightsAtStart } from '../bot/weights.js';
import { connectCluster } from '../queue/cluster/cluster-setup.js';
import { ClusterWorker } from '../queue/cluster/worker.js';
import { EngineRunner, systemClock } from '../queue/index.js';

const USAGE = `npm run worker needs the cluster's database: set STYLIZE_DATABASE_URL (postgres://user@host:5432/stylize)
and, where dispatch runs on Redis, STYLIZE_REDIS_URL (redis://host:6379), the same as the bot's.`;

async function main(): Promise<number> {
  const databaseUrl = process.env['STYLIZE_DATABASE_URL'];
  if (!databaseUrl) {
    console.error(USAGE);
    return 1;
  }
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    return 1;
  }
  const log = createLogger(config.logLevel);
  const weights = await weightsAtStart(config.weightsDir, (line) => console.error(line));
  if (!weights.ok) return 1;
  const redisUrl = process.env['STYLIZE_REDIS_URL'];
  const cluster = connectCluster({ databaseUrl, ...(redisUrl ? { redisUrl } : {}) }, log);
  const engine = new EngineRunner({
    weightsDir: config.weightsDir ?? DEFAULT_WEIGHTS_DIR,
    ...(config.backend ? { backend: config.backend } : {}),
    log: log.child({ component: 'engine' }),
  });
  const worker = new ClusterWorker({ engine, store: cluster.store, pool: cluster.pool, dispatch: cluster.dispatch, limits: config.limits, clock: systemClock, log });
  await worker.start();
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  log.info({ signal }, 'stopping: the running job goes back in line');
  await worker.stop();
  await cluster.close();
  return 0;
}

process.exitCode = await main();
