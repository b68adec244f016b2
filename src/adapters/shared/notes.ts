// Notes told only to the user who pressed a job's button when nothing happened, the same on every platform.
import type { CancelOutcome } from '../../queue/index.js';
import { say, type Locale } from '../../wording/index.js';

/** Why pressing Cancel cancelled nothing, in the presser's language. */
export function cancelNote(outcome: Exclude<CancelOutcome, 'cancelled'>, locale?: Locale): string {
  return say(({ 'not-owner': 'cancel-not-owner', 'not-found': 'cancel-not-found', 'already-finished': 'cancel-already-finished' } as const)[outcome], {}, locale);
}
