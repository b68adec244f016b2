// The workspace's budget for chat.update (Tier 3: about 50 a minute for the whole workspace, whatever the
// message). Under load the less useful edits give way first: a change of place in line needs the budget
// at least half full, a progress edit any of it, and a change of state (queued, running, finished) always
// goes, running the budget into debt that the other edits then wait out. A skipped edit is not lost: the
// job's next event shows the newer state.
import type { Clock } from '../../queue/index.js';
import type { EditUrgency } from '../shared/job-view.js';

/** Below Slack's ~50 a minute, leaving room for the job messages' first posts and retries. */
export const DEFAULT_EDITS_PER_MINUTE = 40;

export class EditBudget {
  private tokens: number;
  private lastRefill: number;

  constructor(
    private readonly perMinute: number,
    private readonly clock: Clock,
  ) {
    this.tokens = perMinute;
    this.lastRefill = clock.now();
  }

  /** Whether an edit of this kind may go now; if so, it is counted. */
  take(kind: EditUrgency): boolean {
    this.refill();
    const floor = kind === 'position' ? this.perMinute / 2 : kind === 'progress' ? 1 : -Infinity;
    if (this.tokens < floor) return false;
    this.tokens -= 1;
    return true;
  }

  private refill(): void {
    const now = this.clock.now();
    this.tokens = Math.min(this.perMinute, this.tokens + ((now - this.lastRefill) / 60_000) * this.perMinute);
    this.lastRefill = now;
  }
}
