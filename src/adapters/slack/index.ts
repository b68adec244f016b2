// The Slack adapter: /stylize (modal with two file inputs), the "Stylize" message shortcut, one channel
// message per job edited with progress, results in the message's thread, cancel and run-again buttons.
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { ApiErrorListener, ChatAdapter } from '../types.js';
import { systemClock } from '../../queue/index.js';
import type { Clock, StylizeQueue } from '../../queue/index.js';
import { IntakeGate } from '../shared/intake-gate.js';
import { registerActions } from './actions.js';
import { SlackAdmins } from './admins.js';
import { registerResultActions } from './result-actions.js';
import { createBoltApp, createDeliveryClient } from './bolt-app.js';
import { SLACK_DEFAULTS } from './config.js';
import type { SlackConfig } from './config.js';
import type { SlackDeps } from './deps.js';
import { slackErrorCode } from './files.js';
import { DEFAULT_EDITS_PER_MINUTE, EditBudget } from './edit-budget.js';
import { JobMessages } from './job-messages.js';
import { UserLocales } from './locale.js';
import { registerModalOpeners } from './open-modal.js';
import { registerSubmission } from './submission.js';

export type { SlackConfig } from './config.js';
export { EVENTS_PATH } from './bolt-app.js';

/** How long a stop waits for the last edits and uploads. */
const CLOSE_TIMEOUT_MS = 10_000;

export interface SlackAdapter extends ChatAdapter {
  readonly name: 'slack';
  /** Where the HTTP receiver listens once started (HTTP mode only): a port of 0 in the config picks a free one. */
  address(): AddressInfo | undefined;
}

export interface SlackAdapterOptions {
  config: SlackConfig;
  queue: StylizeQueue;
  log: Logger;
  /** Update and preview intervals are measured on it; default the system clock. */
  clock?: Clock;
  /** Caps the uploads fetched at once; the bot shares one between its adapters. Default: a gate of its own. */
  intake?: IntakeGate;
  /** Told of every Web API answer that is an error (the operator's metrics). */
  onApiError?: ApiErrorListener;
}

export function createSlackAdapter(options: SlackAdapterOptions): SlackAdapter {
  const { config, queue } = options;
  const log = options.log.child({ adapter: 'slack' });
  const clock = options.clock ?? systemClock;
  const bolt = createBoltApp(config, log, options.onApiError);
  const client = bolt.app.client;
  const messages = new JobMessages({
    client,
    background: bolt.backgroundClient,
    budget: new EditBudget(DEFAULT_EDITS_PER_MINUTE, clock),
    deliveryClient: createDeliveryClient(config, log, options.onApiError),
    queue,
    log,
    updateIntervalMs: config.updateIntervalMs ?? SLACK_DEFAULTS.updateIntervalMs,
    previewIntervalMs: config.previewIntervalMs ?? SLACK_DEFAULTS.previewIntervalMs,
    clock,
  });
  const deps: SlackDeps = {
    client,
    forms: bolt.formClient,
    queue,
    log,
    messages,
    locales: new UserLocales(bolt.formClient, log, clock),
    files: {
      allowedHosts: config.fileHosts,
      // Never accept more than the queue will: refusing before the download is kinder.
      maxBytes: Math.min(SLACK_DEFAULTS.maxFileBytes, queue.limits.maxInputBytes),
      timeoutMs: SLACK_DEFAULTS.downloadTimeoutMs,
      botToken: config.botToken,
    },
    intake: options.intake ?? new IntakeGate(),
    admins: new SlackAdmins(client, clock, log),
  };
  // Subscribed at once: resumed jobs are announced when the queue starts, possibly before we do.
  queue.subscribe('slack', (job, event) => messages.onJobEvent(job, event));
  queue.deliverWith('slack', (job, delivery) => messages.deliver(job, delivery));
  registerModalOpeners(bolt.app, deps);
  registerSubmission(bolt.app, deps);
  registerActions(bolt.app, deps);
  registerResultActions(bolt.app, deps);
  bolt.app.error(async (error) => {
    log.error({ error: slackErrorCode(error) }, 'a Slack listener failed');
  });

  let started = false;
  let bound: AddressInfo | undefined;
  return {
    name: 'slack',
    address: () => bound,
    connection: () => bolt.connection(),
    async start() {
      bound = await bolt.start();
      started = true;
      log.info({ mode: config.mode, ...(bound ? { port: bound.port, host: bound.address } : {}) }, 'Slack adapter listening');
    },
    async stop() {
      if (started) await bolt.stop();
      started = false;
      bound = undefined;
      await messages.close(CLOSE_TIMEOUT_MS);
    },
  };
}
