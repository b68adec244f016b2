import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLog, EventRecorder, flushEvents, makeImage, makeQueue, makeWorkspace, request, SLOW } from './queue-harness.js';

describe('cancel', () => {
  let workspace: Awaited<ReturnType<typeof makeWorkspace>>;
  let content: Buffer;
  let style: Buffer;

  beforeAll(async () => {
    workspace = await makeWorkspace();
    content = await makeImage(48, 1);
    style = await makeImage(48, 2);
  });
  afterAll(async () => workspace.cleanup());

  it('cancels a waiting job for its owner only, and moves the jobs behind it up', async () => {
    const { log } = captureLog();
    const queue = makeQueue(workspace, log);
    const events = new EventRecorder();
    events.listen(queue);
    await queue.start();
    try {
      const running = await queue.submit(request('alice', content, style, SLOW));
      await events.waitRunning(running.id);
      const first = await queue.submit(request('bob', content, style));
      const second = await queue.submit(request('carol', content, style));

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
    } finally {
      await queue.stop();
    }
  });

  it('stops a running job within about one iteration, and the next job runs on the same warm engine', async () => {
    const { log } = captureLog();
    const queue = makeQueue(workspace, log);
    const events = new EventRecorder();
    events.listen(queue);
    await queue.start();
    try {
      const running = await queue.submit(request('alice', content, style, SLOW));
      const next = await queue.submit(request('bob', content, style));
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
    } finally {
      await queue.stop();
    }
  });
});
