// The local web chat: a page served by the bot itself where each browser is a user of the same queue as
// Discord's and Slack's. Try the bot, or check an install end to end, without a chat account: with no
// chat platform configured, `npm start` runs it on http://127.0.0.1:8080.
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { systemClock } from '../../queue/index.js';
import type { Clock, StylizeQueue } from '../../queue/index.js';
import type { ChatAdapter } from '../types.js';
import { IntakeGate } from '../shared/intake-gate.js';
import { offeredMinutes } from '../shared/run-time.js';
import { jobsListOf, webRoutes } from './actions.js';
import { WEB_DEFAULTS, type WebConfig } from './config.js';
import { JobCards } from './job-cards.js';
import { LiveStreams } from './live.js';
import { Sessions } from './sessions.js';
import { WebChatServer } from './server.js';
import { StagedUploads } from './staged-uploads.js';

export type { WebConfig } from './config.js';
export { readWebConfig, WEB_DEFAULTS } from './config.js';

export interface WebAdapter extends ChatAdapter {
  readonly name: 'web';
  /** Where it listens once started (a port of 0 in the config picks a free one). */
  address(): AddressInfo | undefined;
  /** The page's address once started, such as http://127.0.0.1:8080. */
  url(): string | undefined;
}

export interface WebAdapterOptions {
  config: WebConfig;
  queue: StylizeQueue;
  log: Logger;
  /** Held images expire on it; default the system clock. */
  clock?: Clock;
  /** Caps the images read at once; the bot shares one between its adapters. Default: a gate of its own. */
  intake?: IntakeGate;
}

export function createWebAdapter(options: WebAdapterOptions): WebAdapter {
  const { config, queue } = options;
  const log = options.log.child({ adapter: 'web' });
  const cards = new JobCards(queue);
  const live = new LiveStreams();
  const routes = webRoutes({ queue, cards, live, staged: new StagedUploads(options.clock ?? systemClock), intake: options.intake ?? new IntakeGate(), uploadTimeoutMs: config.uploadTimeoutMs ?? WEB_DEFAULTS.uploadTimeoutMs, log });
  const server = new WebChatServer(config, new Sessions(config.token), routes, log, { minutes: offeredMinutes(queue.limits.jobTimeoutMs) });

  // Subscribed at once: resumed jobs are announced when the queue starts.
  queue.subscribe('web', (job, event) => {
    live.send(job.userId, 'job', cards.apply(job, event));
    live.send(job.userId, 'jobs', jobsListOf(queue, job.userId, job.locale ?? 'en'));
  });
  // The picture stays where the queue keeps it (the page loads it from there): posting it is done at once.
  queue.deliverWith('web', async () => ({ kind: 'delivered' }));

  return {
    name: 'web',
    address: () => server.address(),
    url: () => server.url(),
    connection: () => {
      const url = server.url();
      return url ? { connected: true, detail: `serving the web chat on ${url}` } : { connected: false, detail: 'not listening' };
    },
    async start() {
      await server.start();
      log.info({ url: server.url(), guarded: config.token !== undefined }, `web chat listening on ${server.url()}`);
    },
    async stop() {
      live.close();
      await server.stop();
    },
  };
}
