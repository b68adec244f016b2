// Runs tfjs-backend-wasm 4.22's threaded SIMD build under Node (as many threads as cores, or
// STYLIZE_WASM_THREADS=N; 1 keeps the single-threaded build).
// The package ships that build but disables it under Node (tfjs issue 3830) for three reasons, each
// worked around here only while the backend initialises:
//  1. WASM_HAS_MULTITHREAD_SUPPORT is hard-wired to false under Node: set the flag ourselves.
//  2. Emscripten starts its pthread workers from blob: URLs, which Node's worker_threads refuse, and the
//     worker then loads the main script from a Blob: both are written to real files in a temp folder.
//     The main script is the bundle's factory source, which refers to the bundle's require$$N aliases.
//  3. XNNPACK caps the pool at half of os.cpus() (it assumes SMT): os.cpus() reports N*2 meanwhile.
// This leans on the package's internals, hence the exact version check and the fallback in backend.ts;
// measured here (npm run bench) it makes an iteration ~1.4x faster on two cores. Its pthread workers keep
// the event loop alive, so commands that use the engine end with process.exit.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { version_wasm } from '@tensorflow/tfjs-backend-wasm';

export const WASM_THREADS_ENV = 'STYLIZE_WASM_THREADS';
const SUPPORTED_VERSION = '4.22.0';
const MAIN_SCRIPT_PREFIX = 'var WasmBackendModuleThreadedSimd';
const WORKER_BLOB_LOAD = 'var objectUrl=URL.createObjectURL(e.data.urlOrBlob);importScripts(objectUrl);URL.revokeObjectURL(objectUrl)';
/** The names the bundle's factory source expects from its own module scope. */
const BUNDLE_SCOPE = "var require$$0 = require('fs'), require$$1 = require('path'), require$$3 = require('perf_hooks'), require$$4 = require('os'), commonjsGlobal = globalThis;\n";

/** Threads asked for through the environment (undefined: one per core). */
export function wasmThreadsFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const value = env[WASM_THREADS_ENV]?.trim();
  if (!value) return undefined;
  const threads = Number(value);
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`${WASM_THREADS_ENV}=${value} must be a whole number of threads (1 or more).`);
  return threads;
}

/**
 * Runs `init` (which must call tf.setBackend('wasm') after setThreadsCount) with the workarounds in place,
 * then removes them. Throws, with nothing changed, when this tfjs version is not the one they fit.
 */
export async function withWasmThreads<T>(threads: number, init: () => Promise<T>): Promise<T> {
  if (version_wasm !== SUPPORTED_VERSION) {
    throw new Error(`${WASM_THREADS_ENV} needs @tensorflow/tfjs-backend-wasm ${SUPPORTED_VERSION} (found ${version_wasm}); unset it.`);
  }
  const dir = mkdtempSync(join(os.tmpdir(), 'stylize-wasm-threads-'));
  const OriginalBlob = globalThis.Blob;
  const originalCreateObjectURL = URL.createObjectURL.bind(URL);
  const originalCpus = os.cpus;
  const texts = new WeakMap<Blob, string>();
  let mainScript: string | undefined;
  let files = 0;
  globalThis.Blob = class RecordingBlob extends OriginalBlob {
    constructor(...args: ConstructorParameters<typeof OriginalBlob>) {
      super(...args);
      const [parts] = args;
      const text = (parts ?? []).map((part) => (typeof part === 'string' ? part : '')).join('');
      texts.set(this, text);
      if (text.startsWith(MAIN_SCRIPT_PREFIX)) {
        mainScript = join(dir, 'main.cjs');
        writeFileSync(mainScript, BUNDLE_SCOPE + text);
      }
    }
  };
  URL.createObjectURL = (blob: Blob): string => {
    const text = texts.get(blob);
    if (text === undefined) return originalCreateObjectURL(blob);
    if (!mainScript || !text.includes(WORKER_BLOB_LOAD)) throw new Error('tfjs-backend-wasm worker script is not the expected one.');
    const file = join(dir, `worker${files++}.cjs`);
    writeFileSync(file, text.replace(WORKER_BLOB_LOAD, `importScripts(${JSON.stringify(mainScript)})`));
    return file;
  };
  const cpu = originalCpus()[0];
  os.cpus = () => (cpu ? Array.from({ length: threads * 2 }, () => cpu) : originalCpus());
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  try {
    return await init();
  } finally {
    globalThis.Blob = OriginalBlob;
    URL.createObjectURL = originalCreateObjectURL;
    os.cpus = originalCpus;
  }
}
