// `npm run stylize -- --content PATH --style PATH --out PATH [options]`: one style-transfer run from the
// command line. Progress goes to stderr (a bar on a terminal, plain lines otherwise); results go to stdout,
// with --json as one JSON object on the last line. Exit codes: 0 done, 2 bad usage or input, 1 anything
// unexpected, 130 interrupted.
import { access, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { findWeights } from '../../models/find-weights.js';
import { CancelledError, loadEngine, MAX_STYLE_SCALE, MAX_STYLES, MAX_TIME_BUDGET_MS, MIN_STYLE_SCALE, MIN_TIME_BUDGET_MS, ModelError, OptionsError, PRESETS } from '../transfer/index.js';
import type { InitMode, Losses, OptimizerName, PresetName, StylizeOptions, StylizeResult } from '../transfer/index.js';
import { createTerminalProgress, type TerminalProgress } from '../transfer/terminal-progress.js';
import { UserError } from '../wording/index.js';

const INITS: readonly InitMode[] = ['noise', 'content', 'style'];
const OPTIMIZERS: readonly OptimizerName[] = ['lbfgs', 'adam'];

const USAGE = `Usage: npm run stylize -- --content PATH --style PATH [--style PATH ...] --out PATH [options]

Paints the photo (--content) in the manner of the style image (--style, Gatys et al. 2016) and writes a PNG.
Up to ${MAX_STYLES} --style images are blended.

Options:
  --preset NAME        ${Object.keys(PRESETS).join(' | ')} (default balanced): from mostly the photo to mostly the style
  --alpha N --beta N   content and style weights, instead of a preset (experts; give both)
  --size PX            long side of the output (default depends on the backend)
  --iterations N       optimisation steps over all scales
  --time DURATION      plan the run to end in about this time instead, e.g. 90s, 5m, 1m30s
                       (${MIN_TIME_BUDGET_MS / 1000} s to ${MAX_TIME_BUDGET_MS / 60_000} min; not with --iterations): as many iterations as fit,
                       scales a sqrt(2) apart, the result an average of the last steps
  --seed N             seed for --init noise (same seed, inputs and backend: same picture)
  --init MODE          ${INITS.join(' | ')}: the starting image
  --optimizer NAME     ${OPTIMIZERS.join(' | ')}
  --preserve-colors    keep the photo's colours: the style's light and dark only (Gatys et al. 2017)
  --style-scale N      brush size: the style image's long side as a multiple of the output's
                       (${MIN_STYLE_SCALE} to ${MAX_STYLE_SCALE}, default 1; its aspect ratio is kept)
  --style-weights LIST how much of each --style, e.g. 1,3 (default equal; scaled to sum 1)
  --single-scale       optimise at full size only (slower; no coarse-to-fine schedule)
  --tv-weight N        weight of the total-variation smoothing term (0 = off)
  --weights DIR        folder with model.json (default: STYLIZE_WEIGHTS_DIR, then models/weights/vgg19)
  --json               print one JSON object with the run's figures as the last line
  --help               show this text

Backend: the fastest that starts; set STYLIZE_BACKEND=onnx-cuda|onnx-webgpu|onnx-cpu|tensorflow-gpu|tensorflow|wasm|cpu to choose
(STYLIZE_ONNX_THREADS sets ONNX Runtime's CPU threads).`;

/** A mistake the user can fix: printed as it is, exit code 2. */
class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface CliOptions {
  content: string;
  /** One or more style images, in the order of --style-weights. */
  styles: string[];
  out: string;
  weights?: string;
  json: boolean;
  run: StylizeOptions;
}

function wholeNumber(name: string, text: string | undefined, min: number): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^-?\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < min) {
    throw new UsageError(`--${name} must be a whole number${min > 0 ? ` of at least ${min}` : ''} (got "${text}").`);
  }
  return value;
}

function nonNegative(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0) throw new UsageError(`--${name} must be a number of at least 0 (got "${text}").`);
  return value;
}

const DURATION_UNITS: Record<string, number> = { h: 3_600_000, m: 60_000, min: 60_000, s: 1000, ms: 1 };

