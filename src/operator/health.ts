// /healthz: one check per chat platform (connected), the engine (able to run jobs) and the journal (takes
// writes). Healthy only when every check passes.
import type { ChatAdapter } from '../adapters/types.js';
import type { StylizeQueue } from '../queue/index.js';

export interface HealthCheck {
  ok: boolean;
  /** One plain line for the operator. */
  detail: string;
}

export interface HealthReport {
  ok: boolean;
  /** By name: `discord`, `slack` (those configured), `engine`, `journal`. */
  checks: Record<string, HealthCheck>;
}

/** What the checks read of the queue. */
export type CheckedQueue = Pick<StylizeQueue, 'engineStatus' | 'journalWritable'>;

export async function checkHealth(queue: CheckedQueue, platforms: readonly ChatAdapter[]): Promise<HealthReport> {
  const checks: Record<string, HealthCheck> = {};
  for (const adapter of platforms) {
    const connection = adapter.connection();
    checks[adapter.name] = { ok: connection.connected, detail: connection.detail };
  }
  const engine = queue.engineStatus();
  checks['engine'] = { ok: engine.up, detail: engine.detail };
  checks['journal'] = (await queue.journalWritable())
    ? { ok: true, detail: 'takes writes' }
    : { ok: false, detail: 'a write failed and a test write still fails (disk full or failing?); new jobs are refused' };
  return { ok: Object.values(checks).every((check) => check.ok), checks };
}
