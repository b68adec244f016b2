// Blends and brush size in the queue (issue 19): a job carries up to four style images with their weights,
// the library painting of each and the style scale. The journal keeps every style image (a restart loses
// none), the engine gets the images, weights and scale but not the paintings' names, reruns keep the blend,
// and what the engine cannot run is refused with a clear message before anything is kept.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Journal } from '../src/queue/journal.js';
import { tell, UserError } from '../src/wording/index.js';
import { withoutBlend } from '../src/adapters/shared/blend.js';
import { reuseOptions } from '../src/adapters/shared/result-actions.js';
import { makeGradientPng } from './fixtures/images.js';
import { QUEUE_KINDS, submitRunning, TINY, useQueueFixture, withQueue } from './queue-harness.js';
import type { JobOptions, JobRequest } from '../src/queue/index.js';

const owner = (userId: string) => ({ platform: 'discord' as const, userId, userName: userId, reply: {} });

/** What a refusal tells the user, or undefined when there was none. */
async function refusalOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof UserError) return tell(error.problem);
    throw error;
  }
  return undefined;
}

const BLEND: JobOptions = { ...TINY, libraryStyle: 'starry-night', extraStyles: [{ libraryStyle: 'udnie' }, {}], styleWeights: [1, 2, 1], styleScale: 2 };

describe.each(QUEUE_KINDS)('blends in the queue (%s)', (kind) => {
  const fx = useQueueFixture(kind);

  async function blendRequest(userId: string, options: JobOptions = BLEND): Promise<JobRequest> {
    return { ...fx.request(userId, options), extraStyleImages: [await makeGradientPng(40, 24, 3), await makeGradientPng(20, 36, 4)] };
  }

  it('journals every style image, gives the engine the images, weights and scale (not the names), and keeps them over a restart', async () => {
    const jobId = await withQueue(fx.workspace, async (running) => {
      const { info, run } = await submitRunning(running, await blendRequest('alice'));
      expect(run.options).toEqual({ preset: 'balanced', size: 32, seed: 1, styleWeights: [1, 2, 1], styleScale: 2 });
      expect(run.extraStyles).toEqual([
        { width: 40, height: 24 },
        { width: 20, height: 36 },
      ]);
      expect(info.options.extraStyles).toEqual([{ libraryStyle: 'udnie' }, {}]);
      // The journal's folder (the PostgreSQL store's rows are its own contract suite's to check).
      if (kind === 'embedded') expect((await readdir(join(fx.workspace.dataDir, 'jobs', info.id))).sort()).toEqual(['content', 'style', 'style-2', 'style-3']);
      return info.id; // stopped while running: it waits for the restart
    });
    await withQueue(fx.workspace, async ({ engine }) => {
      const run = await engine.runOf(jobId);
      expect(run.extraStyles.map((size) => size.width)).toEqual([40, 20]);
      expect(run.options.styleWeights).toEqual([1, 2, 1]);
    });
  });

  it('keeps the blend in a rerun and in "use as photo"; "use as style" is the picture alone', async () => {
    await withQueue(fx.workspace, async (running) => {
      const { queue, events, engine } = running;
      const { info, run } = await submitRunning(running, await blendRequest('alice'));
      await run.finish();
      await events.waitFinished([info.id]);

      const smaller = await queue.rerun(info.id, owner('alice'), { ...info.options, styleScale: 0.5 });
      const rerun = await engine.runOf(smaller.id);
      expect(rerun.extraStyles).toHaveLength(2);
      expect(rerun.options).toMatchObject({ styleWeights: [1, 2, 1], styleScale: 0.5 });
      await rerun.finish();

      const asPhoto = await queue.reuseResult(info.id, 'content', owner('bob'), reuseOptions(info.options, 'content'));
      const photoRun = await engine.runOf(asPhoto.id);
      expect(photoRun.extraStyles).toHaveLength(2);
      expect(asPhoto.options.extraStyles).toEqual([{ libraryStyle: 'udnie' }, {}]);
      await photoRun.finish();

      const asStyle = await queue.reuseResult(info.id, 'style', owner('carl'), reuseOptions(info.options, 'style'));
      const styleRun = await engine.runOf(asStyle.id);
      expect(styleRun.extraStyles).toEqual([]);
      expect(asStyle.options).toEqual(withoutBlend(info.options));
      expect(styleRun.options).toEqual({ preset: 'balanced', size: 32, seed: 1, styleScale: 2 });
      await styleRun.finish();
    });
  });

  it('refuses five style images, weights that do not fit and a second style image that is not a picture; nothing is kept', async () => {
    await withQueue(fx.workspace, async ({ queue }) => {
      const five: JobRequest = { ...fx.request('dana', { ...TINY, extraStyles: [{}, {}, {}, {}] }), extraStyleImages: [fx.style, fx.style, fx.style, fx.style] };
      expect(await refusalOf(queue.submit(five))).toBe('A picture can blend at most 4 style images (this job has 5). Please leave some out.');

      const lopsided = await blendRequest('dana', { ...BLEND, styleWeights: [1, 1] });
      expect(await refusalOf(queue.submit(lopsided))).toBe('The blend needs one share for each of its 3 style images, none below zero and not all zero.');
      const allZero = await blendRequest('dana', { ...BLEND, styleWeights: [0, 0, 0] });
      expect(await refusalOf(queue.submit(allZero))).toMatch(/^The blend needs one share/);

      const notAPicture: JobRequest = { ...fx.request('dana', { ...TINY, extraStyles: [{}] }), extraStyleImages: [Buffer.from('just some notes, not an image')] };
      expect(await refusalOf(queue.submit(notAPicture))).toMatch(/^The second style image is not a picture I can read/);

      if (kind === 'embedded') expect(await readdir(join(fx.workspace.dataDir, 'jobs'))).toEqual([]);
      expect(queue.load).toEqual({ waiting: 0, running: 0 });
    });
  });
});

describe('the journal', () => {
  const fx = useQueueFixture();

  it('reads the images of a job from before blends as one style image', async () => {
    const journal = new Journal(fx.workspace.dataDir);
    await journal.open();
    try {
      await journal.accept({ ...fx.request('old'), id: 'old1', state: 'queued', createdAt: 0, seq: 1, round: 0 }, { content: fx.content, style: fx.style });
      expect(Object.keys((await journal.inputs('old1')) ?? {})).toEqual(['content', 'style']);
    } finally {
      await journal.close();
    }
  });
});
