// Two front-ends for one platform (issue 18, "Front-ends"): `npm start` twice in cluster mode, as real processes
// on the same PostgreSQL, with an engine worker process on a timed scripted engine and the fake Discord. One
// serves Discord and the other stands by, healthy, until the first dies: after a kill -9 in the middle of the
// picture's upload, the standby takes over within 30 s and finishes the job, and the picture is posted once;
// after one in the middle of a job, the standby goes on editing the same reply with the job's progress.
// SIGTERM gives the lease back. An active front-end whose lease is taken from it stops serving at once, with
// a plain line and status 1.
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './fake-discord/harness.js';
import { contentOf, resultsIn } from './fake-discord/inspect.js';
import type { RecordedCall } from './fake-discord/server.js';
import { clusterServersHere, freshDatabase, type TestDatabase } from './fixtures/cluster-servers.js';
import { waitFor } from './fixtures/wait-for.js';

const here = await clusterServersHere();
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MAIN = join(ROOT, 'src/commands/start.ts');
const WORKER = join(ROOT, 'test/fixtures/cluster-worker-process.ts');
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
/** The bot's own variables are removed from the inherited environment so that the machine's cannot leak in. */
const OURS = /^(DISCORD_|SLACK_|STYLIZE_|LOG_LEVEL)/;
/** Short, so that the test does not wait 15 s for a takeover; the promise of 30 s holds for the default 15 s. */
const LEASE_SECONDS = 4;
/** Generous: the machine running the tests is shared with other busy processes. */
const STEP_MS = 60_000;

interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function startProcess(script: string, cwd: string, env: Record<string, string>): Running {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !OURS.test(name)));
  const child = spawn(process.execPath, ['--import', TSX, script], { cwd, env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return { child, output: () => text, exited };
}

function waitForOutput(run: Running, pattern: RegExp, what: string): Promise<RegExpExecArray> {
  return waitFor(
    () => {
      const found = pattern.exec(run.output());
      if (!found && run.child.exitCode !== null) throw new Error(`the process exited (${run.child.exitCode}) before ${what}:\n${run.output()}`);
      return found ?? undefined;
    },
    STEP_MS,
    what,
  );
}

async function stopProcess(run: Running): Promise<void> {
  if (run.child.exitCode !== null || run.child.signalCode !== null) return;
  run.child.kill('SIGTERM');
  await run.exited;
}

async function healthOf(run: Running): Promise<{ status: number; report: { ok: boolean; standby?: boolean; checks: Record<string, { ok: boolean; detail: string }> } }> {
  const [, url] = await waitForOutput(run, /operator endpoint listening on (http:\/\/127\.0\.0\.1:\d+)/, 'the operator endpoint');
  const answer = await fetch(`${url}/healthz`);
  return { status: answer.status, report: (await answer.json()) as Awaited<ReturnType<typeof healthOf>>['report'] };
}

describe.skipIf(!here)('a second front-end (cluster mode)', () => {
  let h: Harness;
  let work: string;
  let database: TestDatabase;
  const running: Running[] = [];

  beforeAll(async () => {
    h = await startHarness();
    work = await mkdtemp(join(tmpdir(), 'stylize-front-ends-'));
  }, STEP_MS);
  afterAll(async () => {
    await h?.stop();
    await rm(work, { recursive: true, force: true });
  });
  beforeEach(async () => {
    database = await freshDatabase();
  });
  afterEach(async () => {
    for (const run of running.splice(0).reverse()) await stopProcess(run);
    await database.drop();
  });

  async function frontEnd(): Promise<Running> {
    const run = startProcess(MAIN, work, {
      DISCORD_TOKEN: h.fake.token,
      DISCORD_APPLICATION_ID: h.fake.applicationId,
      DISCORD_API_URL: h.fake.apiUrl,
      DISCORD_ATTACHMENT_HOSTS: h.host.host,
      STYLIZE_WEIGHTS_DIR: h.weightsDir,
      STYLIZE_DATA_DIR: await mkdtemp(join(work, 'data-')),
      STYLIZE_DATABASE_URL: database.url,
      STYLIZE_LEASE_SECONDS: String(LEASE_SECONDS),
      STYLIZE_OPERATOR_PORT: '0',
    });
    running.push(run);
    return run;
  }

  /** Edits showing a job's progress ("Painting ▓▓░░ · about 10 s left"), made since `since`. */
  function progressEdits(since: number): RecordedCall[] {
    return h.fake.callsTo('PATCH', /./).filter((call) => call.at >= since && contentOf(call).includes('Painting'));
  }

  async function sql(text: string): Promise<pg.QueryResult> {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      return await client.query(text);
    } finally {
      await client.end();
    }
  }

  async function holders(): Promise<string[]> {
    return (await sql('SELECT holder FROM stylize_front_end_leases')).rows.map((row: { holder: string }) => row.holder);
  }

  /** A worker whose jobs take `jobMs`, or run until the file `releasePath` exists. */
  function worker(job: { jobMs: number } | { releasePath: string }): Running {
    const timing: Record<string, string> = 'jobMs' in job ? { STYLIZE_TEST_JOB_MS: String(job.jobMs) } : { STYLIZE_TEST_RELEASE_FILE: job.releasePath };
    const run = startProcess(WORKER, ROOT, { STYLIZE_DATABASE_URL: database.url, ...timing });
    running.push(run);
    return run;
  }

  it('kill -9 of the active front-end mid-delivery: the standby takes over within 30 s and the picture is posted once', async () => {
    const first = await frontEnd();
    await waitForOutput(first, /bot started/, 'the first front-end to start');
    const identified = h.fake.identifies.length;
    const second = await frontEnd();
    await waitForOutput(second, /standby: another front-end is active for discord; taking over when it stops/, 'the second front-end to stand by');
    const standby = await healthOf(second);
    expect(standby.status).toBe(200);
    expect(standby.report).toEqual({ ok: true, standby: true, checks: { 'front-end': { ok: true, detail: 'standby: another front-end is active for discord; taking over when it stops' } } });
    expect((await healthOf(first)).report.checks['front-end']).toEqual({ ok: true, detail: 'active for discord' });
    await waitForOutput(worker({ jobMs: 300 }), /ready \S+/, 'the worker to take jobs');

    // Every upload of the picture is held open by the fake until released: the delivery "in flight".
    let release = (): void => undefined;
    const upload = h.fake.fault({ method: 'POST', path: /^\/channels\/\d+\/messages$/, file: /^stylized-/ }, { hold: new Promise<void>((done) => (release = done)) });
    const job = h.fake.sendStylize({ user: h.fake.makeUser('noor'), content: { file: h.content }, style: { file: h.style }, size: 64 });
    await h.fake.waitFor(() => upload.caught() > 0, STEP_MS, 'the upload to reach Discord');
    // All along, the standby has not connected to Discord.
    expect(h.fake.identifies.length).toBe(identified);
    first.child.kill('SIGKILL');
    await first.exited;
    const killedAt = Date.now();
    // Discord finishes the held upload after the front-end died: the message exists, its answer is lost.
    upload.clear();
    release();
    const threadId = job.originalId ?? '';
    await h.fake.waitFor(() => resultsIn(h.fake, threadId).length > 0, 10_000, 'the held upload to land');

    await waitForOutput(second, /took the lease: active for discord/, 'the standby to take over');
    expect(Date.now() - killedAt).toBeLessThan(30_000);
    await h.fake.waitFor(() => h.fake.identifies.length > identified, STEP_MS, 'the new front-end to connect to Discord');
    await h.fake.waitFor(() => h.fake.messagesIn(threadId).some((m) => m.content.includes('✅ Done')), STEP_MS, 'the job to be done on the new front-end');
    expect(resultsIn(h.fake, threadId)).toHaveLength(1);
    // The new front-end knew from PostgreSQL that a try had been made, and looked in the thread first.
    expect(h.fake.callsTo('GET', new RegExp(`^/channels/${threadId}/messages$`)).length).toBeGreaterThan(0);
    expect(second.output()).toMatch(/picture delivered/);
    const active = await healthOf(second);
    expect(active.report.checks['front-end']).toEqual({ ok: true, detail: 'active for discord' });
    expect(active.report.standby).toBeUndefined();
    await stopProcess(second);
    expect(await second.exited).toBe(0);
  }, 6 * STEP_MS);

  it('kill -9 of the active front-end mid-job: the standby goes on with the progress on the same reply, and the picture comes once', async () => {
    const first = await frontEnd();
    await waitForOutput(first, /bot started/, 'the first front-end to start');
    const second = await frontEnd();
    await waitForOutput(second, /standby: another front-end is active for discord/, 'the second front-end to stand by');
    // The job runs until the takeover is seen through: however long that takes on a busy machine.
    const releasePath = join(work, `release-${database.name}`);
    await waitForOutput(worker({ releasePath }), /ready \S+/, 'the worker to take jobs');
    const job = h.fake.sendStylize({ user: h.fake.makeUser('ines'), content: { file: h.content }, style: { file: h.style }, size: 64 });
    await h.fake.waitFor(() => progressEdits(0).length > 0, STEP_MS, 'the job to show progress');
    first.child.kill('SIGKILL');
    await first.exited;
    await waitForOutput(second, /took the lease: active for discord/, 'the standby to take over');
    const tookOverAt = Date.now();
    // The job runs on at its worker; the new front-end edits the same reply with its progress.
    await h.fake.waitFor(() => progressEdits(tookOverAt).length > 0, STEP_MS, 'progress from the new front-end');
    // On the messages the first front-end made: the job's reply, or its status in the thread on it.
    const threadId = job.originalId ?? '';
    for (const edit of progressEdits(tookOverAt)) expect(edit.path).toMatch(new RegExp(`/${job.token}/messages/@original$|^/channels/${threadId}/messages/\\d+$`));
    await writeFile(releasePath, '');
    await h.fake.waitFor(() => h.fake.messagesIn(threadId).some((m) => m.content.includes('✅ Done')), STEP_MS, 'the job to be done');
    expect(resultsIn(h.fake, threadId)).toHaveLength(1);
  }, 4 * STEP_MS);

  it('SIGTERM: a standby exits 0 at once; the active front-end gives its lease back, and a standby takes over before the lease would have run out', async () => {
    const first = await frontEnd();
    await waitForOutput(first, /bot started/, 'the first front-end to start');
    const idle = await frontEnd();
    await waitForOutput(idle, /standby: another front-end is active/, 'a standby');
    await stopProcess(idle);
    expect(await idle.exited).toBe(0);
    const second = await frontEnd();
    await waitForOutput(second, /standby: another front-end is active/, 'the second front-end to stand by');
    await stopProcess(first);
    expect(await first.exited).toBe(0);
    expect(first.output()).toMatch(/gave the front-end lease back/);
    // Given back, not left to run out: the table holds no lease of the first front-end's any more.
    expect((await holders()).filter((holder) => !holder.includes(`:${second.child.pid}:`))).toEqual([]);
    await waitForOutput(second, /bot started/, 'the standby to take over');
  }, 4 * STEP_MS);

  it('an active front-end whose lease another has taken stops serving at once, with a plain line and status 1', async () => {
    const first = await frontEnd();
    await waitForOutput(first, /bot started/, 'the front-end to start');
    // As if this front-end had been cut off for longer than its lease and another had taken it meanwhile.
    await sql("UPDATE stylize_front_end_leases SET holder = 'elsewhere', expires_at = now() + interval '1 hour'");
    expect(await waitFor(() => first.child.exitCode ?? undefined, STEP_MS, 'the front-end to exit')).toBe(1);
    expect(first.output()).toContain('This front-end stopped serving: another front-end holds the lease for discord now.');
    expect(first.output()).not.toMatch(/\n\s+at /);
  }, 3 * STEP_MS);
});
