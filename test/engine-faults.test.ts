// The real EngineRunner when its process misbehaves: one that hangs while loading is killed at the start-up
// limit, one that cannot be forked fails the job instead of the bot, and one hung in a job (deaf to the
// cancel) is killed and replaced by a fresh process for the next job. A tiny stand-in child script plays the
// engine (test/fixtures/stub-engine-child.ts); the limits run on the manual clock or are a few milliseconds.
import { fork } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EngineRunner, JobQueue, type EngineRunnerSettings } from '../src/queue/index.js';
import { captureLog, type LogLine } from './fixtures/capture-log.js';
import { makeGradientPng } from './fixtures/images.js';
import { ManualClock } from './fixtures/manual-clock.js';
import { waitFor } from './fixtures/wait-for.js';
import { EventRecorder, processExists, request, type RunningQueue } from './queue-harness.js';

const STUB = resolve(dirname(fileURLToPath(import.meta.url)), 'fixtures/stub-engine-child.ts');
const START_LIMIT_MS = 60_000;
const JOB_LIMIT_MS = 60_000;

/** Process ids of the engine processes the runner started, from its log. */
function enginePids(lines: LogLine[]): number[] {
  return lines.filter((line) => line.msg === 'engine process started').map((line) => Number(line.pid));
}

describe('engine faults', () => {
  let dataDir: string;
  let content: Buffer;
  let style: Buffer;
  beforeAll(async () => {
    content = await makeGradientPng(48, 48, 1);
    style = await makeGradientPng(48, 48, 2);
  });
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'stylize-engine-faults-'));
  });
  afterEach(async () => rm(dataDir, { recursive: true, force: true }));

  /** A started queue on a real EngineRunner with `settings`, both on `clock`; stopped after `body`. */
  async function withRunner(clock: ManualClock, settings: Omit<EngineRunnerSettings, 'log'>, body: (running: RunningQueue) => Promise<void>): Promise<void> {
    const { log, lines } = captureLog();
    const engine = new EngineRunner({ ...settings, clock, log: log.child({ component: 'engine' }) });
    const queue = new JobQueue({ engine, clock, dataDir, log, limits: { jobTimeoutMs: JOB_LIMIT_MS } });
    const events = new EventRecorder();
    events.listen(queue);
    await queue.start();
    try {
      await body({ queue, events, lines });
    } finally {
      await queue.stop();
    }
  }

  it('kills an engine that hangs while loading at the start-up limit; the job fails with a message', async () => {
    const clock = new ManualClock();
    await withRunner(clock, { weightsDir: 'hang-at-load', childModule: STUB, startTimeoutMs: START_LIMIT_MS, stopGraceMs: 50 }, async ({ queue, events, lines }) => {
      const job = await queue.submit(request('alice', content, style));
      await events.waitFor(() => events.types(job.id).includes('started'), 'the job to wait for the engine');
      const [pid] = enginePids(lines);
      if (pid === undefined) throw new Error('no engine process');
      expect(queue.engineStatus()).toEqual({ up: true, detail: `loading the weights (pid ${pid})`, restarts: 0 });
      await clock.advance(START_LIMIT_MS);
      await events.waitFinished([job.id]);
      expect(events.of(job.id).at(-1)).toEqual({ type: 'failed', reason: { code: 'engine-unavailable', params: {} } });
      // Down for the operator's health check until a later job gets an engine ready.
      expect(queue.engineStatus()).toEqual({ up: false, detail: `the engine could not start: the engine process was not ready within ${START_LIMIT_MS} ms`, restarts: 0 });
      expect(lines.some((line) => line.level >= 50 && line.msg === 'engine process not ready in time; killing it')).toBe(true);
      await waitFor(() => !processExists(pid), 30_000, 'the hung engine process to be gone');
    });
  });

  it('a fork that fails ("error" on the child) fails the jobs with a message; the bot goes on', async () => {
    const clock = new ManualClock();
    const brokenFork: EngineRunnerSettings['fork'] = (modulePath, args, options) => fork(modulePath, args, { ...options, execPath: join(dataDir, 'no-such-node') });
    await withRunner(clock, { weightsDir: 'unused', childModule: STUB, fork: brokenFork }, async ({ queue, events, lines }) => {
      const first = await queue.submit(request('alice', content, style));
      const second = await queue.submit(request('bob', content, style));
      await events.waitFinished([first.id, second.id]);
      for (const id of [first.id, second.id]) expect(events.of(id).at(-1)).toEqual({ type: 'failed', reason: { code: 'engine-unavailable', params: {} } });
      expect(lines.some((line) => line.level >= 50 && line.msg === 'engine process could not be started')).toBe(true);
      expect(queue.engineStatus()).toMatchObject({ up: false, detail: expect.stringMatching(/^the engine could not start: the engine process could not be started/) });
    });
  });

  it('kills an engine hung in a job that ignores the cancel at the time limit, and runs the next job on a fresh one', async () => {
    const clock = new ManualClock();
    await withRunner(clock, { weightsDir: 'hang-in-job', childModule: STUB, stopGraceMs: 50 }, async ({ queue, events, lines }) => {
      const hung = await queue.submit(request('alice', content, style));
      await events.waitRunning(hung.id);
      await clock.advance(JOB_LIMIT_MS);
      await events.waitFinished([hung.id]);
      expect(events.of(hung.id).at(-1)).toEqual({ type: 'failed', reason: { code: 'job-timed-out', params: { limitMs: JOB_LIMIT_MS } } });
      expect(lines.some((line) => line.msg === 'engine did not stop in time; killing it')).toBe(true);
      const [firstPid] = enginePids(lines);
      if (firstPid === undefined) throw new Error('no engine process');
      await waitFor(() => !processExists(firstPid), 30_000, 'the hung engine process to be gone');

      const next = await queue.submit(request('bob', content, style));
      await events.waitRunning(next.id);
      const pids = enginePids(lines);
      expect(pids).toHaveLength(2);
      expect(pids[1]).not.toBe(firstPid);
      expect(queue.engineStatus()).toMatchObject({ up: true, restarts: 1 });
      expect(await queue.cancel(next.id, { platform: 'discord', userId: 'bob' })).toBe('cancelled');
    });
  });
});
