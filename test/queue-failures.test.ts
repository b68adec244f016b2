import { describe, expect, it } from 'vitest';
import { tell, type UserProblem } from '../src/wording/index.js';
import {QUEUE_KINDS, submitRunning, useQueueFixture, withQueue } from './queue-harness.js';

describe.each(QUEUE_KINDS)('jobs the engine cannot finish (%s)', (kind) => {
  const fx = useQueueFixture(kind);

  it("fails a job with the engine's own message when its input cannot be used, with a plain one when the engine crashed", async () => {
    await withQueue(fx.workspace, async (running) => {
      const { queue, events, engine, lines } = running;
      const { info: refused, run } = await submitRunning(running, fx.request('alice'));
      const crashed = await queue.submit(fx.request('bob'));
      const tooSmall: UserProblem = { code: 'image-too-small-for-size', params: { size: 64, width: 64, height: 3, minSide: 8, layers: ['conv4_2'] } };
      run.fail(tooSmall);
      const crashing = await engine.runOf(crashed.id);
      crashing.progress(3, 100);
      crashing.crash();
      await events.waitFinished([refused.id, crashed.id]);
      expect(events.of(refused.id).at(-1)).toEqual({ type: 'failed', reason: tooSmall });
      expect(tell(tooSmall)).toBe('At 64 px the photo is only 64 × 3; its short side must be at least 8 px. Please choose a larger size.');
      expect(events.of(crashed.id).at(-1)).toEqual({ type: 'failed', reason: { code: 'engine-crashed', params: {} } });
      expect(events.failureOf(crashed.id)).toBe(
        'The engine crashed while working on your image (it may have run out of memory). Try again with a smaller size; other jobs are not affected.',
      );
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
      expect(events.of(hung.id).at(-1)).toEqual({ type: 'failed', reason: { code: 'job-timed-out', params: { limitMs: 60_000 } } });
      expect(events.failureOf(hung.id)).toBe('Your job took longer than the 1 min limit and was stopped. Try again with a smaller size.');
      expect(events.of(next.id).at(-1)?.type).toBe('done');
    });
  });
});
