// ONNX Runtime sessions by key (graph and image size), reused across iterations and jobs. A session in use
// is never freed; of the idle ones only the most recently used few are kept, because each holds its own
// copy of the weights and, with ORT's arena, its working memory (about 0.5 GB at 512 px).
import type { InferenceSession } from 'onnxruntime-node';

interface Entry {
  session: Promise<InferenceSession>;
  users: number;
}

/** Frees a session's native memory once it exists (a session that failed to start has nothing to free). */
function release(session: Promise<InferenceSession>): void {
  session.then((s) => s.release()).catch(() => undefined);
}

export class SessionPool {
  /** Most recently acquired or released last. */
  private readonly entries = new Map<string, Entry>();

  /**
   * `freeIdleFirst`: idle sessions are freed before a new one is created, so that their memory never adds
   * to the new one's (a multi-scale job then holds one image size's session at a time).
   */
  constructor(
    private readonly idleKept: number,
    private readonly freeIdleFirst = false,
  ) {}

  /** The session for `key`, created when there is none; a failed creation is forgotten, so the next call retries. */
  acquire(key: string, create: () => Promise<InferenceSession>): Promise<InferenceSession> {
    if (this.freeIdleFirst && !this.entries.has(key)) this.freeIdle(0);
    const entry = this.entries.get(key) ?? { session: create(), users: 0 };
    entry.users += 1;
    this.entries.delete(key);
    this.entries.set(key, entry);
    entry.session.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return entry.session;
  }

  /** One user of `key` is done with it; idle sessions beyond the newest `idleKept` are freed. */
  done(key: string): void {
    const entry = this.entries.get(key);
    if (entry) {
      entry.users = Math.max(0, entry.users - 1);
      // The newest to fall idle is the last to go.
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    this.freeIdle(this.idleKept);
  }

  /** Frees the least recently used idle sessions until at most `kept` are left. */
  private freeIdle(kept: number): void {
    let idle = [...this.entries].filter(([, e]) => e.users === 0).length;
    for (const [oldKey, old] of this.entries) {
      if (idle <= kept) break;
      if (old.users > 0) continue;
      this.entries.delete(oldKey);
      release(old.session);
      idle -= 1;
    }
  }

  dispose(): void {
    for (const entry of this.entries.values()) release(entry.session);
    this.entries.clear();
  }
}
