import { describe, expect, it } from 'vitest';
import { finishAtOnce } from './fixtures/scripted-engine.js';
import {flushEvents, QUEUE_KINDS, submitRunning, useQueueFixture, withQueue } from './queue-harness.js';

describe.each(QUEUE_KINDS)('fair order across users (%s)', (kind) => {
  const fx = useQueueFixture(kind);

  it("interleaves two users' jobs round-robin, and positions follow that order", async () => {
    await withQueue(fx.workspace, async (running) => {
      const { queue, events, engine } = running;
      // Someone else's job holds the engine while Alice and Bob queue up.
      const { info: blocker } = await submitRunning(running, fx.request('zoe'));
      const a1 = await queue.submit(fx.request('alice'));
      const a2 = await queue.submit(fx.request('alice'));
      const a3 = await queue.submit(fx.request('alice'));
      const b1 = await queue.submit(fx.request('bob', undefined, 'slack'));
      const b2 = await queue.submit(fx.request('bob', undefined, 'slack'));

      // Bob's first job goes right after Alice's first, not behind all three of hers.
      await flushEvents();
      const expected = [a1.id, b1.id, a2.id, b2.id, a3.id];
      expect(events.lastPositions()).toEqual(new Map(expected.map((id, i) => [id, i + 1])));
      // Alice's later jobs were told that Bob's went ahead of them.
      expect(events.of(a2.id).filter((e) => e.type === 'queued' || e.type === 'position')).toEqual([
        { type: 'queued', position: 2, resumed: false },
        { type: 'position', position: 3 },
      ]);

      engine.script = finishAtOnce;
      expect(await queue.cancel(blocker.id, { platform: 'discord', userId: 'zoe' })).toBe('cancelled');
      await events.waitFinished(expected);
      expect(events.startOrder()).toEqual([blocker.id, ...expected]);
      for (const id of expected) expect(queue.get(id)?.state).toBe('done');
      // Each start moved everyone behind it up by one, down to position 1.
      expect(events.of(a3.id).filter((e) => e.type === 'position').map((e) => (e.type === 'position' ? e.position : 0))).toEqual([4, 5, 4, 3, 2, 1]);
    });
  });

  it('puts a newcomer ahead of the later jobs of someone who queued many', async () => {
    await withQueue(fx.workspace, async (running) => {
      const { queue, events, engine } = running;
      const { info: a1 } = await submitRunning(running, fx.request('alice'));
      const a2 = await queue.submit(fx.request('alice'));
      const a3 = await queue.submit(fx.request('alice'));
      const c1 = await queue.submit(fx.request('carol'));
      await flushEvents();
      expect(events.lastPositions()).toEqual(new Map([[a2.id, 1], [c1.id, 2], [a3.id, 3]]));
      engine.script = finishAtOnce;
      await queue.cancel(a1.id, { platform: 'discord', userId: 'alice' });
      await events.waitFinished([a2.id, a3.id, c1.id]);
      expect(events.startOrder()).toEqual([a1.id, a2.id, c1.id, a3.id]);
    });
  });
});
