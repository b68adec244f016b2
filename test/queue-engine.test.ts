import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { processExists, SLOW, TINY, useQueueFixture, withQueue } from './queue-harness.js';

describe('the engine process', () => {
  const fx = useQueueFixture();

  it('fails only the job whose engine died, and runs the next on a fresh engine', async () => {
    await withQueue(fx.workspace, async ({ queue, events, lines }) => {
      const doomed = await queue.submit(fx.request('alice', SLOW));
      const next = await queue.submit(fx.request('bob'));
      await events.waitRunning(doomed.id);
      const firstPid = queue.enginePid;
      if (firstPid === undefined) throw new Error('no engine process');
      // What the kernel's out-of-memory killer would do.
      process.kill(firstPid, 'SIGKILL');

      await events.waitFinished([doomed.id, next.id]);
      expect(events.of(doomed.id).at(-1)).toEqual({
        type: 'failed',
        reason: 'The engine crashed while working on your image (it may have run out of memory). Try again with a smaller size; other jobs are not affected.',
      });
      expect(events.of(next.id).at(-1)?.type).toBe('done');
      expect(queue.enginePid).toBeDefined();
      expect(queue.enginePid).not.toBe(firstPid);
      expect(processExists(firstPid)).toBe(false);
      expect(lines.some((line) => line.msg === 'job failed' && line.why === 'crashed')).toBe(true);
    });
  });

  it('keeps one warm engine across jobs without leaking tensors, and ends it on stop', async () => {
    // The checks read the log and the process after the queue has stopped.
    const { ids, pid, events, lines } = await withQueue(fx.workspace, async ({ queue, events, lines }) => {
      const ids: string[] = [];
      for (const user of ['a', 'b', 'c', 'd']) ids.push((await queue.submit(fx.request(user, { ...TINY, seed: ids.length }))).id);
      await events.waitFinished(ids);
      const pid = queue.enginePid;
      if (pid === undefined) throw new Error('no engine process');
      return { ids, pid, events, lines };
    });

    for (const id of ids) expect(events.of(id).at(-1)?.type).toBe('done');
    expect(lines.filter((line) => line.msg === 'engine process started')).toHaveLength(1);
    // After every job the engine holds exactly the tensors it held after the first (the network's weights).
    const tensors = lines.filter((line) => line.msg === 'engine memory after job').map((line) => line.tensors);
    expect(tensors).toHaveLength(4);
    expect(new Set(tensors).size).toBe(1);
    expect(processExists(pid)).toBe(false);
  });

  it('fails jobs with a plain message when the weights cannot be loaded, and keeps the queue going', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'no-weights-'));
    const dataDir = await mkdtemp(join(tmpdir(), 'stylize-queue-'));
    try {
      await withQueue({ weightsDir: empty, dataDir }, async ({ queue, events, lines }) => {
        const first = await queue.submit(fx.request('alice'));
        const second = await queue.submit(fx.request('bob'));
        await events.waitFinished([first.id, second.id]);
        const reason = "The bot could not load its style-transfer model, so your job could not run. The bot's operator has been told.";
        expect(events.of(first.id).at(-1)).toEqual({ type: 'failed', reason });
        expect(events.of(second.id).at(-1)).toEqual({ type: 'failed', reason });
        // The operator's log says what is wrong with the weights.
        expect(lines.some((line) => line.level >= 50 && /engine could not start/.test(line.msg))).toBe(true);
      });
    } finally {
      await rm(empty, { recursive: true, force: true });
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('fails a job with the engine’s own message when its options cannot be used', async () => {
    await withQueue(fx.workspace, async ({ queue, events }) => {
      const job = await queue.submit(fx.request('alice', { ...TINY, size: 100_000 }));
      await events.waitFinished([job.id]);
      const last = events.of(job.id).at(-1);
      expect(last?.type).toBe('failed');
      expect(last?.type === 'failed' ? last.reason : '').toMatch(/size/);
    });
  });
});
