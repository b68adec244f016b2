import { describe, expect, it } from 'vitest';
import type { Asker, Reservation } from '../src/queue/index.js';
import { UserError } from '../src/wording/index.js';
import { makeQueue, QUEUE_KINDS, request, submitRunning, useQueueFixture, withQueue } from './queue-harness.js';
import { captureLog } from './fixtures/capture-log.js';
import { makeGradientPng } from './fixtures/images.js';

describe.each(QUEUE_KINDS)('queue limits (%s)', (kind) => {
  const fx = useQueueFixture(kind);

  it('refuses bad or oversized images at once with a message naming the image', async () => {
    await withQueue(fx.workspace, { limits: { maxInputBytes: 20_000 } }, async ({ queue, engine }) => {
      const big = await makeGradientPng(256, 256, 3);
      expect(big.length).toBeGreaterThan(20_000);
      await expect(queue.submit(request('alice', big, fx.style))).rejects.toMatchObject({ code: 'image-too-large', params: { role: 'content', bytes: big.length, maxBytes: 20_000 } });
      await expect(queue.submit(request('alice', big, fx.style))).rejects.toThrow(/^The photo is \d+ KB; the limit is 20 KB/);
      await expect(queue.submit(request('alice', fx.content, Buffer.alloc(0)))).rejects.toMatchObject({ code: 'image-empty', params: { role: 'style' } });
      await expect(queue.submit(request('alice', fx.content, Buffer.alloc(0)))).rejects.toThrow('The style image is an empty file');
      const notAnImage = Buffer.from('this is a text file, not a picture');
      const rejected = await queue.submit(request('alice', fx.content, notAnImage)).catch((error: unknown) => error);
      expect(rejected).toBeInstanceOf(UserError);
      expect((rejected as Error).message).toMatch(/style image/i);
      expect(queue.get('nothing')).toBeUndefined();
      expect(engine.runs).toHaveLength(0);
    });
  });

  it('caps jobs per user and the queue length, with messages for the user', async () => {
    await withQueue(fx.workspace, { limits: { maxPendingPerUser: 2, maxQueueLength: 3 } }, async (running) => {
      const { queue } = running;
      const { info } = await submitRunning(running, fx.request('alice'));
      const waiting = await queue.submit(fx.request('alice'));
      // The running job counts: Alice has two jobs in the queue.
      await expect(queue.submit(fx.request('alice'))).rejects.toThrow(
        'You already have 2 jobs waiting or running, the most one person may have at a time.',
      );
      await queue.submit(fx.request('bob'));
      await queue.submit(fx.request('carol'));
      await expect(queue.submit(fx.request('dave'))).rejects.toThrow('The queue is full (3 jobs waiting). Please try again in a few minutes.');
      // A cancelled job frees the place.
      expect(await queue.cancel(waiting.id, { platform: 'discord', userId: 'alice' })).toBe('cancelled');
      await queue.submit(fx.request('dave'));
      await queue.cancel(info.id, { platform: 'discord', userId: 'alice' });
    });
  });

  it('holds places before any download: reservations count against both limits until used or released', async () => {
    await withQueue(fx.workspace, { limits: { maxPendingPerUser: 2, maxQueueLength: 3 } }, async ({ queue }) => {
      const alice = { platform: 'discord', userId: 'alice' } as const;
      // A cluster answers later (its places are counted in PostgreSQL): a refusal is a rejection either way.
      const reserve = (asker: Asker): Promise<Reservation> => Promise.resolve().then(() => queue.reserve(asker));
      const first = await reserve(alice);
      const second = await reserve(alice);
      await expect(reserve(alice)).rejects.toThrow('You already have 2 jobs waiting or running');
      // The same id on the other platform is another user, with places of their own.
      const slackAlice = await reserve({ platform: 'slack', userId: 'alice' });
      await expect(reserve({ platform: 'discord', userId: 'bob' })).rejects.toThrow('The queue is full (3 jobs waiting)');
      // A refused download gives its place back (once, however often it is released).
      second.release();
      second.release();
      const bobs = await reserve({ platform: 'discord', userId: 'bob' });
      await expect(reserve({ platform: 'discord', userId: 'carol' })).rejects.toThrow('The queue is full');
      // A job takes the place held for it; a refused one (bad image) frees it.
      const job = await queue.submit(fx.request('alice'), first);
      expect(queue.get(job.id)?.state).toMatch(/queued|running/);
      await expect(queue.submit(request('bob', fx.content, Buffer.from('not a picture')), bobs)).rejects.toBeInstanceOf(UserError);
      slackAlice.release();
      const carol = await reserve({ platform: 'discord', userId: 'carol' });
      carol.release();
    });
  });

  it('fails a job that runs past the time limit, and goes on with the next', async () => {
    await withQueue(fx.workspace, { limits: { jobTimeoutMs: 1500 } }, async (running) => {
      const { queue, events, lines, engine, clock } = running;
      const { info: slow, run } = await submitRunning(running, fx.request('alice'));
      const next = await queue.submit(fx.request('bob'));
      run.progress(1, 100, { etaMs: 60_000 });
      // Just inside the limit the job still runs; the limit itself stops it.
      await clock.advance(1499);
      expect(run.cancelRequested).toBe(false);
      await clock.advance(1);
      expect(run.cancelRequested).toBe(true);
      await (await engine.runOf(next.id)).finish();
      await events.waitFinished([slow.id, next.id]);
      expect(events.of(slow.id).at(-1)).toEqual({ type: 'failed', reason: { code: 'job-timed-out', params: { limitMs: 1500 } } });
      expect(events.failureOf(slow.id)).toBe('Your job took longer than the 1.5 s limit and was stopped. Try again with a smaller size.');
      expect(events.of(next.id).at(-1)?.type).toBe('done');
      expect(lines.some((line) => line.msg === 'job timed out')).toBe(true);
    });
  });

  it('refuses jobs before start and after stop', async () => {
    const { log } = captureLog();
    const queue = makeQueue(fx.workspace, log);
    await expect(queue.submit(fx.request('alice'))).rejects.toThrow(/not taking new jobs/);
    await queue.start();
    await queue.stop();
    await expect(queue.submit(fx.request('alice'))).rejects.toBeInstanceOf(UserError);
  });
});
