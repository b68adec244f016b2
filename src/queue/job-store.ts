// Where the queue keeps what must survive a restart: job records, their images, finished pictures, each
// server's settings and the throughput learnt. One interface, several stores: the embedded LevelDB journal
// (journal.ts, the default) and PostgreSQL for cluster mode (cluster/pg-store.ts). A store's behaviour is
// pinned by one contract suite run against every implementation (test/job-store-contract.test.ts).
import type { Probeable } from './storage.js';
import type { ServerSettingsStore } from './server-settings.js';
import type { ThroughputFigures } from './throughput.js';
import type { JobInfo, JobResult } from './types.js';

/** Where posting a done job's picture stands (see delivery.ts). */
export interface DeliveryState {
  status: 'pending' | 'delivered' | 'failed-final';
  /** Tries started so far; journaled before each try. */
  attempts: number;
  /** When the next try is due, on the queue's clock. */
  nextAttemptAt: number;
}

export interface JobRecord extends JobInfo {
  /** Arrival order; ties in the fair order are broken by it. */
  seq: number;
  /** Round-robin turn (see fair-order.ts). */
  round: number;
  finishedAt?: number;
  /**
   * Runs started and not ended by a clean stop, journaled before each run: a record found 'running' at
   * start-up is a run during which the bot died, and a job that keeps doing that is not resumed forever.
   */
  attempts?: number;
  /** Bytes its two images take in the jobs folder (for the disk cap). */
  bytes?: number;
  /** Set when the job is done; absent on records from before deliveries were journaled (delivered then). */
  delivery?: DeliveryState;
}

/** What the store held at start-up: the usable records, and the keys of those moved aside. */
export interface JournalContents {
  records: JobRecord[];
  quarantined: string[];
}

/** A finished picture as kept until the job is pruned. */
export interface StoredResult {
  png: Buffer;
  result: JobResult;
}

export interface JobInputs {
  content: Buffer;
  style: Buffer;
  /** The style images after the first, in order, when the job blends several (absent: none). */
  extraStyleImages?: Buffer[];
  /** A Bigger job's picture to go on from: its first job's result (absent on every other job). */
  init?: Buffer;
}

/** The durable side of the queue. Writes resolve once they are durable; a failed write rejects. */
export interface JobStore extends ServerSettingsStore, Probeable {
  open(): Promise<void>;
  /** Waits for the writes under way, then lets go of the store. */
  close(): Promise<void>;
  /** Every usable job, in arrival order (seq); records that cannot be read are quarantined, not fatal. */
  load(): Promise<JournalContents>;
  /** Resolves when a durable test write goes through: the store can take jobs again. */
  probe(): Promise<void>;
  /** The throughput figures kept last; none when there are none or they cannot be read. */
  throughput(): Promise<ThroughputFigures>;
  saveThroughput(figures: ThroughputFigures): Promise<void>;
  /** Keeps a new job: its images first, then its record, so a stored record always has its images. */
  accept(record: JobRecord, inputs: JobInputs): Promise<void>;
  /** A new job on the stored images of another (a rerun), costing no second copy where the store can. */
  acceptFrom(record: JobRecord, sourceId: string): Promise<void>;
  /** The stored images, or undefined when they are gone. */
  inputs(id: string): Promise<JobInputs | undefined>;
  /** Keeps the finished picture with what the engine said about it. */
  saveResult(id: string, picture: StoredResult): Promise<void>;
  /** The finished picture, or undefined when there is none (not finished, pruned, cut short by a crash). */
  result(id: string): Promise<StoredResult | undefined>;
  /** Writes the record's current state; writes land in the order they were asked for. */
  save(record: JobRecord): Promise<void>;
  /** Forgets a job: record, images and result. */
  remove(id: string): Promise<void>;
  /** Removes a job's images but keeps its record (a failed or cancelled job is never run again). */
  removeInputs(id: string): Promise<void>;
  /** Removes stored images that have no record (a crash between writing the images and the record). */
  removeOrphans(knownIds: ReadonlySet<string>): Promise<void>;
}

/**
 * The store's server cannot be reached now (down, restarting, refusing connections, not answering): the
 * call did not complete, and the same call can succeed later (every write may be repeated). The queue
 * refuses new jobs with "try again later" meanwhile.
 */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
}
