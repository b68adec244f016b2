// The web chat's HTTP server (Node's http module): the page, its static files and the library's
// thumbnails; the posts the page makes (an image, a job, a job's button); the pictures; and the live
// stream. Every response carries the security headers (http.ts); every post must come from this server's
// own page (same origin and the browser's post token); off loopback, everything but the token page needs
// the access cookie.
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import sharp from 'sharp';
import { findLibraryStyle } from '../../styles/library.js';
import { say, tell, UserError, type Locale } from '../../wording/index.js';
import type { WebConfig } from './config.js';
import { isLoopback } from './config.js';
import { BodyTooLarge, isSameOrigin, readBody, secureHeaders, sendBytes, sendHtml, sendJson } from './http.js';
import { localeOfBrowser } from './locale.js';
import { chatPage, tokenPage, type PageChoices } from './page.js';
import type { Sessions } from './sessions.js';

/** What a post is handled with: who sent it, in which language, and its body (read by the handler). */
export interface Visitor {
  userId: string;
  locale: Locale;
}

/** The answers to the page's posts and its reads of pictures and the stream (see actions.ts). */
export interface WebRoutes {
  upload(visitor: Visitor, role: 'content' | 'style', req: IncomingMessage, res: ServerResponse): Promise<void>;
  submit(visitor: Visitor, form: URLSearchParams, res: ServerResponse): Promise<void>;
  act(visitor: Visitor, jobId: string, action: string, form: URLSearchParams, res: ServerResponse): Promise<void>;
  picture(visitor: Visitor, jobId: string, which: 'picture' | 'preview', res: ServerResponse): Promise<void>;
  events(visitor: Visitor, res: ServerResponse): void;
}

const STATIC_DIR = new URL('./public/', import.meta.url);
const STATIC_FILES: Readonly<Record<string, string>> = { 'app.js': 'text/javascript; charset=utf-8', 'style.css': 'text/css; charset=utf-8' };
/** A form of the page (a job's settings, a button) is a few hundred bytes. */
const MAX_FORM_BYTES = 16 * 1024;
const THUMBNAIL_WIDTH = 192;

export class WebChatServer {
  private readonly server: Server;
  private bound: AddressInfo | undefined;
  private readonly thumbnails = new Map<string, Promise<Buffer>>();

