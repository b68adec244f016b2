// Live updates for the page over Server-Sent Events (the browser's EventSource): each browser's open
// pages get its own jobs' cards and "My jobs" list as they change, never another browser's. EventSource
// reconnects by itself; each connection starts with everything the browser has now.
import type { ServerResponse } from 'node:http';

/** A comment line now and then keeps proxies and idle timers from closing a quiet stream. */
const KEEP_ALIVE_MS = 25_000;

export class LiveStreams {
  private readonly streams = new Map<string, Set<ServerResponse>>();
  private readonly timer: NodeJS.Timeout;

  constructor() {
    // Network upkeep, not job time: on real time, and never keeping a stopping process alive.
    this.timer = setInterval(() => this.everyone(': keep-alive\n\n'), KEEP_ALIVE_MS);
    this.timer.unref();
  }

  /** Opens `res` as an event stream of `userId`'s; `first` is sent before anything else. */
  open(userId: string, res: ServerResponse, first: Array<{ event: string; data: unknown }>): void {
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
    res.flushHeaders();
    const mine = this.streams.get(userId) ?? new Set<ServerResponse>();
    mine.add(res);
    this.streams.set(userId, mine);
    res.once('close', () => {
      mine.delete(res);
      if (mine.size === 0) this.streams.delete(userId);
    });
    for (const { event, data } of first) res.write(frame(event, data));
  }

  /** Sends an event to every open page of `userId`. */
  send(userId: string, event: string, data: unknown): void {
    const text = frame(event, data);
    for (const res of this.streams.get(userId) ?? []) res.write(text);
  }

  /** Ends every stream (the bot is stopping); pages show that the connection is lost and retry. */
  close(): void {
    clearInterval(this.timer);
    for (const mine of this.streams.values()) for (const res of mine) res.end();
    this.streams.clear();
  }

  private everyone(text: string): void {
    for (const mine of this.streams.values()) for (const res of mine) res.write(text);
  }
}

/** One event: JSON has no raw line breaks, so it fits on one data line. */
function frame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}