/** "90s", "5m", "1m30s", "0.5h" or plain seconds ("90"), in milliseconds. */
function duration(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const trimmed = text.trim().toLowerCase();
  const bad = new UsageError(`--${name} must be a duration such as 90s, 5m or 1m30s (got "${text}").`);
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  const parts = [...trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|min|h|m|s)/g)];
  if (parts.length === 0 || parts.map((part) => part[0]).join('') !== trimmed) throw bad;
  const ms = parts.reduce((sum, part) => sum + Number(part[1]) * (DURATION_UNITS[part[2] as string] as number), 0);
  if (ms < MIN_TIME_BUDGET_MS || ms > MAX_TIME_BUDGET_MS) {
    throw new UsageError(`--${name} must be from ${MIN_TIME_BUDGET_MS / 1000} s to ${MAX_TIME_BUDGET_MS / 60_000} min (got "${text}").`);
  }
  return ms;
}

function styleWeights(text: string | undefined, styles: number): number[] | undefined {
  if (text === undefined) return undefined;
  const parts = text.split(',').map((part) => part.trim());
  const weights = parts.map(Number);
  if (parts.some((part) => part === '') || !weights.every((w) => Number.isFinite(w) && w >= 0)) {
    throw new UsageError(`--style-weights must be numbers of at least 0 separated by commas, e.g. 1,3 (got "${text}").`);
  }
  if (weights.length !== styles) throw new UsageError(`--style-weights gives ${weights.length} weight${weights.length === 1 ? '' : 's'} for ${styles} --style image${styles === 1 ? '' : 's'}: give one per image.`);
  if (!weights.some((w) => w > 0)) throw new UsageError('--style-weights: at least one weight must be above 0.');
  return weights;
}

function styleScale(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < MIN_STYLE_SCALE || value > MAX_STYLE_SCALE) {
    throw new UsageError(`--style-scale must be a number from ${MIN_STYLE_SCALE} to ${MAX_STYLE_SCALE} (got "${text}").`);
  }
  return value;
}

function oneOf<T extends string>(name: string, text: string | undefined, allowed: readonly T[]): T | undefined {
  if (text === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(text)) throw new UsageError(`--${name} must be one of ${allowed.join(', ')} (got "${text}").`);
  return text as T;
}

export function parseCliArgs(argv: string[]): CliOptions | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        content: { type: 'string' },
        style: { type: 'string', multiple: true },
        'style-weights': { type: 'string' },
        'style-scale': { type: 'string' },
        out: { type: 'string' },
        preset: { type: 'string' },
        alpha: { type: 'string' },
        beta: { type: 'string' },
        size: { type: 'string' },
        iterations: { type: 'string' },
        time: { type: 'string' },
        seed: { type: 'string' },
        init: { type: 'string' },
        optimizer: { type: 'string' },
        'preserve-colors': { type: 'boolean', default: false },
        'single-scale': { type: 'boolean', default: false },
        'tv-weight': { type: 'string' },
        weights: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) return 'help';
  const styles = values.style ?? [];
  const missing = (['content', 'style', 'out'] as const).filter((name) => (name === 'style' ? styles.length === 0 : !values[name]));
  if (missing.length > 0) throw new UsageError(`Missing ${missing.map((m) => `--${m} PATH`).join(', ')}.`);
  if (styles.length > MAX_STYLES) throw new UsageError(`At most ${MAX_STYLES} --style images can be blended (got ${styles.length}).`);
  if (styles.some((path) => path === '')) throw new UsageError('--style needs a file path.');
  const alpha = nonNegative('alpha', values.alpha);
  const beta = nonNegative('beta', values.beta);
  if ((alpha === undefined) !== (beta === undefined)) throw new UsageError('--alpha and --beta go together: give both, or use --preset.');
  if (alpha !== undefined && values.preset !== undefined) throw new UsageError('Give either --preset or --alpha/--beta, not both.');
  if (values.time !== undefined && values.iterations !== undefined) throw new UsageError('Give either --time or --iterations, not both.');
  const run: StylizeOptions = {
    preset: oneOf('preset', values.preset, Object.keys(PRESETS) as PresetName[]),
    alpha,
    beta,
    size: wholeNumber('size', values.size, 1),
    iterations: wholeNumber('iterations', values.iterations, 1),
    timeBudgetMs: duration('time', values.time),
    seed: wholeNumber('seed', values.seed, 0),
    init: oneOf('init', values.init, INITS),
    optimizer: oneOf('optimizer', values.optimizer, OPTIMIZERS),
    preserveColors: values['preserve-colors'],
    styleScale: styleScale(values['style-scale']),
    styleWeights: styleWeights(values['style-weights'], styles.length),
    multiScale: !values['single-scale'],
    tvWeight: nonNegative('tv-weight', values['tv-weight']),
  };
  // Leave unset options out, so that the engine's per-backend defaults apply.
  for (const key of Object.keys(run) as Array<keyof StylizeOptions>) if (run[key] === undefined) delete run[key];
  return {
    content: values.content as string,
    styles,
    out: values.out as string,
    json: values.json,
    run,
    ...(values.weights !== undefined ? { weights: values.weights } : {}),
  };
}

