// A small fake Discord on 127.0.0.1 for driving the real discord.js client: the REST API the bot uses
// (interaction callbacks, webhook edits and follow-ups, channel messages, threads, command registration),
// recording every call, and a gateway WebSocket (HELLO, IDENTIFY, READY, GUILD_CREATE, heartbeats, dispatches).
// Tests inject failures (expired tokens, deleted messages, 429s) and read back what the bot did.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { closeServer, listenLocal, localServer, readBody } from '../fixtures/local-http.js';
import { FaultList, type FaultHandle } from '../fixtures/faults.js';
import type { HostedFile } from './attachment-host.js';
import {
  buttonInteraction,
  commandInteraction,
  dmChannel,
  guildCreate,
  interactionAttachment,
  makeUser,
  messageCommandInteraction,
  messageJson,
  selectInteraction,
  textChannel,
  threadChannel,
} from './payloads.js';
import type { FakeUser, InteractionBase, Json, StoredAttachment, StoredMessage } from './payloads.js';
import { commandProblems, invalidFormBody, messageProblems, threadProblems } from './limits.js';
import { randomToken, snowflake } from './snowflake.js';
import { waitFor } from '../fixtures/wait-for.js';

export interface RecordedFile {
  field: string;
  name: string;
  contentType: string;
  data: Buffer;
}

export interface RecordedCall {
  method: string;
  /** Path after /api/v10, URL-decoded (`@original`, not `%40original`). */
  path: string;
  body: Json | unknown[] | undefined;
  files: RecordedFile[];
  at: number;
  /** When it came on the test's clock, where the fake was given one (FakeDiscordOptions.clock). */
  clockAt?: number;
  status: number;
}

/** Which requests a fault catches. */
export interface RouteMatch {
  method?: string;
  path: RegExp;
  /** Only requests that upload a file with a matching name (a result, not a status message). */
  file?: RegExp;
}

/** How the fake misbehaves on matching requests (see fault()). */
export interface FaultOptions {
  /** Answer with this HTTP status (429 adds Retry-After); without it the request is answered normally. */
  status?: number;
  /** Seconds, for a 429's Retry-After header and body. */
  retryAfterSeconds?: number;
  /** Discord's JSON error code for the answer (e.g. 50013 Missing Permissions). */
  code?: number;
  message?: string;
  /** Requests to catch; default until cleared. */
  times?: number;
  /** Holds each caught request open until this settles (then answers as above). */
  hold?: Promise<void>;
  /** Do the work first, then answer with `status`: the platform made the message but its answer is lost. */
  afterHandling?: boolean;
}

type Fault = RouteMatch & FaultOptions;

interface InteractionRecord {
  id: string;
  token: string;
  channelId: string;
  dispatchedAt: number;
  ackedAt?: number;
  /** The message @original refers to (the reply, or for buttons the message the button is on). */
  originalId?: string;
  expired: boolean;
}

export interface FakeDiscordOptions {
  heartbeatIntervalMs?: number;
  attachmentSizeLimit?: number;
  /** The test's clock: calls are stamped with it too (clockAt), to check gaps measured on that clock. */
  clock?: () => number;
  /** How long after its dispatch an interaction may still be acknowledged; Discord's 3 s by default. */
  ackWindowMs?: number;
}

export interface AttachmentOption {
  file: HostedFile;
  /** Overrides what the interaction declares (e.g. a huge size or another content type). */
  size?: number;
  contentType?: string | null;
}

export interface StylizeCommandInput {
  user: FakeUser;
  /** Optional: `photoUrl` may give the photo instead (or as well, to test the refusal). */
  content?: AttachmentOption;
  photoUrl?: string;
  /** Optional: `styleUrl` or `libraryStyle` may name the style instead (or as well, to test the refusal). */
  style?: AttachmentOption;
  styleUrl?: string;
  libraryStyle?: string;
  /** A second style to blend in (any of the three, or several to test the refusal), its share and the brush size. */
  style2?: AttachmentOption;
  style2Url?: string;
  libraryStyle2?: string;
  blend?: number;
  brushSize?: string;
  /** The painting time, in minutes (issue 21). */
  paintingTime?: number;
  preset?: string;
  size?: number;
  seed?: number;
  keepColours?: boolean;
  spoiler?: boolean;
  channelId?: string;
  /** The bot's permissions in the channel (app_permissions), as a decimal bit field string; default all. */
  appPermissions?: string;
  /** The member's permissions (a bitfield as a string); default a member's, neither moderator nor admin. */
  permissions?: string;
  /** Used in the user's DM with the bot instead of a server channel. */
  dm?: boolean;
}

