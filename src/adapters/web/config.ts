// Settings of the local web chat: where it listens, and the shared secret it asks for when it listens
// anywhere but this machine's loopback address. With no chat platform configured it is on by default (the
// bot's config decides that); with one, it is on only when STYLIZE_WEB_PORT is set.
import type { EnvReader } from '../../settings/env-reader.js';

export interface WebConfig {
  /** 0 picks a free port; the adapter's address() and its log line tell which. */
  port: number;
  host: string;
  /** The shared secret typed once into the page, then kept in an HttpOnly cookie; required off loopback. */
  token?: string;
  /** Time allowed for an image's body to arrive (default 30 s, as a chat platform's download). */
  uploadTimeoutMs?: number;
}

export const WEB_DEFAULTS = { host: '127.0.0.1', port: 8080, uploadTimeoutMs: 30_000 } as const;

/** Addresses that only this machine can reach: the web chat needs no token there. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

/**
 * The web chat's settings, or undefined when it stays off: `byDefault` (no chat platform configured) turns
 * it on unless told otherwise; else it is on only when STYLIZE_WEB_PORT is set.
 */
export function readWebConfig(reader: EnvReader, byDefault: boolean): WebConfig | undefined {
  const portSet = reader.text('STYLIZE_WEB_PORT') !== undefined;
  const port = reader.integer('STYLIZE_WEB_PORT', 0, 65_535) ?? WEB_DEFAULTS.port;
  const host = reader.text('STYLIZE_WEB_HOST') ?? WEB_DEFAULTS.host;
  const token = reader.text('STYLIZE_WEB_TOKEN');
  if (!byDefault && !portSet) return undefined;
  if (!isLoopback(host) && token === undefined) {
    reader.problems.push(`STYLIZE_WEB_TOKEN is missing: the web chat listens on ${host}, which other machines can reach, so it needs a shared secret (any long random text) that each browser types once.`);
    return undefined;
  }
  if (token !== undefined && token.length < 12) {
    reader.problems.push('STYLIZE_WEB_TOKEN is too short: use at least 12 characters (a long random text is best).');
    return undefined;
  }
  return { port, host, ...(token !== undefined ? { token } : {}) };
}
