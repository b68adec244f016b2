// Checks a job's two uploads in a process of their own (probe-child.ts): a decoder bug that an upload
// triggers then crashes or hangs that process, not the bot that holds both platforms' tokens. The process is
// kept warm and answers one check at a time (a check takes milliseconds, a fresh process about half a
// second); the one that crashes or hangs fails only the check it was given, and the next check starts a
// fresh process.
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { UserError } from '../wording/index.js';
import type { ProbeReady, ProbeReply, ProbeRequest } from './probe-messages.js';

const CHILD_MODULE = fileURLToPath(new URL('./probe-child.ts', import.meta.url));
// TypeScript through tsx's loader, as for the engine process.
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
/** Reading two headers takes milliseconds. */
export const PROBE_TIMEOUT_MS = 10_000;
/** Starting the process takes about half a second; a few seconds at most on a loaded machine. */
export const PROBE_START_TIMEOUT_MS = 30_000;

/** A job's images: the photo, the style image and a blend's further style images. */
export interface ProbeImages {
  content: Buffer;
  style: Buffer;
  extraStyleImages?: readonly Buffer[];
}

/** The images could not be checked at all (the probe crashed, hung or failed to start): for the log. */
export class ProbeFailedError extends Error {
  override readonly name = 'ProbeFailedError';
}

export interface ImageProbeOptions {
  /** How long one check may take once the process is ready. */
  timeoutMs?: number;
  /** The process's module; tests pass one that crashes or hangs. */
  childModule?: string;
}

interface ProbeProcess {
  child: ChildProcess;
  ready: Promise<void>;
}

export class ImageProbe {
  private readonly timeoutMs: number;
  private readonly childModule: string;
  private current: ProbeProcess | undefined;
  /** Checks wait here for their turn: the process answers one at a time. */
  private line: Promise<unknown> = Promise.resolve();

  constructor(options: ImageProbeOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? PROBE_TIMEOUT_MS;
    this.childModule = options.childModule ?? CHILD_MODULE;
  }

  /** Resolves when every image is usable; throws UserError (naming the image) or ProbeFailedError. */
  async check(images: ProbeImages): Promise<void> {
    const request: ProbeRequest = { content: images.content, style: images.style, ...(images.extraStyleImages?.length ? { extraStyleImages: [...images.extraStyleImages] } : {}) };
    const turn = this.line.then(() => this.ask(request));
    this.line = turn.catch(() => undefined);
    const reply = await turn;
    if (reply.kind === 'refused') throw UserError.from(reply.problem);
    if (reply.kind === 'error') throw new ProbeFailedError(`image probe failed: ${reply.message}`);
  }

  /** Ends the process, if one runs; the next check starts a fresh one. */
  stop(): void {
    if (this.current) this.discard(this.current.child);
  }

  private async ask(request: ProbeRequest): Promise<ProbeReply> {
    const probe = (this.current ??= this.spawn());
    await probe.ready;
    return this.exchange(probe.child, request);
  }

  private spawn(): ProbeProcess {
    // An empty environment: nothing the bot was configured with (tokens, secrets) reaches the probe.
    const child = fork(this.childModule, [], { execArgv: ['--import', TSX_LOADER], serialization: 'advanced', stdio: ['ignore', 'ignore', 'ignore', 'ipc'], env: {} });
    // A warm probe never keeps a stopping bot alive; a check in flight does, through its timer.
    child.unref();
    child.channel?.unref();
    const ready = this.awaitReply(child, PROBE_START_TIMEOUT_MS, 'to start').then((message) => {
      if (message.kind !== 'ready') throw new ProbeFailedError('image probe spoke before it was ready');
    });
    // Seen by the check that awaits it; a probe nobody waits on must not become an unhandled rejection.
    ready.catch(() => undefined);
    // Between checks too: an error or an exit retires the process.
    child.on('error', () => this.discard(child));
    child.once('exit', () => this.discard(child));
    return { child, ready };
  }

  private exchange(child: ChildProcess, request: ProbeRequest): Promise<ProbeReply> {
    const reply = this.awaitReply(child, this.timeoutMs, 'to answer');
    // A request that cannot be sent means a dead channel: ending the process fails the check at once.
    child.send(request, (error) => {
      if (error) this.discard(child);
    });
    return reply.then((message) => {
      if (message.kind === 'ready') throw new ProbeFailedError('image probe answered out of turn');
      return message;
    });
  }

  /** The process's next message; its crash, failure or silence past `timeoutMs` ends it and rejects. */
  private awaitReply(child: ChildProcess, timeoutMs: number, what: string): Promise<ProbeReply | ProbeReady> {
    return new Promise((resolve, reject) => {
      const settle = (outcome: () => void): void => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        child.off('error', onError);
        outcome();
      };
      const fail = (message: string): void =>
        settle(() => {
          this.discard(child);
          reject(new ProbeFailedError(message));
        });
      const onMessage = (message: ProbeReply | ProbeReady): void => settle(() => resolve(message));
      const onExit = (code: number | null, signal: NodeJS.Signals | null): void => fail(`image probe exited (${signal ?? code}) without an answer`);
      const onError = (error: Error): void => fail(`image probe could not run: ${error.message}`);
      const timer = setTimeout(() => fail(`image probe took longer than ${timeoutMs} ms ${what}`), timeoutMs);
      child.on('message', onMessage);
      child.once('exit', onExit);
      child.once('error', onError);
    });
  }

  private discard(child: ChildProcess): void {
    if (this.current?.child === child) this.current = undefined;
    child.kill('SIGKILL');
  }
}

/** The bot's one probe, shared by the queue and the adapters that check uploads before they reach it. */
const sharedProbe = new ImageProbe();

/** Resolves when every image is usable; throws UserError (naming the image) or ProbeFailedError. */
export function probeInChild(images: ProbeImages): Promise<void> {
  return sharedProbe.check(images);
}
