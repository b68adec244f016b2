import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { useQueueFixture, withQueue } from './queue-harness.js';

describe('a job through the queue on the real engine process', () => {
  const fx = useQueueFixture();

  it('emits queued, started, progress and done with a PNG of the requested size', async () => {
    await withQueue(fx.workspace, async ({ queue, events }) => {
      const job = await queue.submit(fx.request('alice'));
      expect(job.state).toBe('queued');
      await events.waitFinished([job.id]);
      expect(events.types(job.id)).toEqual(['queued', 'started', 'progress', 'done']);
      const done = events.of(job.id).at(-1);
      if (done?.type !== 'done') throw new Error('no done event');
      const meta = await sharp(done.png).metadata();
      expect(meta.format).toBe('png');
      expect(Math.max(meta.width ?? 0, meta.height ?? 0)).toBe(32);
      expect(queue.get(job.id)?.state).toBe('done');
    });
  });
});
