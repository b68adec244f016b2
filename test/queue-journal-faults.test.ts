// The journal under faults: a full disk at the moment a job is saved as running or as done, a disk under
// the free-space floor, an unreadable record at start, and a job during whose runs the bot keeps dying.
// The user always gets a message, the quota is freed, and the bot goes on (or starts).
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { describe, expect, it } from 'vitest';
import { Journal, type JobRecord } from '../src/queue/journal.js';
import { UserError } from '../src/wording/index.js';
import { DEFAULT_LIMITS } from '../src/queue/limits.js';
import { FaultyJournal } from './fixtures/faulty-journal.js';
import { submitRunning, useQueueFixture, withQueue } from './queue-harness.js';

const TRY_LATER = new UserError('storage-unavailable');

async function jobFolders(dataDir: string): Promise<string[]> {
  return readdir(join(dataDir, 'jobs'));
}

describe('journal faults', () => {
  const fx = useQueueFixture();

  it('a full disk when the job is saved as running: the job fails with a message, its place is freed, new jobs wait for space', async () => {
    const journal = new FaultyJournal(fx.workspace.dataDir);
    journal.fillUpAt('running');
    await withQueue(fx.workspace, { journal, limits: { maxPendingPerUser: 1 } }, async (running) => {
      const { queue, engine, events, lines } = running;
      const job = await queue.submit(fx.request('alice'));
      await events.waitFinished([job.id]);
      expect(events.types(job.id)).toEqual(['queued', 'failed']);
      expect(events.of(job.id).at(-1)).toEqual({ type: 'failed', reason: { code: 'journal-failed', params: {} } });
      expect(engine.runs).toHaveLength(0);
      expect(queue.get(job.id)?.state).toBe('failed');
      expect(lines.some((line) => line.level >= 50 && /journal write failed/.test(line.msg) && line.jobId === job.id)).toBe(true);
      expect(await jobFolders(fx.workspace.dataDir)).toEqual([]);

      // While the journal cannot be written, nobody's job is taken.
      await expect(queue.submit(fx.request('bob'))).rejects.toThrow(TRY_LATER);
      // Once it can, alice (whose one place the failed job held) is served again.
      journal.makeRoom();
      const again = await submitRunning(running, fx.request('alice'));
      await again.run.finish();
      await events.waitFinished([again.info.id]);
      expect(events.of(again.info.id).at(-1)?.type).toBe('done');
    });
  });

  it('a full disk when the job is saved as done: the picture is still delivered, the place freed, new jobs wait for space', async () => {
    const journal = new FaultyJournal(fx.workspace.dataDir);
    journal.fillUpAt('done');
    await withQueue(fx.workspace, { journal, limits: { maxPendingPerUser: 1 } }, async (running) => {
      const { queue, events } = running;
      const { info, run } = await submitRunning(running, fx.request('alice'));
      await run.finish();
      await events.waitFinished([info.id]);
      const done = events.of(info.id).at(-1);
      expect(done?.type).toBe('done');
      expect(queue.get(info.id)?.state).toBe('done');
      expect(running.lines.some((line) => /journal write failed/.test(line.msg) && line.jobId === info.id)).toBe(true);

      await expect(queue.submit(fx.request('bob'))).rejects.toThrow(TRY_LATER);
      journal.makeRoom();
      const again = await queue.submit(fx.request('alice'));
      expect(again.state).toBe('queued');
    });
  });

  it('a full disk while a new job is written: refused with "try again later", nothing left behind', async () => {
    const journal = new FaultyJournal(fx.workspace.dataDir);
    await withQueue(fx.workspace, { journal }, async ({ queue }) => {
      journal.full = true;
      await expect(queue.submit(fx.request('alice'))).rejects.toThrow(TRY_LATER);
      expect(await jobFolders(fx.workspace.dataDir)).toEqual([]);
    });
  });

  it('refuses new jobs while free disk space is under the floor', async () => {
    let free = 50 * 1024 * 1024;
    await withQueue(fx.workspace, { freeSpace: async () => free, storage: { minFreeBytes: 100 * 1024 * 1024 } }, async ({ queue, lines }) => {
      await expect(queue.submit(fx.request('alice'))).rejects.toThrow(TRY_LATER);
      expect(lines.some((line) => line.msg === 'disk nearly full; new job refused' && line.freeBytes === free)).toBe(true);
      free = 500 * 1024 * 1024;
      expect((await queue.submit(fx.request('alice'))).state).toBe('queued');
    });
  });

  it('moves unreadable records aside with a log line, and starts with the readable ones', async () => {
    const waiting = await withQueue(fx.workspace, async ({ queue }) => (await queue.submit(fx.request('alice'))).id);
    const db = new ClassicLevel<string, string>(join(fx.workspace.dataDir, 'journal'), { valueEncoding: 'utf8' });
    await db.put('job:torn', '{"id":"torn","platform":"disc');
    await db.put('job:odd', JSON.stringify({ id: 'odd', state: 'exploded' }));
    await db.close();
    await mkdir(join(fx.workspace.dataDir, 'jobs', 'torn'));
    await writeFile(join(fx.workspace.dataDir, 'jobs', 'torn', 'content'), 'photo');

    await withQueue(fx.workspace, async ({ queue, events, lines }) => {
      await events.waitFor(() => events.of(waiting).some((event) => event.type === 'queued'), 'the readable job to resume');
      expect(events.of(waiting)[0]).toEqual({ type: 'queued', position: 1, resumed: true });
      const line = lines.find((entry) => /unreadable journal records moved aside/.test(entry.msg));
      expect(line?.level).toBeGreaterThanOrEqual(50);
      expect(line?.keys).toEqual(['job:odd', 'job:torn']);
      expect(queue.get('torn')).toBeUndefined();
      // The images of a job whose record is gone are not kept.
      expect(await jobFolders(fx.workspace.dataDir)).toEqual([waiting]);
    });
    const after = new ClassicLevel<string, string>(join(fx.workspace.dataDir, 'journal'), { valueEncoding: 'utf8' });
    try {
      expect(await after.get('quarantine:job:torn')).toBe('{"id":"torn","platform":"disc');
      expect(await after.get('job:torn')).toBeUndefined();
    } finally {
      await after.close();
    }
  });

  it('counts attempts before each run, and gives up a job during whose runs the bot died too often', async () => {
    const journal = new FaultyJournal(fx.workspace.dataDir);
    await withQueue(fx.workspace, { journal }, async (running) => {
      const { info } = await submitRunning(running, fx.request('alice'));
      expect(journal.saved.filter((record) => record.id === info.id).map((record) => [record.state, record.attempts])).toEqual([
        ['queued', undefined],
        ['running', 1],
      ]);
    });
    // The clean stop above put the job back as waiting and did not count it as a crashed run.
    expect(journal.saved.at(-1)).toMatchObject({ state: 'queued', attempts: 0 });

    // What the journal holds after the bot died during runs: one job as often as allowed, one once less.
    const seeded = new Journal(fx.workspace.dataDir);
    await seeded.open();
    const base = journal.saved[0] as JobRecord;
    const doomed: JobRecord = { ...base, id: 'doomed', seq: 10, state: 'running', attempts: DEFAULT_LIMITS.maxAttempts };
    const lucky: JobRecord = { ...base, id: 'lucky', userId: 'bob', seq: 11, state: 'running', attempts: DEFAULT_LIMITS.maxAttempts - 1 };
    for (const record of [doomed, lucky]) await seeded.accept(record, { content: fx.content, style: fx.style });
    await seeded.close();

    await withQueue(fx.workspace, async ({ queue, events, lines }) => {
      await events.waitFinished(['doomed']);
      expect(events.of('doomed')).toEqual([{ type: 'failed', reason: { code: 'crashed-too-often', params: { attempts: DEFAULT_LIMITS.maxAttempts } } }]);
      expect(lines.some((line) => line.jobId === 'doomed' && /given up/.test(line.msg))).toBe(true);
      expect(queue.get('lucky')?.state).not.toBe('failed');
      await events.waitFor(() => events.of('lucky').some((event) => event.type === 'queued'), 'the other job to resume');
    });
  });
});
