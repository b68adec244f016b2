// The queue's side of a finished picture's buttons: Delete (owner only, finished jobs only, everything
// kept is gone) and a new job from a result (anyone on the job's platform; refused once nothing is kept).
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { UserError } from '../src/wording/index.js';
import {QUEUE_KINDS, submitRunning, useQueueFixture, withQueue } from './queue-harness.js';

const owner = (userId: string, platform: 'discord' | 'slack' = 'discord') => ({ platform, userId, userName: userId, reply: {} });

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof UserError) return error.code;
    throw error;
  }
  return undefined;
}

describe.each(QUEUE_KINDS)('results in the queue (%s)', (kind) => {
  const fx = useQueueFixture(kind);

  it('deletes a finished job for its owner only; a waiting or running one is cancelled instead', async () => {
    await withQueue(fx.workspace, async (running) => {
      const { queue, events } = running;
      const { info, run } = await submitRunning(running, fx.request('alice'));
      expect(await queue.deleteJob(info.id, { platform: 'discord', userId: 'alice' })).toBe('not-finished');
      await run.finish();
      await events.waitFinished([info.id]);
      expect(await queue.deleteJob(info.id, { platform: 'discord', userId: 'bob' })).toBe('not-owner');
      // The same user id on the other platform is another person.
      expect(await queue.deleteJob(info.id, { platform: 'slack', userId: 'alice' })).toBe('not-owner');
      // The journal's folder (the PostgreSQL store's rows are its own contract suite's to check).
      if (kind === 'embedded') expect(await readdir(join(fx.workspace.dataDir, 'jobs'))).toContain(info.id);
      expect(await queue.resultOf(info.id)).toMatchObject({ width: expect.any(Number) as unknown });

      expect(await queue.deleteJob(info.id, { platform: 'discord', userId: 'alice' })).toBe('deleted');
      expect(queue.get(info.id)).toBeUndefined();
      if (kind === 'embedded') expect(await readdir(join(fx.workspace.dataDir, 'jobs'))).not.toContain(info.id);
      expect(await queue.resultOf(info.id)).toBeUndefined();
      expect(await queue.deleteJob(info.id, { platform: 'discord', userId: 'alice' })).toBe('not-found');
      // Nothing is left to run again or to start from.
      expect(await codeOf(queue.rerun(info.id, owner('alice'), info.options))).toBe('rerun-images-gone');
      expect(await codeOf(queue.reuseResult(info.id, 'content', owner('bob'), info.options))).toBe('rerun-images-gone');
    });
  });

  it('starts a job of anyone on the platform from a picture: as the photo or as the style image', async () => {
    await withQueue(fx.workspace, async (running) => {
      const { queue, events, engine } = running;
      const { info, run } = await submitRunning(running, fx.request('alice'));
      await run.finish();
      await events.waitFinished([info.id]);
      const first = engine.runs.at(-1);
      const picture = await sharp(events.delivered.get(info.id)?.[0]).metadata();

      const asPhoto = await queue.reuseResult(info.id, 'content', owner('bob'), info.options);
      expect(asPhoto.userId).toBe('bob');
      const photoRun = await engine.runOf(asPhoto.id);
      expect(photoRun.content).toEqual({ width: picture.width, height: picture.height });
      expect(photoRun.style).toEqual(first?.style);
      await photoRun.finish();
      await events.waitFinished([asPhoto.id]);

      const asStyle = await queue.reuseResult(info.id, 'style', owner('carol'), info.options);
      const styleRun = await engine.runOf(asStyle.id);
      expect(styleRun.style).toEqual({ width: picture.width, height: picture.height });
      expect(styleRun.content).toEqual(first?.content);
      await styleRun.finish();
      await events.waitFinished([asStyle.id]);

      // Someone on the other platform cannot see the picture: no job from it.
      expect(await codeOf(queue.reuseResult(info.id, 'content', owner('dave', 'slack'), info.options))).toBe('rerun-images-gone');
      // The first job's owner deleting it leaves the jobs made from it whole.
      expect(await queue.deleteJob(info.id, { platform: 'discord', userId: 'alice' })).toBe('deleted');
      expect(await queue.resultOf(asStyle.id)).toBeDefined();
    });
  });
});
