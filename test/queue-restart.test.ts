import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../src/wording/index.js';
import { finishAtOnce } from './fixtures/scripted-engine.js';
import { flushEvents, submitRunning, TINY, useQueueFixture, withQueue } from './queue-harness.js';

describe('restart', () => {
  const fx = useQueueFixture();

  it('resumes the interrupted job and the waiting ones, in their fair order, with their reply refs', async () => {
    const { before, interrupted, a2, a3, b1, c1, run } = await withQueue(fx.workspace, async (running) => {
      const { queue: first, events } = running;
      const { info: interrupted, run } = await submitRunning(running, fx.request('alice'));
      const a2 = await first.submit(fx.request('alice'));
      const a3 = await first.submit(fx.request('alice'));
      const b1 = await first.submit(fx.request('bob', TINY, 'slack'));
      const c1 = await first.submit(fx.request('carol'));
      await first.updateReply(c1.id, { channel: 'c1', message: 'm-42' });
      return { before: events, interrupted, a2, a3, b1, c1, run };
    });
    await flushEvents();
    // Stopping is not cancelling: the running job was stopped, and nobody was told their job ended.
    expect(run.outcome).toEqual({ kind: 'stopped' });
    for (const id of [interrupted.id, a2.id, a3.id, b1.id, c1.id]) expect(before.finished(id)).toBe(false);

    await withQueue(fx.workspace, async (running) => {
      const { queue: second, events: after, engine } = running;
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
      // The interrupted job runs again from the start, on the images it was accepted with.
      const again = await engine.runOf(interrupted.id);
      expect(again.content).toEqual(run.content);
      // It is cancelled here only to keep the test short; the others then run in order.
      engine.script = finishAtOnce;
      expect(await second.cancel(interrupted.id, { platform: 'discord', userId: 'alice' })).toBe('cancelled');
      const expected = [interrupted.id, a2.id, b1.id, c1.id, d1.id, a3.id];
      await after.waitFinished(expected);
      expect(after.startOrder()).toEqual(expected);
      for (const id of expected.slice(1)) expect(second.get(id)?.state).toBe('done');
    });
  });

  it('runs a finished job again from its stored images, and prunes old ones', async () => {
    await withQueue(fx.workspace, { keepFinishedCount: 2 }, async ({ queue, events, engine, clock }) => {
      engine.script = finishAtOnce;
      const original = await queue.submit(fx.request('alice'));
      await events.waitFinished([original.id]);
      // Jobs finish at distinct times, so "the two most recent" is well defined.
      await clock.advance(1000);
      // Only the owner may run a job again: not another user, nor the same user id on the other platform.
      const stranger = { platform: 'discord', userId: 'bob', userName: 'Bob', reply: { channel: 'c2' } } as const;
      await expect(queue.rerun(original.id, stranger, TINY)).rejects.toThrow('Only the person who started this job can run it again');
      await expect(queue.rerun(original.id, { ...stranger, platform: 'slack', userId: 'alice' }, TINY)).rejects.toBeInstanceOf(UserError);
      const again = await queue.rerun(original.id, { platform: 'discord', userId: 'alice', userName: 'Alice', reply: { channel: 'c2' } }, { ...TINY, preset: 'painting' });
      expect(again).toMatchObject({ userId: 'alice', options: { preset: 'painting' }, state: 'queued' });
      await events.waitFinished([again.id]);
      expect(events.of(again.id).at(-1)?.type).toBe('done');
      // The rerun reached the engine with the stored images and the new options.
      const [first, second] = engine.runs;
      expect(second?.options).toEqual({ ...TINY, preset: 'painting' });
      expect([second?.content, second?.style]).toEqual([first?.content, first?.style]);

      await expect(queue.rerun('unknown', { platform: 'discord', userId: 'bob', userName: 'Bob', reply: {} }, TINY)).rejects.toBeInstanceOf(UserError);
      // Only the two most recent finished jobs (and their images) are kept.
      await clock.advance(1000);
      const third = await queue.submit(fx.request('carol'));
      await events.waitFinished([third.id]);
      await events.waitFor(() => queue.get(original.id) === undefined, 'the oldest job to be pruned');
      await expect(queue.rerun(original.id, { platform: 'discord', userId: 'alice', userName: 'Alice', reply: {} }, TINY)).rejects.toThrow(
        'The images of this job are no longer kept',
      );
      const kept = await readdir(join(fx.workspace.dataDir, 'jobs'));
      expect(kept.sort()).toEqual([again.id, third.id].sort());
    });
  });

  it('forgets finished jobs once they are older than the retention time', async () => {
    await withQueue(fx.workspace, { keepFinishedMs: 60 * 60_000 }, async ({ queue, events, engine, clock }) => {
      engine.script = finishAtOnce;
      const old = await queue.submit(fx.request('alice'));
      await events.waitFinished([old.id]);
      await clock.advance(60 * 60_000);
      // Pruning runs after each job: one hour on, the old job is still within the window...
      const within = await queue.submit(fx.request('bob'));
      await events.waitFinished([within.id]);
      expect(queue.get(old.id)?.state).toBe('done');
      // ...one millisecond later it is not.
      await clock.advance(1);
      const after = await queue.submit(fx.request('carol'));
      await events.waitFinished([after.id]);
      await events.waitFor(() => queue.get(old.id) === undefined, 'the expired job to be pruned');
      expect(queue.get(within.id)?.state).toBe('done');
    });
  });
});
