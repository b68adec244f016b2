// Redis holds nothing that PostgreSQL cannot rebuild (issue 18): emptied while jobs wait, dispatch is rebuilt
// by the front-end's reconciler from the job records, and every job runs once.
import { describe, expect, it } from 'vitest';
import { finishAtOnce } from './fixtures/scripted-engine.js';
import { QUEUE_KINDS, submitRunning, useQueueFixture, withQueue } from './queue-harness.js';

describe.runIf(QUEUE_KINDS.includes('cluster'))('cluster dispatch when Redis loses its data', () => {
  const fx = useQueueFixture('cluster');

  it('Redis emptied (every key of the cluster gone, as FLUSHALL does): the waiting jobs are back at the next reconcile, none lost, none run twice', async () => {
    await withQueue(fx.workspace, async (running) => {
      const { queue, events, engine, clock } = running;
      const { info: first, run } = await submitRunning(running, fx.request('zoe'));
      const waiting = [await queue.submit(fx.request('alice')), await queue.submit(fx.request('bob')), await queue.submit(fx.request('carol'))];
      const redis = fx.workspace.redis;
      if (!redis) throw new Error('a cluster workspace has its Redis space');
      // Every key of this cluster goes, the running job's included (a shared server: only this test's prefix).
      await redis.clear();

      engine.script = finishAtOnce;
      // The job that was running when Redis lost it ends on its worker and is concluded through PostgreSQL.
      await run.finish();
      const all = [first.id, ...waiting.map((job) => job.id)];
      // The reconciler runs every 10 s on the queue's clock: one round puts every waiting job back.
      await clock.advance(10_000);
      await events.waitFinished(all);
      for (const id of all) expect(queue.get(id)?.state).toBe('done');
      const started = engine.runs.map((run) => run.jobId);
      expect([...started].sort()).toEqual([...all].sort());
      for (const id of all) expect(events.of(id).filter((event) => event.type === 'done')).toHaveLength(1);
    });
  });
});
