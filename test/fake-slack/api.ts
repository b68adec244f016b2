// A fake Slack Web API on 127.0.0.1 for the real Bolt App's WebClient (clientOptions.slackApiUrl).
// It records every call (method, arguments with nested JSON fields decoded, Authorization header, time),
// answers the methods the adapter uses, and takes files.uploadV2's byte uploads on its own upload URL.
import type { IncomingMessage, ServerResponse, Server } from 'node:http';
import { closeServer, listenLocal, localServer, readBody } from '../fixtures/local-http.js';
import { FaultList, type FaultHandle } from '../fixtures/faults.js';
import { waitFor } from '../fixtures/wait-for.js';
import { messageError, viewError } from './limits.js';

export type Args = Record<string, unknown>;

export interface RecordedCall {
  method: string;
  args: Args;
  authorization: string | undefined;
  at: number;
  /** When it came on the test's clock, where the fake was given one (FakeSlackApi.start). */
  clockAt?: number;
  /** What the fake answered (with ok: true or its error), once it has. */
  reply?: Args;
}

export interface RecordedUpload {
  fileId: string;
  filename: string;
  length: number;
  bytes: Buffer;
  at: number;
}

/** What files.info answers for a file id (the adapter reads url_private, size, mimetype, filetype, name). */
export interface FakeFile {
  id: string;
  name: string;
  mimetype: string;
  filetype: string;
  size: number;
  url_private: string;
}

type Handler = (args: Args) => Args;

/** How the fake misbehaves on a method's calls (see fault()). */
export interface FaultOptions {
  /** Answer with this HTTP status (429 adds Retry-After)... */
  status?: number;
  /** Seconds, for a 429's Retry-After header. */
  retryAfterSeconds?: number;
  /** ...or with { ok: false, error } (e.g. not_in_channel). */
  error?: string;
  /** Calls to catch; default until cleared. */
  times?: number;
  /** Holds each caught call open until this settles (then answers as above, or normally). */
  hold?: Promise<void>;
  /** Do the work first, then answer with the fault: Slack did it but its answer is lost. */
  afterHandling?: boolean;
}

interface Fault extends FaultOptions {
  method: string;
}

/** A finished upload shared into a thread (files.completeUploadExternal), as conversations.replies lists it. */
export interface ThreadFile {
  channel: string;
  threadTs: string;
  ts: string;
  fileId: string;
  name: string;
}

export class FakeSlackApi {
  readonly calls: RecordedCall[] = [];
  /** Bytes posted to upload URLs, by file id. */
  readonly uploads = new Map<string, RecordedUpload>();
  readonly files = new Map<string, FakeFile>();
  /** Each user's language as users.info tells it with include_locale (default en-US), by user id. */
  readonly userLocales = new Map<string, string>();
  /** Channels where chat.postMessage and chat.postEphemeral answer not_in_channel and conversations.info is_member false. */
  readonly channelsWithoutBot = new Set<string>();
  /** Users users.info calls workspace admins. */
  readonly admins = new Set<string>();
  /** Calls refused for going past Slack's documented limits (limits.ts), each with its problems. */
  readonly refusedForLimits: Array<{ method: string; problems: string[] }> = [];
  /** What apps.connections.open answers (Socket Mode): the fake Socket Mode server's ws:// URL. */
  socketUrl: string | undefined;
  /** Methods answered with HTTP 429 until cleared: the fault's clear function, by method. */
  private readonly rateLimited = new Map<string, () => void>();
  /** Files shared into threads, in order. */
  readonly threadFiles: ThreadFile[] = [];
  private readonly faults = new FaultList<Fault>();
  /** File names given to files.getUploadURLExternal, by file id. */
  private readonly uploadNames = new Map<string, string>();
  private tsCounter = 0;
  private fileCounter = 0;

  private readonly server: Server;
  port = 0;

  private constructor(private readonly clock: (() => number) | undefined) {
    this.server = localServer((req, res) => {
      void this.handle(req, res).catch((error: unknown) => {
        res.writeHead(500).end(String(error));
      });
    });
  }

  /** `clock`: the test's clock, to stamp calls with (clockAt) besides the real time. */
  static async start(clock?: () => number): Promise<FakeSlackApi> {
    const api = new FakeSlackApi(clock);
    api.port = await listenLocal(api.server);
    return api;
  }

