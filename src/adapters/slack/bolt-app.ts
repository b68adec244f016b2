// The Bolt App for a SlackConfig: HTTP mode (Bolt's HTTPReceiver verifies every request's signature and
// refuses requests older than 5 minutes) or Socket Mode (an outgoing WebSocket with the app-level token).
import { App, HTTPReceiver, LogLevel, SocketModeReceiver, webApi } from '@slack/bolt';
import type { Logger as BoltLogger } from '@slack/bolt';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { SlackConfig } from './config.js';

export const EVENTS_PATH = '/slack/events';

export interface BoltApp {
  app: App;
  /** A second Web API client on the same token, for work that may wait (edits, uploads); see JobMessages. */
  backgroundClient: webApi.WebClient;
  /** Starts receiving; in HTTP mode returns the address actually bound (port 0 picks a free one). */
  start(): Promise<AddressInfo | undefined>;
  stop(): Promise<void>;
}

export function createBoltApp(config: SlackConfig, log: Logger): BoltApp {
  const logger = boltLogger(log);
  const clientOptions: webApi.WebClientOptions = config.apiUrl ? { slackApiUrl: config.apiUrl } : {};
  const backgroundClient = new webApi.WebClient(config.botToken, { ...clientOptions, logger });
  if (config.mode === 'socket') {
    if (!config.appToken) throw new Error('Slack Socket Mode needs the app-level token (SLACK_APP_TOKEN, starts with xapp-).');
    const receiver = new SocketModeReceiver({ appToken: config.appToken, logger, installerOptions: { clientOptions } });
    const app = new App({ token: config.botToken, receiver, logger, clientOptions });
    return {
      app,
      backgroundClient,
      async start() {
        await app.start();
        return undefined;
      },
      async stop() {
        await app.stop();
      },
    };
  }
  const receiver = new HTTPReceiver({ signingSecret: config.signingSecret, endpoints: EVENTS_PATH, logger });
  const app = new App({ token: config.botToken, receiver, logger, clientOptions });
  return {
    app,
    backgroundClient,
    async start() {
      const server: Server = await app.start({ port: config.port, host: config.host });
      return server.address() as AddressInfo;
    },
    async stop() {
      await app.stop();
    },
  };
}

/**
 * The client that uploads results: it neither sleeps on a 429 nor repeats a failed call by itself, because
 * the queue retries deliveries on its clock, honouring Retry-After, and shows the user that it is retrying.
 */
export function createDeliveryClient(config: SlackConfig, log: Logger): webApi.WebClient {
  return new webApi.WebClient(config.botToken, {
    ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}),
    logger: boltLogger(log),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });
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
