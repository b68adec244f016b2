// Checks a job's two uploads in a short-lived process of their own (probe-child.ts): a decoder bug that an
// upload triggers then crashes or hangs that process, not the bot that holds both platforms' tokens. One
// process per job (both images), so a burst costs at most as many processes as uploads checked at once.
import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ImageRole } from '../transfer/index.js';
import { UserError } from '../wording/index.js';
import type { ProbeReply, ProbeRequest } from './probe-messages.js';

const CHILD_MODULE = fileURLToPath(new URL('./probe-child.ts', import.meta.url));
// TypeScript through tsx's loader, as for the engine process.
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
/** Reading two headers takes milliseconds; a start-up on a loaded machine takes a few seconds at most. */
export const PROBE_TIMEOUT_MS = 30_000;

/** The images could not be checked at all (the probe crashed, hung or failed to start): for the log. */
export class ProbeFailedError extends Error {
  override readonly name = 'ProbeFailedError';
}

/** Resolves when both images are usable; throws UserError (naming the image) or ProbeFailedError. */
export async function probeInChild(images: Record<ImageRole, Buffer>, timeoutMs = PROBE_TIMEOUT_MS): Promise<void> {
  const reply = await ask({ content: images.content, style: images.style }, timeoutMs);
  if (reply.kind === 'refused') throw UserError.from(reply.problem);
  if (reply.kind === 'error') throw new ProbeFailedError(`image probe failed: ${reply.message}`);
}

function ask(request: ProbeRequest, timeoutMs: number): Promise<ProbeReply> {
  return new Promise((resolve, reject) => {
    // An empty environment: nothing the bot was configured with (tokens, secrets) reaches the probe.
    const child = fork(CHILD_MODULE, [], { execArgv: ['--import', TSX_LOADER], serialization: 'advanced', stdio: ['ignore', 'ignore', 'ignore', 'ipc'], env: {} });
    let settled = false;
    const settle = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      outcome();
    };
    const timer = setTimeout(() => settle(() => reject(new ProbeFailedError(`image probe took longer than ${timeoutMs} ms`))), timeoutMs);
    child.once('message', (reply: ProbeReply) => settle(() => resolve(reply)));
    child.once('error', (error) => settle(() => reject(new ProbeFailedError(`image probe could not run: ${error.message}`))));
    child.once('exit', (code, signal) => settle(() => reject(new ProbeFailedError(`image probe exited (${signal ?? code}) without an answer`))));
    child.send(request, (error) => {
      if (error) settle(() => reject(new ProbeFailedError(`image probe could not be sent the images: ${error.message}`)));
    });
  });
}
