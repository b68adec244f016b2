// Keeps message edits within a platform's rate limits: per key (one chat message), tasks run one at a time
// and in order, each at least `minGapMs` after the previous one ended. A newer task replaces one still
// waiting (only the latest progress matters); an urgent task (a state change) skips the wait but still runs
// after the current one. Gaps are measured on the Clock it is given.
import { systemClock, type Clock } from '../../queue/index.js';

type Task = () => Promise<void>;

interface KeyState {
  lastRunAt: number;
  pending?: Task;
  urgent: boolean;
  /** Calls off the scheduled run. */
  cancelTimer?: () => void;
  running?: Promise<void>;
  /** forget() was called while a task ran: drop the state once it ends. */
  forgotten: boolean;
}

export class CoalescingThrottle {
  private readonly keys = new Map<string, KeyState>();

  constructor(
    private readonly minGapMs: number,
    private readonly onError: (error: unknown, key: string) => void,
    private readonly clock: Clock = systemClock,
  ) {}

  push(key: string, task: Task, options: { urgent?: boolean } = {}): void {
    const state = this.state(key);
    state.pending = task;
    state.forgotten = false;
    state.urgent ||= options.urgent === true;
    if (state.running) return; // picked up when the running task ends
    if (state.urgent) state.cancelTimer?.();
    else if (state.cancelTimer) return;
    this.schedule(key, state);
  }

  /** Runs what is waiting for `key` at once and resolves when nothing is left to run for it. */
  async drain(key: string): Promise<void> {
    const state = this.keys.get(key);
    while (state && (state.running || state.pending)) {
      if (!state.running) {
        state.cancelTimer?.();
        this.run(key, state);
      }
      await state.running;
    }
  }

  /** Drops what is waiting for `key` (the message is gone or final). */
  forget(key: string): void {
    const state = this.keys.get(key);
    if (!state) return;
    state.cancelTimer?.();
    state.cancelTimer = undefined;
    state.pending = undefined;
    state.forgotten = true;
    if (!state.running) this.keys.delete(key);
  }

  /** Drops everything waiting; running tasks finish on their own. */
  close(): void {
    for (const key of [...this.keys.keys()]) this.forget(key);
  }

  private state(key: string): KeyState {
    let state = this.keys.get(key);
    if (!state) {
      state = { lastRunAt: -Infinity, urgent: false, forgotten: false };
      this.keys.set(key, state);
    }
    return state;
  }

  private schedule(key: string, state: KeyState): void {
    const wait = state.urgent ? 0 : Math.max(0, state.lastRunAt + this.minGapMs - this.clock.now());
    state.cancelTimer = this.clock.setTimeout(() => this.run(key, state), wait);
  }

  private run(key: string, state: KeyState): void {
    state.cancelTimer = undefined;
    const task = state.pending;
    if (!task) return;
    state.pending = undefined;
    state.urgent = false;
    state.running = task()
      .catch((error: unknown) => this.onError(error, key))
      .finally(() => {
        // Counted from the end of a call: the platform then sees its requests at least minGapMs apart.
        state.lastRunAt = this.clock.now();
        state.running = undefined;
        if (state.pending) this.schedule(key, state);
        else if (state.forgotten && this.keys.get(key) === state) this.keys.delete(key);
      });
  }
}
