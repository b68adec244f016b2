// The plumbing every route of the web chat shares, on Node's http module: the security headers each
// response carries, the same-origin check of posts, cookies, and reading a body within a byte cap.
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Everything the page needs comes from the bot itself: its script and style sheet, its pictures (and the
 * browser's own blob: copies of a picked file), its fetch and EventSource calls. No inline script, no frames.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/** Headers on every response, whatever it is. */
export function secureHeaders(res: ServerResponse): void {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  res.setHeader('Cache-Control', 'no-store');
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(html) });
  res.end(html);
}

export function sendBytes(res: ServerResponse, type: string, bytes: Buffer, cacheable = false): void {
  res.writeHead(200, { 'Content-Type': type, 'Content-Length': bytes.length, ...(cacheable ? { 'Cache-Control': 'private, max-age=3600' } : {}) });
  res.end(bytes);
}

/** The request's cookies by name (the first of a repeated name wins). */
export function cookiesOf(req: IncomingMessage): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at < 0) continue;
    const name = part.slice(0, at).trim();
    if (name && !cookies.has(name)) cookies.set(name, part.slice(at + 1).trim());
  }
  return cookies;
}

/** A cookie the page's script cannot read and other sites' requests do not carry. */
export function cookie(name: string, value: string, maxAgeSeconds: number): string {
  return `${name}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}`;
}

/**
 * Whether a post comes from a page of this very server. Browsers send Origin with every post and
 * Sec-Fetch-Site with every request; a post from another site's page (a hidden form, a fetch) says so in
 * both. A request without Origin (not a browser's post) is refused too: the page always sends it.
 */
export function isSameOrigin(req: IncomingMessage): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') return false;
  const origin = req.headers.origin;
  const host = req.headers.host;
  // https: the page reached through a TLS proxy in front of the bot, which passes the Host on.
  return origin !== undefined && host !== undefined && (origin === `http://${host}` || origin === `https://${host}`);
}

export class BodyTooLarge extends Error {
  override readonly name = 'BodyTooLarge';
}

export class BodyTimedOut extends Error {
  override readonly name = 'BodyTimedOut';
}

/**
 * Reads the whole body, failing with BodyTooLarge as soon as it passes `maxBytes` (the rest is drained
 * unread) and with BodyTimedOut when it has not all come within `timeoutMs` (a stalled sender must not hold
 * the bot's intake). The caller answers; a timed-out request's connection is closed after the answer.
 */
export function readBody(req: IncomingMessage, maxBytes: number, timeoutMs = 30_000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const stop = (): void => {
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      chunks.length = 0;
    };
    const onData = (chunk: Buffer): void => {
      received += chunk.length;
      if (received <= maxBytes) {
        chunks.push(chunk);
        return;
      }
      stop();
      // Not destroyed: drained without keeping it, so that the answer still reaches a browser that is sending.
      req.resume();
      reject(new BodyTooLarge(`the body passed ${maxBytes} bytes`));
    };
    const onEnd = (): void => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks, received));
    };
    // Network upkeep on real time, as every network deadline of the bot.
    const timer = setTimeout(() => {
      stop();
      req.pause();
      reject(new BodyTimedOut(`the body did not come within ${timeoutMs} ms`));
    }, timeoutMs);
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', (error) => {
      stop();
      reject(error);
    });
  });
}
