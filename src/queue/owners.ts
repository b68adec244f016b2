// Who may act on a job: only its owner, matched by platform AND user id. User ids are unique within one
// platform only, so a Slack user whose id happens to equal a Discord user's is a stranger to that job.
import type { JobActor, JobOwner } from './types.js';

export function isOwner(job: Pick<JobOwner, 'platform' | 'userId'>, actor: JobActor): boolean {
  return job.platform === actor.platform && job.userId === actor.userId;
}