export interface CliIo {
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  /** Aborted on Ctrl-C by the script entry; the run stops within one iteration. */
  signal?: AbortSignal;
}

/** How the command line names each input: the option, and the name every message gives the image. */
const INPUT_NAME: Record<'content' | 'style', string> = { content: 'photo (--content)', style: 'style image (--style)' };

async function readImage(role: 'content' | 'style', path: string): Promise<Buffer> {
  const who = INPUT_NAME[role];
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError(`The ${who} ${path} does not exist.`);
    if (code === 'EISDIR') throw new UsageError(`The ${who} ${path} is a folder, not a file.`);
    throw new UsageError(`The ${who} ${path} cannot be read (${code ?? String(error)}).`);
  }
}

/** Checked before the run, so that a long run does not end in "cannot write". */
async function checkOutputPath(path: string): Promise<void> {
  const folder = dirname(path);
  const info = await stat(folder).catch(() => undefined);
  if (!info?.isDirectory()) throw new UsageError(`Cannot write ${path}: the folder ${folder} does not exist.`);
  if ((await stat(path).catch(() => undefined))?.isDirectory()) throw new UsageError(`Cannot write ${path}: it is a folder.`);
}

async function weightsDir(option: string | undefined, env: NodeJS.ProcessEnv): Promise<string> {
  if (option !== undefined) {
    const dir = resolve(option);
    await access(dir).catch(() => {
      throw new UsageError(`--weights ${dir} does not exist.`);
    });
    return dir;
  }
  const lookup = await findWeights(env);
  if (!lookup.found) throw new UsageError(`${lookup.message} Or point --weights at a folder with model.json.`);
  return lookup.dir;
}

function short(value: number): string {
  return Number.isFinite(value) ? value.toPrecision(3) : String(value);
}

function lossLine(name: keyof Losses, result: StylizeResult): string {
  return `${name} ${short(result.initial[name])} -> ${short(result.final[name])}`;
}

const COLOUR_WORDS: Record<StylizeResult['colorMode'], string> = {
  style: "the style image's",
  luminance: "the photo's (luminance-only transfer)",
  swap: "the photo's (put back after the run)",
};

function summary(out: string, result: StylizeResult, threads: number): string {
  return [
    `Wrote ${out}: ${result.width} x ${result.height} px, ${result.iterations} iterations in ${result.seconds.toFixed(1)} s on ${result.backend} (${threads} thread${threads === 1 ? '' : 's'}).`,
    `Layers: content ${result.layers.content.join(', ')}; style ${result.layers.style.join(', ')}.`,
    ...(result.tile ? [`Tiles: ${result.tile.core} px cores with a ${result.tile.halo} px halo.`] : []),
    `Style: scale ${result.styleScale}, weights ${result.styleWeights.map((w) => short(w)).join(', ')}; colours ${COLOUR_WORDS[result.colorMode]}.`,
    `Losses (start -> end): ${lossLine('content', result)}, ${lossLine('style', result)}, ${lossLine('total', result)}.`,
  ].join('\n');
}

