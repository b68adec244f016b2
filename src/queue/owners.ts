// Who may act on a job: only its owner, matched by platform AND user id. User ids are unique within one
// platform only, so a Slack user whose id happens to equal a Discord user's is a stranger to that job.
import type { JobActor, JobOwner } from './types.js';

export function isOwner(job: Pick<JobOwner, 'platform' | 'userId'>, actor: JobActor): boolean {
  return job.platform === actor.platform && job.userId === actor.userId;
}

/**
 * Who may delete a job and what it left (its posted result, its images): its owner. The one place that
 * decides it, so that other roles (a server's moderators) are added here and nowhere else.
 */
export function mayDelete(job: Pick<JobOwner, 'platform' | 'userId'>, actor: JobActor): boolean {
  return isOwner(job, actor);
}

/**
 * Who may start a job of their own from a posted result ("Use as photo", "Use as style"): anyone on the
 * job's platform, since everyone in the channel sees the picture and could save and upload it anyway. The
 * new job is theirs; the result's owner keeps theirs.
 */
export function mayReuse(job: Pick<JobOwner, 'platform'>, actor: JobActor): boolean {
  return job.platform === actor.platform;
}