/** Any other slash command: its name and options as Discord sends them (subcommands as type 1 options). */
export interface CommandInput {
  user: FakeUser;
  name: string;
  /** None for a command without options (/stylize-help, /stylize-jobs). */
  options?: Json[];
  channelId?: string;
  permissions?: string;
  /** The bot's permissions in the channel (app_permissions); default all. */
  appPermissions?: string;
}

const API_PREFIX = '/api/v10';

export class FakeDiscord {
  readonly calls: RecordedCall[] = [];
  readonly heartbeats: number[] = [];
  readonly identifies: Json[] = [];
  readonly bot: FakeUser = makeUser('stylize-bot', true);
  readonly applicationId = snowflake();
  readonly guildId = snowflake();
  readonly channelId = snowflake();
  readonly token = `fake-${randomToken()}`;
  readonly messages = new Map<string, StoredMessage>();
  readonly channels = new Map<string, Json>();
  readonly interactions = new Map<string, InteractionRecord>();
  readonly unknownRoutes: string[] = [];
  /** Requests refused for going past Discord's documented limits (limits.ts), each with its problems. */
  readonly refusedForLimits: Array<{ method: string; path: string; problems: string[] }> = [];
  private readonly userLocales = new Map<string, string>();
  /** The bot's DM channel with each user, by user id. */
  private readonly dmChannels = new Map<string, string>();
  private readonly faults = new FaultList<Fault>();
  private readonly server: Server;
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sockets = new Set<WebSocket>();
  private readonly heartbeatIntervalMs: number;
  private readonly attachmentSizeLimit: number;
  private readonly clock: (() => number) | undefined;
  private port = 0;
  private sequence = 0;
  private readonly ackWindowMs: number;

  constructor(options: FakeDiscordOptions = {}) {
    this.heartbeatIntervalMs = options.heartbeatIntervalMs ?? 1000;
    this.attachmentSizeLimit = options.attachmentSizeLimit ?? 10 * 1024 * 1024;
    this.clock = options.clock;
    this.ackWindowMs = options.ackWindowMs ?? 3000;
    this.channels.set(this.channelId, textChannel(this.channelId, this.guildId, 'general'));
    this.server = localServer((req, res) => void this.handle(req, res));
    this.server.on('upgrade', (req, socket, head) => {
      this.wss.handleUpgrade(req, socket, head, (ws) => this.onGateway(ws));
    });
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    this.port = await listenLocal(this.server);
    return this;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    this.wss.close();
    await closeServer(this.server);
  }

  // ---- driving the bot -------------------------------------------------------------------------

  /** A user; `locale` is their client's language, sent with each of their interactions (default en-US). */
  makeUser(name: string, options: { locale?: string } = {}): FakeUser {
    const user = makeUser(name);
    if (options.locale !== undefined) this.userLocales.set(user.id, options.locale);
    return user;
  }

