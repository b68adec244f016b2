// The engine process: loads the network once, then runs one job at a time for the bot over IPC.
// It is a separate process so that a WebAssembly abort or an out-of-memory kill takes down only this
// process (and only the job it was running), never the bot and its chat connections.
import { CancelledError, loadEngine, ModelError, type Engine, type Progress } from '../transfer/index.js';
import { UserError } from '../wording/index.js';
import type { EngineFailureKind, EngineProcessSettings, FromEngine, ToEngine } from './engine-messages.js';

function send(message: FromEngine): void {
  process.send?.(message);
}

/**
 * Why a run failed, for anything but a UserError. An OptionsError is 'internal': the bot only sends options
 * its adapters checked, so one here is a bug, not the user's to fix.
 */
function failureKind(error: unknown): Exclude<EngineFailureKind, 'input'> {
  if (error instanceof CancelledError) return 'cancelled';
  if (error instanceof ModelError) return 'model';
  return 'internal';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const settings = JSON.parse(process.argv[2] ?? '{}') as EngineProcessSettings;
const running = new Map<string, AbortController>();
/**
 * TF.js tensors alive after a job (the runner logs it: a leak shows as a growing count). On ONNX Runtime no
 * TF.js tensor exists, and TF.js is not loaded at all (it costs about 60 MB and 0.4 s at start): 0.
 */
let tensorCount: () => number = () => 0;
/** Milliseconds per iteration of the last job, to ask for previews about every previewIntervalMs. */
let lastMsPerIteration: number | undefined;

function previewEvery(): number {
  return lastMsPerIteration ? Math.max(1, Math.round(settings.previewIntervalMs / lastMsPerIteration)) : 1;
}

async function runJob(engine: Engine, message: Extract<ToEngine, { type: 'run' }>): Promise<void> {
  const controller = new AbortController();
  running.set(message.jobId, controller);
  let lastPreviewAt = 0;
  try {
    // One style image, or a blend's images in order (their weights are in the options).
    const style = Buffer.from(message.style);
    const extra = (message.extraStyleImages ?? []).map((bytes) => Buffer.from(bytes));
    const result = await engine.stylize(Buffer.from(message.content), extra.length === 0 ? style : [style, ...extra], {
      ...message.options,
      ...(message.init ? { initImage: Buffer.from(message.init) } : {}),
      // A preview costs a read-back and a PNG encode: on a fast backend, not every iteration.
      previewEvery: previewEvery(),
      signal: controller.signal,
      onProgress: (progress: Progress) => {
        // Previews are sent at most every previewIntervalMs: the chat platforms are rate limited anyway.
        const now = Date.now();
        const withPreview = progress.preview !== undefined && (now - lastPreviewAt >= settings.previewIntervalMs || progress.iteration === progress.total);
        if (withPreview) lastPreviewAt = now;
        const { preview, ...rest } = progress;
        send({ type: 'progress', jobId: message.jobId, progress: withPreview && preview ? { ...rest, preview } : rest });
      },
    });
    lastMsPerIteration = (result.seconds * 1000) / Math.max(1, result.iterations);
    const { png, ...info } = result;
    send({ type: 'done', jobId: message.jobId, result: info, png, tensors: tensorCount() });
  } catch (error) {
    const tensors = tensorCount();
    if (error instanceof UserError) send({ type: 'failed', jobId: message.jobId, kind: 'input', problem: error.problem, message: error.message, tensors });
    else send({ type: 'failed', jobId: message.jobId, kind: failureKind(error), message: messageOf(error), tensors });
  } finally {
    running.delete(message.jobId);
  }
}

async function main(): Promise<void> {
  let engine: Engine;
  try {
    engine = await loadEngine({ weightsDir: settings.weightsDir, backend: settings.backend });
  } catch (error) {
    send({ type: 'load-failed', kind: error instanceof ModelError ? 'model' : 'internal', message: messageOf(error) });
    process.disconnect?.();
    return;
  }
  if (!engine.backend.startsWith('onnx-')) {
    const tf = await import('@tensorflow/tfjs');
    tensorCount = () => tf.memory().numTensors;
  }
  process.on('message', (message: ToEngine) => {
    if (message.type === 'run') void runJob(engine, message);
    else running.get(message.jobId)?.abort();
  });
  send({
    type: 'ready',
    backend: engine.backend,
    threads: engine.threads,
    layers: engine.availableLayers,
    defaultSize: engine.defaultSize,
    defaultIterations: engine.defaultIterations,
    networkCost: engine.networkCost,
    ...(engine.backendNote ? { note: engine.backendNote } : {}),
  });
}

// The bot closing the channel (or dying) means there is no one left to work for.
process.on('disconnect', () => process.exit(0));
void main();
