import { describe, expect, it } from 'vitest';
import { submitRunning, useQueueFixture, withQueue } from './queue-harness.js';

describe('jobs the engine cannot finish', () => {
  const fx = useQueueFixture();

  it("fails a job with the engine's own message when its input cannot be used, with a plain one when the engine crashed", async () => {
    await withQueue(fx.workspace, async (running) => {
      const { queue, events, engine, lines } = running;
      const { info: refused, run } = await submitRunning(running, fx.request('alice'));
      const crashed = await queue.submit(fx.request('bob'));
      run.fail('At 64 px the content image is too small for layer conv4_2. Use a larger size.');
      const crashing = await engine.runOf(crashed.id);
      crashing.progress(3, 100);
      crashing.crash();
      await events.waitFinished([refused.id, crashed.id]);
      expect(events.of(refused.id).at(-1)).toEqual({ type: 'failed', reason: 'At 64 px the content image is too small for layer conv4_2. Use a larger size.' });
      expect(events.of(crashed.id).at(-1)).toEqual({
        type: 'failed',
        reason: 'The engine crashed while working on your image (it may have run out of memory). Try again with a smaller size; other jobs are not affected.',
      });
      expect(lines.some((line) => line.msg === 'job failed' && line.why === 'crashed' && line.level >= 50)).toBe(true);
    });
  });

  it('holds the queue while a hung job ignores its time limit, and goes on once the engine is killed', async () => {
    await withQueue(fx.workspace, { limits: { jobTimeoutMs: 60_000 } }, async (running) => {
      const { queue, events, engine, clock } = running;
      const { info: hung, run } = await submitRunning(running, fx.request('alice'));
      const next = await queue.submit(fx.request('bob'));
      run.hang();
      await clock.advance(60_000);
      expect(run.cancelRequested).toBe(true);
      // Still running: one job at a time, whatever the engine does.
      expect(run.running).toBe(true);
      expect(engine.runs).toHaveLength(1);
      expect(queue.get(hung.id)?.state).toBe('running');
      // The engine process kills an engine that does not stop in time; the job then ends as timed out.
      run.crash();
      await (await engine.runOf(next.id)).finish();
      await events.waitFinished([hung.id, next.id]);
      expect(events.of(hung.id).at(-1)).toEqual({
        type: 'failed',
        reason: 'Your job took longer than the 1-minute limit and was stopped. Try again with a smaller size.',
      });
      expect(events.of(next.id).at(-1)?.type).toBe('done');
    });
  });
});
