// Honest times: when a waiting job should start, learnt from how fast this engine finished jobs, and sizes
// refused before queueing when they cannot finish within the job time limit. The pure parts are checked
// against hand-computed figures; the queue runs on the scripted engine, whose reported seconds are the
// throughput, and on the manual clock, so no figure depends on the machine.
import { describe, expect, it } from 'vitest';
import { type EngineProfile, type JobOptions } from '../src/queue/index.js';
import { checkJobSize, SIZE_HEADROOM } from '../src/queue/size-check.js';
import { PRIOR_MS_PER_MEGAPIXEL_ITERATION, ThroughputEstimator, parseThroughputFigures } from '../src/queue/throughput.js';
import { MIN_SHIFT_MS, startTimes, worthAnnouncing } from '../src/queue/wait-estimate.js';
import { plannedWork } from '../src/transfer/index.js';
import { flushEvents, request, submitRunning, useQueueFixture, withQueue, type EventRecorder } from './queue-harness.js';
import { UserError } from '../src/wording/index.js';

const ONNX_CPU: EngineProfile = { backend: 'onnx-cpu', defaultSize: 512, defaultIterations: 77, networkCost: 1 };
const WASM: EngineProfile = { backend: 'wasm', defaultSize: 256, defaultIterations: 50, networkCost: 1 };
const ONNX_PRIOR = PRIOR_MS_PER_MEGAPIXEL_ITERATION['onnx-cpu'] ?? Number.NaN;
const WASM_PRIOR = PRIOR_MS_PER_MEGAPIXEL_ITERATION.wasm ?? Number.NaN;
const FIFTEEN_MINUTES = 15 * 60_000;

/** Work of a square job of this long side on a profile's iterations, in megapixel-iterations. */
function work(size: number, profile: EngineProfile): number {
  return plannedWork(size, size, profile.defaultIterations);
}

function at(size: number): JobOptions {
  return { preset: 'balanced', size, seed: 1 };
}

/** What a waiting job was told last: its place and, when known, when it starts. */
function lastWait(events: EventRecorder, jobId: string): { position: number; startsInMs?: number } | undefined {
  const waits = events.of(jobId).flatMap((e) => (e.type === 'queued' || e.type === 'position' ? [{ position: e.position, startsInMs: e.startsInMs }] : []));
  return waits.at(-1);
}

function announcements(events: EventRecorder, jobId: string): number {
  return events.of(jobId).filter((e) => e.type === 'queued' || e.type === 'position').length;
}

/** Floating-point sums of estimates, rounded to whole milliseconds by the queue. */
function expectNear(actual: number | undefined, expected: number): void {
  expect(actual).toBeDefined();
  expect(Math.abs((actual ?? Number.NaN) - expected)).toBeLessThanOrEqual(1);
}

