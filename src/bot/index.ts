// The bot's wiring: one queue (one engine) shared by the chat adapters whose credentials are set.
export type { BotConfig, ClusterSettings, LogLevel } from './config.js';
export { ConfigError, loadConfig, parseConfig } from './config.js';
export type { Bot, BotDeps } from './create-bot.js';
export { createBot } from './create-bot.js';
