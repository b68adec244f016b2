// The fetch-and-convert command against a real HTTP server on 127.0.0.1: progress, checksums, offline
// messages, local files, and where the bot finds the weights.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { access, mkdir, mkdtemp, readFile, readdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChecksumError } from '../models/checksums.js';
import { fetchWeights, FetchError } from '../models/fetch-weights.js';
import { main } from '../src/commands/fetch-models.js';
import { findWeights } from '../models/find-weights.js';
import { DEFAULT_WEIGHTS_DIR, VGG19_KERAS_NOTOP, type WeightsSource } from '../models/manifest.js';
import { makeKerasVggH5 } from './fixtures/keras-vgg-h5.js';
import { closeServer, listenLocal, localServer } from './fixtures/local-http.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const run = promisify(execFile);

let h5Bytes: Buffer;
let h5Path: string;
let server: Server;
let baseUrl: string;
const requests: string[] = [];

beforeAll(async () => {
  h5Path = await makeKerasVggH5();
  h5Bytes = await readFile(h5Path);
  server = localServer((req, res) => {
    requests.push(req.url ?? '');
    if (req.url === '/vgg.h5') {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': h5Bytes.length });
      // Several chunks with pauses between them, so that progress is reported more than once.
      const step = Math.ceil(h5Bytes.length / 8);
      const send = (offset: number): void => {
        if (offset >= h5Bytes.length) return void res.end();
        res.write(h5Bytes.subarray(offset, offset + step));
        setTimeout(() => send(offset + step), 5);
      };
      send(0);
    } else if (req.url === '/moved') {
      res.writeHead(302, { location: '/vgg.h5' }).end();
    } else {
      res.writeHead(404).end('not found');
    }
  });
  baseUrl = `http://127.0.0.1:${await listenLocal(server)}`;
});

afterAll(async () => {
  await closeServer(server);
});

function testSource(overrides: Partial<WeightsSource> = {}): WeightsSource {
  return {
    label: 'test VGG',
    fileName: 'vgg.h5',
    urls: [`${baseUrl}/vgg.h5`],
    bytes: h5Bytes.length,
    sha256: createHash('sha256').update(h5Bytes).digest('hex'),
    convLayers: 4,
    ...overrides,
  };
}

/** A port nothing listens on: bind, note the port, close. */
async function closedPort(): Promise<number> {
  const probe = localServer(() => undefined);
  const port = await listenLocal(probe);
  await closeServer(probe);
  return port;
}

