import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The few tests on the real engine (wasm) may wait minutes for it on a loaded machine (see
    // REAL_ENGINE_TIMEOUT_MS in test/fixtures/wait-for.ts); everything else takes milliseconds to seconds.
    testTimeout: 660_000,
    hookTimeout: 120_000,
    // Test files already run side by side on every core; threaded wasm engines on top of that would
    // oversubscribe the CPU. The threaded build has its own test (transfer-cli), which sets this itself.
    env: { STYLIZE_WASM_THREADS: '1' },
  },
});
