// Whether a new job can be stored safely right now: the journal takes writes and the data folder's disk
// has room. A job the bot cannot journal would be lost at the next restart, so it is refused at the door
// with a plain "try again later" instead of being accepted and then failing.
import { statfs } from 'node:fs/promises';
import type { Logger } from 'pino';
import { UserError } from '../wording/index.js';

export interface StorageLimits {
  /** New jobs are refused while the data folder's disk has less free space than this, in bytes. */
  minFreeBytes: number;
  /** The jobs' images may take at most this many bytes; the oldest finished jobs are forgotten first. */
  maxDataBytes: number;
}

const MIB = 1024 * 1024;

export const DEFAULT_STORAGE: StorageLimits = {
  minFreeBytes: 100 * MIB,
  maxDataBytes: 2048 * MIB,
};

/** Free bytes, for an unprivileged user, on the disk holding `path`. */
export type FreeSpace = (path: string) => Promise<number>;

export const diskFreeSpace: FreeSpace = async (path) => {
  const stats = await statfs(path);
  return stats.bavail * stats.bsize;
};

/** The journal as the guard needs it: a write that tells whether writes go through again. */
export interface Probeable {
  probe(): Promise<void>;
}

export class StorageGuard {
  private failingSince: unknown;

  constructor(
    private readonly journal: Probeable,
    private readonly dataDir: string,
    private readonly limits: StorageLimits,
    private readonly freeSpace: FreeSpace,
    private readonly log: Logger,
  ) {}

  /** A journal write failed: new jobs are refused until a test write goes through. */
  writeFailed(error: unknown, jobId: string): void {
    this.log.error({ err: error, jobId }, 'journal write failed; new jobs are refused until it can be written again');
    this.failingSince ??= error;
  }

  /** False from a failed journal write until a test write (made now) goes through. */
  async journalWritable(): Promise<boolean> {
    if (this.failingSince === undefined) return true;
    try {
      await this.journal.probe();
    } catch {
      return false;
    }
    // Another caller's test write may have gone through meanwhile: said once.
    if (this.failingSince === undefined) return true;
    this.failingSince = undefined;
    this.log.info('journal takes writes again; accepting jobs');
    return true;
  }

  /** Throws UserError when a new job cannot be stored now (journal failing, disk nearly full). */
  async assertCanStore(): Promise<void> {
    if (!(await this.journalWritable())) throw new UserError('storage-unavailable');
    const free = await this.freeSpace(this.dataDir);
    if (free < this.limits.minFreeBytes) {
      this.log.warn({ freeBytes: free, minFreeBytes: this.limits.minFreeBytes, dataDir: this.dataDir }, 'disk nearly full; new job refused');
      throw new UserError('storage-unavailable');
    }
  }
}
