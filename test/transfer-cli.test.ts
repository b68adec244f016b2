// The stylize command line, run as a real child process on the tiny VGG fixture and small images; the
// argument parser is also checked in-process for every kind of bad usage.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCliArgs } from '../src/commands/stylize.js';
import { makeTinyVggWeights } from './fixtures/tiny-vgg.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

function stylize(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Outcome> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/commands/stylize.ts', ...args],
      // Forced wasm keeps the run the same whichever optional backends this machine has.
      { cwd: repoRoot, env: { ...process.env, STYLIZE_BACKEND: 'wasm', STYLIZE_WEIGHTS_DIR: '', ...env } },
      (error, stdout, stderr) => done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

let work: string;
let weights: string;
let content: string;
let style: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'stylize-cli-'));
  weights = await makeTinyVggWeights({ dir: join(work, 'tiny-vgg') });
  content = join(work, 'content.jpg');
  style = join(work, 'style.png');
  // A landscape photo-like gradient and a stripy "painting": different enough for the losses to move.
  const gradient = Buffer.alloc(60 * 40 * 3);
  for (let y = 0; y < 40; y++) for (let x = 0; x < 60; x++) gradient.set([x * 4, y * 6, 128], (y * 60 + x) * 3);
  await sharp(gradient, { raw: { width: 60, height: 40, channels: 3 } }).jpeg().toFile(content);
  const stripes = Buffer.alloc(40 * 40 * 3);
  for (let i = 0; i < 40 * 40; i++) stripes.set(Math.floor((i % 40) / 4) % 2 ? [240, 200, 20] : [20, 40, 160], i * 3);
  await sharp(stripes, { raw: { width: 40, height: 40, channels: 3 } }).png().toFile(style);
});

