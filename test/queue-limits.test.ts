import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueRejectedError } from '../src/queue/index.js';
import { captureLog, EventRecorder, makeImage, makeQueue, makeWorkspace, request, SLOW } from './queue-harness.js';

describe('queue limits', () => {
  let workspace: Awaited<ReturnType<typeof makeWorkspace>>;
  let content: Buffer;
  let style: Buffer;

  beforeAll(async () => {
    workspace = await makeWorkspace();
    content = await makeImage(48, 1);
    style = await makeImage(48, 2);
  });
  afterAll(async () => workspace.cleanup());

  it('refuses bad or oversized images at once with a message naming the image', async () => {
    const { log } = captureLog();
    const queue = makeQueue(workspace, log, { limits: { maxInputBytes: 20_000 } });
    await queue.start();
    try {
      const big = await makeImage(256, 3);
      expect(big.length).toBeGreaterThan(20_000);
      await expect(queue.submit(request('alice', big, style))).rejects.toThrow(/Your content image is \d+ KB; the largest image the bot takes is 20 KB/);
      await expect(queue.submit(request('alice', content, Buffer.alloc(0)))).rejects.toThrow('Your style image is empty');
      const notAnImage = Buffer.from('this is a text file, not a picture');
      const rejected = await queue.submit(request('alice', content, notAnImage)).catch((error: unknown) => error);
      expect(rejected).toBeInstanceOf(QueueRejectedError);
      expect((rejected as Error).message).toMatch(/style image/i);
      expect(queue.get('nothing')).toBeUndefined();
    } finally {
      await queue.stop();
    }
  });

  it('caps jobs per user and the queue length, with messages for the user', async () => {
    const { log } = captureLog();
    const queue = makeQueue(workspace, log, { limits: { maxPendingPerUser: 2, maxQueueLength: 3 } });
    const events = new EventRecorder();
    events.listen(queue);
    await queue.start();
    try {
      const running = await queue.submit(request('alice', content, style, SLOW));
      await events.waitRunning(running.id);
      const waiting = await queue.submit(request('alice', content, style));
      // The running job counts: Alice has two jobs in the queue.
      await expect(queue.submit(request('alice', content, style))).rejects.toThrow(
        'You already have 2 jobs waiting or running, the most one person may have at a time.',
      );
      await queue.submit(request('bob', content, style));
      await queue.submit(request('carol', content, style));
      await expect(queue.submit(request('dave', content, style))).rejects.toThrow('The queue is full (3 jobs waiting). Please try again in a few minutes.');
      // A cancelled job frees the place.
      expect(await queue.cancel(waiting.id, 'alice')).toBe('cancelled');
      await queue.submit(request('dave', content, style));
      await queue.cancel(running.id, 'alice');
    } finally {
      await queue.stop();
    }
  });

  it('fails a job that runs past the time limit, and goes on with the next', async () => {
    const { log, lines } = captureLog();
    const queue = makeQueue(workspace, log, { limits: { jobTimeoutMs: 1500 } });
    const events = new EventRecorder();
    events.listen(queue);
    await queue.start();
    try {
      // The first job also waits for the engine to load; give it time, then a slow one that times out.
      const warm = await queue.submit(request('alice', content, style));
      await events.waitFinished([warm.id]);
      const slow = await queue.submit(request('alice', content, style, { ...SLOW, size: 1024 }));
      const next = await queue.submit(request('bob', content, style));
      await events.waitFinished([slow.id, next.id]);
      expect(events.of(slow.id).at(-1)).toEqual({
        type: 'failed',
        reason: 'Your job took longer than the 1.5-second limit and was stopped. Try again with a smaller size.',
      });
      expect(events.of(next.id).at(-1)?.type).toBe('done');
      expect(lines.some((line) => line.msg === 'job timed out')).toBe(true);
    } finally {
      await queue.stop();
    }
  });

  it('refuses jobs before start and after stop', async () => {
    const { log } = captureLog();
    const queue = makeQueue(workspace, log);
    await expect(queue.submit(request('alice', content, style))).rejects.toThrow(/not taking new jobs/);
    await queue.start();
    await queue.stop();
    await expect(queue.submit(request('alice', content, style))).rejects.toBeInstanceOf(QueueRejectedError);
  });
});
