// "Bigger" in the queue (issue 21 item 3): a new job on a done job's images at a larger size that goes on
// from that job's picture. The picture is kept with the new job's images, so the engine gets it wherever
// the job runs (the embedded queue, or a cluster worker reading the store), with the long side it starts
// above; the time estimate counts only the larger scales. A rerun of a Bigger job starts afresh.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { Logger } from 'pino';
import type { EngineProfile, JobOptions } from '../src/queue/index.js';
import { JobTimes } from '../src/queue/job-times.js';
import { PRIOR_MS_PER_MEGAPIXEL_ITERATION } from '../src/queue/throughput.js';
import { continuedIterations, continuedWork, plannedWork } from '../src/transfer/index.js';
import { tell, UserError } from '../src/wording/index.js';
import { QUEUE_KINDS, submitRunning, TINY, useQueueFixture, withEngineProcess, withQueue } from './queue-harness.js';

const owner = (userId: string) => ({ platform: 'discord' as const, userId, userName: userId, reply: {} });

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof UserError) return error.code;
    throw error;
  }
  return undefined;
}

describe.each(QUEUE_KINDS)('Bigger in the queue (%s)', (kind) => {
  const fx = useQueueFixture(kind);

  it("goes on from the job's picture, above its size, on the same images and settings; a rerun of it starts afresh", async () => {
    await withQueue(fx.workspace, async (running) => {
      const { queue, events, engine } = running;
      const asked: JobOptions = { preset: 'painterly', size: 64, seed: 3, styleScale: 2, preserveColors: true };
      const { info, run } = await submitRunning(running, fx.request('alice', asked));
      await run.finish();
      await events.waitFinished([info.id]);
      const picture = events.delivered.get(info.id)?.[0] as Buffer;
      expect((await sharp(picture).metadata()).width).toBe(64);

      // Someone else cannot; the owner can.
      expect(await codeOf(queue.bigger(info.id, owner('bob'), { ...info.options, size: 91 }))).toBe('rerun-not-owner');
      const bigger = await queue.bigger(info.id, owner('alice'), { ...info.options, size: 91 });
      const biggerRun = await engine.runOf(bigger.id);
      expect(biggerRun.options).toEqual({ ...asked, size: 91, startAbove: 64 });
      expect(biggerRun.init?.equals(picture)).toBe(true);
      expect(biggerRun.content).toEqual(run.content);
      expect(biggerRun.style).toEqual(run.style);
      await biggerRun.finish();
      await events.waitFinished([bigger.id]);

      // Bigger again goes on from the Bigger picture.
      const biggest = await queue.bigger(bigger.id, owner('alice'), { ...bigger.options, size: 128 });
      const biggestRun = await engine.runOf(biggest.id);
      expect(biggestRun.options.startAbove).toBe(91);
      expect(biggestRun.init?.equals(events.delivered.get(bigger.id)?.[0] as Buffer)).toBe(true);
      await biggestRun.finish();
      await events.waitFinished([biggest.id]);

      // Run again with other settings: from the photo, not from the picture.
      const again = await queue.rerun(bigger.id, owner('alice'), { ...bigger.options, preset: 'photo' });
      const againRun = await engine.runOf(again.id);
      expect(againRun.options.startAbove).toBeUndefined();
      expect(againRun.init).toBeUndefined();
      await againRun.finish();
      await events.waitFinished([again.id]);

      // Once the first job is deleted there is nothing to go on from.
      expect(await queue.deleteJob(info.id, { platform: 'discord', userId: 'alice' })).toBe('deleted');
      expect(await codeOf(queue.bigger(info.id, owner('alice'), { ...info.options, size: 91 }))).toBe('rerun-images-gone');
    });
  });

  it('fails a Bigger job whose picture to go on from was lost while it waited, without running it', async () => {
    await withQueue(fx.workspace, async (running) => {
      const { queue, events, engine } = running;
      const { info, run } = await submitRunning(running, fx.request('alice'));
      await run.finish();
      await events.waitFinished([info.id]);
      // Another job holds the engine while the Bigger one waits; its picture goes missing meanwhile.
      const { info: busy, run: busyRun } = await submitRunning(running, fx.request('alice'));
      const bigger = await queue.bigger(info.id, owner('alice'), { ...info.options, size: 64 });
      if (kind === 'embedded') await rm(join(fx.workspace.dataDir, 'jobs', bigger.id, 'init'));
      else {
        const client = new pg.Client({ connectionString: fx.workspace.database?.url });
        await client.connect();
        await client.query("DELETE FROM job_images WHERE job_id = $1 AND kind = 'init'", [bigger.id]);
        await client.end();
      }
      await busyRun.finish();
      await events.waitFinished([busy.id, bigger.id]);
      expect(events.failureOf(bigger.id)).toBe(tell({ code: 'rerun-images-gone', params: {} }));
      expect(engine.runs.map((r) => r.jobId)).not.toContain(bigger.id);
    });
  });
});

describe('Bigger on the real engine process (tiny weights)', () => {
  const fx = useQueueFixture();

  it('sends the picture to the engine process, which goes on from it: a tenth of the iterations, the picture as content target', async () => {
    await withEngineProcess(fx.workspace, async ({ queue, events }) => {
      const first = await queue.submit(fx.request('alice', TINY));
      await events.waitFinished([first.id]);
      const bigger = await queue.bigger(first.id, owner('alice'), { ...TINY, size: 45 });
      await events.waitFinished([bigger.id]);
      const result = await queue.resultOf(bigger.id);
      expect(Math.max(result?.width ?? 0, result?.height ?? 0)).toBe(45);
      expect(result?.iterations).toBe(continuedIterations(50)); // wasm's default is 50
      // It started from the picture, which is also its content target.
      expect(result?.initial.content).toBe(0);
    });
  });
});

describe('the time estimate of a Bigger job', () => {
  const ONNX_CPU: EngineProfile = { backend: 'onnx-cpu', defaultSize: 512, defaultIterations: 150, networkCost: 1 };
  const rate = PRIOR_MS_PER_MEGAPIXEL_ITERATION['onnx-cpu'] as number;
  const silent = { info: () => undefined, warn: () => undefined } as unknown as Logger;

  it('counts only the larger scales, so a size too slow from scratch can fit as Bigger', async () => {
    const limitMs = 15 * 60_000;
    const times = new JobTimes({ throughput: () => Promise.resolve({}), saveThroughput: () => Promise.resolve() }, silent, limitMs);
    await times.load();
    times.engineReady(ONNX_CPU);
    const fresh = times.estimateMs({ size: 1448 }) as number;
    const bigger = times.estimateMs({ size: 1448, startAbove: 1024 }) as number;
    expect(fresh).toBeCloseTo(rate * plannedWork(1448, 1448, 150), 6);
    expect(bigger).toBeCloseTo(rate * continuedWork(1448, 1448, continuedIterations(150), 1024), 6);
    expect(bigger).toBeLessThan(fresh * 0.6);
    // From scratch 1448 px needs 14.1 min on the prior, over 80% of 15 min; as Bigger from 1024 px, 4.8 min.
    expect(times.checkSize({ size: 1448 }, limitMs).ok).toBe(false);
    expect(times.checkSize({ size: 1448, startAbove: 1024 }, limitMs).ok).toBe(true);
  });
});
