import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Real tfjs (wasm) and real chat clients: individual tests take seconds, not milliseconds.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Test files already run side by side on every core; threaded wasm engines on top of that would
    // oversubscribe the CPU. The threaded build has its own test (transfer-cli), which sets this itself.
    env: { STYLIZE_WASM_THREADS: '1' },
  },
});
