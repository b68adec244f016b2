// `npm start` as an operator meets it: src/commands/start.ts run as a real process. Without credentials it runs
// the local web chat and says where it is and what to set for the chat platforms; a wrong setting or missing weights get a message naming the fix; against the fake Discord it
// connects, and SIGTERM in the middle of a job journals it: the next start finishes it in its thread. A
// second bot on the same data folder is refused while the first goes on. A kill -9 in the middle of a job
// and then in the middle of the result's upload loses nothing and posts nothing twice. A kill -9 while Discord
// applies the first edit of the reply leaves the job its reply: after the restart it finishes on it.
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './fake-discord/harness.js';
import { contentOf, pngSize, replyEdits, resultIn, resultsIn, waitForResult } from './fake-discord/inspect.js';
import { makeTinyVggWeights } from './fixtures/tiny-vgg.js';
import { REAL_ENGINE_TIMEOUT_MS } from './fixtures/wait-for.js';

const MAIN = resolve(dirname(fileURLToPath(import.meta.url)), '../src/commands/start.ts');
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
/** The bot's own variables are removed from the inherited environment so that the machine's cannot leak in. */
const OURS = /^(DISCORD_|SLACK_|STYLIZE_|LOG_LEVEL)/;

interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function startMain(cwd: string, env: Record<string, string>): Running {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !OURS.test(name)));
  const child = spawn(process.execPath, ['--import', TSX, MAIN], { cwd, env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return { child, output: () => text, exited };
}

async function runMain(cwd: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const run = startMain(cwd, env);
  return { code: await run.exited, output: run.output() };
}

async function waitForOutput(run: Running, pattern: RegExp, timeoutMs = REAL_ENGINE_TIMEOUT_MS): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!pattern.test(run.output())) {
    if (Date.now() > until || run.child.exitCode !== null) throw new Error(`bot output never matched ${pattern}:\n${run.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'stylize-main-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('npm start', () => {
  it('with no chat credentials: runs the local web chat, says where it is and what to set for Discord and Slack', async () => {
    const weightsDir = await makeTinyVggWeights();
    const run = startMain(work, { STYLIZE_WEB_PORT: '0', STYLIZE_WEIGHTS_DIR: weightsDir, STYLIZE_DATA_DIR: await mkdtemp(join(work, 'data-')), STYLIZE_BACKEND: 'wasm' });
    try {
      await waitForOutput(run, /The web chat is ready: open (http:\/\/127\.0\.0\.1:\d+) in a browser\./);
      const url = /open (http:\/\/127\.0\.0\.1:\d+) in a browser/.exec(run.output())?.[1] ?? '';
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<form id="new-job"');
    } finally {
      run.child.kill('SIGTERM');
    }
    expect(await run.exited).toBe(0);
    const output = run.output();
    for (const text of ['runs the local web chat only', 'DISCORD_TOKEN', 'DISCORD_APPLICATION_ID', 'npm run register:discord', 'SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN', 'npm run stylize --']) {
      expect(output).toContain(text);
    }
    expect(output).not.toMatch(/\n\s+at /);
    await rm(weightsDir, { recursive: true, force: true });
  }, REAL_ENGINE_TIMEOUT_MS);

  it('a wrong setting: exit 1 and a message naming it, no stack trace', async () => {
    const { code, output } = await runMain(work, { DISCORD_TOKEN: 'token' });
    expect(code).toBe(1);
    expect(output).toMatch(/DISCORD_APPLICATION_ID is missing/);
    expect(output).not.toMatch(/\n\s+at /);
  });

  it('reads .env (the real environment wins) and says what to run when the weights folder holds no model', async () => {
    const dir = await mkdtemp(join(work, 'dotenv-'));
    await writeFile(join(dir, '.env'), 'SLACK_BOT_TOKEN=xoxb-1-2-abc\nSLACK_SIGNING_SECRET=secret\nSLACK_PORT=not-a-port\n');
    const bad = await runMain(dir, {});
    expect(bad.code).toBe(1);
    expect(bad.output).toMatch(/SLACK_PORT must be a whole number/);
    const missing = join(dir, 'no-weights');
    const noWeights = await runMain(dir, { SLACK_PORT: '0', STYLIZE_WEIGHTS_DIR: missing });
    expect(noWeights.code).toBe(1);
    expect(noWeights.output).toContain(missing);
    expect(noWeights.output).toContain('npm run models:fetch');
    expect(noWeights.output).not.toMatch(/\n\s+at /);
  });

  describe('against the fake Discord', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness();
    }, 60_000);
    afterAll(async () => h?.stop());

    /** The environment of a bot on the fake Discord, the tiny weights and a fresh data folder. */
    async function botEnv(): Promise<Record<string, string>> {
      return {
        DISCORD_TOKEN: h.fake.token,
        DISCORD_APPLICATION_ID: h.fake.applicationId,
        DISCORD_API_URL: h.fake.apiUrl,
        DISCORD_ATTACHMENT_HOSTS: h.host.host,
        STYLIZE_WEIGHTS_DIR: h.weightsDir,
        STYLIZE_DATA_DIR: await mkdtemp(join(work, 'data-')),
        STYLIZE_BACKEND: 'wasm',
      };
    }

    it('SIGTERM during a job exits cleanly; the next start finishes the job in its thread', async () => {
      const env = await botEnv();
      const first = startMain(work, env);
      await waitForOutput(first, /bot started/);
      const alice = h.fake.makeUser('alice');
      const job = h.fake.sendStylize({ user: alice, content: { file: h.bigContent }, style: { file: h.style }, size: 512 });
      await h.fake.waitFor(() => replyEdits(h.fake, job).some((call) => /Starting|iteration/.test(contentOf(call))), REAL_ENGINE_TIMEOUT_MS, 'the job to start');
      first.child.kill('SIGTERM');
      expect(await first.exited).toBe(0);
      // Stopping aborts the running job rather than waiting for it (a 512 px job on wasm runs for minutes),
      // and journals it to run again.
      expect(first.output()).toMatch(/running job interrupted by shutdown/);
      expect(first.output()).toMatch(/stopping: no new jobs/);
      expect(first.output()).toMatch(/bot stopped/);
      expect(resultIn(h.fake, job.originalId ?? '')).toBeUndefined();

      const second = startMain(work, env);
      try {
        const result = await waitForResult(h.fake, job, REAL_ENGINE_TIMEOUT_MS);
        expect((await pngSize(result.png.data)).format).toBe('png');
      } finally {
        second.child.kill('SIGTERM');
      }
      expect(await second.exited).toBe(0);
      // Plain JSON lines, and the bot token never in them.
      const lines = (first.output() + second.output()).split('\n').filter((line) => line.startsWith('{'));
      expect(lines.length).toBeGreaterThan(4);
      for (const line of lines) expect(() => JSON.parse(line) as unknown).not.toThrow();
      expect(first.output() + second.output()).not.toContain(h.fake.token);
    }, 2 * REAL_ENGINE_TIMEOUT_MS);

    it('a second bot on the same data folder exits 1 with a plain message; the first keeps serving', async () => {
      const dataDir = await mkdtemp(join(work, 'data-'));
      const env = {
        DISCORD_TOKEN: h.fake.token,
        DISCORD_APPLICATION_ID: h.fake.applicationId,
        DISCORD_API_URL: h.fake.apiUrl,
        DISCORD_ATTACHMENT_HOSTS: h.host.host,
        STYLIZE_WEIGHTS_DIR: h.weightsDir,
        STYLIZE_DATA_DIR: dataDir,
        STYLIZE_BACKEND: 'wasm',
      };
      const first = startMain(work, env);
      try {
        await waitForOutput(first, /bot started/);
        const second = await runMain(work, env);
        expect(second.code).toBe(1);
        expect(second.output).toContain(`The bot could not start: Another stylize bot is already running with the data folder ${dataDir}`);
        expect(second.output).toContain('STYLIZE_DATA_DIR');
        expect(second.output).not.toMatch(/\n\s+at /);

        const job = h.fake.sendStylize({ user: h.fake.makeUser('bob'), content: { file: h.content }, style: { file: h.style }, size: 64 });
        const result = await waitForResult(h.fake, job, REAL_ENGINE_TIMEOUT_MS);
        expect((await pngSize(result.png.data)).format).toBe('png');
      } finally {
        first.child.kill('SIGTERM');
      }
      expect(await first.exited).toBe(0);
    }, 2 * REAL_ENGINE_TIMEOUT_MS);

    it('STYLIZE_OPERATOR_PORT: one line says where /healthz and /metrics listen; a second bot on that port exits 1 with a plain message', async () => {
      const first = startMain(work, { ...(await botEnv()), STYLIZE_OPERATOR_PORT: '0' });
      try {
        await waitForOutput(first, /bot started/);
        const url = /operator endpoint listening on (http:\/\/127\.0\.0\.1:(\d+)) \(\/healthz, \/metrics\)/.exec(first.output());
        if (!url?.[1] || !url[2]) throw new Error(`no operator endpoint line in:\n${first.output()}`);
        const healthz = await fetch(`${url[1]}/healthz`);
        const report = (await healthz.json()) as { checks: Record<string, { ok: boolean }> };
        expect(Object.keys(report.checks)).toEqual(['discord', 'engine', 'journal']);
        expect(report.checks['discord']?.ok).toBe(true);
        expect((await fetch(`${url[1]}/metrics`)).headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);

        const second = await runMain(work, { ...(await botEnv()), STYLIZE_OPERATOR_PORT: url[2] });
        expect(second.code).toBe(1);
        expect(second.output).toContain(`The bot could not start: The operator endpoint cannot listen on 127.0.0.1:${url[2]}: the port is in use by another program. Set STYLIZE_OPERATOR_PORT to a free port, or stop that program.`);
        expect(second.output).not.toMatch(/\n\s+at /);
      } finally {
        first.child.kill('SIGTERM');
      }
      expect(await first.exited).toBe(0);
    }, 2 * REAL_ENGINE_TIMEOUT_MS);

    it('kill -9 while Discord applies the first edit of the reply: after the restart progress and picture come on that reply', async () => {
      const env = await botEnv();
      const first = startMain(work, env);
      await waitForOutput(first, /bot started/, REAL_ENGINE_TIMEOUT_MS);
      const lea = h.fake.makeUser('lea');
      const job = h.fake.sendStylize({ user: lea, content: { file: h.content }, style: { file: h.style }, size: 64 });
      // The first edit of the reply ("Queued") is held by the fake: Discord has it, the bot waits for its answer.
      let release = (): void => undefined;
      const edit = h.fake.fault({ method: 'PATCH', path: new RegExp(`/${job.token}/messages/@original$`) }, { hold: new Promise<void>((resolve) => (release = resolve)), times: 1 });
      await h.fake.waitFor(() => edit.caught() > 0, REAL_ENGINE_TIMEOUT_MS, 'the first edit to reach Discord');
      first.child.kill('SIGKILL');
      await first.exited;
      // Discord applies the edit after the bot died: the reply says the job is queued, and its answer is lost.
      release();
      const replyId = job.originalId ?? '';
      await h.fake.waitFor(() => h.fake.messages.get(replyId)?.edited_timestamp, 10_000, 'the held edit to land');

      const second = startMain(work, env);
      try {
        // The thread starts on the original reply, and holds the progress and the picture.
        const result = await waitForResult(h.fake, job, REAL_ENGINE_TIMEOUT_MS);
        expect((await pngSize(result.png.data)).format).toBe('png');
        await h.fake.waitFor(() => h.fake.messagesIn(replyId).some((m) => m.content.includes('✅ Done')), REAL_ENGINE_TIMEOUT_MS, 'the status in the thread on the reply');
      } finally {
        second.child.kill('SIGTERM');
      }
      expect(await second.exited).toBe(0);
      // No thread on a new message: the only message naming Lea in the channel is her reply.
      expect(h.fake.messagesIn(h.fake.channelId).filter((m) => m.content.includes(`<@${lea.id}>`)).map((m) => m.id)).toEqual([replyId]);
      expect(resultsIn(h.fake, replyId)).toHaveLength(1);
    }, 2 * REAL_ENGINE_TIMEOUT_MS);

    it('kill -9 mid-job and then mid-upload: after the restarts the picture arrives exactly once', async () => {
      const env = await botEnv();
      // Every upload of the result is held open by the fake until released: the upload "in flight".
      let release = (): void => undefined;
      const upload = h.fake.fault({ method: 'POST', path: /^\/channels\/\d+\/messages$/, file: /^stylized-/ }, { hold: new Promise<void>((resolve) => (release = resolve)) });

      const first = startMain(work, env);
      await waitForOutput(first, /bot started/, REAL_ENGINE_TIMEOUT_MS);
      const job = h.fake.sendStylize({ user: h.fake.makeUser('kim'), content: { file: h.bigContent }, style: { file: h.style }, size: 128 });
      await h.fake.waitFor(() => replyEdits(h.fake, job).some((call) => /Starting|iteration/.test(contentOf(call))), REAL_ENGINE_TIMEOUT_MS, 'the job to start');
      first.child.kill('SIGKILL');
      await first.exited;

      const second = startMain(work, env);
      await h.fake.waitFor(() => upload.caught() > 0, REAL_ENGINE_TIMEOUT_MS, 'the upload to reach Discord');
      second.child.kill('SIGKILL');
      await second.exited;
      // Discord finishes the held upload after the bot died: the message exists, its answer is lost.
      upload.clear();
      release();
      const threadId = job.originalId ?? '';
      await h.fake.waitFor(() => resultsIn(h.fake, threadId).length > 0, 10_000, 'the held upload to land');

      const third = startMain(work, env);
      try {
        await h.fake.waitFor(() => h.fake.messagesIn(threadId).some((m) => m.content.includes('✅ Done')), REAL_ENGINE_TIMEOUT_MS, 'the job to be done after the restart');
      } finally {
        third.child.kill('SIGTERM');
      }
      expect(await third.exited).toBe(0);
      expect(resultsIn(h.fake, threadId)).toHaveLength(1);
      // The third bot knew from the journal that a try had been made, and looked in the thread first.
      expect(h.fake.callsTo('GET', new RegExp(`^/channels/${threadId}/messages$`)).length).toBeGreaterThan(0);
      expect(third.output()).toMatch(/picture delivered/);
    }, 4 * REAL_ENGINE_TIMEOUT_MS);
  });
});
