// The Discord adapter's public entry (used by src/bot/ and the tests).
export { createDiscordAdapter } from './adapter.js';
export type { DiscordAdapterDeps, DiscordAdapterTiming } from './adapter.js';
export { buildStylizeCommand, COMMAND_NAME } from './command.js';
export type { DiscordConfig } from './config.js';
