// The bot's side of the engine process: starts it, keeps it warm between jobs (the weights load once),
// runs one job at a time on it, and turns a crash into a failed job and a fresh process for the next one.
import { fork, type ChildProcess, type ForkOptions } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Logger } from 'pino';
import type { BackendName } from '../transfer/index.js';
import { systemClock, type Clock } from './clock.js';
import type { EngineOutcome, EngineProfile, EngineRun, EngineStatus, JobEngine } from './engine.js';
import type { EngineProcessSettings, FromEngine, ToEngine } from './engine-messages.js';

export interface EngineRunnerSettings {
  /** Folder holding model.json and its weight shards. */
  weightsDir: string;
  backend?: BackendName;
  log: Logger;
  /** At most one preview per this many ms (default 3 s, about what a chat message edit may take). */
  previewIntervalMs?: number;
  /** After a cancel, how long the engine may take to stop on its own before it is killed. */
  stopGraceMs?: number;
  /** How long the engine process may take to load and say it is ready (default 5 minutes); then it is killed. */
  startTimeoutMs?: number;
  /** The start-up limit is measured on this clock; default the system clock. */
  clock?: Clock;
  /** The module the engine process runs; default engine-child.ts (the TensorFlow.js engine). */
  childModule?: string;
  /** Starts the engine process; default node's fork. */
  fork?: ForkEngine;
}

/** Loading the weights takes seconds; minutes leave room for a slow disk or a first GPU kernel compile. */
export const DEFAULT_ENGINE_START_TIMEOUT_MS = 5 * 60_000;

/** How the runner starts an engine process (node's fork, or one that a caller wraps). */
export type ForkEngine = (modulePath: string, args: readonly string[], options: ForkOptions) => ChildProcess;

const CHILD_MODULE = fileURLToPath(new URL('./engine-child.ts', import.meta.url));
// The engine process runs TypeScript like the rest of the project: through tsx's loader, resolved from
// this package so that it is found whatever the working directory is.
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
/** Secrets the engine has no use for stay out of its environment. */
const SECRET_NAME = /TOKEN|SECRET|PASSWORD|KEY/i;

type Ready = ({ ok: true } & EngineProfile) | { ok: false; why: 'model' | 'internal' | 'unavailable'; message: string };

/** One engine process and what it has said. */
class EngineProcess {
  readonly ready: Promise<Ready>;
  /** How loading went, once it has (for status()). */
  loaded: Ready | undefined;
  readonly exited: Promise<string>;
  private listener: ((message: FromEngine) => void) | undefined;
  private stderrTail = '';

