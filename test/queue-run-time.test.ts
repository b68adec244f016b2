// A run time picked by the owner (issue 21): the engine gets it as its time budget, capped by the job time
// limit with room to spare, on both kinds of queue; the line's start times count a budgeted job as its
// budget; a job without one runs as before.
import { describe, expect, it } from 'vitest';
import type { EngineProfile, JobOptions } from '../src/queue/index.js';
import { PRIOR_MS_PER_MEGAPIXEL_ITERATION } from '../src/queue/throughput.js';
import { budgetWithin, longestBudgetMs, RUN_MINUTES, runMinutesWithin, timeBudgetOf } from '../src/queue/run-time.js';
import { plannedWork } from '../src/transfer/index.js';
import { flushEvents, QUEUE_KINDS, submitRunning, TINY, useQueueFixture, withQueue, type EventRecorder } from './queue-harness.js';
import { waitFor } from './fixtures/wait-for.js';

const MINUTE = 60_000;
const ONNX_CPU: EngineProfile = { backend: 'onnx-cpu', defaultSize: 512, defaultIterations: 150, networkCost: 1 };

function lastStart(events: EventRecorder, jobId: string): number | undefined {
  const waits = events.of(jobId).flatMap((e) => (e.type === 'queued' || e.type === 'position' ? [e.startsInMs] : []));
  return waits.at(-1);
}

describe('run times within the job time limit', () => {
  it('keeps a fifth of the limit, at least a minute, beyond the longest budget', () => {
    expect(longestBudgetMs(15 * MINUTE)).toBe(12 * MINUTE);
    expect(longestBudgetMs(5 * MINUTE)).toBe(4 * MINUTE);
    expect(longestBudgetMs(MINUTE)).toBe(0);
    expect(runMinutesWithin(15 * MINUTE)).toEqual([...RUN_MINUTES]);
    expect(runMinutesWithin(5 * MINUTE)).toEqual([1, 2]);
    expect(runMinutesWithin(90_000)).toEqual([]);
  });

  it('caps a picked time by the limit; none picked, a damaged value or no room leave the fixed iterations', () => {
    expect(timeBudgetOf(5, 15 * MINUTE)).toBe(5 * MINUTE);
    expect(timeBudgetOf(10, 5 * MINUTE)).toBe(4 * MINUTE);
    expect(timeBudgetOf(undefined, 15 * MINUTE)).toBeUndefined();
    expect(timeBudgetOf('10', 15 * MINUTE)).toBeUndefined();
    expect(timeBudgetOf(-1, 15 * MINUTE)).toBeUndefined();
    expect(timeBudgetOf(5, MINUTE)).toBeUndefined();
  });

  it("caps a dispatched budget again by a cluster worker's own limit", () => {
    expect(budgetWithin({ preset: 'balanced', timeBudgetMs: 10 * MINUTE }, 5 * MINUTE)).toEqual({ preset: 'balanced', timeBudgetMs: 4 * MINUTE });
    expect(budgetWithin({ preset: 'balanced', timeBudgetMs: 2 * MINUTE }, 15 * MINUTE)).toEqual({ preset: 'balanced', timeBudgetMs: 2 * MINUTE });
    expect(budgetWithin({ preset: 'balanced' }, 5 * MINUTE)).toEqual({ preset: 'balanced' });
    expect(budgetWithin({ preset: 'balanced', timeBudgetMs: 2 * MINUTE }, MINUTE)).toEqual({ preset: 'balanced' });
  });
});

