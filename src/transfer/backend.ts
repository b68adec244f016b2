// Picks the fastest TensorFlow.js backend that loads here: tfjs-node-gpu > tfjs-node > wasm > cpu.
// The native packages are optional peer dependencies (their install downloads libtensorflow), so they
// are imported dynamically and their absence is normal, not an error.
import { availableParallelism } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { BACKEND_ORDER, type BackendName } from './types.js';
import { wasmThreadsFromEnv, withWasmThreads } from './wasm-threads.js';

export interface BackendInfo {
  name: BackendName;
  /** Threads the backend computes with (as far as the backend lets us know). */
  threads: number;
  /** Why it runs slower than it could (e.g. wasm threads asked for but unavailable), for the operator. */
  note?: string;
}

/** Environment variable that forces one backend (useful to compare, or to avoid a broken GPU driver). */
export const BACKEND_ENV = 'STYLIZE_BACKEND';

function isBackendName(value: string): value is BackendName {
  return (BACKEND_ORDER as readonly string[]).includes(value);
}

/** Reads STYLIZE_BACKEND; an unknown value is an error rather than a silent fallback. */
export function backendFromEnv(env: NodeJS.ProcessEnv = process.env): BackendName | undefined {
  const value = env[BACKEND_ENV]?.trim().toLowerCase();
  if (!value) return undefined;
  if (!isBackendName(value)) {
    throw new Error(`${BACKEND_ENV}=${value} is not a backend; use one of: ${BACKEND_ORDER.join(', ')}.`);
  }
  return value;
}

/** Imports a package by a name TypeScript does not resolve at build time (it may not be installed). */
async function importOptional(name: string): Promise<boolean> {
  try {
    await import(name);
    return true;
  } catch {
    return false;
  }
}

async function tryBackend(name: BackendName): Promise<BackendInfo | undefined> {
  switch (name) {
    case 'tensorflow-gpu':
    case 'tensorflow': {
      // Both packages register the same 'tensorflow' backend (libtensorflow, multi-threaded natively).
      const pkg = name === 'tensorflow-gpu' ? '@tensorflow/tfjs-node-gpu' : '@tensorflow/tfjs-node';
      if (!(await importOptional(pkg))) return undefined;
      if (!(await tf.setBackend('tensorflow'))) return undefined;
      return { name, threads: availableParallelism() };
    }
    case 'wasm': {
      const threads = wasmThreadsFromEnv() ?? availableParallelism();
      const threaded = threads > 1 ? await tryThreadedWasm(threads) : undefined;
      if (typeof threaded === 'object') return threaded;
      if (!(await tf.setBackend('wasm'))) return undefined;
      return { name, threads: getThreadsCount(), ...(threaded ? { note: `one thread: ${threaded}` } : {}) };
    }
    case 'cpu': {
      if (!(await tf.setBackend('cpu'))) return undefined;
      return { name, threads: 1 };
    }
  }
}

/**
 * tfjs 4.22 runs wasm on one thread under Node; wasm-threads.ts starts its threaded build, which makes an
 * iteration ~1.4x faster on two cores. It leans on the package's internals, so any failure falls back to
 * the single-threaded build; the reason is returned for the engine's report.
 */
async function tryThreadedWasm(threads: number): Promise<BackendInfo | string> {
  let reason = 'the threaded WebAssembly build did not initialise';
  try {
    setThreadsCount(threads);
    if (await withWasmThreads(threads, () => tf.setBackend('wasm'))) return { name: 'wasm', threads: getThreadsCount() };
  } catch (error) {
    reason = error instanceof Error ? error.message : String(error);
  }
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  setThreadsCount(1);
  return reason;
}

let current: BackendInfo | undefined;

/**
 * Initialises the backend: the one asked for (argument, else STYLIZE_BACKEND), else the best that loads.
 * A backend asked for by name that cannot load is an error: silently running 50x slower on cpu would
 * be worse than saying so.
 */
export async function initBackend(requested?: BackendName): Promise<BackendInfo> {
  const wanted = backendFromEnv() ?? requested;
  if (current && (wanted === undefined || wanted === current.name)) return current;
  const candidates = wanted ? [wanted] : BACKEND_ORDER;
  for (const name of candidates) {
    const info = await tryBackend(name);
    if (info) {
      current = info;
      return info;
    }
  }
  throw new Error(
    wanted
      ? `The ${wanted} backend could not be loaded. Unset ${BACKEND_ENV} or install its package.`
      : 'No TensorFlow.js backend could be loaded.',
  );
}
