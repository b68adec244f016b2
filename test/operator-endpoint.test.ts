// The operator endpoint on a real queue (journal and all) with the scripted engine and the manual clock:
// /metrics scraped over HTTP while jobs wait, run and end shows the gauges move with the line and the
// histograms take each job's wait and run time from the queue's clock; /healthz turns 503 while the journal
// cannot be written or the engine cannot start, and back to 200 when they recover.
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createOperatorEndpoint, OperatorMetrics, OperatorServer } from '../src/operator/index.js';
import type { StylizeQueue } from '../src/queue/index.js';
import { FaultyJournal } from './fixtures/faulty-journal.js';
import { baseUrl, health, scrape } from './fixtures/scrape.js';
import { submitRunning, useQueueFixture, withQueue } from './queue-harness.js';

const silent = pino({ level: 'silent' });

/** The endpoint of `queue` on 127.0.0.1 (a free port) while `body` runs. */
async function withEndpoint(queue: StylizeQueue, body: (base: string) => Promise<void>): Promise<void> {
  const metrics = new OperatorMetrics(queue);
  const server = createOperatorEndpoint({ config: { host: '127.0.0.1', port: 0 }, queue, metrics, platforms: [], log: silent });
  await server.start();
  try {
    await body(baseUrl(server.address()));
  } finally {
    await server.stop();
  }
}