describe.each(QUEUE_KINDS)('a picked run time in the queue (%s)', (kind) => {
  const fx = useQueueFixture(kind);

  it("gives the engine the job's time as its budget, capped by the job time limit, and nothing for a job without one", async () => {
    await withQueue(fx.workspace, { limits: { jobTimeoutMs: 5 * MINUTE } }, async (running) => {
      const { engine } = running;
      const within = await submitRunning(running, fx.request('alice', { ...TINY, runMinutes: 2 }));
      expect(within.run.options).toEqual({ preset: 'balanced', size: 32, seed: 1, timeBudgetMs: 2 * MINUTE });
      expect(within.info.options.runMinutes).toBe(2);
      await within.run.finish();
      // Ten minutes under a five-minute limit: four, leaving a minute for the engine's start and the picture.
      const over = await submitRunning(running, fx.request('bob', { ...TINY, runMinutes: 10 }));
      expect(over.run.options.timeBudgetMs).toBe(4 * MINUTE);
      await over.run.finish();
      const plain = await submitRunning(running, fx.request('carol'));
      expect(plain.run.options).toEqual({ preset: 'balanced', size: 32, seed: 1 });
      expect(engine.runs).toHaveLength(3);
    });
  });

  it('keeps the picked time over a restart: the resumed job runs on the same budget', async () => {
    const jobId = await withQueue(fx.workspace, async (running) => {
      const { info } = await submitRunning(running, fx.request('alice', { ...TINY, runMinutes: 5 }));
      return info.id;
    });
    await withQueue(fx.workspace, async ({ engine, queue }) => {
      const run = await engine.runOf(jobId);
      expect(run.options.timeBudgetMs).toBe(5 * MINUTE);
      expect(queue.get(jobId)?.options.runMinutes).toBe(5);
    });
  });

  it("counts a budgeted job in the line as its budget: the jobs behind it start when its time is up", async () => {
    await withQueue(fx.workspace, async (running) => {
      const { queue, engine, events } = running;
      engine.ready(ONNX_CPU);
      const budgeted: JobOptions = { ...TINY, runMinutes: 5 };
      await submitRunning(running, fx.request('alice', budgeted));
      const bob = await queue.submit(fx.request('bob', { ...TINY, runMinutes: 2 }));
      const carol = await queue.submit(fx.request('carol', budgeted));
      await waitFor(() => lastStart(events, carol.id) !== undefined, 10_000, "carol's start time");
      await flushEvents();
      expect(lastStart(events, bob.id)).toBe(5 * MINUTE);
      expect(lastStart(events, carol.id)).toBe(7 * MINUTE);
    });
  });

  it('a budgeted job stopped at the time limit teaches nothing about speed: its pace is set by its budget', async () => {
    await withQueue(fx.workspace, { limits: { jobTimeoutMs: 5 * MINUTE } }, async (running) => {
      const { queue, engine, events, clock } = running;
      engine.ready(ONNX_CPU);
      const at512: JobOptions = { preset: 'balanced', size: 512, seed: 1 };
      const { info: alice, run } = await submitRunning(running, fx.request('alice', { ...at512, runMinutes: 2 }));
      // A pace that, extrapolated, would make this engine look a hundred times slower than its prior.
      run.progress(1, 100, { fraction: 0.01, elapsedMs: 60_000, etaMs: 60_000 });
      await clock.advance(5 * MINUTE);
      await waitFor(() => queue.get(alice.id)?.state === 'failed', 10_000, "alice's job to time out");
      // Bob's job takes exactly the prior's time; a cluster's front-end reads the figures its worker learnt then.
      const prior = (PRIOR_MS_PER_MEGAPIXEL_ITERATION['onnx-cpu'] ?? Number.NaN) * plannedWork(512, 512, ONNX_CPU.defaultIterations);
      const bob = await submitRunning(running, fx.request('bob', at512));
      const carol = await queue.submit(fx.request('carol', at512));
      const dave = await queue.submit(fx.request('dave', at512));
      await bob.run.finish(undefined, { iterations: ONNX_CPU.defaultIterations, seconds: prior / 1000 });
      await engine.runOf(carol.id);
      await waitFor(() => events.of(dave.id).some((e) => e.type === 'position' && e.position === 1 && e.startsInMs !== undefined), 10_000, "dave's new start time");
      // Carol's job, all of it still ahead, is what Dave waits for: the prior, as if Alice's had never run.
      expect(Math.abs((lastStart(events, dave.id) ?? Number.NaN) - prior)).toBeLessThanOrEqual(1);
    });
  });
});