describe('time estimates, piece by piece', () => {
  it('starts from the bench prior, replaces it with the first job measured here, then keeps a moving average', () => {
    const estimator = new ThroughputEstimator();
    const job = { width: 512, height: 512, iterations: 77, networkCost: 1 };
    // The default onnx-cpu job on the ladder: 6.01 megapixel-iterations, 55 s at the bench's 9.2 s each.
    expect(estimator.estimateMs('onnx-cpu', job)).toBeCloseTo(9200 * work(512, ONNX_CPU), 6);
    expect((estimator.estimateMs('onnx-cpu', job) ?? 0) / 1000).toBeCloseTo(55, 0);
    // Backends never benched here have no estimate at all.
    expect(estimator.estimateMs('onnx-cuda', job)).toBeUndefined();
    estimator.learn('onnx-cpu', job, 240_000);
    expect(estimator.estimateMs('onnx-cpu', job)).toBeCloseTo(240_000, 6);
    estimator.learn('onnx-cpu', job, 140_000); // faster: the figure moves 30% of the way
    expect(estimator.estimateMs('onnx-cpu', job)).toBeCloseTo(210_000, 6);
    // The rate carries across sizes by pixels: a quarter of the pixels, about a quarter of the time.
    expect(estimator.estimateMs('onnx-cpu', { ...job, width: 256, height: 256 })).toBeCloseTo(210_000 * (work(256, ONNX_CPU) / work(512, ONNX_CPU)), 6);
    // ...and across networks by their cost: blocks 1-3 alone, or the tests' tiny network.
    expect(estimator.estimateMs('onnx-cpu', { ...job, networkCost: 0.25 })).toBeCloseTo(210_000 * 0.25, 6);
    expect(estimator.figures()['onnx-cpu']?.jobs).toBe(2);
    expect(estimator.figures()['onnx-cpu']?.msPerMegapixelIteration).toBeCloseTo(210_000 / work(512, ONNX_CPU), 6);
  });

  it('a timed-out pace only ever makes the figure slower', () => {
    const estimator = new ThroughputEstimator();
    const job = { width: 256, height: 256, iterations: 100, networkCost: 1 };
    estimator.learnAtLeast('wasm', job, 1000); // faster than the prior: ignored
    expect(estimator.rate('wasm')).toBe(WASM_PRIOR);
    estimator.learnAtLeast('wasm', job, 600_000);
    expect(estimator.estimateMs('wasm', job)).toBeCloseTo(600_000, 6);
  });

  it('reads back journaled figures, dropping what is not a figure', () => {
    expect(parseThroughputFigures({ wasm: { msPerMegapixelIteration: 5, jobs: 2 }, cpu: { msPerMegapixelIteration: -1, jobs: 1 }, tensorflow: 'fast' })).toEqual({
      wasm: { msPerMegapixelIteration: 5, jobs: 2 },
    });
    expect(parseThroughputFigures(null)).toEqual({});
    expect(new ThroughputEstimator({ wasm: { msPerMegapixelIteration: 5, jobs: 2 } }).rate('wasm')).toBe(5);
  });

  it('adds up the running job and the jobs ahead; unknown from the first unknown on', () => {
    expect(startTimes(0, [10, 20, 30])).toEqual([0, 10, 30]);
    expect(startTimes(5, [10, undefined, 30])).toEqual([5, 15, undefined]);
    expect(startTimes(undefined, [10])).toEqual([undefined]);
  });

  it('tells a waiting job again when its place changes or its start moves noticeably', () => {
    const now = 1_000_000;
    const before = { position: 2, startsAt: now + 300_000 };
    expect(worthAnnouncing(undefined, before, now)).toBe(true);
    expect(worthAnnouncing(before, { ...before, position: 1 }, now)).toBe(true);
    expect(worthAnnouncing(before, { position: 2 }, now)).toBe(true);
    // Under 20% of a wait of about 6 minutes: reads about the same; 80 s is over it.
    expect(worthAnnouncing(before, { position: 2, startsAt: now + 300_000 + 59_000 }, now)).toBe(false);
    expect(worthAnnouncing(before, { position: 2, startsAt: now + 300_000 + 80_000 }, now)).toBe(true);
    // Short waits: at least MIN_SHIFT_MS.
    const soon = { position: 1, startsAt: now + 20_000 };
    expect(worthAnnouncing(soon, { position: 1, startsAt: now + 20_000 + MIN_SHIFT_MS - 1 }, now)).toBe(false);
    expect(worthAnnouncing(soon, { position: 1, startsAt: now + 20_000 + MIN_SHIFT_MS }, now)).toBe(true);
  });

  it('refuses a size over the limit with the largest multiple of 32 that fits, scanning past non-monotonic costs', () => {
    const estimate = (size: number): number => WASM_PRIOR * work(size, WASM);
    expect(checkJobSize(256, estimate, FIFTEEN_MINUTES)).toEqual({ ok: true, estimatedMs: estimate(256) });
    // wasm at 1024 px: 19 min. 800 px takes 11.6 min, within 80% of 15 min; 832 px 12.6 min, over it.
    expect(checkJobSize(1024, estimate, FIFTEEN_MINUTES)).toEqual({ ok: false, code: 'size-too-slow', size: 1024, estimatedMs: estimate(1024), limitMs: FIFTEEN_MINUTES, largestSize: 800 });
    expect(estimate(800)).toBeLessThanOrEqual(FIFTEEN_MINUTES * SIZE_HEADROOM);
    expect(estimate(832)).toBeGreaterThan(FIFTEEN_MINUTES * SIZE_HEADROOM);
    // Below 256 px the ladder drops a scale, so 224 px costs more than 256: a budget between the two
    // fits 256 but not 224, and the answer for 300 px is 256, found by scanning (bisecting could miss it).
    expect(work(224, WASM)).toBeGreaterThan(work(256, WASM));
    const budget = (estimate(256) + estimate(224)) / 2 / SIZE_HEADROOM;
    expect(checkJobSize(300, estimate, budget)).toMatchObject({ ok: false, largestSize: 256 });
    expect(checkJobSize(250, estimate, budget)).toMatchObject({ ok: false, largestSize: 192 }); // 4 scales, 68 to 192 px
    // Nothing fits: no largest size.
    expect(checkJobSize(64, () => 1e9, FIFTEEN_MINUTES)).toEqual({ ok: false, code: 'size-too-slow', size: 64, estimatedMs: 1e9, limitMs: FIFTEEN_MINUTES });
    // Speed unknown: every size passes, with no estimate.
    expect(checkJobSize(1024, () => undefined, FIFTEEN_MINUTES)).toEqual({ ok: true });
  });
});

