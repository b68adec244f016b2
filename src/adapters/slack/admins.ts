// Who is a workspace admin on Slack (users.info: is_admin or is_owner), for moderation and the admin
// command. Answers are kept a minute, so that a burst of clicks costs one call, and a demoted admin loses
// the rights within a minute. When Slack cannot say (an error, a missing users:read scope), the user is
// treated as no admin: the bot never grants rights it could not check.
import type { webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import type { Clock, JobActor } from '../../queue/index.js';
import { slackErrorCode } from './files.js';

const KEEP_MS = 60_000;

export class SlackAdmins {
  private readonly known = new Map<string, { admin: boolean; until: number }>();

  constructor(
    private readonly client: webApi.WebClient,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  async isAdmin(userId: string): Promise<boolean> {
    const now = this.clock.now();
    const cached = this.known.get(userId);
    if (cached && cached.until > now) return cached.admin;
    try {
      const answer = await this.client.users.info({ user: userId });
      const admin = answer.user?.is_admin === true || answer.user?.is_owner === true;
      this.known.set(userId, { admin, until: now + KEEP_MS });
      return admin;
    } catch (error) {
      this.log.warn({ user: userId, error: slackErrorCode(error) }, 'could not tell whether a user is a workspace admin (users:read scope?); treated as not one');
      return false;
    }
  }

  /** The one acting in workspace `teamId`; a moderator of it when they are a workspace admin. */
  async actorOf(userId: string, teamId: string | undefined): Promise<JobActor> {
    const actor: JobActor = { platform: 'slack', userId };
    if (teamId !== undefined && (await this.isAdmin(userId))) actor.moderatorOf = teamId;
    return actor;
  }
}