  /** Dispatches a /stylize INTERACTION_CREATE; returns the interaction's id and token. */
  sendStylize(input: StylizeCommandInput): InteractionRecord {
    const channel = input.dm ? this.dmChannelOf(input.user) : (this.channels.get(input.channelId ?? this.channelId) ?? textChannel(this.channelId, this.guildId, 'general'));
    const base = { ...this.interactionBase(input.user, channel, input.appPermissions), dm: input.dm === true, ...(input.permissions === undefined ? {} : { permissions: input.permissions }) };
    const attachments: Record<string, Json> = {};
    const options: Json[] = [];
    for (const [name, option] of [['content', input.content], ['style', input.style], ['style2', input.style2]] as const) {
      if (option === undefined) continue;
      const id = snowflake();
      const json = interactionAttachment(id, option.file);
      if (option.size !== undefined) json['size'] = option.size;
      if (option.contentType === null) delete json['content_type'];
      else if (option.contentType !== undefined) json['content_type'] = option.contentType;
      attachments[id] = json;
      options.push({ name, type: 11, value: id });
    }
    if (input.libraryStyle !== undefined) options.push({ name: 'library_style', type: 3, value: input.libraryStyle });
    if (input.preset !== undefined) options.push({ name: 'preset', type: 3, value: input.preset });
    if (input.size !== undefined) options.push({ name: 'size', type: 4, value: input.size });
    if (input.seed !== undefined) options.push({ name: 'seed', type: 4, value: input.seed });
    if (input.keepColours !== undefined) options.push({ name: 'keep_colours', type: 5, value: input.keepColours });
    if (input.spoiler !== undefined) options.push({ name: 'spoiler', type: 5, value: input.spoiler });
    if (input.photoUrl !== undefined) options.push({ name: 'photo_url', type: 3, value: input.photoUrl });
    if (input.styleUrl !== undefined) options.push({ name: 'style_url', type: 3, value: input.styleUrl });
    if (input.style2Url !== undefined) options.push({ name: 'style2_url', type: 3, value: input.style2Url });
    if (input.libraryStyle2 !== undefined) options.push({ name: 'library_style2', type: 3, value: input.libraryStyle2 });
    if (input.blend !== undefined) options.push({ name: 'blend', type: 4, value: input.blend });
    if (input.brushSize !== undefined) options.push({ name: 'brush_size', type: 3, value: input.brushSize });
    if (input.paintingTime !== undefined) options.push({ name: 'painting_time', type: 4, value: input.paintingTime });
    return this.dispatchInteraction(base, commandInteraction(base, 'stylize', options, attachments));
  }

  /** A user posts a message with these files attached (as hosted on an attachment host). */
  postUserMessage(user: FakeUser, files: HostedFile[], channelId = this.channelId): StoredMessage {
    const message: StoredMessage = {
      id: snowflake(),
      channel_id: channelId,
      guild_id: this.guildId,
      author: user,
      content: '',
      components: [],
      attachments: files.map((file) => ({ id: snowflake(), filename: file.filename, size: file.size, content_type: file.contentType, url: file.url, proxy_url: file.url })),
      flags: 0,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      deleted: false,
      hasThread: false,
    };
    this.messages.set(message.id, message);
    return message;
  }

  /** Dispatches the message command `name` (Apps → name) on a stored message. */
  sendMessageCommand(user: FakeUser, messageId: string, name: string, options: { appPermissions?: string } = {}): InteractionRecord {
    const message = this.messages.get(messageId);
    if (!message) throw new Error(`no message ${messageId}`);
    const base = this.interactionBase(user, this.channelOf(message.channel_id), options.appPermissions);
    return this.dispatchInteraction(base, messageCommandInteraction(base, name, messageJson(message)));
  }

  /** Dispatches a choice in a select menu of a stored message. */
  select(user: FakeUser, messageId: string, customId: string, values: string[]): InteractionRecord {
    const message = this.messages.get(messageId);
    if (!message) throw new Error(`no message ${messageId}`);
    const base = this.interactionBase(user, this.channelOf(message.channel_id));
    const record = this.dispatchInteraction(base, selectInteraction(base, customId, values, messageJson(message)));
    record.originalId = messageId;
    return record;
  }

  /** Dispatches another slash command (/stylize-help, /stylize-admin...); channel options resolve to the fake's channels. */
  sendCommand(input: CommandInput): InteractionRecord {
    const channel = this.channels.get(input.channelId ?? this.channelId) ?? textChannel(this.channelId, this.guildId, 'general');
    const base = { ...this.interactionBase(input.user, channel, input.appPermissions), ...(input.permissions === undefined ? {} : { permissions: input.permissions }) };
    const options = input.options ?? [];
    const channels: Record<string, Json> = {};
    const resolve = (options: Json[]) => {
      for (const option of options) {
        if (option['type'] === 7) channels[String(option['value'])] = this.channels.get(String(option['value'])) ?? {};
        if (Array.isArray(option['options'])) resolve(option['options'] as Json[]);
      }
    };
    resolve(options);
    return this.dispatchInteraction(base, commandInteraction(base, input.name, options, {}, channels));
  }

  /** Adds a text channel to the guild (before the bot connects, or it will not know it). */
  addTextChannel(name: string): string {
    const id = snowflake();
    this.channels.set(id, textChannel(id, this.guildId, name));
    return id;
  }

  /** The bot's DM channel with a user, made on first use. */
  dmChannelOf(user: FakeUser): Json {
    let id = this.dmChannels.get(user.id);
    if (id === undefined) {
      id = snowflake();
      this.dmChannels.set(user.id, id);
      this.channels.set(id, dmChannel(id, user));
    }
    return this.channels.get(id) ?? {};
  }

