// The on-disk record of accepted jobs, so that a restart loses none.
// Job records live in LevelDB (classic-level): an embedded, crash-safe key-value store that needs no
// server, installs from npm with prebuilt binaries, and whose writes are atomic per key (with `sync`, they
// are on disk before the user is told the job is queued). The two images of a job are plain files in
// jobs/<id>/ next to it: LevelDB rewrites values when it compacts, so megabyte blobs in it would be copied
// again and again, while files are written once and removed with their folder when the job is pruned.
import { chmod, copyFile, link, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import type { JobInputs, JobRecord, JobStore, JournalContents, StoredResult } from './job-store.js';
import { parseJobRecord } from './journal-records.js';
import { holdPrivateUmask } from './private-umask.js';
import type { ServerSettings } from './server-settings.js';
import { parseThroughputFigures, type ThroughputFigures } from './throughput.js';
import type { JobResult } from './types.js';

// The store's types, where the modules that predate the JobStore interface import them from.
export type { DeliveryState, JobInputs, JobRecord, JournalContents, StoredResult } from './job-store.js';

const RECORD_PREFIX = 'job:';
/** Unreadable records are moved under this prefix (key and raw value kept) for the operator to look at. */
const QUARANTINE_PREFIX = 'quarantine:';
/** A key outside the records, written to find out whether the journal takes writes again. */
const PROBE_KEY = 'probe';
/** How fast this machine ran jobs (see throughput.ts), so that time estimates survive a restart. */
const THROUGHPUT_KEY = 'throughput';
/** Per-server settings (see server-settings.ts), one key per platform and server. */
const SERVER_PREFIX = 'server:';
const RESULT_PNG = 'result.png';
/** The files of a job's images: the photo, the style image, and style-2 to style-4 when several are blended. */
const CONTENT_FILE = 'content';
const STYLE_FILE = 'style';
const EXTRA_STYLE_FILE = /^style-(\d+)$/;
const extraStyleFile = (index: number): string => `style-${index + 2}`;
/** A Bigger job's picture to go on from (its first job's result); a rerun does not take it along. */
const INIT_FILE = 'init';
const RESULT_INFO = 'result.json';
/**
 * People's photos are private: folders only the bot's user can open, files only it can read, whatever the
 * umask (a umask only takes bits away, and folders made by an older version are tightened at open).
 */
const PRIVATE_DIR = 0o700;
const PRIVATE_FILE = 0o600;

async function makePrivateDir(path: string): Promise<void> {
  await mkdir(path, { recursive: true, mode: PRIVATE_DIR });
  await chmod(path, PRIVATE_DIR);
}

export class Journal implements JobStore {
  private readonly db: ClassicLevel<string, JobRecord>;
  private readonly jobsDir: string;
  /** Writes go one after another so a later state of a job never lands before an earlier one. */
  private writes: Promise<unknown> = Promise.resolve();
  /** Puts the operator's umask back once the database is closed (see private-umask.ts). */
  private releaseUmask: (() => void) | undefined;

  constructor(readonly dataDir: string) {
    this.db = new ClassicLevel<string, JobRecord>(join(dataDir, 'journal'), { valueEncoding: 'json' });
    this.jobsDir = join(dataDir, 'jobs');
  }

  async open(): Promise<void> {
    await makePrivateDir(this.dataDir);
    await makePrivateDir(this.jobsDir);
    // LevelDB makes its folder and files itself, with the umask's modes: held private while it is open.
    this.releaseUmask = holdPrivateUmask();
    try {
      await this.db.open();
    } catch (error) {
      this.releaseUmask();
      throw new Error(openFailure(join(this.dataDir, 'journal'), error), { cause: error });
    }
    // Its folder and files from before (an older version, another umask) are tightened too.
    const folder = join(this.dataDir, 'journal');
    await chmod(folder, PRIVATE_DIR);
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      if (entry.isFile()) await chmod(join(folder, entry.name), PRIVATE_FILE);
    }
  }

  async close(): Promise<void> {
    await this.writes.catch(() => undefined);
    try {
      await this.db.close();
    } finally {
      this.releaseUmask?.();
    }
  }

  /** Every usable journaled job, in arrival order; records that cannot be read are quarantined, not fatal. */
  async load(): Promise<JournalContents> {
    const records: JobRecord[] = [];
    const bad: Array<[string, string]> = [];
    for await (const [key, raw] of this.db.iterator<string, string>({ gte: RECORD_PREFIX, lt: `${RECORD_PREFIX}\uffff`, valueEncoding: 'utf8' })) {
      const record = parseJobRecord(raw);
      if (record) records.push(record);
      else bad.push([key, raw]);
    }
    for (const [key, raw] of bad) {
      await this.db.batch(
        [
          { type: 'put', key: QUARANTINE_PREFIX + key, value: raw, valueEncoding: 'utf8' },
          { type: 'del', key },
        ],
        { sync: true },
      );
    }
    return { records: records.sort((a, b) => a.seq - b.seq), quarantined: bad.map(([key]) => key) };
  }

  /** Resolves when a synced write goes through: the journal can take jobs again. */
  async probe(): Promise<void> {
    await this.db.put<string, string>(PROBE_KEY, new Date().toISOString(), { sync: true, valueEncoding: 'utf8' });
  }

  /** The throughput figures journaled last; none when there are none or they cannot be read. */
  async throughput(): Promise<ThroughputFigures> {
    const raw = await this.db.get<string, string>(THROUGHPUT_KEY, { valueEncoding: 'utf8' });
    if (raw === undefined) return {};
    try {
      return parseThroughputFigures(JSON.parse(raw));
    } catch {
      return {};
    }
  }

  /** Keeps the throughput figures; not synced, since losing the newest ones costs only a worse estimate. */
  saveThroughput(figures: ThroughputFigures): Promise<void> {
    const write = this.writes.then(() => this.db.put<string, string>(THROUGHPUT_KEY, JSON.stringify(figures), { valueEncoding: 'utf8' }));
    this.writes = write.catch(() => undefined);
    return write;
  }

  /** Every server's stored settings, as written (parsed by server-settings.ts); unreadable ones are skipped. */
  async serverSettings(): Promise<Array<{ key: string; value: unknown }>> {
    const found: Array<{ key: string; value: unknown }> = [];
    for await (const [key, raw] of this.db.iterator<string, string>({ gte: SERVER_PREFIX, lt: `${SERVER_PREFIX}\uffff`, valueEncoding: 'utf8' })) {
      try {
        found.push({ key: key.slice(SERVER_PREFIX.length), value: JSON.parse(raw) });
      } catch {
        // A damaged record: that server starts from the defaults again.
      }
    }
    return found;
  }

  /** Keeps a server's settings, synced: an admin is told "saved" only once they are on disk. */
  saveServerSettings(key: string, value: ServerSettings): Promise<void> {
    const write = this.writes.then(() => this.db.put<string, string>(SERVER_PREFIX + key, JSON.stringify(value), { sync: true, valueEncoding: 'utf8' }));
    this.writes = write.catch(() => undefined);
    return write;
  }

  /** Writes the images first, then the record: a record on disk always has its images. */
  async accept(record: JobRecord, inputs: JobInputs): Promise<void> {
    const dir = this.dirOf(record.id);
    await makePrivateDir(dir);
    const extra = inputs.extraStyleImages ?? [];
    await Promise.all([
      writeAtomically(join(dir, CONTENT_FILE), inputs.content),
      writeAtomically(join(dir, STYLE_FILE), inputs.style),
      ...extra.map((bytes, index) => writeAtomically(join(dir, extraStyleFile(index)), bytes)),
      ...(inputs.init ? [writeAtomically(join(dir, INIT_FILE), inputs.init)] : []),
    ]);
    await this.save(record);
  }

  /** A new job on the stored images of another: hard links share the bytes, so a rerun costs no space. */
  async acceptFrom(record: JobRecord, sourceId: string): Promise<void> {
    const dir = this.dirOf(record.id);
    await makePrivateDir(dir);
    const extra = (await readdir(this.dirOf(sourceId))).filter((name) => EXTRA_STYLE_FILE.test(name));
    for (const name of [CONTENT_FILE, STYLE_FILE, ...extra]) {
      const from = join(this.dirOf(sourceId), name);
      const to = join(dir, name);
      await link(from, to).catch(async () => {
        await copyFile(from, to);
        await chmod(to, PRIVATE_FILE);
      });
    }
    await this.save(record);
  }

  /** The stored images, or undefined when they are gone (pruned, or deleted by hand). */
  async inputs(id: string): Promise<JobInputs | undefined> {
    try {
      const dir = this.dirOf(id);
      const [content, style, extraStyleImages, init] = await Promise.all([
        readFile(join(dir, CONTENT_FILE)),
        readFile(join(dir, STYLE_FILE)),
        this.extraStyleImages(dir),
        readFile(join(dir, INIT_FILE)).catch((error: NodeJS.ErrnoException) => {
          if (error.code === 'ENOENT') return undefined;
          throw error;
        }),
      ]);
      return { content, style, ...(extraStyleImages.length > 0 ? { extraStyleImages } : {}), ...(init ? { init } : {}) };
    } catch {
      return undefined;
    }
  }

  /**
   * Keeps the finished picture next to the job's images: what the engine said about it first, then the
   * PNG, each written atomically, so a PNG on disk always has its description (see result()).
   */
  async saveResult(id: string, picture: StoredResult): Promise<void> {
    const dir = this.dirOf(id);
    await writeAtomically(join(dir, RESULT_INFO), Buffer.from(JSON.stringify(picture.result)));
    await writeAtomically(join(dir, RESULT_PNG), picture.png);
  }

  /** The finished picture, or undefined when there is none (not finished, pruned, or cut short by a crash). */
  async result(id: string): Promise<StoredResult | undefined> {
    try {
      const png = await readFile(join(this.dirOf(id), RESULT_PNG));
      const result = JSON.parse(await readFile(join(this.dirOf(id), RESULT_INFO), 'utf8')) as JobResult;
      return { png, result };
    } catch {
      return undefined;
    }
  }

  save(record: JobRecord): Promise<void> {
    const snapshot: JobRecord = structuredClone(record);
    const write = this.writes.then(() => this.db.put(RECORD_PREFIX + record.id, snapshot, { sync: true }));
    this.writes = write.catch(() => undefined);
    return write;
  }

  async remove(id: string): Promise<void> {
    const write = this.writes.then(() => this.db.del(RECORD_PREFIX + id));
    this.writes = write.catch(() => undefined);
    await write;
    await this.removeInputs(id);
  }

  /** Removes a job's images but keeps its record (a failed or cancelled job is never run again). */
  async removeInputs(id: string): Promise<void> {
    await rm(this.dirOf(id), { recursive: true, force: true });
  }

  /** Removes image folders that have no record (a crash between writing the images and the record). */
  async removeOrphans(knownIds: ReadonlySet<string>): Promise<void> {
    for (const name of await readdir(this.jobsDir)) {
      if (!knownIds.has(name)) await rm(join(this.jobsDir, name), { recursive: true, force: true });
    }
  }

  /** A blend's style images after the first, in order (none for a job with one style image). */
  private async extraStyleImages(dir: string): Promise<Buffer[]> {
    const numbered = (await readdir(dir)).flatMap((name) => {
      const match = EXTRA_STYLE_FILE.exec(name);
      return match ? [{ name, index: Number(match[1]) }] : [];
    });
    numbered.sort((a, b) => a.index - b.index);
    return Promise.all(numbered.map(({ name }) => readFile(join(dir, name))));
  }

  private dirOf(id: string): string {
    return join(this.jobsDir, id);
  }
}

/** Why the journal would not open, for the operator; a lock held elsewhere means a second bot. */
function openFailure(path: string, error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  const code = cause && typeof cause === 'object' && 'code' in cause ? cause.code : undefined;
  if (code === 'LEVEL_LOCKED') {
    return `Another stylize bot is already running with the data folder ${dirname(path)} (its journal is locked). Stop that bot first, or give this one its own STYLIZE_DATA_DIR.`;
  }
  return `Cannot open the job journal in ${path} (${cause instanceof Error ? cause.message : String(error)}).`;
}

async function writeAtomically(path: string, bytes: Buffer): Promise<void> {
  const partial = `${path}.partial`;
  await writeFile(partial, bytes, { flush: true, mode: PRIVATE_FILE });
  await rename(partial, path);
}
