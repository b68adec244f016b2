// What the Slack listeners share.
import type { webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import type { StylizeQueue } from '../../queue/index.js';
import type { IntakeGate } from '../shared/intake-gate.js';
import type { SlackAdmins } from './admins.js';
import type { FilePolicy } from './files.js';
import type { JobMessages } from './job-messages.js';
import type { UserLocales } from './locale.js';

export interface SlackDeps {
  /** Acknowledged work for users: job posts, notes, checks. */
  client: webApi.WebClient;
  /** Only views.open and users.info, so that a rate limit on the rest never delays a form (see bolt-app.ts). */
  forms: webApi.WebClient;
  queue: StylizeQueue;
  log: Logger;
  messages: JobMessages;
  /** Each user's language, from users.info. */
  locales: UserLocales;
  files: FilePolicy;
  /** Caps the uploads fetched at once (shared with the other adapter). */
  intake: IntakeGate;
  /** Who is a workspace admin (moderation, the admin command). */
  admins: SlackAdmins;
}
