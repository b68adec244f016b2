// People's photos on disk are the bot's alone: under the common umask 022 (which would leave files readable
// by every local user) the data folder, the journal and each job's images are private.
import { chmod, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Journal, type JobRecord } from '../src/queue/journal.js';

function record(id: string): JobRecord {
  return {
    id,
    platform: 'discord',
    userId: 'u1',
    userName: 'Ada',
    reply: { channelId: 'c1' },
    options: { preset: 'balanced' },
    state: 'queued',
    createdAt: 0,
    seq: 1,
    round: 0,
  };
}

async function modeOf(path: string): Promise<number> {
  return (await stat(path)).mode & 0o777;
}

describe('data at rest', () => {
  let root: string;
  let previousUmask: number;
  beforeEach(async () => {
    previousUmask = process.umask(0o022);
    root = await mkdtemp(join(tmpdir(), 'stylize-modes-'));
  });
  afterEach(async () => {
    process.umask(previousUmask);
    await rm(root, { recursive: true, force: true });
  });

  it('keeps the data folder, the journal and the images private under umask 022', async () => {
    const dataDir = join(root, 'data');
    const journal = new Journal(dataDir);
    await journal.open();
    try {
      await journal.accept(record('job1'), { content: Buffer.from('photo'), style: Buffer.from('painting') });
      await journal.acceptFrom(record('job2'), 'job1');
    } finally {
      await journal.close();
    }
    for (const dir of [dataDir, join(dataDir, 'journal'), join(dataDir, 'jobs'), join(dataDir, 'jobs', 'job1'), join(dataDir, 'jobs', 'job2')]) {
      expect([dir, await modeOf(dir)]).toEqual([dir, 0o700]);
    }
    for (const file of ['job1/content', 'job1/style', 'job2/content', 'job2/style']) {
      expect([file, await modeOf(join(dataDir, 'jobs', file))]).toEqual([file, 0o600]);
    }
  });

  it("keeps LevelDB's own files 0600 under umask 022, also those it writes later and those an older version left readable", async () => {
    const dataDir = join(root, 'data');
    const folder = join(dataDir, 'journal');
    const first = new Journal(dataDir);
    await first.open();
    await first.save(record('job1'));
    await first.close();
    // The operator's umask is back once the journal is closed.
    expect(process.umask(0o022)).toBe(0o022);
    // A file as an older version (or another umask) left it.
    const current = join(folder, 'CURRENT');
    await chmod(current, 0o644);
    // Reopening replays the log into a table (.ldb) and starts a new MANIFEST and log.
    const second = new Journal(dataDir);
    await second.open();
    await second.saveServerSettings('discord:1', { defaultSize: 256 });
    const names = await readdir(folder);
    await second.close();
    for (const kind of [/^CURRENT$/, /^LOCK$/, /^LOG$/, /^MANIFEST-\d+$/, /\.ldb$/, /\.log$/]) {
      expect([kind.source, names.some((name) => kind.test(name))]).toEqual([kind.source, true]);
    }
    for (const name of await readdir(folder)) {
      expect([name, await modeOf(join(folder, name))]).toEqual([name, 0o600]);
    }
  });
});
