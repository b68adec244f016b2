// `npm run worker`: an engine worker of a cluster. It joins the servers named by STYLIZE_DATABASE_URL (and
// STYLIZE_REDIS_URL), runs one job at a time on the engine process the bot uses (STYLIZE_WEIGHTS_DIR,
// STYLIZE_BACKEND) until SIGINT or SIGTERM, then puts its running job back in line and stops. With
// STYLIZE_OPERATOR_PORT set it serves /healthz and /metrics as the bot does.
import { ConfigError, loadConfig } from '../bot/config.js';
import { createWorker } from '../bot/create-worker.js';
import { createLogger } from '../bot/logger.js';
import { weightsAtStart } from '../bot/weights.js';

const USAGE = `npm run worker needs the cluster's database: set STYLIZE_DATABASE_URL (postgres://user@host:5432/stylize)
and, where dispatch runs on Redis, STYLIZE_REDIS_URL (redis://host:6379), the same as the bot's.`;

async function main(): Promise<number> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    return 1;
  }
  const cluster = config.cluster;
  if (!cluster) {
    console.error(USAGE);
    return 1;
  }
  const log = createLogger(config.logLevel);
  const weights = await weightsAtStart(config.weightsDir, (line) => console.error(line));
  if (!weights.ok) {
    console.error(weights.message);
    return 1;
  }
  const node = createWorker({ ...config, cluster, weightsDir: weights.dir }, { log });
  try {
    await node.start();
  } catch (error) {
    console.error(`The worker could not start: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  log.info({ signal }, 'stopping: the running job goes back in line');
  await node.stop();
  return 0;
}

process.exitCode = await main();
