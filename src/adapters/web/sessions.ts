// Who a browser is, and whether it may use the web chat. Each browser is its own user: a random id in an
// HttpOnly cookie, so that the queue's fairness, limits and owner checks hold between browsers as between
// chat users. Posts carry a token tied to that id (given to the page, never in a cookie), which another
// site's page cannot know. Off loopback, the operator's shared secret is asked for once and then kept as
// a keyed hash in a cookie of its own.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { cookie, cookiesOf } from './http.js';

export const USER_COOKIE = 'stylize_user';
export const ACCESS_COOKIE = 'stylize_access';
/** A year: the id is the browser's identity for its jobs, kept across restarts of the bot. */
const USER_COOKIE_SECONDS = 365 * 24 * 3600;
const ACCESS_COOKIE_SECONDS = 30 * 24 * 3600;
const USER_ID = /^[0-9a-f]{32}$/;

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export class Sessions {
  /** Keys the post tokens; new at each start, so a page from before a restart is told to reload. */
  private readonly secret = randomBytes(32);
  private readonly access: string | undefined;

  constructor(token: string | undefined) {
    this.access = token === undefined ? undefined : createHmac('sha256', token).update('stylize web access').digest('base64url');
  }

  /** Whether a token is asked for at all (the chat listens off loopback). */
  get guarded(): boolean {
    return this.access !== undefined;
  }

  /** The browser's user id, when its cookie carries a well-formed one. */
  userOf(req: IncomingMessage): string | undefined {
    const id = cookiesOf(req).get(USER_COOKIE);
    return id !== undefined && USER_ID.test(id) ? id : undefined;
  }

  /** A new browser: its id and the cookie that keeps it. */
  newUser(): { userId: string; setCookie: string } {
    const userId = randomBytes(16).toString('hex');
    return { userId, setCookie: cookie(USER_COOKIE, userId, USER_COOKIE_SECONDS) };
  }

  /** The token the page sends with each post (header x-csrf-token). */
  postToken(userId: string): string {
    return createHmac('sha256', this.secret).update(userId).digest('base64url');
  }

  hasPostToken(req: IncomingMessage, userId: string): boolean {
    const given = req.headers['x-csrf-token'];
    return typeof given === 'string' && sameText(given, this.postToken(userId));
  }

  /** True when no token is asked for, or the browser's access cookie holds the right one. */
  allowed(req: IncomingMessage): boolean {
    if (this.access === undefined) return true;
    const held = cookiesOf(req).get(ACCESS_COOKIE);
    return held !== undefined && sameText(held, this.access);
  }

  /** The access cookie for a browser that typed `token`, or undefined when it is not the right one. */
  grant(token: string): string | undefined {
    if (this.access === undefined) return undefined;
    const typed = createHmac('sha256', token).update('stylize web access').digest('base64url');
    return sameText(typed, this.access) ? cookie(ACCESS_COOKIE, this.access, ACCESS_COOKIE_SECONDS) : undefined;
  }
}