function jsonReport(out: string, options: CliOptions, result: StylizeResult, threads: number): string {
  return JSON.stringify({
    out,
    backend: result.backend,
    threads,
    layers: result.layers,
    width: result.width,
    height: result.height,
    iterations: result.iterations,
    timeBudgetSeconds: options.run.timeBudgetMs === undefined ? null : options.run.timeBudgetMs / 1000,
    seconds: Math.round(result.seconds * 1000) / 1000,
    setupSeconds: Math.round((result.setupSeconds ?? 0) * 1000) / 1000,
    tile: result.tile ?? null,
    preset: options.run.alpha === undefined ? (options.run.preset ?? 'balanced') : null,
    alpha: result.alpha,
    beta: result.beta,
    styleScale: result.styleScale,
    styles: options.styles.map((path, k) => ({ path, weight: result.styleWeights[k] })),
    styleWeights: result.styleWeights,
    colorMode: result.colorMode,
    initial: result.initial,
    final: result.final,
  });
}

/** Runs the command; returns the exit code. Every expected failure is one plain line on stderr. */
async function runCli(argv: string[], io: CliIo): Promise<number> {
  const say = (stream: Writable, text: string): void => void stream.write(`${text}\n`);
  let progress: TerminalProgress | undefined;
  try {
    const options = parseCliArgs(argv);
    if (options === 'help') {
      say(io.stdout, USAGE);
      return 0;
    }
    const out = resolve(options.out);
    await checkOutputPath(out);
    const [content, dir, ...styles] = await Promise.all([readImage('content', options.content), weightsDir(options.weights, io.env), ...options.styles.map((path) => readImage('style', path))]);
    const engine = await loadEngine({ weightsDir: dir });
    try {
      say(io.stderr, `Backend ${engine.backend} (${engine.threads} thread${engine.threads === 1 ? '' : 's'}), weights ${dir}.`);
      if (engine.backendNote) say(io.stderr, `Note: ${engine.backendNote}`);
      const budget = options.run.timeBudgetMs;
      const result = await engine.stylize(content, styles, {
        ...options.run,
        // --time is the command's time: what starting Node, reading the images and loading the engine took
        // (performance.now() counts from the process's start) comes off the run's budget.
        ...(budget !== undefined ? { timeBudgetMs: Math.max(MIN_TIME_BUDGET_MS, budget - performance.now()) } : {}),
        signal: io.signal,
        onProgress(p) {
          if (options.run.timeBudgetMs === undefined) {
            progress ??= createTerminalProgress({ label: 'Stylize', total: p.total, stream: io.stderr });
            progress.update(p.iteration, `loss ${short(p.losses.total)}`);
          } else {
            // A budgeted run's iteration count grows as it learns its speed: the bar shows the time instead.
            progress ??= createTerminalProgress({ label: 'Stylize (% of the time)', total: 100, stream: io.stderr });
            progress.update(Math.round(p.fraction * 100), `iteration ${p.iteration}, loss ${short(p.losses.total)}`);
          }
        },
      });
      progress?.stop();
      await writeFile(out, result.png);
      say(io.stdout, options.json ? jsonReport(out, options, result, engine.threads) : summary(out, result, engine.threads));
      return 0;
    } finally {
      engine.dispose();
    }
  } catch (error) {
    progress?.stop();
    if (error instanceof CancelledError) {
      say(io.stderr, 'Cancelled.');
      return 130;
    }
    if (error instanceof UsageError) {
      say(io.stderr, `${error.message}\n\nRun with --help to see every option.`);
      return 2;
    }
    if (error instanceof UserError || error instanceof OptionsError || error instanceof ModelError) {
      say(io.stderr, error.message);
      return 2;
    }
    say(io.stderr, `stylize failed unexpectedly: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  // process.exit rather than exitCode: the threaded wasm build's workers would keep the process alive.
  // stdout and stderr are synchronous for files and pipes on Linux, so nothing written is lost.
  void runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, signal: controller.signal }).then((code) => process.exit(code));
}