  /** The slackApiUrl to give the WebClient. */
  get url(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  /** Where the slash commands the tests send point their response_url (recorded as 'response_url' calls). */
  get responseUrlBase(): string {
    return `http://127.0.0.1:${this.port}/response`;
  }

  addFile(file: FakeFile): void {
    this.files.set(file.id, file);
  }

  /** The next call of `method` answers { ok: false, error }. */
  failNext(method: string, error: string): void {
    this.fault(method, { error, times: 1 });
  }

  /**
   * Calls of `method` misbehave as `options` say, `times` times or until the returned function clears the
   * fault; `caught()` counts the calls it caught (a held call counts as soon as it arrives).
   */
  fault(method: string, options: FaultOptions): FaultHandle {
    return this.faults.add({ ...options, method }, options);
  }

  /** Every call of `method` answers HTTP 429 with Retry-After (the workspace is over its budget); 0 clears it. */
  rateLimit(method: string, retryAfterSeconds: number): void {
    this.rateLimited.get(method)?.();
    this.rateLimited.delete(method);
    if (retryAfterSeconds > 0) this.rateLimited.set(method, this.fault(method, { status: 429, retryAfterSeconds }).clear);
  }

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  async waitForCall(method: string, match: (args: Args) => boolean = () => true, timeoutMs = 30_000): Promise<RecordedCall> {
    return waitFor(() => this.callsTo(method).find((call) => match(call.args)), timeoutMs, `a ${method} call`);
  }

  async close(): Promise<void> {
    await closeServer(this.server);
  }

  private nextTs(): string {
    this.tsCounter += 1;
    return `1700000000.${String(this.tsCounter).padStart(6, '0')}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const body = await readBody(req);
    if (url.pathname.startsWith('/upload/')) {
      await this.receiveUpload(url.pathname.slice('/upload/'.length), req, body, res);
      return;
    }
    if (url.pathname.startsWith('/response/')) {
      // A slash command's response_url: what the app answers the command with after its ack.
      const call: RecordedCall = { method: 'response_url', args: parseArgs(req.headers['content-type'] ?? '', body), authorization: req.headers.authorization, at: Date.now(), reply: { ok: true } };
      if (this.clock) call.clockAt = this.clock();
      this.calls.push(call);
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      return;
    }
    const method = url.pathname.replace(/^\/api\//, '');
    const args = parseArgs(req.headers['content-type'] ?? '', body);
    const call: RecordedCall = { method, args, authorization: req.headers.authorization, at: Date.now() };
    if (this.clock) call.clockAt = this.clock();
    this.calls.push(call);
    const fault = await this.faults.catch((f) => f.method === method);
    const faulty = fault !== undefined && (fault.status !== undefined || fault.error !== undefined);
    const reply = faulty && !fault.afterHandling ? undefined : this.answer(method, args);
    if (faulty && fault.status !== undefined) {
      const headers: Record<string, string> = fault.status === 429 ? { 'retry-after': String(fault.retryAfterSeconds ?? 1) } : {};
      res.writeHead(fault.status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify({ ok: false, error: 'injected' }));
      return;
    }
    const answer = faulty ? { ok: false, error: fault.error } : reply;
    call.reply = answer;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
  }

  private answer(method: string, args: Args): Args {
    const refused = LIMITED[method]?.(args);
    if (refused) {
      this.refusedForLimits.push({ method, problems: refused.problems });
      return { ok: false, error: refused.error };
    }
    const handlers: Record<string, Handler> = {
      'auth.test': () => ({ ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1', user: 'stylize' }),
      'apps.connections.open': () => (this.socketUrl ? { ok: true, url: this.socketUrl } : { ok: false, error: 'not_allowed_token_type' }),
      'views.open': () => ({ ok: true, view: { id: `V${this.nextTs()}` } }),
      'views.update': () => ({ ok: true }),
      'chat.postMessage': (a) =>
        this.channelsWithoutBot.has(String(a.channel))
          ? { ok: false, error: 'not_in_channel' }
          : { ok: true, channel: a.channel, ts: this.nextTs(), message: { text: a.text } },
      'conversations.info': (a) => {
        const channel = String(a.channel);
        return { ok: true, channel: { id: channel, is_member: !this.channelsWithoutBot.has(channel), is_im: channel.startsWith('D') } };
      },
      'chat.update': (a) => ({ ok: true, channel: a.channel, ts: a.ts }),
      'chat.delete': (a) => ({ ok: true, channel: a.channel, ts: a.ts }),
      // As Slack answers where the bot is not a member: the adapter then writes to the user's DM.
      'chat.postEphemeral': (a) => (this.channelsWithoutBot.has(String(a.channel)) ? { ok: false, error: 'not_in_channel' } : { ok: true, message_ts: this.nextTs() }),
      'files.info': (a) => {
        const file = this.files.get(String(a.file));
        return file ? { ok: true, file } : { ok: false, error: 'file_not_found' };
      },
      'files.getUploadURLExternal': (a) => {
        this.fileCounter += 1;
        const fileId = `FUP${this.fileCounter}`;
        this.uploadNames.set(fileId, String(a.filename ?? ''));
        return { ok: true, file_id: fileId, upload_url: `http://127.0.0.1:${this.port}/upload/${fileId}` };
      },
      'files.completeUploadExternal': (a) => {
        const files = (Array.isArray(a.files) ? a.files : []).map((file: unknown) => ({ ...(file as Args) }));
        if (typeof a.channel_id === 'string' && typeof a.thread_ts === 'string') {
          for (const file of files) {
            const fileId = String(file.id);
            this.threadFiles.push({ channel: a.channel_id, threadTs: a.thread_ts, ts: this.nextTs(), fileId, name: this.uploadNames.get(fileId) ?? '' });
          }
        }
        return { ok: true, files };
      },
      'users.info': (a) => {
        const id = String(a.user);
        const withLocale = a.include_locale === true || a.include_locale === 'true';
        return {
          ok: true,
          user: { id, name: id.toLowerCase(), team_id: 'T1', is_admin: this.admins.has(id), is_owner: false, ...(withLocale ? { locale: this.userLocales.get(id) ?? 'en-US' } : {}) },
        };
      },
      'files.delete': (a) => {
        const index = this.threadFiles.findIndex((file) => file.fileId === a.file);
        if (index < 0) return { ok: false, error: 'file_not_found' };
        this.threadFiles.splice(index, 1);
        return { ok: true };
      },
      'conversations.replies': (a) => ({
        ok: true,
        messages: this.threadFiles
          .filter((file) => file.channel === a.channel && file.threadTs === a.ts)
          .map((file) => ({ type: 'message', ts: file.ts, thread_ts: file.threadTs, files: [{ id: file.fileId, name: file.name }] })),
      }),
    };
    const handler = handlers[method];
    return handler ? handler(args) : { ok: false, error: 'unknown_method' };
  }

  private async receiveUpload(fileId: string, req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<void> {
    const contentType = req.headers['content-type'] ?? 'application/octet-stream';
    let bytes = body;
    let filename = '';
    if (contentType.startsWith('multipart/form-data')) {
      // The WebClient posts the bytes as one multipart file field; let the platform's parser read it.
      const form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
      for (const value of form.values()) {
        if (typeof value !== 'string') {
          bytes = Buffer.from(await value.arrayBuffer());
          filename = value.name;
        }
      }
    }
    this.uploads.set(fileId, { fileId, filename, length: bytes.length, bytes, at: Date.now() });
    res.writeHead(200, { 'content-type': 'text/plain' }).end(`OK - ${bytes.length}`);
  }
}

/** Form-encoded (nested fields as JSON strings) or JSON bodies, as the WebClient sends them. */
/** The methods whose payloads Slack checks against its limits, and how. */
const LIMITED: Readonly<Record<string, (args: Args) => ReturnType<typeof messageError>>> = {
  'chat.postMessage': messageError,
  'chat.update': messageError,
  'chat.postEphemeral': messageError,
  'views.open': viewError,
  'views.update': viewError,
  'views.push': viewError,
};

function parseArgs(contentType: string, body: Buffer): Args {
  if (contentType.includes('application/json')) return JSON.parse(body.toString('utf8') || '{}') as Args;
  const args: Args = {};
  for (const [key, value] of new URLSearchParams(body.toString('utf8'))) {
    args[key] = /^[[{]/.test(value) ? tryJson(value) : value;
  }
  return args;
}

function tryJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
