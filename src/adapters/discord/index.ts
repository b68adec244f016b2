// The Discord adapter's public entry (used by src/bot/ and the tests).
export { createDiscordAdapter } from './adapter.js';
export type { DiscordAdapterTiming } from './adapter.js';
