// Reads VGG-19 conv weights from a TensorFlow.js layers-format folder (model.json + float32 weight shards),
// as written by the models fetch command, the partial shared model and the random stand-in, into plain
// arrays: both executors start from here, and ONNX Runtime's never needs TensorFlow.js.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ModelError } from './errors.js';

export interface RawConvLayer {
  /** Paper name, e.g. conv3_1. */
  name: string;
  block: number;
  inChannels: number;
  outChannels: number;
  /** [3, 3, in, out], as Keras stores it. */
  kernel: Float32Array;
  bias: Float32Array;
}

/** VGG-19's conv layers per block and their channels. */
export const VGG19_BLOCKS: ReadonlyArray<{ convs: number; channels: number }> = [
  { convs: 2, channels: 64 },
  { convs: 2, channels: 128 },
  { convs: 4, channels: 256 },
  { convs: 4, channels: 512 },
  { convs: 4, channels: 512 },
];

const FETCH_HINT = 'Run `npm run models:fetch` to download and convert the VGG-19 weights.';

interface ManifestEntry {
  name: string;
  shape: number[];
  dtype?: string;
}

interface ManifestGroup {
  paths: string[];
  weights: ManifestEntry[];
}

interface RawTensor {
  shape: number[];
  data: Float32Array;
}

function parseManifest(json: unknown, dir: string): ManifestGroup[] {
  const manifest = (json as { weightsManifest?: unknown } | null)?.weightsManifest;
  if (!Array.isArray(manifest)) {
    throw new ModelError(`${join(dir, 'model.json')} has no weightsManifest: it is not a TensorFlow.js layers model. ${FETCH_HINT}`);
  }
  return manifest as ManifestGroup[];
}

/** block{b}_conv{c}/kernel (optionally with a scope prefix or a ':0' suffix) -> parts. */
const KERAS_NAME = /(?:^|\/)block(\d)_conv(\d)\/(kernel|bias)(?::0)?$/;

async function readGroup(dir: string, group: ManifestGroup, found: Map<string, RawTensor>): Promise<void> {
  const shards = await Promise.all(
    group.paths.map(async (path) => {
      try {
        return await readFile(join(dir, path));
      } catch {
        throw new ModelError(`Weight file ${path} is missing from ${dir}. ${FETCH_HINT}`);
      }
    }),
  );
  const buffer = Buffer.concat(shards);
  const sizes = group.weights.map((w) => w.shape.reduce((a, b) => a * b, 1));
  const expected = sizes.reduce((sum, n) => sum + n * 4, 0);
  if (buffer.byteLength !== expected || group.weights.some((w) => (w.dtype ?? 'float32') !== 'float32')) {
    throw new ModelError(`Weight files in ${dir} are truncated or corrupt (${buffer.byteLength} bytes, expected ${expected} of float32). ${FETCH_HINT}`);
  }
  // Copied into an aligned buffer of its own: the shard's bytes may sit at any offset of a pooled Buffer.
  const floats = new Float32Array(buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength));
  let offset = 0;
  group.weights.forEach((w, i) => {
    const size = sizes[i] ?? 0;
    found.set(w.name, { shape: w.shape, data: floats.subarray(offset, offset + size) });
    offset += size;
  });
}

