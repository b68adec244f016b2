// The size check made before anything is downloaded: a size this engine cannot finish within the job time
// limit is refused at once, with the largest size that fits, instead of after the uploads were fetched (the
// queue refuses the same sizes at submit, see StylizeQueue.checkSize).
import type { JobOptions, StylizeQueue } from '../../queue/index.js';
import { UserError } from '../../wording/index.js';

/** Throws UserError('size-too-slow') when the job's size cannot finish in time here. */
export function assertSizeFits(queue: Pick<StylizeQueue, 'checkSize'>, options: Pick<JobOptions, 'size'>): void {
  const check = queue.checkSize(options);
  if (!check.ok) throw new UserError('size-too-slow', { size: check.size, limitMs: check.limitMs, ...(check.largestSize !== undefined ? { largestSize: check.largestSize } : {}) });
}
