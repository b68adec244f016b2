// Whether the owner of a job that ended is told with a mention, the same on every platform. Status edits
// never notify anyone, so an owner who has walked away would miss a failure: a job that failed (the time
// limit included) or that someone else cancelled gets a short new message that mentions its owner, as a
// finished picture does (see viewResult's pingUserId). The owner's own cancel needs no news. The ping is
// worded in the owner's language (JobSubject.locale), whoever caused the ending.
import { say, tell } from '../../wording/index.js';
import type { JobStage, JobSubject, Markup } from './job-view.js';

interface EndingPing {
  /** Whom the message may notify (and no one else). */
  userId: string;
  text: string;
}

/** The ping for a job's last stage; undefined when there is none to send (done, or cancelled by its owner). */
export function endingPing(job: JobSubject, stage: JobStage, markup: Markup): EndingPing | undefined {
  const owner = markup.mention(job.userId);
  if (stage.kind === 'failed') return { userId: job.userId, text: say('ping-failed', { owner, reason: tell(stage.reason, job.locale) }, job.locale) };
  if (stage.kind === 'cancelled' && stage.byUserId !== job.userId) {
    return { userId: job.userId, text: say('ping-cancelled-by-other', { owner, by: markup.mention(stage.byUserId) }, job.locale) };
  }
  return undefined;
}
