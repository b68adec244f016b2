// What the bot keeps of people's photos: done jobs keep theirs for "run again" until the retention window
// passes, also while the bot is idle; failed and cancelled jobs lose theirs at once; and the jobs folder
// stays under its disk cap, oldest finished jobs first, refusing new jobs only when waiting ones fill it.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../src/wording/index.js';
import { RETENTION_INTERVAL_MS } from '../src/queue/retention.js';
import { waitFor } from './fixtures/wait-for.js';
import { submitRunning, useQueueFixture, withQueue } from './queue-harness.js';

const DAY_MS = 24 * 60 * 60_000;

describe('retention', () => {
  const fx = useQueueFixture();
  const folders = (): Promise<string[]> => readdir(join(fx.workspace.dataDir, 'jobs'));

  it('an idle bot forgets a done job and its images once the retention window has passed', async () => {
    await withQueue(fx.workspace, { keepFinishedMs: DAY_MS }, async (running) => {
      const { queue, events, clock } = running;
      const { info, run } = await submitRunning(running, fx.request('alice'));
      await run.finish();
      await events.waitFinished([info.id]);
      expect(await folders()).toEqual([info.id]);

      await clock.advance(DAY_MS - RETENTION_INTERVAL_MS);
      expect(queue.get(info.id)?.state).toBe('done');
      // No job runs from here on: only the retention timer can remove it.
      await clock.advance(2 * RETENTION_INTERVAL_MS);
      await waitFor(() => queue.get(info.id) === undefined, 30_000, 'the expired job to be forgotten');
      expect(await folders()).toEqual([]);
    });
  });

  it('removes the images of failed and cancelled jobs at once; done jobs keep theirs', async () => {
    await withQueue(fx.workspace, async (running) => {
      const { queue, events } = running;
      const failing = await submitRunning(running, fx.request('alice'));
      const cancelled = await queue.submit(fx.request('bob'));
      const done = await queue.submit(fx.request('carol'));
      expect(await queue.cancel(cancelled.id, { platform: 'discord', userId: 'bob' })).toBe('cancelled');
      failing.run.fail({ code: 'image-not-an-image', params: { role: 'content' } });
      await (await running.engine.runOf(done.id)).finish();
      await events.waitFinished([failing.info.id, cancelled.id, done.id]);
      expect(await folders()).toEqual([done.id]);
      // Their records stay for the retention window (a late Cancel press is told it already ended).
      expect(queue.get(failing.info.id)?.state).toBe('failed');
      expect(await queue.cancel(cancelled.id, { platform: 'discord', userId: 'bob' })).toBe('already-finished');
    });
  });

  it('keeps the jobs folder under its cap: oldest done jobs go first; new jobs are refused when waiting ones fill it', async () => {
    const perJob = fx.content.length + fx.style.length;
    await withQueue(fx.workspace, { storage: { maxDataBytes: Math.floor(2.5 * perJob) } }, async (running) => {
      const { queue, events } = running;
      const oldest = await submitRunning(running, fx.request('alice'));
      await oldest.run.finish();
      const older = await submitRunning(running, fx.request('bob'));
      await older.run.finish();
      await events.waitFinished([oldest.info.id, older.info.id]);

      // Two done jobs and one more: the oldest done one goes to make room.
      const waiting = await submitRunning(running, fx.request('carol'));
      expect(queue.get(oldest.info.id)).toBeUndefined();
      expect((await folders()).sort()).toEqual([older.info.id, waiting.info.id].sort());

      // One running and one waiting: together with a third they would pass the cap even with no done job left.
      const second = await queue.submit(fx.request('dave'));
      expect(queue.get(older.info.id)).toBeUndefined();
      await expect(queue.submit(fx.request('erin'))).rejects.toThrow(new UserError('storage-full'));
      expect((await folders()).sort()).toEqual([waiting.info.id, second.id].sort());
    });
  });
});