describe('operator endpoint', () => {
  const fx = useQueueFixture();

  it('/metrics: the queue gauges follow the line, and the histograms take each wait and run on the queue clock', async () => {
    await withQueue(fx.workspace, async (running) => {
      const { queue, clock, events } = running;
      await withEndpoint(queue, async (base) => {
        const before = await scrape(base);
        expect(before.get('stylize_queue_waiting_jobs')).toBe(0);
        expect(before.get('stylize_queue_running_jobs')).toBe(0);
        for (const outcome of ['done', 'failed', 'timed_out', 'cancelled']) expect(before.get(`stylize_jobs_total{outcome="${outcome}"}`)).toBe(0);
        expect(before.get('stylize_job_wait_seconds_count')).toBe(0);

        // Alice's job runs at once; Bob's waits behind it.
        const alice = await submitRunning(running, fx.request('alice'));
        const bob = await queue.submit(fx.request('bob'));
        const during = await scrape(base);
        expect(during.get('stylize_queue_running_jobs')).toBe(1);
        expect(during.get('stylize_queue_waiting_jobs')).toBe(1);
        expect(during.get('stylize_job_wait_seconds_count')).toBe(1);
        expect(during.get('stylize_job_duration_seconds_count{outcome="done"}')).toBe(0);

        // 90 s on the queue's clock, then Alice's picture: she ran 90 s, Bob waited 90 s and now runs.
        await clock.advance(90_000);
        await alice.run.finish();
        const bobRun = await running.engine.runOf(bob.id);
        await events.waitFinished([alice.info.id]);
        const after = await scrape(base);
        expect(after.get('stylize_queue_running_jobs')).toBe(1);
        expect(after.get('stylize_queue_waiting_jobs')).toBe(0);
        expect(after.get('stylize_jobs_total{outcome="done"}')).toBe(1);
        expect(after.get('stylize_job_duration_seconds_count{outcome="done"}')).toBe(1);
        expect(after.get('stylize_job_duration_seconds_sum{outcome="done"}')).toBe(90);
        expect(after.get('stylize_job_duration_seconds_bucket{le="60",outcome="done"}')).toBe(0);
        expect(after.get('stylize_job_duration_seconds_bucket{le="120",outcome="done"}')).toBe(1);
        expect(after.get('stylize_job_wait_seconds_count')).toBe(2);
        expect(after.get('stylize_job_wait_seconds_sum')).toBe(90);
        expect(after.get('stylize_job_wait_seconds_bucket{le="60"}')).toBe(1);
        expect(after.get('stylize_job_wait_seconds_bucket{le="120"}')).toBe(2);

        // Bob cancels after 5 s; the engine crashes on Carol's job; Dan's runs on a fresh engine past the limit.
        await clock.advance(5_000);
        expect(await queue.cancel(bob.id, { platform: 'discord', userId: 'bob' })).toBe('cancelled');
        expect(bobRun.outcome?.kind).toBe('stopped');
        const carol = await submitRunning(running, fx.request('carol'));
        carol.run.crash();
        await events.waitFinished([carol.info.id]);
        const dan = await submitRunning(running, fx.request('dan'));
        await clock.advance(queue.limits.jobTimeoutMs);
        await events.waitFinished([dan.info.id]);
        expect(events.of(dan.info.id).at(-1)).toEqual({ type: 'failed', reason: { code: 'job-timed-out', params: { limitMs: queue.limits.jobTimeoutMs } } });

        const end = await scrape(base);
        expect(end.get('stylize_queue_running_jobs')).toBe(0);
        expect(end.get('stylize_queue_waiting_jobs')).toBe(0);
        expect(end.get('stylize_jobs_total{outcome="cancelled"}')).toBe(1);
        expect(end.get('stylize_jobs_total{outcome="failed"}')).toBe(1);
        expect(end.get('stylize_jobs_total{outcome="timed_out"}')).toBe(1);
        expect(end.get('stylize_job_duration_seconds_sum{outcome="cancelled"}')).toBe(5);
        expect(end.get('stylize_job_duration_seconds_sum{outcome="timed_out"}')).toBe(queue.limits.jobTimeoutMs / 1000);
        expect(end.get('stylize_job_duration_seconds_bucket{le="900",outcome="timed_out"}')).toBe(1);
        expect(end.get('stylize_engine_restarts_total')).toBe(1);
        expect(end.text).toContain('# TYPE stylize_job_wait_seconds histogram');
      });
    });
  });

  it('/metrics: a job cancelled while waiting is counted, never timed', async () => {
    await withQueue(fx.workspace, async (running) => {
      const { queue } = running;
      await withEndpoint(queue, async (base) => {
        await submitRunning(running, fx.request('alice'));
        const waiting = await queue.submit(fx.request('bob'));
        expect(await queue.cancel(waiting.id, { platform: 'discord', userId: 'bob' })).toBe('cancelled');
        const samples = await scrape(base);
        expect(samples.get('stylize_jobs_total{outcome="cancelled"}')).toBe(1);
        expect(samples.get('stylize_job_duration_seconds_count{outcome="cancelled"}')).toBe(0);
        expect(samples.get('stylize_job_wait_seconds_count')).toBe(1);
        expect(samples.get('stylize_queue_waiting_jobs')).toBe(0);
      });
    });
  });

  it('/healthz: 503 naming the journal while it cannot be written, 200 again once it can', async () => {
    const journal = new FaultyJournal(fx.workspace.dataDir);
    journal.fillUpAt('running');
    await withQueue(fx.workspace, { journal }, async ({ queue, events }) => {
      await withEndpoint(queue, async (base) => {
        expect(await health(base)).toEqual({
          status: 200,
          body: { ok: true, checks: { engine: { ok: true, detail: 'scripted engine' }, journal: { ok: true, detail: 'takes writes' } } },
        });
        const job = await queue.submit(fx.request('alice'));
        await events.waitFinished([job.id]);
        const failing = await health(base);
        expect(failing.status).toBe(503);
        expect(failing.body.ok).toBe(false);
        expect(failing.body.checks['journal']).toEqual({ ok: false, detail: expect.stringMatching(/^a write failed and a test write still fails/) });
        expect(failing.body.checks['engine']?.ok).toBe(true);

        journal.makeRoom();
        expect((await health(base)).status).toBe(200);
      });
    });
  });

  it('/healthz: 503 naming the engine while it cannot start', async () => {
    await withQueue(fx.workspace, async ({ queue, engine }) => {
      await withEndpoint(queue, async (base) => {
        engine.down = 'the engine could not start: the model is missing';
        const down = await health(base);
        expect(down.status).toBe(503);
        expect(down.body.checks['engine']).toEqual({ ok: false, detail: 'the engine could not start: the model is missing' });
        expect(down.body.checks['journal']?.ok).toBe(true);
        engine.down = undefined;
        expect((await health(base)).status).toBe(200);
      });
    });
  });

  it('answers only GET and HEAD on its two paths, and a port in use stops its start with a plain message', async () => {
    await withQueue(fx.workspace, async ({ queue }) => {
      await withEndpoint(queue, async (base) => {
        const other = await fetch(`${base}/`);
        expect(other.status).toBe(404);
        expect(await other.text()).toContain('/healthz and /metrics');
        const post = await fetch(`${base}/metrics`, { method: 'POST' });
        expect(post.status).toBe(405);
        expect(post.headers.get('allow')).toBe('GET, HEAD');
        const head = await fetch(`${base}/metrics`, { method: 'HEAD' });
        expect(head.status).toBe(200);
        expect(head.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);

        const port = Number(new URL(base).port);
        const clash = new OperatorServer({ host: '127.0.0.1', port, log: silent, health: async () => ({ ok: true, checks: {} }), metrics: async () => ({ contentType: 'text/plain', body: '' }) });
        await expect(clash.start()).rejects.toThrow(`The operator endpoint cannot listen on 127.0.0.1:${port}: the port is in use by another program. Set STYLIZE_OPERATOR_PORT to a free port, or stop that program.`);
      });
    });
  });
});