  /** Dispatches a button click on a stored message; `permissions`: the member's (default: no moderator). */
  clickButton(user: FakeUser, messageId: string, customId: string, permissions?: string): InteractionRecord {
    const message = this.messages.get(messageId);
    if (!message) throw new Error(`no message ${messageId}`);
    const channel = this.channels.get(message.channel_id);
    if (!channel) throw new Error(`no channel ${message.channel_id}`);
    const base = { ...this.interactionBase(user, channel), ...(permissions === undefined ? {} : { permissions }) };
    const record = this.dispatchInteraction(base, buttonInteraction(base, customId, messageJson(message)));
    record.originalId = messageId;
    return record;
  }

  /** Every custom id of the buttons and select menus on a message. */
  buttonIds(messageId: string): string[] {
    const message = this.messages.get(messageId);
    const rows = (message?.components ?? []) as Array<{ components?: Array<{ custom_id?: string }> }>;
    return rows.flatMap((row) => (row.components ?? []).map((button) => button.custom_id ?? '')).filter((id) => id !== '');
  }

  // ---- failures --------------------------------------------------------------------------------

  /** The next `times` requests matching answer with a Discord error. */
  failNext(match: RouteMatch, status: number, code: number, message: string, times = 1): void {
    this.fault(match, { status, code, message, times });
  }

  /** The next matching request gets a 429 with a retry-after. */
  rateLimitNext(match: RouteMatch, retryAfterSeconds: number): void {
    this.fault(match, { status: 429, retryAfterSeconds, times: 1 });
  }

  /**
   * Matching requests misbehave as `options` say, `times` times or until the returned function clears the
   * fault; `caught()` counts the requests it caught (a held request counts as soon as it arrives).
   */
  fault(match: RouteMatch, options: FaultOptions): FaultHandle {
    return this.faults.add({ ...match, ...options }, options);
  }

  /** The interaction's token stops working, as it does 15 minutes after the interaction. */
  expireToken(interactionId: string): void {
    const record = this.interactions.get(interactionId);
    if (record) record.expired = true;
  }

  /** A user deletes a message. */
  deleteMessage(messageId: string): void {
    const message = this.messages.get(messageId);
    if (message) message.deleted = true;
  }

  // ---- reading what the bot did ------------------------------------------------------------------

  callsTo(method: string, path: RegExp): RecordedCall[] {
    return this.calls.filter((call) => call.method === method && path.test(call.path));
  }

  /** Messages (not deleted) in a channel or thread, oldest first. */
  messagesIn(channelId: string): StoredMessage[] {
    return [...this.messages.values()].filter((message) => message.channel_id === channelId && !message.deleted);
  }

  threads(): Json[] {
    return [...this.channels.values()].filter((channel) => channel['type'] === 11);
  }

  waitFor<T>(probe: () => T | undefined | false, timeoutMs = 20_000, what = 'condition'): Promise<T> {
    return waitFor(probe, timeoutMs, what);
  }

  // ---- gateway ---------------------------------------------------------------------------------

  dispatch(event: string, data: Json): void {
    this.sequence += 1;
    const frame = JSON.stringify({ op: 0, t: event, s: this.sequence, d: data });
    for (const socket of this.sockets) socket.send(frame);
  }

  /** Closes every gateway connection with `code` (4004, authentication failed, is one discord.js does not retry). */
  closeGateway(code: number): void {
    for (const socket of this.sockets) socket.close(code, 'closed by the fake Discord');
  }

