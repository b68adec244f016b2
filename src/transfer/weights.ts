// Loads VGG-19 conv weights from a TensorFlow.js layers-format folder (model.json + weight shards), as
// written by the models fetch command, the partial shared model and the tiny test fixture.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { ModelError } from './errors.js';

export interface ConvLayer {
  /** Paper name, e.g. conv3_1. */
  name: string;
  block: number;
  /** [3, 3, in, out], as Keras stores it. */
  kernel: tf.Tensor4D;
  bias: tf.Tensor1D;
}

/** Conv layers in network order (conv1_1, conv1_2, conv2_1, ...), possibly only the first blocks. */
export interface VggWeights {
  layers: ConvLayer[];
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

interface ManifestGroup {
  paths: string[];
  weights: tf.io.WeightsManifestEntry[];
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

/** Reads the folder; throws ModelError with a plain message when it is missing or malformed. */
export async function loadVggWeights(dir: string): Promise<VggWeights> {
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
  const groups = parseManifest(json, dir);
  const found = new Map<string, tf.Tensor>();
  try {
    for (const group of groups) {
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
      const expected = group.weights.reduce((sum, w) => sum + w.shape.reduce((a, b) => a * b, 1) * 4, 0);
      if (buffer.byteLength !== expected) {
        throw new ModelError(`Weight files in ${dir} are truncated or corrupt (${buffer.byteLength} bytes, expected ${expected}). ${FETCH_HINT}`);
      }
      const arrayBuffer = buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength);
      const decoded = tf.io.decodeWeights(arrayBuffer, group.weights);
      for (const [name, tensor] of Object.entries(decoded)) found.set(name, tensor);
    }
    return assemble(found, dir);
  } finally {
    // assemble() keeps what it uses by cloning; everything decoded is freed here, also on failure.
    for (const tensor of found.values()) tensor.dispose();
  }
}

/** Orders the decoded tensors into conv layers and checks that their shapes chain up. */
function assemble(found: Map<string, tf.Tensor>, dir: string): VggWeights {
  const byLayer = new Map<string, { block: number; conv: number; kernel?: tf.Tensor; bias?: tf.Tensor }>();
  for (const [name, tensor] of found) {
    const match = KERAS_NAME.exec(name);
    if (!match) continue;
    const block = Number(match[1]);
    const conv = Number(match[2]);
    const key = `conv${block}_${conv}`;
    const entry = byLayer.get(key) ?? { block, conv };
    if (match[3] === 'kernel') entry.kernel = tensor;
    else entry.bias = tensor;
    byLayer.set(key, entry);
  }
  const layers: ConvLayer[] = [];
  try {
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
          return { layers };
        }
        const { kernel, bias } = entry;
        if (!kernel || !bias) throw new ModelError(`Layer block${b}_conv${c} lacks its kernel or bias in ${dir}. ${FETCH_HINT}`);
        const [kh, kw, kin, kout] = kernel.shape;
        if (kernel.rank !== 4 || kh !== 3 || kw !== 3 || kin !== inChannels || bias.rank !== 1 || bias.shape[0] !== kout) {
          throw new ModelError(
            `Layer block${b}_conv${c} in ${dir} has the wrong shape (kernel [${kernel.shape.join(', ')}], bias [${bias.shape.join(', ')}]). ${FETCH_HINT}`,
          );
        }
        layers.push({ name, block: b, kernel: kernel.clone() as tf.Tensor4D, bias: bias.clone() as tf.Tensor1D });
        inChannels = kout ?? inChannels;
      }
    }
    return { layers };
  } catch (error) {
    // The clones made so far belong to no one else.
    disposeLayers(layers);
    throw error;
  }
}

/** A network may stop early, but not skip layers: block4 weights after a missing conv3_3 are a broken file. */
function checkComplete(layers: ConvLayer[], byLayer: Map<string, unknown>, dir: string): void {
  const present = new Set(layers.map((l) => l.name));
  const stray = [...byLayer.keys()].filter((name) => !present.has(name));
  if (stray.length > 0) {
    throw new ModelError(`Weights in ${dir} skip layers (found ${stray.join(', ')} after a gap). ${FETCH_HINT}`);
  }
}

function disposeLayers(layers: ConvLayer[]): void {
  for (const layer of layers) {
    layer.kernel.dispose();
    layer.bias.dispose();
  }
}

export function disposeVggWeights(weights: VggWeights): void {
  disposeLayers(weights.layers);
}