  constructor(
    private readonly config: WebConfig,
    private readonly sessions: Sessions,
    private readonly routes: WebRoutes,
    private readonly log: Logger,
    private readonly choices: PageChoices,
  ) {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        this.log.error({ err: error, path: req.url }, 'web chat request failed');
        if (!res.headersSent) sendJson(res, 500, { error: say('something-went-wrong', {}, localeOfBrowser(req.headers['accept-language'])) });
        else res.end();
      });
    });
  }

  address(): AddressInfo | undefined {
    return this.bound;
  }

  /** The page's address, for the start line: http://127.0.0.1:8080 */
  url(): string | undefined {
    if (!this.bound) return undefined;
    const host = this.bound.address.includes(':') ? `[${this.bound.address}]` : this.bound.address;
    return `http://${host}:${this.bound.port}`;
  }

  /** Listens; a port in use throws one plain sentence naming the variable to change. */
  async start(): Promise<AddressInfo> {
    const { host, port } = this.config;
    await new Promise<void>((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException): void => {
        const why = error.code === 'EADDRINUSE' ? 'the port is in use by another program' : error.code === 'EADDRNOTAVAIL' ? 'that address is not one of this machine\'s' : error.message;
        reject(new Error(`The web chat cannot listen on ${host}:${port}: ${why}. Set STYLIZE_WEB_PORT (or STYLIZE_WEB_HOST) to another value, or stop that program.`, { cause: error }));
      };
      this.server.once('error', onError);
      this.server.listen(port, host, () => {
        this.server.off('error', onError);
        resolve();
      });
    });
    this.server.on('error', (error) => this.log.error({ err: error }, 'web chat server error'));
    this.bound = this.server.address() as AddressInfo;
    return this.bound;
  }

  async stop(): Promise<void> {
    if (!this.server.listening) return;
    // Event streams stay open for ever; a stopping bot does not wait for them.
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.bound = undefined;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    secureHeaders(res);
    const url = new URL(req.url ?? '/', 'http://web');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    const locale = localeOfBrowser(req.headers['accept-language']);
    res.setHeader('Vary', 'Accept-Language, Cookie');
    // Without the token, a page of any site whose name resolves to 127.0.0.1 (DNS rebinding) would be
    // this page's own origin: the loopback chat answers only to loopback names.
    if (!this.sessions.guarded && !isLoopback(hostnameOf(req.headers.host))) return sendJson(res, 421, { error: 'unknown host' });

    if (path.startsWith('/static/') && method === 'GET') return this.staticFile(path.slice('/static/'.length), res);
    if (path === '/access' && method === 'POST') return this.access(req, res, locale);
    if (!this.sessions.allowed(req)) {
      if (method === 'GET' && path === '/') return sendHtml(res, 401, tokenPage(locale, false));
      return sendJson(res, 401, { error: say('web-page-out-of-date', {}, locale) });
    }
    if (method === 'GET' && path === '/') return this.page(req, res, locale);
    const library = /^\/library\/([a-z0-9-]+)\.jpg$/.exec(path);
    if (method === 'GET' && library?.[1]) return this.thumbnail(library[1], res);

    const userId = this.sessions.userOf(req);
    if (!userId) return sendJson(res, 403, { error: say('web-page-out-of-date', {}, locale) });
    const visitor: Visitor = { userId, locale };
    if (method === 'GET') {
      if (path === '/events') return this.routes.events(visitor, res);
      const picture = /^\/jobs\/([a-z0-9]+)\/(picture|preview)(?:-\d+)?\.png$/.exec(path);
      if (picture?.[1] && picture[2]) return this.routes.picture(visitor, picture[1], picture[2] as 'picture' | 'preview', res);
      return sendJson(res, 404, { error: 'not found' });
    }
    if (method !== 'POST') return sendJson(res, 405, { error: 'method not allowed' });
    // Another site's page cannot post here: not from its origin, and not without this browser's token.
    if (!isSameOrigin(req) || !this.sessions.hasPostToken(req, userId)) {
      this.log.warn({ path, origin: req.headers.origin, site: req.headers['sec-fetch-site'] }, 'web chat post refused: not from this page');
      req.resume();
      return sendJson(res, 403, { error: say('web-page-out-of-date', {}, locale) });
    }
    const upload = /^\/uploads\/(content|style)$/.exec(path);
    if (upload?.[1]) return this.routes.upload(visitor, upload[1] as 'content' | 'style', req, res);
    let form: URLSearchParams;
    try {
      form = new URLSearchParams((await readBody(req, MAX_FORM_BYTES)).toString('utf8'));
    } catch (error) {
      if (error instanceof BodyTooLarge) return sendJson(res, 413, { error: say('something-went-wrong', {}, locale) });
      throw error;
    }
    if (path === '/jobs') return this.routes.submit(visitor, form, res);
    const action = /^\/jobs\/([a-z0-9]+)\/([a-z-]+)$/.exec(path);
    if (action?.[1] && action[2]) return this.routes.act(visitor, action[1], action[2], form, res);
    return sendJson(res, 404, { error: 'not found' });
  }

  /** The page, with a user id for a browser that has none yet. */
  private page(req: IncomingMessage, res: ServerResponse, locale: Locale): void {
    let userId = this.sessions.userOf(req);
    if (!userId) {
      const user = this.sessions.newUser();
      userId = user.userId;
      res.setHeader('Set-Cookie', user.setCookie);
    }
    sendHtml(res, 200, chatPage(locale, this.sessions.postToken(userId), this.choices));
  }

  /** The token page's post: a right token sets the access cookie and opens the page. */
  private async access(req: IncomingMessage, res: ServerResponse, locale: Locale): Promise<void> {
    if (!isSameOrigin(req)) {
      req.resume();
      return sendJson(res, 403, { error: say('web-page-out-of-date', {}, locale) });
    }
    const form = new URLSearchParams((await readBody(req, MAX_FORM_BYTES).catch(() => Buffer.alloc(0))).toString('utf8'));
    const granted = this.sessions.grant(form.get('token') ?? '');
    if (!granted) {
      this.log.warn('web chat: a wrong access token was typed');
      return sendHtml(res, 401, tokenPage(locale, true));
    }
    res.writeHead(303, { 'Set-Cookie': granted, Location: '/' });
    res.end();
  }

  private async staticFile(name: string, res: ServerResponse): Promise<void> {
    const type = STATIC_FILES[name];
    if (!type) return sendJson(res, 404, { error: 'not found' });
    sendBytes(res, type, await readFile(new URL(name, STATIC_DIR)));
  }

  /** A small copy of a library painting, made once. */
  private async thumbnail(id: string, res: ServerResponse): Promise<void> {
    const style = findLibraryStyle(id);
    if (!style) return sendJson(res, 404, { error: 'not found' });
    let made = this.thumbnails.get(id);
    if (!made) {
      made = sharp(style.path).resize({ width: THUMBNAIL_WIDTH }).jpeg({ quality: 80 }).toBuffer();
      this.thumbnails.set(id, made);
    }
    sendBytes(res, 'image/jpeg', await made, true);
  }
}

function hostnameOf(host: string | undefined): string {
  if (!host) return '';
  if (host.startsWith('[')) return host.slice(1, host.indexOf(']'));
  return host.split(':')[0] ?? '';
}

/** A refusal for the page: the sentence in the reader's language, with a status that says what kind. */
export function refusal(res: ServerResponse, error: unknown, locale: Locale, log: Logger): void {
  if (error instanceof UserError) return sendJson(res, 400, { error: tell(error.problem, locale) });
  log.error({ err: error }, 'web chat: a request failed');
  sendJson(res, 500, { error: say('something-went-wrong', {}, locale) });
}