  private onGateway(ws: WebSocket): void {
    this.sockets.add(ws);
    ws.on('close', () => this.sockets.delete(ws));
    ws.send(JSON.stringify({ op: 10, d: { heartbeat_interval: this.heartbeatIntervalMs } }));
    ws.on('message', (raw) => {
      const frame = JSON.parse(String(raw)) as { op: number; d: Json | null };
      if (frame.op === 1) {
        this.heartbeats.push(Date.now());
        ws.send(JSON.stringify({ op: 11 }));
      } else if (frame.op === 2) {
        this.identifies.push(frame.d ?? {});
        if (frame.d?.['token'] !== this.token) {
          ws.close(4004, 'Authentication failed.');
          return;
        }
        this.sequence += 1;
        ws.send(
          JSON.stringify({
            op: 0,
            t: 'READY',
            s: this.sequence,
            d: {
              v: 10,
              user: this.bot,
              guilds: [{ id: this.guildId, unavailable: true }],
              session_id: randomToken(),
              resume_gateway_url: this.gatewayUrl,
              shard: [0, 1],
              application: { id: this.applicationId, flags: 0 },
              private_channels: [],
            },
          }),
        );
        const channels = [...this.channels.values()].filter((channel) => channel['type'] === 0);
        this.sequence += 1;
        ws.send(JSON.stringify({ op: 0, t: 'GUILD_CREATE', s: this.sequence, d: guildCreate(this.guildId, this.bot.id, channels) }));
      } else if (frame.op === 6) {
        ws.send(JSON.stringify({ op: 9, d: false })); // no resuming: start a new session
      }
    });
  }

  private channelOf(channelId: string): Json {
    const channel = this.channels.get(channelId);
    if (!channel) throw new Error(`no channel ${channelId}`);
    return channel;
  }

  private interactionBase(user: FakeUser, channel: Json, appPermissions?: string): InteractionBase {
    return {
      ...(appPermissions !== undefined ? { appPermissions } : {}),
      id: snowflake(),
      token: `interaction-${randomToken()}`,
      applicationId: this.applicationId,
      guildId: this.guildId,
      channel,
      user,
      locale: this.userLocales.get(user.id) ?? 'en-US',
      attachmentSizeLimit: this.attachmentSizeLimit,
    };
  }

  private dispatchInteraction(base: InteractionBase, payload: Json): InteractionRecord {
    const record: InteractionRecord = { id: base.id, token: base.token, channelId: String(base.channel['id']), dispatchedAt: Date.now(), expired: false };
    this.interactions.set(base.id, record);
    this.dispatch('INTERACTION_CREATE', payload);
    return record;
  }