function collector(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  return { stream, text: () => chunks.join('') };
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

async function workDirs(): Promise<{ outDir: string; downloadDir: string }> {
  const root = await mkdtemp(join(tmpdir(), 'fetch-test-'));
  return { outDir: join(root, 'weights', 'vgg19'), downloadDir: join(root, 'downloads') };
}

describe('fetchWeights', () => {
  it('downloads with progress, verifies, converts, and then finds the weights already there', async () => {
    const dirs = await workDirs();
    const progress = collector();
    const log: string[] = [];
    const result = await fetchWeights({ source: testSource(), ...dirs, log: (line) => log.push(line), progressStream: progress.stream });
    expect(result).toEqual({ dir: dirs.outDir, converted: true, layers: 4 });
    expect(await exists(join(dirs.outDir, 'model.json'))).toBe(true);
    // Not a terminal: plain lines, ending at 100 %.
    const lines = progress.text().trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(lines.at(-1)).toMatch(/^Download: 100% \(0\.0 MB of 0\.0 MB\)$/);
    expect(log.join('\n')).toMatch(/Checksums match \(SHA-256 [0-9a-f]{64}\)/);
    expect(log.at(-1)).toMatch(/^Done: 4 conv layers \(block1_conv1, block1_conv2, block2_conv1, block2_conv2\)/);
    // The download is kept (no .part file) so a later conversion needs no network.
    expect(await readdir(dirs.downloadDir)).toEqual(['vgg.h5']);

    const again: string[] = [];
    const second = await fetchWeights({ source: testSource(), ...dirs, log: (line) => again.push(line) });
    expect(second.converted).toBe(false);
    expect(again.join('\n')).toMatch(/already in .*nothing to do/);
  });

  it('follows redirects (release downloads redirect to a storage host)', async () => {
    const dirs = await workDirs();
    await fetchWeights({ source: testSource({ urls: [`${baseUrl}/moved`] }), ...dirs, log: () => undefined, progressStream: collector().stream });
    expect(await exists(join(dirs.outDir, 'model.json'))).toBe(true);
  });

  it('tries the next address when one fails', async () => {
    const dirs = await workDirs();
    const log: string[] = [];
    await fetchWeights({ source: testSource({ urls: [`${baseUrl}/gone.h5`, `${baseUrl}/vgg.h5`] }), ...dirs, log: (l) => log.push(l), progressStream: collector().stream });
    expect(log.join('\n')).toMatch(/gone\.h5 failed: the server answered HTTP 404/);
    expect(await exists(join(dirs.outDir, 'model.json'))).toBe(true);
  });

  it('refuses a file whose SHA-256 does not match, and keeps neither it nor any weights', async () => {
    const dirs = await workDirs();
    const wrong = testSource({ sha256: '0'.repeat(64) });
    const failure = fetchWeights({ source: wrong, ...dirs, log: () => undefined, progressStream: collector().stream });
    await expect(failure).rejects.toBeInstanceOf(ChecksumError);
    await expect(fetchWeights({ source: wrong, ...dirs, log: () => undefined, progressStream: collector().stream })).rejects.toThrow(
      /is not the expected vgg\.h5 \(SHA-256 [0-9a-f]{64}, expected 0{64}\)/,
    );
    expect(await exists(dirs.outDir)).toBe(false);
    expect(await readdir(dirs.downloadDir)).toEqual([]);
  });

  it('refuses a source with no pinned checksum', async () => {
    const dirs = await workDirs();
    const unpinned = testSource({ sha256: undefined });
    await expect(fetchWeights({ source: unpinned, ...dirs, file: h5Path, log: () => undefined })).rejects.toThrow(/No checksum is pinned/);
  });

  it('converts a local file with no network at all', async () => {
    const dirs = await workDirs();
    const result = await fetchWeights({ source: testSource({ urls: [`http://127.0.0.1:${await closedPort()}/x.h5`] }), ...dirs, file: h5Path, log: () => undefined });
    expect(result.layers).toBe(4);
    expect(await exists(dirs.downloadDir)).toBe(false);
  });

  it('offline: says what failed and how to install from a file', async () => {
    const dirs = await workDirs();
    const url = `http://127.0.0.1:${await closedPort()}/vgg.h5`;
    const failure = fetchWeights({ source: testSource({ urls: [url] }), ...dirs, log: () => undefined });
    await expect(failure).rejects.toBeInstanceOf(FetchError);
    const error = (await fetchWeights({ source: testSource({ urls: [url] }), ...dirs, log: () => undefined }).catch((e: unknown) => e)) as Error;
    expect(error.message).toContain(`${url}: the connection was refused`);
    expect(error.message).toContain('npm run models:fetch -- --file PATH');
    expect(error.message).toContain(url);
    expect(await exists(dirs.outDir)).toBe(false);
  });
});

describe('models:fetch command', () => {
  function io(downloadDir: string): { out: string[]; err: string[]; io: Parameters<typeof main>[1] } {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, io: { out: (l) => out.push(l), err: (l) => err.push(l), downloadDir } };
  }

  it('offline: exit 1 with the real download address and the --file instructions', async () => {
    const dirs = await workDirs();
    const t = io(dirs.downloadDir);
    const url = `http://127.0.0.1:${await closedPort()}/mirror.h5`;
    expect(await main(['--url', url, '--out', dirs.outDir], t.io)).toBe(1);
    const message = t.err.join('\n');
    expect(message).toContain('the connection was refused');
    expect(message).toContain(VGG19_KERAS_NOTOP.urls[0]);
    expect(message).toContain('npm run models:fetch -- --file PATH');
  });

  it('a local file that is not the published VGG-19 file is refused with exit 1', async () => {
    const dirs = await workDirs();
    const t = io(dirs.downloadDir);
    expect(await main(['--file', h5Path, '--out', dirs.outDir], t.io)).toBe(1);
    expect(t.err.join('\n')).toMatch(/is not the expected vgg19_weights_tf_dim_ordering_tf_kernels_notop\.h5 \(size \d+ bytes, expected 80134624; MD5/);
    expect(await exists(dirs.outDir)).toBe(false);
  });

  it('bad usage exits 2 with the usage text', async () => {
    const t = io(tmpdir());
    expect(await main(['--nope'], t.io)).toBe(2);
    expect(t.err.join('\n')).toMatch(/Unknown option '--nope'[\s\S]*Usage: npm run models:fetch/);
    expect(await main(['--file', 'a', '--url', 'b'], t.io)).toBe(2);
    expect(await main(['--help'], t.io)).toBe(0);
    expect(t.out.join('\n')).toContain('--file PATH');
  });

  it('runs as a script: a missing file gives exit 1 and a plain message, no stack trace', async () => {
    const missing = join(tmpdir(), 'no-such-dir', 'vgg19.h5');
    const failure = await run(process.execPath, ['--import', 'tsx', 'src/commands/fetch-models.ts', '--file', missing, '--out', join(tmpdir(), 'never')], { cwd: repoRoot }).then(
      () => undefined,
      (e: unknown) => e as { code: number; stderr: string },
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain(`${missing} does not exist`);
    expect(failure?.stderr).toContain('npm run models:fetch');
    expect(failure?.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('findWeights', () => {
  it('uses STYLIZE_WEIGHTS_DIR when set, and says so when it holds no model', async () => {
    const dirs = await workDirs();
    await fetchWeights({ source: testSource(), ...dirs, file: h5Path, log: () => undefined });
    expect(await findWeights({ STYLIZE_WEIGHTS_DIR: dirs.outDir })).toEqual({ found: true, dir: dirs.outDir, from: 'STYLIZE_WEIGHTS_DIR' });
    const empty = join(dirs.downloadDir, 'empty');
    await mkdir(empty, { recursive: true });
    const missing = await findWeights({ STYLIZE_WEIGHTS_DIR: empty });
    expect(missing.found).toBe(false);
    if (!missing.found) expect(missing.message).toMatch(/STYLIZE_WEIGHTS_DIR is set to .*empty, but there is no model\.json in it\. Run `npm run models:fetch`/);
  });

  it('falls back to models/weights/vgg19, never to the shared test model', async () => {
    const lookup = await findWeights({});
    if (lookup.found) expect(lookup.dir).toBe(DEFAULT_WEIGHTS_DIR);
    else expect(lookup.message).toContain(DEFAULT_WEIGHTS_DIR);
    expect(DEFAULT_WEIGHTS_DIR).toBe(join(repoRoot, 'models', 'weights', 'vgg19'));
  });
});
