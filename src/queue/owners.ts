// Who may act on a job. Its owner, matched by platform AND user id: user ids are unique within one platform
// only, so a Slack user whose id happens to equal a Discord user's is a stranger to that job. Cancel (and
// deleting a result) is also open to a moderator of the server the job was asked in; running a job again
// stays with its owner, since it runs the owner's images.
import type { JobActor, JobOwner } from './types.js';

export function isOwner(job: Pick<JobOwner, 'platform' | 'userId'>, actor: Pick<JobActor, 'platform' | 'userId'>): boolean {
  return job.platform === actor.platform && job.userId === actor.userId;
}

/** Whether `actor` moderates the server `job` belongs to (a job asked in a DM has no moderator). */
export function isModeratorOf(job: Pick<JobOwner, 'platform' | 'server'>, actor: JobActor): boolean {
  return job.server !== undefined && job.platform === actor.platform && actor.moderatorOf === job.server;
}

/** Whether `actor` may cancel `job` or delete its result: its owner or a moderator of its server. */
export function mayManage(job: Pick<JobOwner, 'platform' | 'userId' | 'server'>, actor: JobActor): boolean {
  return isOwner(job, actor) || isModeratorOf(job, actor);
}

/**
 * Who may start a job of their own from a posted result ("Use as photo", "Use as style"): anyone on the
 * job's platform, since everyone in the channel sees the picture and could save and upload it anyway. The
 * new job is theirs; the result's owner keeps theirs.
 */
export function mayReuse(job: Pick<JobOwner, 'platform'>, actor: JobActor): boolean {
  return job.platform === actor.platform;
}
