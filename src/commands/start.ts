// `npm start`: reads the configuration, makes sure the engine's weights are there (not for a cluster's
// front-end: its workers run the engine), runs the bot until SIGINT or
// SIGTERM, then stops cleanly (the running job is journaled and resumes at the next start).
import { ConfigError, hasNoChatPlatform, loadConfig, type BotConfig } from '../bot/config.js';
import { createBot } from '../bot/create-bot.js';
import type { WebAdapter } from '../adapters/web/index.js';
import { configuredSecrets, createLogger, scrubSecrets } from '../bot/logger.js';
import { botWeightsAtStart } from '../bot/weights.js';

/** Printed at start when no chat platform is configured: the web chat runs alone, and how to add one. */
const NO_PLATFORM_HELP = `stylize has no chat platform configured, so it runs the local web chat only (STYLIZE_WEB_PORT
changes its port). To connect Discord, Slack or both, set their variables (in the environment or in a
.env file in this folder), then run \`npm start\` again.

Discord (see the README, "Discord", to create the application):
  DISCORD_TOKEN            the bot token (Developer Portal > your application > Bot > Reset Token)
  DISCORD_APPLICATION_ID   the Application ID (General Information page)
  DISCORD_GUILD_ID         optional: one server's ID, for instant command updates while testing
  then register the /stylize command once: npm run register:discord

Slack (see the README, "Slack", to create the app):
  SLACK_BOT_TOKEN          the Bot User OAuth Token, xoxb-... (OAuth & Permissions page)
  SLACK_SIGNING_SECRET     the Signing Secret (Basic Information page)
  SLACK_PORT               optional: where Slack's requests arrive (default 3000)
  or, without a public URL, Socket Mode: SLACK_SOCKET_MODE=true and SLACK_APP_TOKEN=xapp-...

To try the engine without any chat at all:
  npm run stylize -- --content photo.jpg --style painting.jpg --out result.png

The first start downloads the VGG-19 weights (80 MB); \`npm run models:fetch\` does it ahead of time.
`;

/** Loads the configuration; prints what is wrong and returns undefined when it cannot be used. */
function readConfig(): BotConfig | undefined {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    return undefined;
  }
}

function nextStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

async function main(): Promise<number> {
  const config = readConfig();
  if (!config) return 1;
  if (hasNoChatPlatform(config)) console.log(NO_PLATFORM_HELP);
  const weights = await botWeightsAtStart(config, (line) => console.error(line));
  if (!weights.ok) {
    console.error(weights.message);
    return 1;
  }
  const log = createLogger(config.logLevel, { secrets: configuredSecrets(config) });
  // Listening from before the start: a signal during start-up still stops the bot cleanly.
  const stopSignal = nextStopSignal();
  const bot = await createBot(
    { ...config, ...(weights.dir !== undefined ? { weightsDir: weights.dir } : {}) },
    {
      log,
      // Another front-end may be serving already: stopping at once, without a clean stop that would go on
      // delivering, is what keeps two from serving together. The restart of the process manager makes this
      // one a standby.
      onLeaseLost: (reason) => {
        console.error(`This front-end stopped serving: ${reason}.`);
        process.exit(1);
      },
    },
  );
  // A cluster's standby waits in start() until it takes over; a stop signal meanwhile ends the wait.
  void stopSignal.then(() => bot.cancelStandby());
  try {
    await bot.start();
  } catch (error) {
    log.fatal({ err: error }, 'the bot could not start');
    // The log line is for the record; the operator at the terminal reads one plain sentence.
    console.error(`The bot could not start: ${scrubSecrets(error instanceof Error ? error.message : String(error))}`);
    return 1;
  }
  const web = bot.adapters.find((adapter): adapter is WebAdapter => adapter.name === 'web');
  const url = web?.url();
  if (url) console.log(`The web chat is ready: open ${url} in a browser.`);
  const signal = await stopSignal;
  log.info({ signal }, 'stopping: no new jobs; the running job is saved and resumes at the next start');
  // A second signal means "now": exit without waiting for the engine to stop.
  const forceExit = (): void => process.exit(1);
  process.once('SIGINT', forceExit);
  process.once('SIGTERM', forceExit);
  await bot.stop();
  return 0;
}

main().then(
  (code) => {
    // Everything of ours is closed by now; a client's retry timer (an unreachable chat API, say) must
    // not keep a stopped bot alive.
    process.exit(code);
  },
  (error: unknown) => {
    // Not a log line, but a client's error may still carry a token in its message.
    console.error(scrubSecrets(error instanceof Error ? error.message : String(error)));
    process.exitCode = 1;
  },
);