describe('the queue tells when a job starts and refuses sizes that cannot finish', () => {
  const fx = useQueueFixture();

  it('tells the 3rd in line when it starts from the measured throughput, and again when the line moves or a job is faster or slower than estimated', async () => {
    await withQueue(fx.workspace, async (running) => {
      const { queue, engine, events, clock } = running;
      engine.ready(ONNX_CPU);
      const job512 = ONNX_PRIOR * work(512, ONNX_CPU);
      const job256 = ONNX_PRIOR * work(256, ONNX_CPU);
      const { run: alices } = await submitRunning(running, fx.request('alice', at(512)));
      const bob = await queue.submit(fx.request('bob', at(512)));
      const carol = await queue.submit(fx.request('carol', at(256)));
      const dave = await queue.submit(fx.request('dave', at(512)));
      await flushEvents();
      // Alice's job has reported nothing yet: all of its estimate is still ahead, then Bob's and Carol's.
      expect(lastWait(events, bob.id)).toEqual({ position: 1, startsInMs: Math.round(job512) });
      expect(lastWait(events, carol.id)).toEqual({ position: 2, startsInMs: Math.round(job512 + job512) });
      expect(lastWait(events, dave.id)).toEqual({ position: 3, startsInMs: Math.round(job512 + job512 + job256) });
      expect(events.of(dave.id)[0]).toEqual({ type: 'queued', position: 3, resumed: false, startsInMs: Math.round(job512 + job512 + job256) });

      // The engine says Alice's job needs 5 minutes more: slower than estimated, so everyone hears.
      alices.progress(30, 77, { elapsedMs: 40_000, etaMs: 300_000, fraction: 0.12 });
      await flushEvents();
      expect(lastWait(events, dave.id)).toEqual({ position: 3, startsInMs: Math.round(300_000 + job512 + job256) });
      // Time passing as estimated is no news: no edit per progress report.
      const told = announcements(events, dave.id);
      await clock.advance(60_000);
      alices.progress(60, 77, { elapsedMs: 100_000, etaMs: 240_000, fraction: 0.3 });
      await flushEvents();
      expect(announcements(events, dave.id)).toBe(told);

      // Alice's job took twice the prior: the first measurement replaces it, and the line moved up.
      await alices.finish(undefined, { iterations: ONNX_CPU.defaultIterations, seconds: (2 * job512) / 1000 });
      const bobs = await engine.runOf(bob.id);
      await flushEvents();
      expect(lastWait(events, carol.id)).toEqual({ position: 1, startsInMs: Math.round(2 * job512) });
      expectNear(lastWait(events, dave.id)?.startsInMs, 2 * job512 + 2 * job256);
      expect(lastWait(events, dave.id)?.position).toBe(2);

      // Bob's took the prior's time: the moving average comes back 30% of the way (2x -> 1.7x).
      await bobs.finish(undefined, { iterations: ONNX_CPU.defaultIterations, seconds: job512 / 1000 });
      await engine.runOf(carol.id);
      await flushEvents();
      expect(lastWait(events, dave.id)?.position).toBe(1);
      expectNear(lastWait(events, dave.id)?.startsInMs, 1.7 * job256);
    });
  });

  it('counts the jobs ahead in the order they will run: a newcomer ahead of a third job moves it back', async () => {
    await withQueue(fx.workspace, async (running) => {
      const { queue, engine, events } = running;
      engine.ready(ONNX_CPU);
      const job256 = ONNX_PRIOR * work(256, ONNX_CPU);
      const job1024 = ONNX_PRIOR * work(1024, ONNX_CPU);
      const { run } = await submitRunning(running, fx.request('alice', at(256)));
      run.progress(1, 77, { etaMs: 20_000 });
      const second = await queue.submit(fx.request('alice', at(256)));
      const third = await queue.submit(fx.request('alice', at(256)));
      await flushEvents();
      expect(lastWait(events, third.id)).toEqual({ position: 2, startsInMs: Math.round(20_000 + job256) });
      // Bob's first job takes its turn before Alice's third (fair-order.ts), and it is a large one.
      const bobs = await queue.submit(fx.request('bob', at(1024)));
      await flushEvents();
      expect(lastWait(events, bobs.id)).toEqual({ position: 2, startsInMs: Math.round(20_000 + job256) });
      expect(lastWait(events, third.id)).toEqual({ position: 3, startsInMs: Math.round(20_000 + job256 + job1024) });
      expect(lastWait(events, second.id)).toEqual({ position: 1, startsInMs: 20_000 });
      await run.finish();
    });
  });

  it('gives no estimate while the engine has not said how fast it is, then tells the line once it has', async () => {
    await withQueue(fx.workspace, async (running) => {
      const { queue, engine, events } = running;
      await submitRunning(running, fx.request('alice', at(512)));
      const bob = await queue.submit(fx.request('bob', at(512)));
      await flushEvents();
      expect(queue.checkSize(at(1024))).toEqual({ ok: true });
      expect(lastWait(events, bob.id)).toEqual({ position: 1, startsInMs: undefined });
      // A backend never benched here: ready, but still nothing known of its speed.
      engine.ready({ backend: 'onnx-cuda', defaultSize: 512, defaultIterations: 300, networkCost: 1 });
      await flushEvents();
      expect(lastWait(events, bob.id)).toEqual({ position: 1, startsInMs: undefined });
      expect(queue.checkSize(at(1024))).toEqual({ ok: true });
      engine.ready(ONNX_CPU);
      await flushEvents();
      expect(lastWait(events, bob.id)).toEqual({ position: 1, startsInMs: Math.round(ONNX_PRIOR * work(512, ONNX_CPU)) });
    });
  });

  it('refuses a size that cannot finish within the time limit before anything else, with the largest size that fits; on every path', async () => {
    await withQueue(fx.workspace, { limits: { maxPendingPerUser: 1 } }, async (running) => {
      const { queue, engine, lines } = running;
      engine.ready(WASM);
      const estimate = (size: number): number => WASM_PRIOR * work(size, WASM);
      const refusal = { ok: false, code: 'size-too-slow', size: 1024, estimatedMs: estimate(1024), limitMs: FIFTEEN_MINUTES, largestSize: 800 };
      expect(queue.checkSize(at(1024))).toEqual(refusal);
      expect(queue.checkSize(at(800))).toEqual({ ok: true, estimatedMs: estimate(800) });
      // No size: the engine's default (256 px on wasm).
      expect(queue.checkSize({})).toEqual({ ok: true, estimatedMs: estimate(256) });
      expect(lines.some((line) => line.msg === 'job refused: its size cannot finish within the time limit' && line.largestSize === 800)).toBe(true);

      // submit() refuses the same, before the images are even looked at, and gives the place back.
      const place = await queue.reserve({ platform: 'discord', userId: 'alice' });
      const refused = await queue.submit(request('alice', fx.content, Buffer.from('not a picture'), at(1024)), place).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(UserError);
      expect((refused as UserError).problem).toEqual({ code: 'size-too-slow', params: { size: 1024, limitMs: FIFTEEN_MINUTES, largestSize: 800 } });
      expect((refused as UserError).message).toBe('A 1024 px picture would take longer than the 15 min limit here. Please choose 800 px or smaller.');

      // The place was given back: Alice (one job at most) can queue one that fits; run again at 1024 is refused too.
      const { info, run } = await submitRunning(running, fx.request('alice', at(256)));
      await run.finish(undefined, { iterations: WASM.defaultIterations, seconds: estimate(256) / 1000 });
      await running.events.waitFinished([info.id]);
      await expect(queue.rerun(info.id, { platform: 'discord', userId: 'alice', userName: 'user alice', reply: {} }, at(1024))).rejects.toBeInstanceOf(UserError);
      expect(engine.runs).toHaveLength(1);
    });
  });

  it('a job stopped at the time limit makes the estimate slower, so its size is refused afterwards', async () => {
    await withQueue(fx.workspace, async (running) => {
      const { engine, events, clock, queue } = running;
      engine.ready(WASM);
      expect(queue.checkSize(at(512))).toMatchObject({ ok: true });
      const { info, run } = await submitRunning(running, fx.request('alice', at(512)));
      // Ten minutes in, the engine is 30% through: on course for 2000 s, past the 15-minute limit.
      run.progress(30, 50, { elapsedMs: 600_000, fraction: 0.3, etaMs: 1_400_000 });
      await clock.advance(FIFTEEN_MINUTES);
      await events.waitFinished([info.id]);
      expect(events.of(info.id).at(-1)?.type).toBe('failed');
      const slower = 2_000_000 / work(512, WASM);
      const check = queue.checkSize(at(512));
      expect(check).toMatchObject({ ok: false, code: 'size-too-slow', size: 512, limitMs: FIFTEEN_MINUTES, largestSize: 288 });
      expect(check.estimatedMs).toBeCloseTo(2_000_000, 3);
      expect(slower * work(288, WASM)).toBeLessThanOrEqual(FIFTEEN_MINUTES * SIZE_HEADROOM);
      expect(slower * work(320, WASM)).toBeGreaterThan(FIFTEEN_MINUTES * SIZE_HEADROOM);
    });
  });

  it('keeps what it measured across a restart', async () => {
    const job512 = ONNX_PRIOR * work(512, ONNX_CPU);
    await withQueue(fx.workspace, async (running) => {
      running.engine.ready(ONNX_CPU);
      const { info, run } = await submitRunning(running, fx.request('alice', at(512)));
      await run.finish(undefined, { iterations: ONNX_CPU.defaultIterations, seconds: (3 * job512) / 1000 });
      await running.events.waitFinished([info.id]);
    });
    await withQueue(fx.workspace, async ({ queue, engine }) => {
      engine.ready(ONNX_CPU);
      const check = queue.checkSize(at(512));
      expect(check.ok).toBe(true);
      expectNear(check.ok ? check.estimatedMs : undefined, 3 * job512);
    });
  });
});
