// The owner's language travels with the job: journaled at submit, on every event's JobInfo, after a
// restart, and on a rerun (whose owner is the presser).
import { describe, expect, it } from 'vitest';
import { finishAtOnce } from './fixtures/scripted-engine.js';
import {flushEvents, QUEUE_KINDS, useQueueFixture, withQueue } from './queue-harness.js';

describe.each(QUEUE_KINDS)("the owner's language (%s)", (kind) => {
  const fx = useQueueFixture(kind);

  it('is journaled with the job and comes back after a restart; a job without one stays without', async () => {
    const { german, plain } = await withQueue(fx.workspace, async ({ queue, events }) => {
      const german = await queue.submit({ ...fx.request('greta'), locale: 'de' });
      const plain = await queue.submit(fx.request('alice'));
      await flushEvents();
      expect(events.all.find((r) => r.job.id === german.id)?.job.locale).toBe('de');
      expect(german.locale).toBe('de');
      expect('locale' in plain).toBe(false);
      return { german, plain };
    });
    await withQueue(fx.workspace, async ({ queue, events, engine }) => {
      engine.script = finishAtOnce;
      expect(queue.get(german.id)?.locale).toBe('de');
      expect(queue.get(plain.id)?.locale).toBeUndefined();
      await events.waitFinished([german.id, plain.id]);
      expect(events.all.filter((r) => r.job.id === german.id).every((r) => r.job.locale === 'de')).toBe(true);
      // A rerun takes the language of whoever asked for it (the owner, pressing in another client).
      const again = await queue.rerun(german.id, { platform: 'discord', userId: 'greta', userName: 'greta', reply: {}, locale: 'ja' }, { preset: 'painterly' });
      expect(again.locale).toBe('ja');
    });
  });
});
