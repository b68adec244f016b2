// What every chat adapter offers the bot wiring (src/bot/).
import type { Platform } from '../queue/index.js';

export interface ChatAdapter {
  readonly name: Platform;
  start(): Promise<void>;
  /** Stop taking new commands; in-flight jobs are left to the queue (journaled or cancelled there). */
  stop(): Promise<void>;
  /** Whether the platform can reach the bot now, for the operator's health check. */
  connection(): PlatformConnection;
}

export interface PlatformConnection {
  connected: boolean;
  /** One plain line: how it is connected, or what it is doing instead. */
  detail: string;
}

/**
 * A platform API answer that is an error, for the operator's metrics: `status` is the HTTP status, or for
 * Slack's errors answered with 200 (`"ok": false`), Slack's error name.
 */
export interface PlatformApiError {
  platform: Platform;
  status: string;
}

export type ApiErrorListener = (error: PlatformApiError) => void;
