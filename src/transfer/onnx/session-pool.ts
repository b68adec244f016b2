// ONNX Runtime sessions by key (graph and image size), built once and reused across iterations and jobs.
// Each session holds its own copy of the weights and, with ORT's arena, its working memory, so what is kept
// is bounded: every session carries a cost (its estimated memory, or 1 to count sessions), and the pool keeps
// the costs of all its sessions, in use or idle, within a budget. A session in use is never freed; of the
// idle ones the costliest go first (a small scale's session saves as much set-up as a big one's, for less
// memory), then the least recently used.
import type { InferenceSession } from 'onnxruntime-node';

interface Entry {
  session: Promise<InferenceSession>;
  users: number;
  cost: number;
}

/** Frees a session's native memory once it exists (a session that failed to start has nothing to free). */
function release(session: Promise<InferenceSession>): void {
  session.then((s) => s.release()).catch(() => undefined);
}

export class SessionPool {
  /** Most recently acquired or released last. */
  private readonly entries = new Map<string, Entry>();
  private created = 0;

  constructor(private readonly budget: number) {}

  /**
   * The session for `key`, created when there is none; a failed creation is forgotten, so the next call
   * retries. Before one is created, idle sessions are freed until the new one's cost fits the budget with
   * the rest, so that their memory never adds to the new one's beyond it.
   */
  acquire(key: string, create: () => Promise<InferenceSession>, cost = 1): Promise<InferenceSession> {
    let entry = this.entries.get(key);
    if (!entry) {
      this.freeIdle(this.budget - cost);
      entry = { session: create(), users: 0, cost };
      this.created += 1;
    }
    const added = entry;
    added.users += 1;
    this.entries.delete(key);
    this.entries.set(key, added);
    added.session.catch(() => {
      if (this.entries.get(key) === added) this.entries.delete(key);
    });
    return added.session;
  }

  /** One user of `key` is done with it; idle sessions are freed until all fit the budget. */
  done(key: string): void {
    const entry = this.entries.get(key);
    if (entry) {
      entry.users = Math.max(0, entry.users - 1);
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    this.freeIdle(this.budget);
  }

  /** Sessions created since the pool began (the test seam for "built once"). */
  sessionsCreated(): number {
    return this.created;
  }

  private held(): number {
    let sum = 0;
    for (const entry of this.entries.values()) sum += entry.cost;
    return sum;
  }

  /** Frees idle sessions, costliest first, then least recently used, until the held cost is at most `limit`. */
  private freeIdle(limit: number): void {
    let held = this.held();
    while (held > limit) {
      let victim: [string, Entry] | undefined;
      for (const pair of this.entries) {
        if (pair[1].users === 0 && (!victim || pair[1].cost > victim[1].cost)) victim = pair;
      }
      if (!victim) return;
      this.entries.delete(victim[0]);
      release(victim[1].session);
      held -= victim[1].cost;
    }
  }

  dispose(): void {
    for (const entry of this.entries.values()) release(entry.session);
    this.entries.clear();
  }
}
