// Starts a TensorFlow.js backend: tfjs-node-gpu, tfjs-node, wasm or cpu.
// The native packages are optional peer dependencies (their install downloads libtensorflow), so they
// are imported dynamically and their absence is normal, not an error.
import { availableParallelism } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import type { TfjsBackendName } from './types.js';
import { wasmThreadsFromEnv, withWasmThreads } from './wasm-threads.js';

export interface BackendInfo {
  name: TfjsBackendName;
  /** Threads the backend computes with (as far as the backend lets us know). */
  threads: number;
  /** Why it runs slower than it could (e.g. wasm threads asked for but unavailable), for the operator. */
  note?: string;
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

async function tryBackend(name: TfjsBackendName): Promise<BackendInfo | undefined> {
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
 * Initialises the named TensorFlow.js backend (the tests' default: wasm); throws a plain error when it
 * cannot load, for the engine to report or fall back from.
 */
export async function initBackend(name: TfjsBackendName = 'wasm'): Promise<BackendInfo> {
  if (current?.name === name) return current;
  const info = await tryBackend(name);
  if (!info) {
    const pkg = name === 'tensorflow-gpu' ? ' (install @tensorflow/tfjs-node-gpu)' : name === 'tensorflow' ? ' (install @tensorflow/tfjs-node)' : '';
    throw new Error(`the TensorFlow.js ${name} backend did not load${pkg}`);
  }
  current = info;
  return info;
}
