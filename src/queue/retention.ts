// Which finished jobs the queue forgets (record and images): those past the retention window, those beyond
// the number kept, and then the oldest until the jobs folder fits its disk cap. Waiting and running jobs
// are never forgotten; when they alone would pass the cap, a new job is refused instead (see JobQueue).
import type { JobRecord } from './journal.js';

export interface RetentionRules {
  /** Finished jobs are kept this long (for "run again"). */
  keepFinishedMs: number;
  /** ...and at most this many of them. */
  keepFinishedCount: number;
  /** The jobs' images may take at most this many bytes. */
  maxDataBytes: number;
}

/** Every ten minutes the queue forgets what has expired, also while no job runs. */
export const RETENTION_INTERVAL_MS = 10 * 60_000;

export function isFinished(record: JobRecord): boolean {
  return record.state === 'done' || record.state === 'failed' || record.state === 'cancelled';
}

/** Bytes the records' images take (records journaled before the cap existed count as nothing). */
export function bytesOf(records: Iterable<JobRecord>): number {
  let total = 0;
  for (const record of records) total += record.bytes ?? 0;
  return total;
}

/** The finished jobs to forget at `now`, so that `incomingBytes` more still fit under the cap. */
export function expiredJobs(records: readonly JobRecord[], now: number, rules: RetentionRules, incomingBytes = 0): JobRecord[] {
  // Jobs that ended in the same millisecond: the later arrival counts as newer.
  const newestFirst = records.filter(isFinished).sort((a, b) => (b.finishedAt ?? 0) - (a.finishedAt ?? 0) || b.seq - a.seq);
  const cutoff = now - rules.keepFinishedMs;
  // A picture still being posted is kept whatever the count; only age ends its retries.
  const expired = newestFirst.filter(
    (record, index) => (index >= rules.keepFinishedCount && record.delivery?.status !== 'pending') || (record.finishedAt ?? 0) < cutoff,
  );
  let used = bytesOf(records) - bytesOf(expired) + incomingBytes;
  for (const record of newestFirst.filter((kept) => !expired.includes(kept)).reverse()) {
    if (used <= rules.maxDataBytes) break;
    expired.push(record);
    used -= record.bytes ?? 0;
  }
  return expired;
}