/** Reads the folder; throws ModelError with a plain message when it is missing or malformed. */
export async function readVggWeights(dir: string): Promise<RawConvLayer[]> {
  let text: string;
  try {
    text = await readFile(join(dir, 'model.json'), 'utf8');
  } catch {
    throw new ModelError(`No VGG-19 weights found in ${dir} (model.json is missing). ${FETCH_HINT}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ModelError(`${join(dir, 'model.json')} is not valid JSON. ${FETCH_HINT}`);
  }
  const found = new Map<string, RawTensor>();
  for (const group of parseManifest(json, dir)) await readGroup(dir, group, found);
  return assemble(found, dir);
}

/** A conv layer's place and channels: what it costs to run, without its weights. */
export interface ConvShape {
  block: number;
  conv: number;
  inChannels: number;
  outChannels: number;
}

/** The conv layers' shapes, from model.json alone (no weight shard is read). */
export async function readConvShapes(dir: string): Promise<ConvShape[]> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
  } catch {
    throw new ModelError(`${join(dir, 'model.json')} is missing or not valid JSON. ${FETCH_HINT}`);
  }
  const shapes: ConvShape[] = [];
  for (const group of parseManifest(json, dir)) {
    for (const entry of group.weights) {
      const match = KERAS_NAME.exec(entry.name);
      const [, , inChannels, outChannels] = entry.shape;
      if (match?.[3] !== 'kernel' || inChannels === undefined || outChannels === undefined) continue;
      shapes.push({ block: Number(match[1]), conv: Number(match[2]), inChannels, outChannels });
    }
  }
  return shapes;
}

/** Multiply-adds per input pixel of the layers a default run computes: up to conv5_1, the deepest style layer. */
function convWorkPerPixel(shapes: readonly ConvShape[]): number {
  const used = shapes.filter((shape) => shape.block < 5 || (shape.block === 5 && shape.conv === 1));
  // Each block works on a quarter of the pixels of the one before (2x2 pooling).
  return used.reduce((sum, shape) => sum + (9 * shape.inChannels * shape.outChannels) / 4 ** (shape.block - 1), 0);
}

/** VGG-19's conv layers in order, with their channels. */
export const VGG19_SHAPES: readonly ConvShape[] = VGG19_BLOCKS.flatMap((block, b) =>
  Array.from({ length: block.convs }, (_, c) => ({ block: b + 1, conv: c + 1, inChannels: c === 0 ? (VGG19_BLOCKS[b - 1]?.channels ?? 3) : block.channels, outChannels: block.channels })),
);

/**
 * What an iteration costs on this network relative to VGG-19's (1 for the real weights, about 0.62 for
 * blocks 1-3 alone, a few thousandths for the tests' tiny network), so that time figures measured on
 * VGG-19 carry over to the network that is loaded.
 */
export function relativeNetworkCost(shapes: readonly ConvShape[]): number {
  return convWorkPerPixel(shapes) / convWorkPerPixel(VGG19_SHAPES);
}

/** Orders the tensors into conv layers and checks that their shapes chain up. */
function assemble(found: Map<string, RawTensor>, dir: string): RawConvLayer[] {
  const byLayer = new Map<string, { kernel?: RawTensor; bias?: RawTensor }>();
  for (const [name, tensor] of found) {
    const match = KERAS_NAME.exec(name);
    if (!match) continue;
    const key = `conv${match[1]}_${match[2]}`;
    const entry = byLayer.get(key) ?? {};
    if (match[3] === 'kernel') entry.kernel = tensor;
    else entry.bias = tensor;
    byLayer.set(key, entry);
  }
  const layers: RawConvLayer[] = [];
  let inChannels = 3;
  for (let b = 1; b <= VGG19_BLOCKS.length; b++) {
    const convs = VGG19_BLOCKS[b - 1]?.convs ?? 0;
    for (let c = 1; c <= convs; c++) {
      const name = `conv${b}_${c}`;
      const entry = byLayer.get(name);
      if (!entry) {
        if (layers.length === 0) throw new ModelError(`No VGG-19 conv layers (block1_conv1...) found in ${dir}. ${FETCH_HINT}`);
        // A truncated network (e.g. blocks 1-3 only) is fine; it just ends here.
        checkComplete(layers, byLayer, dir);
        return layers;
      }
      const { kernel, bias } = entry;
      if (!kernel || !bias) throw new ModelError(`Layer block${b}_conv${c} lacks its kernel or bias in ${dir}. ${FETCH_HINT}`);
      const [kh, kw, kin, kout] = kernel.shape;
      if (kernel.shape.length !== 4 || kh !== 3 || kw !== 3 || kin !== inChannels || bias.shape.length !== 1 || bias.shape[0] !== kout || kout === undefined) {
        throw new ModelError(
          `Layer block${b}_conv${c} in ${dir} has the wrong shape (kernel [${kernel.shape.join(', ')}], bias [${bias.shape.join(', ')}]). ${FETCH_HINT}`,
        );
      }
      layers.push({ name, block: b, inChannels, outChannels: kout, kernel: kernel.data, bias: bias.data });
      inChannels = kout;
    }
  }
  return layers;
}

/** A network may stop early, but not skip layers: block4 weights after a missing conv3_3 are a broken file. */
function checkComplete(layers: RawConvLayer[], byLayer: Map<string, unknown>, dir: string): void {
  const present = new Set(layers.map((l) => l.name));
  const stray = [...byLayer.keys()].filter((name) => !present.has(name));
  if (stray.length > 0) {
    throw new ModelError(`Weights in ${dir} skip layers (found ${stray.join(', ')} after a gap). ${FETCH_HINT}`);
  }
}
