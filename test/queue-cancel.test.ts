import { describe, expect, it } from 'vitest';
import { flushEvents, SLOW, submitRunning, useQueueFixture, withQueue } from './queue-harness.js';

describe('cancel', () => {
  const fx = useQueueFixture();

  it('cancels a waiting job for its owner only, and moves the jobs behind it up', async () => {
    await withQueue(fx.workspace, async ({ queue, events }) => {
      const running = await submitRunning(queue, events, fx.request('alice', SLOW));
      const first = await queue.submit(fx.request('bob'));
      const second = await queue.submit(fx.request('carol'));

      expect(await queue.cancel(first.id, 'carol')).toBe('not-owner');
      expect(await queue.cancel('no-such-job', 'bob')).toBe('not-found');
      expect(await queue.cancel(first.id, 'bob')).toBe('cancelled');
      await flushEvents();
      expect(events.types(first.id)).toEqual(['queued', 'cancelled']);
      expect(events.of(first.id).at(-1)).toEqual({ type: 'cancelled', byUserId: 'bob' });
      expect(events.of(second.id)).toEqual([
        { type: 'queued', position: 2, resumed: false },
        { type: 'position', position: 1 },
      ]);
      expect(queue.get(first.id)?.state).toBe('cancelled');
      expect(await queue.cancel(first.id, 'bob')).toBe('already-finished');

      await queue.cancel(running.id, 'alice');
      await events.waitFinished([second.id]);
      expect(events.startOrder()).toEqual([running.id, second.id]);
    });
  });

  it('stops a running job within about one iteration, and the next job runs on the same warm engine', async () => {
    await withQueue(fx.workspace, async ({ queue, events }) => {
      const running = await queue.submit(fx.request('alice', SLOW));
      const next = await queue.submit(fx.request('bob'));
      await events.waitRunning(running.id);
      const pid = queue.enginePid;
      expect(await queue.cancel(running.id, 'bob')).toBe('not-owner');

      const asked = performance.now();
      expect(await queue.cancel(running.id, 'alice')).toBe('cancelled');
      const stoppedAfterMs = performance.now() - asked;
      // One iteration at 512 px on the tiny network takes well under a second; killing would take 10 s.
      expect(stoppedAfterMs).toBeLessThan(3000);
      expect(queue.get(running.id)?.state).toBe('cancelled');

      await events.waitFinished([next.id]);
      expect(events.types(running.id)).toEqual(['queued', 'started', 'progress', 'cancelled']);
      expect(events.of(running.id).at(-1)).toEqual({ type: 'cancelled', byUserId: 'alice' });
      expect(events.of(next.id).at(-1)?.type).toBe('done');
      expect(queue.enginePid).toBe(pid);
      expect(await queue.cancel(next.id, 'bob')).toBe('already-finished');
    });
  });
});
