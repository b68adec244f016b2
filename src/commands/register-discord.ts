// `npm run register:discord [-- --global]`: registers /stylize with Discord. With DISCORD_GUILD_ID set the
// command goes to that server only (it appears at once, handy while testing); otherwise, or with --global,
// to every server the bot is in (Discord may take a while to show changes there).
import type { DiscordConfig } from '../adapters/discord/config.js';
import { registerCommands } from '../adapters/discord/register.js';
import { ConfigError, loadConfig } from '../bot/config.js';

async function main(): Promise<number> {
  let config: DiscordConfig | undefined;
  let jobTimeoutMs: number;
  try {
    const loaded = loadConfig();
    config = loaded.discord;
    jobTimeoutMs = loaded.limits.jobTimeoutMs;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    return 1;
  }
  if (!config) {
    console.error('Set DISCORD_TOKEN and DISCORD_APPLICATION_ID (and DISCORD_GUILD_ID for one server) in the environment or in .env, then run this again.');
    return 1;
  }
  // The painting times /stylize offers are those within the bot's job time limit (STYLIZE_JOB_TIMEOUT_MINUTES).
  const result = await registerCommands(config, { global: process.argv.includes('--global'), jobTimeoutMs });
  const where = result.scope === 'guild' ? `in server ${config.guildId}` : 'globally (it can take a while to appear everywhere)';
  // Slash commands are lower case; the message command "Stylize" is shown under Apps on a message.
  const names = result.commandNames.map((name) => (name === name.toLowerCase() ? `/${name}` : `"${name}" (message command)`));
  console.log(`Registered ${names.join(', ')} ${where}.`);
  return 0;
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(`Registering the command failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
