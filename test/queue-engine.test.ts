// The queue on the real engine process (tiny weights): the product's EngineRunner, its child process, its
// crash and restart paths. Every other queue test runs on the scripted engine.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { JobOptions } from '../src/queue/index.js';
import type { LogLine } from './fixtures/capture-log.js';
import { processExists, TINY, useQueueFixture, withEngineProcess } from './queue-harness.js';

/** A job that keeps the engine busy for seconds: long enough to be cancelled or killed while it runs. */
const SLOW: JobOptions = { preset: 'balanced', size: 512, seed: 1 };

/** Process ids of the engine processes the runner started, from its log. */
function enginePids(lines: LogLine[]): number[] {
  return lines.filter((line) => line.msg === 'engine process started').map((line) => Number(line.pid));
}

describe('the engine process', () => {
  const fx = useQueueFixture();

  it('runs a job through the queue: queued, started, progress and done with a PNG of the requested size', async () => {
    await withEngineProcess(fx.workspace, async ({ queue, events, lines }) => {
      const job = await queue.submit(fx.request('alice'));
      expect(job.state).toBe('queued');
      await events.waitFinished([job.id]);
      expect(events.types(job.id)).toEqual(['queued', 'started', 'progress', 'done']);
      // The share of the time done comes through from the engine: never back, and whole at the end.
      const fractions = events.of(job.id).flatMap((e) => (e.type === 'progress' ? [e.fraction] : []));
      expect(fractions.every((f, i) => f >= 0 && f <= 1 && f >= (fractions[i - 1] ?? 0))).toBe(true);
      expect(fractions.at(-1)).toBe(1);
      // The engine process said which backend it runs, and the queue estimates times from it.
      expect(lines.some((line) => line.msg === 'time estimates ready' && line.backend === 'wasm')).toBe(true);
      const [png, ...more] = events.delivered.get(job.id) ?? [];
      if (!png) throw new Error('no picture delivered');
      expect(more).toEqual([]);
      const meta = await sharp(png).metadata();
      expect(meta.format).toBe('png');
      expect(Math.max(meta.width ?? 0, meta.height ?? 0)).toBe(32);
      expect(queue.get(job.id)?.state).toBe('done');
    });
  });

  it('passes a blend to the engine: its style images, weights and brush size come back in the result (issue 19)', async () => {
    await withEngineProcess(fx.workspace, async ({ queue, events }) => {
      const options: JobOptions = { ...TINY, extraStyles: [{}], styleWeights: [1, 3], styleScale: 0.5, preserveColors: true };
      const job = await queue.submit({ ...fx.request('alice', options), extraStyleImages: [fx.content] });
      await events.waitFinished([job.id]);
      expect(events.of(job.id).at(-1)?.type).toBe('done');
      const result = await queue.resultOf(job.id);
      expect(result?.styleWeights).toEqual([0.25, 0.75]);
      expect(result?.styleScale).toBe(0.5);
      expect(['luminance', 'swap']).toContain(result?.colorMode);
    });
  });

  it('fails only the job whose engine died, and runs the next on a fresh engine', async () => {
    await withEngineProcess(fx.workspace, async ({ queue, events, lines }) => {
      const doomed = await queue.submit(fx.request('alice', SLOW));
      const next = await queue.submit(fx.request('bob'));
      await events.waitRunning(doomed.id);
      const [firstPid] = enginePids(lines);
      if (firstPid === undefined) throw new Error('no engine process');
      // What the kernel's out-of-memory killer would do.
      process.kill(firstPid, 'SIGKILL');

      await events.waitFinished([doomed.id, next.id]);
      expect(events.of(doomed.id).at(-1)).toEqual({ type: 'failed', reason: { code: 'engine-crashed', params: {} } });
      expect(events.failureOf(doomed.id)).toBe(
        'The engine crashed while working on your image (it may have run out of memory). Try again with a smaller size; other jobs are not affected.',
      );
      expect(events.of(next.id).at(-1)?.type).toBe('done');
      const pids = enginePids(lines);
      expect(pids).toHaveLength(2);
      expect(pids[1]).not.toBe(firstPid);
      expect(processExists(firstPid)).toBe(false);
      expect(lines.some((line) => line.msg === 'job failed' && line.why === 'crashed')).toBe(true);
    });
  });

  it('stops a cancelled job without killing the engine, and the next job runs on the same warm engine', async () => {
    await withEngineProcess(fx.workspace, async ({ queue, events, lines }) => {
      const running = await queue.submit(fx.request('alice', SLOW));
      const next = await queue.submit(fx.request('bob'));
      await events.waitRunning(running.id);
      expect(await queue.cancel(running.id, { platform: 'discord', userId: 'alice' })).toBe('cancelled');
      await events.waitFinished([next.id]);
      expect(events.types(running.id)).toEqual(['queued', 'started', 'progress', 'cancelled']);
      expect(events.of(next.id).at(-1)?.type).toBe('done');
      // The engine saw the cancel itself: it was not killed, and no second process was needed.
      expect(lines.some((line) => line.msg === 'engine did not stop in time; killing it')).toBe(false);
      expect(enginePids(lines)).toHaveLength(1);
    });
  });

  it('keeps one warm engine across jobs without leaking tensors, and ends it on stop', async () => {
    // The checks read the log and the process after the queue has stopped.
    const { ids, events, lines } = await withEngineProcess(fx.workspace, async ({ queue, events, lines }) => {
      const ids: string[] = [];
      for (const user of ['a', 'b', 'c', 'd']) ids.push((await queue.submit(fx.request(user, { ...TINY, seed: ids.length }))).id);
      await events.waitFinished(ids);
      return { ids, events, lines };
    });

    for (const id of ids) expect(events.of(id).at(-1)?.type).toBe('done');
    const pids = enginePids(lines);
    expect(pids).toHaveLength(1);
    // After every job the engine holds exactly the tensors it held after the first (the network's weights).
    const tensors = lines.filter((line) => line.msg === 'engine memory after job').map((line) => line.tensors);
    expect(tensors).toHaveLength(4);
    expect(new Set(tensors).size).toBe(1);
    expect(processExists(pids[0] ?? 0)).toBe(false);
  });

  it('fails jobs with a plain message when the weights cannot be loaded, and keeps the queue going', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'no-weights-'));
    try {
      await withEngineProcess({ ...fx.workspace, weightsDir: empty }, async ({ queue, events, lines }) => {
        const first = await queue.submit(fx.request('alice'));
        const second = await queue.submit(fx.request('bob'));
        await events.waitFinished([first.id, second.id]);
        const reason = 'I could not load my painting model, so your job could not run. My operator has been told.';
        for (const job of [first, second]) {
          expect(events.of(job.id).at(-1)).toEqual({ type: 'failed', reason: { code: 'model-missing', params: {} } });
          expect(events.failureOf(job.id)).toBe(reason);
        }
        // The operator's log says what is wrong with the weights.
        expect(lines.some((line) => line.level >= 50 && /engine could not start/.test(line.msg))).toBe(true);
      });
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('fails a job with the engine’s own message when its options cannot be used', async () => {
    await withEngineProcess(fx.workspace, async ({ queue, events }) => {
      const job = await queue.submit(fx.request('alice', { ...TINY, size: 100_000 }));
      await events.waitFinished([job.id]);
      expect(events.of(job.id).at(-1)).toMatchObject({ type: 'failed', reason: { code: 'option-out-of-range', params: { option: 'size', got: 100_000 } } });
      expect(events.failureOf(job.id)).toMatch(/size/);
    });
  });
});
