import { describe, expect, it } from 'vitest';
import {flushEvents, QUEUE_KINDS, submitRunning, useQueueFixture, withQueue } from './queue-harness.js';

describe.each(QUEUE_KINDS)('cancel (%s)', (kind) => {
  const fx = useQueueFixture(kind);

  it('cancels a waiting job for its owner only, and moves the jobs behind it up', async () => {
    await withQueue(fx.workspace, async (running) => {
      const { queue, events, engine } = running;
      const { info: first0, run } = await submitRunning(running, fx.request('alice'));
      const first = await queue.submit(fx.request('bob'));
      const second = await queue.submit(fx.request('carol'));

      expect(await queue.cancel(first.id, { platform: 'discord', userId: 'carol' })).toBe('not-owner');
      // The same user id on the other platform is another person.
      expect(await queue.cancel(first.id, { platform: 'slack', userId: 'bob' })).toBe('not-owner');
      expect(await queue.cancel('no-such-job', { platform: 'discord', userId: 'bob' })).toBe('not-found');
      expect(await queue.cancel(first.id, { platform: 'discord', userId: 'bob' })).toBe('cancelled');
      await flushEvents();
      expect(events.types(first.id)).toEqual(['queued', 'cancelled']);
      expect(events.of(first.id).at(-1)).toEqual({ type: 'cancelled', byUserId: 'bob' });
      expect(events.of(second.id)).toEqual([
        { type: 'queued', position: 2, resumed: false },
        { type: 'position', position: 1 },
      ]);
      expect(queue.get(first.id)?.state).toBe('cancelled');
      expect(await queue.cancel(first.id, { platform: 'discord', userId: 'bob' })).toBe('already-finished');

      await queue.cancel(first0.id, { platform: 'discord', userId: 'alice' });
      expect(run.cancelRequested).toBe(true);
      await (await engine.runOf(second.id)).finish();
      await events.waitFinished([second.id]);
      expect(events.startOrder()).toEqual([first0.id, second.id]);
      // The cancelled waiting job never reached the engine.
      expect(engine.runs.map((r) => r.jobId)).toEqual([first0.id, second.id]);
    });
  });

  it('stops a running job when the engine stops it, and the next job runs on the same engine', async () => {
    await withQueue(fx.workspace, async (running) => {
      const { queue, events, engine } = running;
      const { info, run } = await submitRunning(running, fx.request('alice'));
      const next = await queue.submit(fx.request('bob'));
      run.progress(1, 100, { etaMs: 9_900 });
      expect(await queue.cancel(info.id, { platform: 'discord', userId: 'bob' })).toBe('not-owner');
      expect(run.cancelRequested).toBe(false);

      expect(await queue.cancel(info.id, { platform: 'discord', userId: 'alice' })).toBe('cancelled');
      expect(run.outcome).toEqual({ kind: 'stopped' });
      expect(queue.get(info.id)?.state).toBe('cancelled');

      await (await engine.runOf(next.id)).finish();
      await events.waitFinished([next.id]);
      expect(events.types(info.id)).toEqual(['queued', 'started', 'progress', 'cancelled']);
      expect(events.of(info.id).at(-1)).toEqual({ type: 'cancelled', byUserId: 'alice' });
      expect(events.of(next.id).at(-1)?.type).toBe('done');
      // One engine, started once, for both jobs.
      expect(engine.starts).toBe(1);
      expect(await queue.cancel(next.id, { platform: 'discord', userId: 'bob' })).toBe('already-finished');
    });
  });
});
