// /healthz: one check per chat platform (connected), the engine (able to run jobs) and the journal (takes
// writes). Healthy only when every check passes. A cluster's front-end adds whether it serves its platforms;
// a standby (another front-end serves them) is healthy with that one check, since it has nothing else running.
import type { ChatAdapter } from '../adapters/types.js';
import type { StylizeQueue } from '../queue/index.js';

export interface HealthCheck {
  ok: boolean;
  /** One plain line for the operator. */
  detail: string;
}

export interface HealthReport {
  ok: boolean;
  /** A cluster front-end standing by for another: healthy, and nothing but `front-end` is checked. */
  standby?: true;
  /** By name: `discord`, `slack` (those configured), `engine`, `journal`; `front-end` in a cluster. */
  checks: Record<string, HealthCheck>;
}

/** What the checks read of the queue. */
export type CheckedQueue = Pick<StylizeQueue, 'engineStatus' | 'journalWritable'>;

/** A cluster front-end's part: standing by, or serving its platforms (ok) or no longer (not ok). */
export interface FrontEndState extends HealthCheck {
  standby: boolean;
}

export async function checkHealth(queue: CheckedQueue, platforms: readonly ChatAdapter[], frontEnd?: FrontEndState): Promise<HealthReport> {
  if (frontEnd?.standby) return { ok: true, standby: true, checks: { 'front-end': { ok: true, detail: frontEnd.detail } } };
  const checks: Record<string, HealthCheck> = {};
  if (frontEnd) checks['front-end'] = { ok: frontEnd.ok, detail: frontEnd.detail };
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
