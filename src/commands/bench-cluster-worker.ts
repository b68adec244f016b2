// One engine worker of `npm run bench:cluster`: the real ClusterWorker on an engine whose every job takes
// STYLIZE_BENCH_JOB_MS and hands back a small fixed picture, so the bench measures the cluster (dispatch,
// messages, PostgreSQL), never the image work. Prints "ready" once it takes jobs, then "start <job> <ms>"
// and "end <job> <ms>" for each job it runs; stops on SIGTERM.
import { pino } from 'pino';
import sharp from 'sharp';
import { connectCluster } from '../queue/cluster/cluster-setup.js';
import { ClusterWorker } from '../queue/cluster/worker.js';
import { DEFAULT_LIMITS, systemClock, type EngineOutcome, type EngineRun, type JobEngine } from '../queue/index.js';

const jobMs = Number(process.env['STYLIZE_BENCH_JOB_MS'] ?? '500');
const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#808080' } }).png().toBuffer();

/** Takes `jobMs` per job, reporting progress every 100 ms; a cancel stops it at once. */
const fixedTimeEngine: JobEngine = {
  start: (onReady) => onReady?.({ backend: 'wasm', defaultSize: 256, defaultIterations: 100, networkCost: 1 }),
  stop: async () => undefined,
  run: (job: EngineRun) =>
    new Promise<EngineOutcome>((resolve) => {
      const started = Date.now();
      // The bench times jobs where they run: each start and end, on this machine's clock.
      console.log(`start ${job.jobId} ${started}`);
      const tick = setInterval(() => {
        const elapsedMs = Date.now() - started;
        job.onProgress({ iteration: 1, total: 2, fraction: Math.min(1, elapsedMs / jobMs), losses: { content: 1, style: 1, total: 2 }, elapsedMs, etaMs: Math.max(0, jobMs - elapsedMs) });
      }, 100);
      const done = setTimeout(() => {
        clearInterval(tick);
        console.log(`end ${job.jobId} ${Date.now()}`);
        const losses = { content: 1, style: 1, total: 2 };
        resolve({
          kind: 'done',
          png,
          result: { width: 8, height: 8, iterations: 100, seconds: jobMs / 1000, backend: 'wasm', layers: { content: [], style: [] }, alpha: 1, beta: 1, styleScale: 1, styleWeights: [1], colorMode: 'style', initial: losses, final: losses },
        });
      }, jobMs);
      job.signal.addEventListener('abort', () => {
        clearInterval(tick);
        clearTimeout(done);
        resolve({ kind: 'stopped' });
      });
    }),
};

const log = pino({ level: 'silent' });
const cluster = connectCluster({ databaseUrl: process.env['STYLIZE_DATABASE_URL'] ?? '' }, log);
const worker = new ClusterWorker({ engine: fixedTimeEngine, store: cluster.store, pool: cluster.pool, dispatch: cluster.dispatch, limits: DEFAULT_LIMITS, clock: systemClock, log, heartbeatMs: 1000 });
await worker.start();
console.log('ready');
process.once('SIGTERM', () => {
  void worker
    .stop()
    .then(() => cluster.close())
    .then(() => process.exit(0));
});
