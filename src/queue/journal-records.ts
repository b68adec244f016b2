// Reading a journaled job record back: a record that does not parse, or lacks what the queue needs to run
// or show the job, is refused here instead of crashing the bot at start (see Journal.load, which moves it
// aside). The check is shallow on purpose: it guards the fields the queue reads, not every option.
import type { JobRecord } from './journal.js';

const STATES: readonly string[] = ['queued', 'running', 'done', 'failed', 'cancelled'];
const PLATFORMS: readonly string[] = ['discord', 'slack', 'web'];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The record in `raw` (a JSON text), or undefined when it cannot be used. */
export function parseJobRecord(raw: string): JobRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (!isObject(value)) return undefined;
  const { id, platform, userId, userName, reply, options, state, createdAt, seq, round } = value;
  const usable =
    typeof id === 'string' &&
    id.length > 0 &&
    typeof platform === 'string' &&
    PLATFORMS.includes(platform) &&
    typeof userId === 'string' &&
    typeof userName === 'string' &&
    isObject(reply) &&
    isObject(options) &&
    typeof options.preset === 'string' &&
    typeof state === 'string' &&
    STATES.includes(state) &&
    typeof createdAt === 'number' &&
    typeof seq === 'number' &&
    typeof round === 'number';
  return usable ? (value as unknown as JobRecord) : undefined;
}
