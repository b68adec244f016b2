// Time as the queue and the chat adapters read it: job time limits, retention, edit throttles, preview
// intervals, token lifetimes and the Slack form's image-check budget all go through one Clock, so that tests
// move time themselves instead of waiting for it. Network deadlines (download and REST timeouts, shutdown
// bounds) stay on real timers: they guard against peers that do not answer, which only real time can tell.

export interface Clock {
  /** Milliseconds since the epoch, like Date.now(). */
  now(): number;
  /** Calls `callback` once `ms` have passed on this clock; the returned function calls it off. */
  setTimeout(callback: () => void, ms: number): () => void;
}

/** The machine's clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(callback, ms) {
    const timer = setTimeout(callback, ms);
    return () => clearTimeout(timer);
  },
};
