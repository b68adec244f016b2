// The queue's side of communities: who may cancel (owner, or a moderator of the job's own server on the
// same platform), the per-server limits under the bot-wide ones, and a paused server kept across a restart.
import { describe, expect, it } from 'vitest';
import { mayManage } from '../src/queue/index.js';
import {flushEvents, QUEUE_KINDS, submitRunning, useQueueFixture, withQueue } from './queue-harness.js';

describe.each(QUEUE_KINDS)('moderation (%s)', (kind) => {
  const fx = useQueueFixture(kind);

  it('mayManage: the owner, or a moderator of the same server on the same platform; no moderator for DMs', () => {
    const job = { platform: 'discord' as const, userId: 'alice', server: 'G1' };
    expect(mayManage(job, { platform: 'discord', userId: 'alice' })).toBe(true);
    expect(mayManage(job, { platform: 'discord', userId: 'bob' })).toBe(false);
    expect(mayManage(job, { platform: 'discord', userId: 'bob', moderatorOf: 'G1' })).toBe(true);
    expect(mayManage(job, { platform: 'discord', userId: 'bob', moderatorOf: 'G2' })).toBe(false);
    // A Slack workspace admin whose team id equals the guild id moderates nothing on Discord.
    expect(mayManage(job, { platform: 'slack', userId: 'bob', moderatorOf: 'G1' })).toBe(false);
    expect(mayManage({ platform: 'discord', userId: 'alice' }, { platform: 'discord', userId: 'bob', moderatorOf: 'G1' })).toBe(false);
  });

  it("a moderator of the job's server cancels it; one of another server cannot", async () => {
    await withQueue(fx.workspace, async (running) => {
      const { queue, events } = running;
      const { info, run } = await submitRunning(running, { ...fx.request('alice'), server: 'G1' });
      expect(await queue.cancel(info.id, { platform: 'discord', userId: 'mod', moderatorOf: 'G2' })).toBe('not-owner');
      expect(run.cancelRequested).toBe(false);
      expect(await queue.cancel(info.id, { platform: 'discord', userId: 'mod', moderatorOf: 'G1' })).toBe('cancelled');
      await flushEvents();
      expect(events.of(info.id).at(-1)).toEqual({ type: 'cancelled', byUserId: 'mod' });
    });
  });

  it("a server's limits apply under the bot-wide ones, never above them", async () => {
    await withQueue(fx.workspace, { limits: { maxPendingPerUser: 2 } }, async (running) => {
      const { queue } = running;
      await queue.changeServerSettings('discord', 'G1', { maxJobsPerUser: 50, maxJobsPerServer: 3 });
      await submitRunning(running, { ...fx.request('alice'), server: 'G1' });
      await queue.submit({ ...fx.request('alice'), server: 'G1' });
      // The server allows 50 per person; the bot allows 2.
      await expect(queue.submit({ ...fx.request('alice'), server: 'G1' })).rejects.toMatchObject({ code: 'user-limit', params: { maxPerUser: 2 } });
      await queue.submit({ ...fx.request('bob'), server: 'G1' });
      await expect(queue.submit({ ...fx.request('carol'), server: 'G1' })).rejects.toMatchObject({ code: 'server-limit', params: { maxPerServer: 3 } });
      // Another server, and a DM, are not counted against G1.
      await queue.submit({ ...fx.request('carol'), server: 'G2' });
      await queue.submit(fx.request('dave'));
    });
  });

  it("a paused server's jobs wait while others run, also after a restart, and run once resumed", async () => {
    const paused = await withQueue(fx.workspace, async (running) => {
      const { queue } = running;
      await queue.changeServerSettings('discord', 'G1', { paused: true });
      const held = await queue.submit({ ...fx.request('alice'), server: 'G1' });
      const other = await queue.submit({ ...fx.request('bob'), server: 'G2' });
      await (await running.engine.runOf(other.id)).finish();
      await running.events.waitFinished([other.id]);
      expect(running.engine.runs.map((run) => run.jobId)).toEqual([other.id]);
      expect(queue.get(held.id)?.state).toBe('queued');
      return held.id;
    });
    await withQueue(fx.workspace, async (running) => {
      const { queue } = running;
      expect(queue.serverSettings('discord', 'G1')).toEqual({ paused: true });
      await flushEvents();
      expect(running.engine.runs).toHaveLength(0);
      await queue.changeServerSettings('discord', 'G1', { paused: null });
      await (await running.engine.runOf(paused)).finish();
      await running.events.waitFinished([paused]);
      expect(queue.get(paused)?.state).toBe('done');
    });
  });
});