  constructor(
    private readonly child: ChildProcess,
    log: Logger,
    start: { timeoutMs: number; clock: Clock },
  ) {
    child.stdout?.resume();
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-2000);
    });
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        const how = signal ? `killed by ${signal}` : `exited with code ${code}`;
        const tail = this.stderrTail.trim();
        if (tail) log.warn({ pid: child.pid, stderr: tail }, `engine process ${how}`);
        else log.info({ pid: child.pid }, `engine process ${how}`);
        resolve(how);
      });
      // A process that could not be started (no such program, too many processes) reports it here and
      // never emits 'exit'. Later 'error's are failed sends on a closing channel: the exit tells the rest.
      child.on('error', (error) => {
        if (child.pid !== undefined) {
          log.warn({ pid: child.pid, err: error }, 'engine process channel error');
          return;
        }
        log.error({ err: error }, 'engine process could not be started');
        resolve(`could not be started (${error.message})`);
      });
    });
    this.ready = new Promise((resolve) => {
      const settle = (ready: Ready): void => {
        cancelStartLimit();
        this.loaded ??= ready;
        resolve(ready);
      };
      // Loading that never ends (a stuck file system, a wedged GPU driver) would hold every job forever.
      const cancelStartLimit = start.clock.setTimeout(() => {
        log.error({ pid: child.pid, limitMs: start.timeoutMs }, 'engine process not ready in time; killing it');
        settle({ ok: false, why: 'unavailable', message: `the engine process was not ready within ${start.timeoutMs} ms` });
        this.kill();
      }, start.timeoutMs);
      void this.exited.then((how) => settle({ ok: false, why: 'unavailable', message: `the engine process ${how} while loading` }));
      child.on('message', (message: FromEngine) => {
        if (message.type === 'ready') {
          const deepest = message.layers.at(-1) ?? 'none';
          log.info({ pid: child.pid, backend: message.backend, threads: message.threads, deepestLayer: deepest }, `engine ready: ${message.backend}, ${message.threads} thread(s)`);
          if (message.note) log.warn({ pid: child.pid }, `engine runs slower than it could: ${message.note}`);
          const { backend, defaultSize, defaultIterations, networkCost } = message;
          settle({ ok: true, backend, defaultSize, defaultIterations, networkCost });
        }
        else if (message.type === 'load-failed') settle({ ok: false, why: message.kind, message: message.message });
        else this.listener?.(message);
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  send(message: ToEngine): void {
    if (this.child.connected) this.child.send(message);
  }

  listen(listener: ((message: FromEngine) => void) | undefined): void {
    this.listener = listener;
  }

  kill(): void {
    if (this.alive) this.child.kill('SIGKILL');
  }

  /** Closes the channel (the process exits on its own); kills it if it lingers. */
  async close(graceMs: number): Promise<void> {
    if (!this.alive) return;
    if (this.child.connected) this.child.disconnect();
    const timer = setTimeout(() => this.kill(), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

export class EngineRunner implements JobEngine {
  private process: EngineProcess | undefined;
  private readonly previewIntervalMs: number;
  private readonly stopGraceMs: number;
  private readonly startTimeoutMs: number;
  /** Engine processes started so far; each after the first replaced one. */
  private starts = 0;
  private onReady: ((profile: EngineProfile) => void) | undefined;

  constructor(private readonly settings: EngineRunnerSettings) {
    this.previewIntervalMs = settings.previewIntervalMs ?? 3000;
    this.stopGraceMs = settings.stopGraceMs ?? 10_000;
    this.startTimeoutMs = settings.startTimeoutMs ?? DEFAULT_ENGINE_START_TIMEOUT_MS;
  }

  /** Starts the engine process now so that the first job does not wait for the weights to load. */
  start(onReady?: (profile: EngineProfile) => void): void {
    this.onReady = onReady;
    void this.current();
  }

  async run(job: EngineRun): Promise<EngineOutcome> {
    const engine = this.current();
    const ready = await raceAbort(engine.ready, job.signal);
    if (ready === 'aborted') return { kind: 'stopped' };
    if (!ready.ok) {
      this.settings.log.error({ why: ready.why }, `engine could not start: ${ready.message}`);
      await engine.close(this.stopGraceMs);
      return { kind: 'failed', why: ready.why, message: ready.message };
    }
    return new Promise<EngineOutcome>((resolve) => {
      let killTimer: NodeJS.Timeout | undefined;
      let settled = false;
      const finish = (outcome: EngineOutcome): void => {
        if (settled) return;
        settled = true;
        clearTimeout(killTimer);
        job.signal.removeEventListener('abort', onAbort);
        engine.listen(undefined);
        resolve(outcome);
      };
      const onAbort = (): void => {
        engine.send({ type: 'cancel', jobId: job.jobId });
        // An engine stuck inside one long operation cannot see the signal: it is killed instead.
        killTimer = setTimeout(() => {
          this.settings.log.warn({ jobId: job.jobId, pid: engine.pid }, 'engine did not stop in time; killing it');
          engine.kill();
        }, this.stopGraceMs);
      };
      engine.listen((message) => {
        if (!('jobId' in message) || message.jobId !== job.jobId) return;
        if (message.type === 'progress') {
          const { preview, ...rest } = message.progress;
          job.onProgress(preview ? { ...rest, preview: toBuffer(preview) } : rest);
          return;
        }
        this.settings.log.debug({ jobId: job.jobId, tensors: message.tensors }, 'engine memory after job');
        if (message.type === 'done') finish({ kind: 'done', result: message.result, png: toBuffer(message.png) });
        else if (message.kind === 'cancelled') finish({ kind: 'stopped' });
        else if (message.kind === 'input') finish({ kind: 'failed', why: 'input', problem: message.problem, message: message.message });
        else finish({ kind: 'failed', why: message.kind, message: message.message });
      });
      void engine.exited.then((how) => {
        finish(job.signal.aborted ? { kind: 'stopped' } : { kind: 'failed', why: 'crashed', message: `the engine process ${how}` });
      });
      job.signal.addEventListener('abort', onAbort, { once: true });
      engine.send({ type: 'run', jobId: job.jobId, content: job.content, style: job.style, ...(job.extraStyleImages ? { extraStyleImages: job.extraStyleImages } : {}), ...(job.init ? { init: job.init } : {}), options: job.options });
    });
  }

  /** Ends the engine process. */
  async stop(): Promise<void> {
    const engine = this.process;
    this.process = undefined;
    await engine?.close(this.stopGraceMs);
  }

  status(): EngineStatus {
    const restarts = Math.max(0, this.starts - 1);
    const engine = this.process;
    if (!engine) return { up: true, detail: 'no engine process (one starts with the next job)', restarts };
    const loaded = engine.loaded;
    if (loaded && !loaded.ok) return { up: false, detail: `the engine could not start: ${loaded.message}`, restarts };
    if (!engine.alive) return { up: true, detail: 'the engine process ended; a fresh one starts with the next job', restarts };
    if (!loaded) return { up: true, detail: `loading the weights (pid ${engine.pid})`, restarts };
    return { up: true, detail: `ready on ${loaded.backend} (pid ${engine.pid})`, restarts };
  }

  /** The warm engine process, or a fresh one when there is none or the last one died. */
  private current(): EngineProcess {
    if (this.process?.alive) return this.process;
    const settings: EngineProcessSettings = { weightsDir: this.settings.weightsDir, previewIntervalMs: this.previewIntervalMs };
    if (this.settings.backend) settings.backend = this.settings.backend;
    const forkEngine = this.settings.fork ?? fork;
    const child = forkEngine(this.settings.childModule ?? CHILD_MODULE, [JSON.stringify(settings)], {
      execArgv: ['--import', TSX_LOADER],
      serialization: 'advanced',
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: withoutSecrets(process.env),
    });
    this.starts += 1;
    this.settings.log.info({ pid: child.pid, backend: this.settings.backend ?? 'auto' }, 'engine process started');
    const engine = new EngineProcess(child, this.settings.log, { timeoutMs: this.startTimeoutMs, clock: this.settings.clock ?? systemClock });
    void engine.ready.then((ready) => {
      if (!ready.ok) return;
      const { backend, defaultSize, defaultIterations, networkCost } = ready;
      this.onReady?.({ backend, defaultSize, defaultIterations, networkCost });
    });
    this.process = engine;
    return engine;
  }
}

function withoutSecrets(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !SECRET_NAME.test(name)));
}

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

async function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | 'aborted'> {
  if (signal.aborted) return 'aborted';
  return new Promise((resolve) => {
    const onAbort = (): void => resolve('aborted');
    signal.addEventListener('abort', onAbort, { once: true });
    void promise.then((value) => {
      signal.removeEventListener('abort', onAbort);
      resolve(value);
    });
  });
}
