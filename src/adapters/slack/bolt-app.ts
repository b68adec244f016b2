// The Bolt App for a SlackConfig: HTTP mode (Bolt's HTTPReceiver verifies every request's signature and
// refuses requests older than 5 minutes) or Socket Mode (an outgoing WebSocket with the app-level token).
import { App, HTTPReceiver, LogLevel, SocketModeReceiver, webApi } from '@slack/bolt';
import type { Logger as BoltLogger } from '@slack/bolt';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { ApiErrorListener, PlatformConnection } from '../types.js';
import { countingFetch } from './api-errors.js';
import type { SlackConfig } from './config.js';

export const EVENTS_PATH = '/slack/events';
/** WebSocket's readyState "OPEN" (the global WebSocket class is not there on every Node 20). */
const WEBSOCKET_OPEN = 1;

export interface BoltApp {
  app: App;
  /** A second Web API client on the same token, for work that may wait (edits, uploads); see JobMessages. */
  backgroundClient: webApi.WebClient;
  /**
   * A third, for opening forms and reading users' languages: the WebClient pauses all its calls on a 429,
   * and a form's trigger_id lasts 3 s, so no job post or note may ever hold these up.
   */
  formClient: webApi.WebClient;
  /** Starts receiving; in HTTP mode returns the address actually bound (port 0 picks a free one). */
  start(): Promise<AddressInfo | undefined>;
  stop(): Promise<void>;
  /** Whether Slack can reach the bot now: the socket is open, or the HTTP server is listening. */
  connection(): PlatformConnection;
}

export function createBoltApp(config: SlackConfig, log: Logger, onApiError?: ApiErrorListener): BoltApp {
  const logger = boltLogger(log);
  const clientOptions = webClientOptions(config, onApiError);
  const backgroundClient = new webApi.WebClient(config.botToken, { ...clientOptions, logger });
  const formClient = new webApi.WebClient(config.botToken, { ...clientOptions, logger });
  if (config.mode === 'socket') {
    if (!config.appToken) throw new Error('Slack Socket Mode needs the app-level token (SLACK_APP_TOKEN, starts with xapp-).');
    const receiver = new SocketModeReceiver({ appToken: config.appToken, logger, installerOptions: { clientOptions } });
    const app = new App({ token: config.botToken, receiver, logger, clientOptions });
    return {
      app,
      backgroundClient,
      formClient,
      async start() {
        await app.start();
        return undefined;
      },
      async stop() {
        await app.stop();
      },
      connection() {
        // The client reconnects by itself; between two sockets Slack cannot reach the bot.
        if (receiver.client.websocket?.readyState === WEBSOCKET_OPEN) return { connected: true, detail: 'Socket Mode connection open' };
        return { connected: false, detail: 'Socket Mode connection not open' };
      },
    };
  }
  let server: Server | undefined;
  const receiver = new HTTPReceiver({ signingSecret: config.signingSecret, endpoints: EVENTS_PATH, logger });
  const app = new App({ token: config.botToken, receiver, logger, clientOptions });
  return {
    app,
    backgroundClient,
    formClient,
    async start() {
      server = await app.start({ port: config.port, host: config.host });
      return server.address() as AddressInfo;
    },
    async stop() {
      await app.stop();
      server = undefined;
    },
    connection() {
      // Whether Slack's requests get through the proxy in front is not ours to see; the listening server is.
      const address = server?.listening ? server.address() : null;
      if (address && typeof address === 'object') return { connected: true, detail: `listening for Slack's requests on ${address.address}:${address.port}` };
      return { connected: false, detail: "not listening for Slack's requests" };
    },
  };
}

/**
 * The client that uploads results: it neither sleeps on a 429 nor repeats a failed call by itself, because
 * the queue retries deliveries on its clock, honouring Retry-After, and shows the user that it is retrying.
 */
export function createDeliveryClient(config: SlackConfig, log: Logger, onApiError?: ApiErrorListener): webApi.WebClient {
  return new webApi.WebClient(config.botToken, {
    ...webClientOptions(config, onApiError),
    logger: boltLogger(log),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });
}

/** What every Web API client of the bot shares: the API's address, and the counting of its errors. */
function webClientOptions(config: SlackConfig, onApiError: ApiErrorListener | undefined): webApi.WebClientOptions {
  return {
    ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}),
    ...(onApiError ? { fetch: countingFetch(onApiError) } : {}),
  };
}

/**
 * Socket Mode's debug lines that carry a whole WebSocket message: commands, form values, user names and
 * file addresses. The line is kept (it says the connection works), the payload is not.
 */
const PAYLOAD_LINE = /^(Received a message on the WebSocket|Sending a WebSocket message|Unable to parse an incoming WebSocket message|Calling ack\(\).*?data)/;

/** One log message from Bolt's arguments, with any raw socket payload left out. */
export function boltLogText(parts: unknown[]): string {
  const text = parts.map((part) => (part instanceof Error ? part.message : String(part))).join(' ');
  const payloadLine = PAYLOAD_LINE.exec(text);
  return payloadLine ? `${payloadLine[1]}: [payload not logged]` : text;
}

/** Bolt's own log lines go to our pino logger; Bolt does not log tokens at info level and above. */
function boltLogger(log: Logger): BoltLogger {
  const child = log.child({ component: 'bolt' });
  let level = LogLevel.INFO;
  return {
    debug: (...parts: unknown[]) => child.debug(boltLogText(parts)),
    info: (...parts: unknown[]) => child.info(boltLogText(parts)),
    warn: (...parts: unknown[]) => child.warn(boltLogText(parts)),
    error: (...parts: unknown[]) => child.error(boltLogText(parts)),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
