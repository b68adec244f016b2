import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLog, EventRecorder, flushEvents, makeImage, makeQueue, makeWorkspace, request, SLOW } from './queue-harness.js';

describe('fair order across users', () => {
  let workspace: Awaited<ReturnType<typeof makeWorkspace>>;
  let content: Buffer;
  let style: Buffer;

  beforeAll(async () => {
    workspace = await makeWorkspace();
    content = await makeImage(48, 1);
    style = await makeImage(48, 2);
  });
  afterAll(async () => workspace.cleanup());

  it("interleaves two users' jobs round-robin, and positions follow that order", async () => {
    const { log } = captureLog();
    const queue = makeQueue(workspace, log);
    const events = new EventRecorder();
    events.listen(queue);
    await queue.start();
    try {
      // Someone else's long job keeps the engine busy while Alice and Bob queue up.
      const blocker = await queue.submit(request('zoe', content, style, SLOW));
      await events.waitRunning(blocker.id);
      const a1 = await queue.submit(request('alice', content, style));
      const a2 = await queue.submit(request('alice', content, style));
      const a3 = await queue.submit(request('alice', content, style));
      const b1 = await queue.submit(request('bob', content, style, undefined, 'slack'));
      const b2 = await queue.submit(request('bob', content, style, undefined, 'slack'));

      // Bob's first job goes right after Alice's first, not behind all three of hers.
      await flushEvents();
      const expected = [a1.id, b1.id, a2.id, b2.id, a3.id];
      expect(events.lastPositions()).toEqual(new Map(expected.map((id, i) => [id, i + 1])));
      // Alice's later jobs were told that Bob's went ahead of them.
      expect(events.of(a2.id).filter((e) => e.type === 'queued' || e.type === 'position')).toEqual([
        { type: 'queued', position: 2, resumed: false },
        { type: 'position', position: 3 },
      ]);

      expect(await queue.cancel(blocker.id, 'zoe')).toBe('cancelled');
      await events.waitFinished(expected);
      expect(events.startOrder()).toEqual([blocker.id, ...expected]);
      for (const id of expected) expect(queue.get(id)?.state).toBe('done');
      // Each start moved everyone behind it up by one, down to position 1.
      expect(events.of(a3.id).filter((e) => e.type === 'position').map((e) => (e.type === 'position' ? e.position : 0))).toEqual([4, 5, 4, 3, 2, 1]);
    } finally {
      await queue.stop();
    }
  });

  it('puts a newcomer ahead of the later jobs of someone who queued many', async () => {
    const { log } = captureLog();
    const queue = makeQueue(workspace, log);
    const events = new EventRecorder();
    events.listen(queue);
    await queue.start();
    try {
      const a1 = await queue.submit(request('alice', content, style, SLOW));
      await events.waitRunning(a1.id);
      const a2 = await queue.submit(request('alice', content, style));
      const a3 = await queue.submit(request('alice', content, style));
      const c1 = await queue.submit(request('carol', content, style));
      await flushEvents();
      expect(events.lastPositions()).toEqual(new Map([[a2.id, 1], [c1.id, 2], [a3.id, 3]]));
      await queue.cancel(a1.id, 'alice');
      await events.waitFinished([a2.id, a3.id, c1.id]);
      expect(events.startOrder()).toEqual([a1.id, a2.id, c1.id, a3.id]);
    } finally {
      await queue.stop();
    }
  });
});