  // ---- REST ------------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const path = decodeURIComponent(url.pathname.startsWith(API_PREFIX) ? url.pathname.slice(API_PREFIX.length) : url.pathname);
    const { body, files } = await parseBody(req.headers['content-type'] ?? '', raw);
    const call: RecordedCall = { method, path, body, files, at: Date.now(), status: 0 };
    if (this.clock) call.clockAt = this.clock();
    this.calls.push(call);
    const send = (status: number, json?: unknown, headers: Record<string, string> = {}) => {
      call.status = status;
      if (json === undefined) res.writeHead(status, headers).end();
      else res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(json));
    };
    const fault = await this.faults.catch(
      (f) => (f.method === undefined || f.method === method) && f.path.test(path) && (f.file === undefined || files.some((file) => f.file?.test(file.name))),
    );
    const answer = fault?.status === undefined ? undefined : faultAnswer(fault.status, fault);
    if (answer && !fault?.afterHandling) {
      send(...answer);
      return;
    }
    try {
      const [status, json] = this.route(method, path, body as Json | undefined, files);
      if (answer) send(...answer);
      else send(status, json);
    } catch (error) {
      send(500, { code: 0, message: String(error) });
    }
  }

  private route(method: string, path: string, body: Json | undefined, files: RecordedFile[]): [number, unknown?] {
    const parts = path.split('/').filter((part) => part !== '');
    const notFound: [number, unknown] = [404, { code: 0, message: '404: Not Found' }];
    const problems = this.limitProblems(method, parts, body);
    if (problems.length > 0) {
      this.refusedForLimits.push({ method, path, problems });
      return invalidFormBody(problems);
    }
    const unknownMessage: [number, unknown] = [404, { code: 10008, message: 'Unknown Message' }];
    if (method === 'GET' && (path === '/gateway/bot' || path === '/gateway')) {
      return [200, { url: this.gatewayUrl, shards: 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 } }];
    }
    // POST /interactions/:id/:token/callback
    if (parts[0] === 'interactions' && parts[3] === 'callback' && method === 'POST') {
      const record = this.interactions.get(parts[1] ?? '');
      if (!record || record.token !== parts[2]) return [404, { code: 10062, message: 'Unknown interaction' }];
      if (record.ackedAt !== undefined) return [400, { code: 40060, message: 'Interaction has already been acknowledged.' }];
      if (Date.now() - record.dispatchedAt > this.ackWindowMs) return [404, { code: 10062, message: 'Unknown interaction' }];
      record.ackedAt = Date.now();
      const type = Number(body?.['type']);
      const data = (body?.['data'] ?? {}) as Json;
      if (type === 4 || type === 5) {
        const message = this.createMessage(record.channelId, data, files);
        record.originalId = message.id;
      } else if ((type === 7) && record.originalId) {
        this.editMessage(record.originalId, data, files);
      }
      return [204];
    }
    // /webhooks/:app/:token[/messages/:id]
    if (parts[0] === 'webhooks' && parts[1] === this.applicationId) {
      const record = [...this.interactions.values()].find((candidate) => candidate.token === parts[2]);
      if (!record) return [404, { code: 10015, message: 'Unknown Webhook' }];
      if (record.expired) return [401, { code: 50027, message: 'Invalid Webhook Token' }];
      if (parts.length === 3 && method === 'POST') return [200, messageJson(this.createMessage(record.channelId, body ?? {}, files))];
      if (parts[3] === 'messages' && parts[4]) {
        const id = parts[4] === '@original' ? record.originalId : parts[4];
        const message = id ? this.messages.get(id) : undefined;
        if (!message || message.deleted) return unknownMessage;
        if (method === 'GET') return [200, messageJson(message)];
        if (method === 'PATCH') return [200, messageJson(this.editMessage(message.id, body ?? {}, files))];
        if (method === 'DELETE') {
          message.deleted = true;
          return [204];
        }
      }
      return notFound;
    }
    if (parts[0] === 'channels' && parts[1]) {
      const channel = this.channels.get(parts[1]);
      if (!channel) return [404, { code: 10003, message: 'Unknown Channel' }];
      if (parts.length === 2 && method === 'GET') return [200, channel];
      if (parts[2] === 'messages' && parts.length === 3 && method === 'POST') {
        const nonce = body?.['enforce_nonce'] === true && typeof body['nonce'] === 'string' ? body['nonce'] : undefined;
        const earlier = nonce === undefined ? undefined : this.messagesIn(parts[1]).find((message) => message.nonce === nonce);
        if (earlier) return [200, messageJson(earlier)];
        const message = this.createMessage(parts[1], body ?? {}, files);
        if (nonce !== undefined) message.nonce = nonce;
        return [200, messageJson(message)];
      }
      if (parts[2] === 'messages' && parts.length === 3 && method === 'GET') {
        // Newest first, as Discord lists them (the query's limit is all the bot uses).
        return [200, this.messagesIn(parts[1]).reverse().slice(0, 50).map(messageJson)];
      }
      if (parts[2] === 'messages' && parts[3]) {
        const message = this.messages.get(parts[3]);
        if (!message || message.deleted || message.channel_id !== parts[1]) return unknownMessage;
        if (parts[4] === 'threads' && method === 'POST') {
          if (message.hasThread) return [400, { code: 160004, message: 'A thread has already been created for this message' }];
          message.hasThread = true;
          const thread = threadChannel(message.id, this.guildId, parts[1], this.bot.id, String(body?.['name'] ?? ''), Number(body?.['auto_archive_duration'] ?? 1440));
          this.channels.set(message.id, thread);
          return [201, thread];
        }
        if (parts.length === 4 && method === 'GET') return [200, messageJson(message)];
        if (parts.length === 4 && method === 'PATCH') return [200, messageJson(this.editMessage(message.id, body ?? {}, files))];
        if (parts.length === 4 && method === 'DELETE') {
          message.deleted = true;
          return [204];
        }
      }
      return notFound;
    }
    if (parts[0] === 'users' && parts[1] === '@me' && parts[2] === 'channels' && method === 'POST') {
      const recipient = String(body?.['recipient_id'] ?? '');
      const known = this.dmChannels.get(recipient);
      if (known === undefined) return [400, { code: 50007, message: 'Cannot send messages to this user' }];
      return [200, this.channels.get(known)];
    }
    if (parts[0] === 'applications' && parts[1] === this.applicationId && method === 'PUT') {
      const commands = Array.isArray(body) ? (body as Json[]) : [];
      return [200, commands.map((command) => ({ ...command, id: snowflake(), application_id: this.applicationId, version: snowflake() }))];
    }
    this.unknownRoutes.push(`${method} ${path}`);
    return notFound;
  }

  /** What Discord would refuse in this request's body as past its limits (none: it goes on). */
  private limitProblems(method: string, parts: string[], body: Json | unknown[] | undefined): string[] {
    if (body === undefined) return [];
    if (Array.isArray(body)) return parts[0] === 'applications' && method === 'PUT' ? commandProblems(body as Json[]) : [];
    if (parts[0] === 'interactions' && parts[3] === 'callback') return [4, 7].includes(Number(body['type'])) ? messageProblems((body['data'] ?? {}) as Json) : [];
    if (parts.at(-1) === 'threads' && method === 'POST') return threadProblems(body);
    const messageRoute = parts[0] === 'webhooks' || (parts[0] === 'channels' && parts[2] === 'messages');
    return messageRoute && (method === 'POST' || method === 'PATCH') ? messageProblems(body) : [];
  }

  private createMessage(channelId: string, data: Json, files: RecordedFile[]): StoredMessage {
    const channel = this.channels.get(channelId);
    const message: StoredMessage = {
      id: snowflake(),
      channel_id: channelId,
      guild_id: this.guildId,
      author: this.bot,
      content: typeof data['content'] === 'string' ? data['content'] : '',
      components: Array.isArray(data['components']) ? data['components'] : [],
      attachments: this.newAttachments(channelId, data, files, []),
      flags: Number(data['flags'] ?? 0),
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      deleted: false,
      hasThread: false,
    };
    if (channel) this.messages.set(message.id, message);
    return message;
  }

  private editMessage(id: string, data: Json, files: RecordedFile[]): StoredMessage {
    const message = this.messages.get(id);
    if (!message) throw new Error(`no message ${id}`);
    if (typeof data['content'] === 'string') message.content = data['content'];
    if (Array.isArray(data['components'])) message.components = data['components'];
    if (Array.isArray(data['attachments']) || files.length > 0) message.attachments = this.newAttachments(message.channel_id, data, files, message.attachments);
    message.edited_timestamp = new Date().toISOString();
    return message;
  }

  /**
   * Discord's rule: `attachments` lists what the message keeps (existing ids) and describes new uploads
   * (ids "0", "1"... matching files[N]); uploads not described are still added.
   */
  private newAttachments(channelId: string, data: Json, files: RecordedFile[], existing: StoredAttachment[]): StoredAttachment[] {
    const listed = Array.isArray(data['attachments']) ? (data['attachments'] as Json[]) : undefined;
    const kept = listed ? existing.filter((attachment) => listed.some((entry) => String(entry['id']) === attachment.id)) : existing;
    const uploaded = files.map((file) => {
      const id = snowflake();
      const url = `https://cdn.invalid/attachments/${channelId}/${id}/${file.name}`;
      return { id, filename: file.name, size: file.data.length, content_type: file.contentType, url, proxy_url: url, data: file.data };
    });
    return [...kept, ...uploaded];
  }
}

