import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { captureLog, EventRecorder, makeImage, makeQueue, makeWorkspace, request } from './queue-harness.js';

describe('a job through the queue on the real engine process', () => {
  let workspace: Awaited<ReturnType<typeof makeWorkspace>>;
  let content: Buffer;
  let style: Buffer;

  beforeAll(async () => {
    workspace = await makeWorkspace();
    content = await makeImage(48, 1);
    style = await makeImage(48, 2);
  });
  afterAll(async () => workspace.cleanup());

  it('emits queued, started, progress and done with a PNG of the requested size', async () => {
    const { log } = captureLog();
    const queue = makeQueue(workspace, log);
    const events = new EventRecorder();
    events.listen(queue);
    await queue.start();
    try {
      const job = await queue.submit(request('alice', content, style));
      expect(job.state).toBe('queued');
      await events.waitFinished([job.id]);
      expect(events.types(job.id)).toEqual(['queued', 'started', 'progress', 'done']);
      const done = events.of(job.id).at(-1);
      if (done?.type !== 'done') throw new Error('no done event');
      const meta = await sharp(done.png).metadata();
      expect(meta.format).toBe('png');
      expect(Math.max(meta.width ?? 0, meta.height ?? 0)).toBe(32);
      expect(queue.get(job.id)?.state).toBe('done');
    } finally {
      await queue.stop();
    }
  });
});
