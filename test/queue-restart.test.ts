import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { QueueRejectedError } from '../src/queue/index.js';
import { flushEvents, SLOW, submitRunning, TINY, useQueueFixture, withQueue } from './queue-harness.js';

describe('restart', () => {
  const fx = useQueueFixture();

  it('resumes the interrupted job and the waiting ones, in their fair order, with their reply refs', async () => {
    const { before, interrupted, a2, a3, b1, c1 } = await withQueue(fx.workspace, async ({ queue: first, events }) => {
      const interrupted = await submitRunning(first, events, fx.request('alice', SLOW));
      const a2 = await first.submit(fx.request('alice'));
      const a3 = await first.submit(fx.request('alice'));
      const b1 = await first.submit(fx.request('bob', TINY, 'slack'));
      const c1 = await first.submit(fx.request('carol'));
      await first.updateReply(c1.id, { channel: 'c1', message: 'm-42' });
      return { before: events, interrupted, a2, a3, b1, c1 };
    });
    await flushEvents();
    // Stopping is not cancelling: nobody was told their job ended.
    for (const id of [interrupted.id, a2.id, a3.id, b1.id, c1.id]) expect(before.finished(id)).toBe(false);

    await withQueue(fx.workspace, async ({ queue: second, events: after }) => {
      // Alice's second job shares round 2 with Bob's and Carol's first; her third comes after theirs.
      const order = [interrupted.id, a2.id, b1.id, c1.id, a3.id];
      expect(after.all.filter((r) => r.event.type === 'queued').map((r) => [r.job.id, r.event])).toEqual(
        order.map((id, i) => [id, { type: 'queued', position: i + 1, resumed: true }]),
      );
      // A newcomer after the restart takes its fair place among the resumed jobs, not the front:
      // behind round 2 (a2, b1, c1; the interrupted job is already running again), ahead of a3.
      const d1 = await second.submit(fx.request('dave'));
      await flushEvents();
      expect(after.of(d1.id)[0]).toEqual({ type: 'queued', position: 4, resumed: false });
      expect(after.all.find((r) => r.job.id === c1.id)?.job.reply).toEqual({ channel: 'c1', message: 'm-42' });
      expect(after.all.find((r) => r.job.id === b1.id)?.job.platform).toBe('slack');
      // The interrupted job is cancelled here only to keep the test short; the others then run in order.
      await after.waitRunning(interrupted.id);
      expect(await second.cancel(interrupted.id, 'alice')).toBe('cancelled');
      const expected = [interrupted.id, a2.id, b1.id, c1.id, d1.id, a3.id];
      await after.waitFinished(expected);
      expect(after.startOrder()).toEqual(expected);
      for (const id of expected.slice(1)) expect(second.get(id)?.state).toBe('done');
    });
  });

  it('runs a finished job again from its stored images, and prunes old ones', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'stylize-queue-'));
    try {
      await withQueue({ weightsDir: fx.workspace.weightsDir, dataDir }, { keepFinishedCount: 2 }, async ({ queue, events }) => {
        const original = await queue.submit(fx.request('alice'));
        await events.waitFinished([original.id]);
        const again = await queue.rerun(original.id, { platform: 'discord', userId: 'bob', userName: 'Bob', reply: { channel: 'c2' } }, { ...TINY, preset: 'painting' });
        expect(again).toMatchObject({ userId: 'bob', options: { preset: 'painting' }, state: 'queued' });
        await events.waitFinished([again.id]);
        expect(events.of(again.id).at(-1)?.type).toBe('done');

        await expect(queue.rerun('unknown', { platform: 'discord', userId: 'bob', userName: 'Bob', reply: {} }, TINY)).rejects.toBeInstanceOf(QueueRejectedError);
        // Only the two most recent finished jobs (and their images) are kept.
        const third = await queue.submit(fx.request('carol'));
        await events.waitFinished([third.id]);
        await events.waitFor(() => queue.get(original.id) === undefined, 'the oldest job to be pruned');
        await expect(queue.rerun(original.id, { platform: 'discord', userId: 'bob', userName: 'Bob', reply: {} }, TINY)).rejects.toThrow(
          'The images of that job are no longer kept',
        );
        const kept = await readdir(join(dataDir, 'jobs'));
        expect(kept.sort()).toEqual([again.id, third.id].sort());
      });
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