/** A fault's answer: [status, body, headers]. */
function faultAnswer(status: number, fault: FaultOptions): [number, Json, Record<string, string>] {
  if (status === 429) {
    const retryAfter = fault.retryAfterSeconds ?? 1;
    return [429, { message: 'You are being rate limited.', retry_after: retryAfter, global: false, code: 0 }, { 'retry-after': String(retryAfter), 'x-ratelimit-scope': 'user' }];
  }
  return [status, { code: fault.code ?? 0, message: fault.message ?? `${status}: injected fault` }, {}];
}

async function parseBody(contentType: string, raw: Buffer): Promise<{ body: Json | unknown[] | undefined; files: RecordedFile[] }> {
  if (raw.length === 0) return { body: undefined, files: [] };
  if (contentType.startsWith('application/json')) return { body: JSON.parse(raw.toString('utf8')) as Json, files: [] };
  if (contentType.startsWith('multipart/form-data')) {
    const form = await new Request('http://127.0.0.1/', { method: 'POST', headers: { 'content-type': contentType }, body: raw }).formData();
    const files: RecordedFile[] = [];
    let body: Json | undefined;
    for (const [field, value] of form.entries()) {
      if (field === 'payload_json' && typeof value === 'string') body = JSON.parse(value) as Json;
      else if (typeof value !== 'string') files.push({ field, name: value.name, contentType: value.type, data: Buffer.from(await value.arrayBuffer()) });
    }
    return { body, files };
  }
  return { body: undefined, files: [] };
}
