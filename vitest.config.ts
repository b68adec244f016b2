import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The few tests on the real engine (wasm) may wait minutes for it on a loaded machine (see
    // REAL_ENGINE_TIMEOUT_MS in test/fixtures/wait-for.ts); everything else takes milliseconds to seconds.
    testTimeout: 660_000,
    hookTimeout: 120_000,
    // One test file more than the cores. Vitest's default keeps one core free, which on a 2-core machine ran
    // the files one after another: two at once took the suite from 406 to 272 s there, as most files wait on
    // bot, engine, worker and server processes more than they compute (the cluster's fault tests wait on
    // leases and restarts). A third file at once took it from 208 to 179 s there, and from 313 to 264 s with
    // both cores kept busy by other work.
    maxWorkers: availableParallelism() + 1,
    // Files share a worker's loaded modules (discord.js, Bolt, sharp, TensorFlow.js): loading them afresh
    // for every file took 60 of the suite's 200 s. So a test file puts back whatever process-wide state it
    // changes (environment variables, TensorFlow.js' backend) before it ends.
    isolate: false,
    // With a file on every core, threaded wasm engines on top would oversubscribe the CPU. The threaded
    // build has its own test (transfer-cli), which sets this itself.
    env: { STYLIZE_WASM_THREADS: '1' },
  },
});
