// Delivery as the queue's own journaled step, on the scripted engine and the manual clock: the picture is on
// disk before `done`, tries are retried with growing waits (never shorter than the platform's Retry-After),
// a final refusal is told once, and a restart resumes what is pending, even when `done` itself was never
// journaled. The platform is a deliverer written here: the adapters' own judgement is tested against the
// fake Discord and the fake Slack (discord-delivery, slack-delivery).
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Journal } from '../src/queue/journal.js';
import type { Delivery, DeliveryOutcome, JobEvent } from '../src/queue/index.js';
import { finishAtOnce } from './fixtures/scripted-engine.js';
import { makeGradientPng } from './fixtures/images.js';
import { useQueueFixture, withQueue } from './queue-harness.js';
import type { ScriptedQueue } from './queue-harness.js';

/** A platform that answers 503 for now. */
const BUSY = { code: 'hitch-server-error', params: { platform: 'discord', status: 503 } } as const;

/** A platform that answers each try with the next scripted outcome (then accepts), recording the tries. */
function scriptedPlatform(running: ScriptedQueue, outcomes: DeliveryOutcome[]): Delivery[] {
  const tries: Delivery[] = [];
  running.queue.deliverWith('discord', async (_job, delivery) => {
    tries.push(delivery);
    return outcomes.shift() ?? { kind: 'delivered' };
  });
  return tries;
}

function deliveringEvents(events: JobEvent[]) {
  return events.flatMap((event) => (event.type === 'delivering' ? [event] : []));
}

describe('delivery of the picture', () => {
  const fx = useQueueFixture();

  it('keeps the picture in the job folder (owner-only) before done, and announces done once the platform has it', async () => {
    await withQueue(fx.workspace, async (running) => {
      const { queue, engine, events, clock } = running;
      const tries = scriptedPlatform(running, [{ kind: 'retry', problem: BUSY }]);
      engine.script = finishAtOnce;
      const job = await queue.submit(fx.request('alice'));
      await clock.advanceUntil(() => tries.length === 1, 'the first try');
      const picture = join(fx.workspace.dataDir, 'jobs', job.id, 'result.png');
      expect((await stat(picture)).mode & 0o777).toBe(0o600);
      expect(queue.get(job.id)?.state).toBe('done');
      await clock.advanceUntil(() => events.finished(job.id), 'done');
      expect(events.types(job.id)).toEqual(['queued', 'started', 'progress', 'delivering', 'done']);
      expect(tries.map((t) => t.attempt)).toEqual([1, 2]);
    });
  });

  it('retries with waits that double, and never sooner than Retry-After', async () => {
    await withQueue(fx.workspace, async (running) => {
      const { queue, engine, events, clock } = running;
      const busy: DeliveryOutcome = { kind: 'retry', problem: BUSY };
      const tries = scriptedPlatform(running, [busy, busy, { kind: 'retry', problem: { code: 'hitch-slow-down', params: { platform: 'discord' } }, retryAfterMs: 60_000 }, busy]);
      engine.script = finishAtOnce;
      const job = await queue.submit(fx.request('alice'));
      await clock.advanceUntil(() => events.finished(job.id), 'done', { stepMs: 500 });
      expect(deliveringEvents(events.of(job.id)).map((e) => e.retryInMs)).toEqual([2000, 4000, 60_000, 16_000]);
      expect(tries).toHaveLength(5);
      expect(events.of(job.id).at(-1)?.type).toBe('done');
    });
  });

  it('a final refusal is told once, with its reason, and not tried again', async () => {
    await withQueue(fx.workspace, async (running) => {
      const { queue, engine, events, clock } = running;
      const tries = scriptedPlatform(running, [{ kind: 'final', reason: { code: 'discord-missing-permissions', params: {} } }]);
      engine.script = finishAtOnce;
      const job = await queue.submit(fx.request('alice'));
      await clock.advanceUntil(() => events.finished(job.id), 'the refusal');
      await clock.advance(24 * 60 * 60_000 - 60_000);
      expect(events.of(job.id).at(-1)).toEqual({ type: 'failed', reason: { code: 'discord-missing-permissions', params: {} } });
      expect(tries).toHaveLength(1);
    });
  });

  it('gives up after the most tries, with a message', async () => {
    await withQueue(fx.workspace, { delivery: { maxAttempts: 3 } }, async (running) => {
      const { queue, engine, events, clock } = running;
      const busy: DeliveryOutcome = { kind: 'retry', problem: BUSY };
      scriptedPlatform(running, [busy, busy, busy, busy]);
      engine.script = finishAtOnce;
      const job = await queue.submit(fx.request('alice'));
      await clock.advanceUntil(() => events.finished(job.id), 'giving up', { stepMs: 500 });
      expect(events.of(job.id).at(-1)).toEqual({ type: 'failed', reason: { code: 'delivery-gave-up', params: { attempts: 3 } } });
      expect(events.failureOf(job.id)).toMatch(/failed 3 times in a row/);
    });
  });

  it('a restart resumes a pending delivery: tried again once, as a retry, and delivered once', async () => {
    const jobId = await withQueue(fx.workspace, async (running) => {
      const { queue, engine, clock } = running;
      const tries = scriptedPlatform(running, [{ kind: 'retry', problem: BUSY }]);
      engine.script = finishAtOnce;
      const job = await queue.submit(fx.request('alice'));
      await clock.advanceUntil(() => tries.length === 1, 'the first try');
      return job.id;
    });
    await withQueue(fx.workspace, async (running) => {
      const { engine, events, clock } = running;
      const tries = scriptedPlatform(running, []);
      await clock.advanceUntil(() => events.finished(jobId), 'done after the restart');
      await clock.advance(60 * 60_000);
      // Attempt 2: the adapter knows an earlier try may have arrived and looks before posting.
      expect(tries.map((t) => t.attempt)).toEqual([2]);
      expect(engine.runs).toHaveLength(0);
    });
  });

  it('a picture kept but never journaled done (a failed write, a crash) is posted after the restart, not made again', async () => {
    const jobId = await withQueue(fx.workspace, async ({ queue, engine }) => {
      const job = await queue.submit(fx.request('alice'));
      await engine.runOf(job.id);
      return job.id;
    });
    // The state a failed `done` write leaves: the picture and its description on disk, the record not done.
    const png = await makeGradientPng(32, 24, 4);
    const result = { width: 32, height: 24, iterations: 10, seconds: 1, backend: 'wasm' as const, layers: { content: ['conv4_2'], style: ['conv1_1'] }, alpha: 1, beta: 1000, styleScale: 1, styleWeights: [1], colorMode: 'style' as const, initial: { content: 1, style: 1, total: 2 }, final: { content: 1, style: 1, total: 2 } };
    const journal = new Journal(fx.workspace.dataDir);
    await journal.saveResult(jobId, { png, result });
    await journal.close();
    await withQueue(fx.workspace, async (running) => {
      const { engine, events, clock, queue } = running;
      const tries = scriptedPlatform(running, []);
      await clock.advanceUntil(() => events.finished(jobId), 'done after the restart');
      expect(tries.map((t) => t.png.equals(png))).toEqual([true]);
      expect(engine.runs).toHaveLength(0);
      expect(queue.get(jobId)?.state).toBe('done');
    });
  });
});