describe('stylize command', () => {
  it('--json: runs, writes the PNG and prints the figures as the last line', async () => {
    const out = join(work, 'out.png');
    const result = await stylize(['--content', content, '--style', style, '--out', out, '--weights', weights, '--size', '48', '--iterations', '6', '--init', 'noise', '--seed', '3', '--optimizer', 'adam', '--json']);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.code).toBe(0);
    const last = result.stdout.trim().split('\n').at(-1) ?? '';
    const report = JSON.parse(last) as Record<string, unknown> & {
      layers: { content: string[]; style: string[] };
      initial: { content: number; style: number; total: number };
      final: { content: number; style: number; total: number };
    };
    expect(report).toMatchObject({ backend: 'wasm', width: 48, height: 32, iterations: 6, out, preset: 'balanced' });
    expect(report.layers.content).toEqual(['conv4_2']);
    expect(report.layers.style.length).toBeGreaterThan(0);
    expect(typeof report['seconds']).toBe('number');
    for (const losses of [report.initial, report.final]) expect(Object.keys(losses).sort()).toEqual(['content', 'style', 'total']);
    expect(report.final.total).toBeLessThan(report.initial.total);
    const meta = await sharp(out).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 48, 32]);
    // Not a terminal: progress comes as plain lines on stderr, stdout holds only the result.
    expect(result.stderr).toMatch(/Stylize: 100% \(6 of 6\) loss /);
  });

  it('runs the threaded wasm build, exits when done, and paints the same bytes as one thread', async () => {
    const run = async (threads: string): Promise<{ threads: unknown; png: Buffer }> => {
      const out = join(work, `threads-${threads}.png`);
      const result = await stylize(['--content', content, '--style', style, '--out', out, '--weights', weights, '--size', '40', '--iterations', '3', '--seed', '5', '--json'], { STYLIZE_WASM_THREADS: threads });
      expect(result.code).toBe(0);
      expect(result.stderr).not.toContain('Note:');
      const report = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '') as Record<string, unknown>;
      return { threads: report['threads'], png: await readFile(out) };
    };
    const [one, two] = [await run('1'), await run('2')];
    expect([one.threads, two.threads]).toEqual([1, 2]);
    expect(two.png.equals(one.png)).toBe(true);
  });

  it('onnx-cpu and wasm, same seed: final losses within 1e-4 and the graph set-up time reported', async () => {
    /** Both executors compute the losses and gradients to ~1e-5; after 8 Adam steps they differ by ~1e-6. */
    const TOLERANCE = 1e-4;
    const run = async (backend: string): Promise<{ final: Record<string, number>; setupSeconds: number }> => {
      const out = join(work, `${backend}.png`);
      const result = await stylize(['--content', content, '--style', style, '--out', out, '--weights', weights, '--size', '48', '--iterations', '8', '--init', 'noise', '--seed', '3', '--optimizer', 'adam', '--json'], { STYLIZE_BACKEND: backend });
      expect(result.code, result.stderr).toBe(0);
      return JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '') as { final: Record<string, number>; setupSeconds: number };
    };
    const [onnx, wasm] = [await run('onnx-cpu'), await run('wasm')];
    for (const key of ['content', 'style', 'total']) {
      const relative = Math.abs((onnx.final[key] ?? NaN) - (wasm.final[key] ?? NaN)) / Math.abs(wasm.final[key] ?? NaN);
      console.log(`CLI, 8 Adam steps, seed 3: final ${key} onnx-cpu ${onnx.final[key]} vs wasm ${wasm.final[key]} (relative ${relative.toExponential(2)})`);
      expect(relative, key).toBeLessThan(TOLERANCE);
    }
    expect(onnx.setupSeconds).toBeGreaterThan(0);
    expect(wasm.setupSeconds).toBe(0);
  });

  it('two styles with weights, a style scale and kept colours: --json reports them, the summary says them', async () => {
    const second = join(work, 'second.png');
    await sharp({ create: { width: 30, height: 60, channels: 3, background: { r: 200, g: 40, b: 40 } } }).png().toFile(second);
    const out = join(work, 'blend.png');
    const args = ['--content', content, '--style', style, '--style', second, '--style-weights', '1,3', '--style-scale', '0.5', '--preserve-colors', '--out', out, '--weights', weights, '--size', '40', '--iterations', '2'];
    const json = await stylize([...args, '--json']);
    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout.trim().split('\n').at(-1) ?? '') as Record<string, unknown>;
    expect(report).toMatchObject({ styleScale: 0.5, styleWeights: [0.25, 0.75], colorMode: 'luminance', styles: [{ path: style, weight: 0.25 }, { path: second, weight: 0.75 }] });
    const plain = await stylize(args);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).toContain("Style: scale 0.5, weights 0.250, 0.750; colours the photo's (luminance-only transfer).");
  });

  it('--time: a run planned from a time budget, reported in the JSON', async () => {
    const out = join(work, 'timed.png');
    const result = await stylize(['--content', content, '--style', style, '--out', out, '--weights', weights, '--size', '48', '--time', '2s', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '') as Record<string, unknown> & { final: { total: number }; initial: { total: number } };
    expect(report).toMatchObject({ width: 48, height: 32, timeBudgetSeconds: 2 });
    expect(report['iterations']).toEqual(expect.any(Number));
    expect(report.final.total).toBeLessThan(report.initial.total);
    expect(result.stderr).toContain('Stylize (% of the time)');
  });

  it('without --json: a short human summary, with the layers used', async () => {
    const out = join(work, 'plain.png');
    const result = await stylize(['--content', content, '--style', style, '--out', out, '--weights', weights, '--size', '32', '--iterations', '2', '--preset', 'painting', '--preserve-colors']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Wrote ${out}: 32 x 21 px, 2 iterations`);
    expect(result.stdout).toMatch(/Layers: content conv4_2; style conv1_1/);
  });

  it('a bad input image: exit 2 and one plain message, no stack trace', async () => {
    const notImage = join(work, 'notes.txt');
    await writeFile(notImage, 'not a picture at all');
    const result = await stylize(['--content', notImage, '--style', style, '--out', join(work, 'x.png'), '--weights', weights, '--size', '32', '--iterations', '1']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('The photo is not a picture I can read');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stdout).toBe('');
  });

  it('bad usage and missing files: exit 2 with a message that says what to fix', async () => {
    const usage = await stylize(['--content', content, '--style', style, '--out', join(work, 'y.png'), '--weights', weights, '--size', 'big']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--size must be a whole number of at least 1 (got "big")');
    const missing = await stylize(['--content', join(work, 'nope.jpg'), '--style', style, '--out', join(work, 'z.png'), '--weights', join(work, 'no-weights')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/does not exist/);
    expect(missing.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('parseCliArgs', () => {
  const base = ['--content', 'a.jpg', '--style', 'b.jpg', '--out', 'c.png'];

  it('passes on only the options given, so the engine defaults apply', () => {
    expect(parseCliArgs(base)).toEqual({ content: 'a.jpg', styles: ['b.jpg'], out: 'c.png', json: false, run: { preserveColors: false, multiScale: true } });
    const full = parseCliArgs([...base, '--preset', 'photo', '--size', '128', '--iterations', '20', '--seed', '0', '--init', 'style', '--optimizer', 'adam', '--preserve-colors', '--single-scale', '--tv-weight', '0.5', '--weights', 'w', '--json']);
    expect(full).toEqual({
      content: 'a.jpg',
      styles: ['b.jpg'],
      out: 'c.png',
      weights: 'w',
      json: true,
      run: { preset: 'photo', size: 128, iterations: 20, seed: 0, init: 'style', optimizer: 'adam', preserveColors: true, multiScale: false, tvWeight: 0.5 },
    });
    expect(parseCliArgs([...base, '--alpha', '1', '--beta', '1e4'])).toMatchObject({ run: { alpha: 1, beta: 10000 } });
    expect(parseCliArgs(['--help'])).toBe('help');
    expect(parseCliArgs([...base, '--style', 'd.jpg', '--style-weights', '1, 3', '--style-scale', '0.5'])).toMatchObject({ styles: ['b.jpg', 'd.jpg'], run: { styleWeights: [1, 3], styleScale: 0.5 } });
  });

  it.each([
    ['90', 90_000],
    ['90s', 90_000],
    ['5m', 300_000],
    ['1m30s', 90_000],
    ['2.5min', 150_000],
    ['1h', 3_600_000],
  ])('--time %s is %i ms', (text, ms) => {
    expect(parseCliArgs([...base, '--time', text])).toMatchObject({ run: { timeBudgetMs: ms } });
  });

  it.each([
    [['--content', 'a.jpg'], /Missing --style PATH, --out PATH/],
    [[...base, '--preset', 'loud'], /--preset must be one of photo, balanced, painterly, painting \(got "loud"\)/],
    [[...base, '--iterations', '2.5'], /--iterations must be a whole number/],
    [[...base, '--iterations', '0'], /at least 1/],
    [[...base, '--seed=-1'], /--seed must be a whole number \(got "-1"\)/],
    [[...base, '--init', 'random'], /--init must be one of noise, content, style/],
    [[...base, '--optimizer', 'sgd'], /--optimizer must be one of lbfgs, adam/],
    [[...base, '--alpha', '1'], /--alpha and --beta go together/],
    [[...base, '--alpha', '1', '--beta', '2', '--preset', 'photo'], /either --preset or --alpha\/--beta/],
    [[...base, '--tv-weight=-2'], /--tv-weight must be a number of at least 0/],
    [[...base, '--colour'], /Unknown option '--colour'/],
    [[...base, 'extra'], /Unexpected argument 'extra'/],
    [[...base, '--style-weights', '1,3'], /gives 2 weights for 1 --style image: give one per image/],
    [[...base, '--style', 'd.jpg', '--style-weights', '1,x'], /--style-weights must be numbers of at least 0 separated by commas/],
    [[...base, '--style', 'd.jpg', '--style-weights', '0,0'], /at least one weight must be above 0/],
    [[...base, '--style-scale', '9'], /--style-scale must be a number from 0.25 to 4 \(got "9"\)/],
    [[...base, '--style', 'd', '--style', 'e', '--style', 'f', '--style', 'g'], /At most 4 --style images/],
    [[...base, '--time', 'soon'], /--time must be a duration such as 90s, 5m or 1m30s \(got "soon"\)/],
    [[...base, '--time', '5 m'], /--time must be a duration/],
    [[...base, '--time', '0.5s'], /--time must be from 1 s to 60 min/],
    [[...base, '--time', '2h'], /--time must be from 1 s to 60 min/],
    [[...base, '--time', '5m', '--iterations', '10'], /either --time or --iterations, not both/],
  ])('refuses %j', (args, message) => {
    expect(() => parseCliArgs(args)).toThrow(message);
  });
});
