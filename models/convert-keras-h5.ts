// Converts a Keras VGG weights file (.h5, as written by Keras' save_weights) to the TensorFlow.js layers
// format the engine loads: model.json with a weightsManifest, and one binary shard per conv layer, weights
// named block{b}_conv{c}/kernel [3, 3, in, out] and block{b}_conv{c}/bias [out].
//
// Keras' layout: the root attribute `layer_names` lists the layers in order; each layer is a group whose
// attribute `weight_names` lists its datasets, relative to the group (e.g. "block1_conv1/kernel:0" in
// Keras 2 files, "block1_conv1_W_1:0" in older ones). Kernel and bias are told apart by rank, which works
// for both namings.
import { open, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Group } from 'h5wasm/node';

/** h5wasm's module (4 MB of JavaScript around its WebAssembly) takes seconds to load: only a conversion loads it. */
type H5 = typeof import('h5wasm/node');

/** The file cannot be converted; `message` says why in plain words. */
export class ConversionError extends Error {
  override readonly name = 'ConversionError';
}

export interface ConvertedLayer {
  /** Keras name, e.g. block3_conv1. */
  name: string;
  kernelShape: [number, number, number, number];
}

export interface ConvertOptions {
  /** Recorded in model.json so that a folder of weights says where it came from. */
  source?: { fileName: string; sha256: string };
}

const HDF5_SIGNATURE = Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);
const CONV_NAME = /^block(\d+)_conv(\d+)$/;

async function checkSignature(path: string): Promise<void> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch {
    throw new ConversionError(`Cannot read ${path}: the file does not exist or is not readable.`);
  }
  try {
    const head = Buffer.alloc(HDF5_SIGNATURE.length);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    // Keras writes the HDF5 superblock at offset 0; checking here keeps libhdf5's diagnostics off the console.
    if (bytesRead < head.length || !head.equals(HDF5_SIGNATURE)) {
      throw new ConversionError(`${path} is not an HDF5 (.h5) weights file.`);
    }
  } finally {
    await handle.close();
  }
}

function stringList(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  return undefined;
}

function toFloat32(value: unknown, where: string): Float32Array {
  if (value instanceof Float32Array) return value;
  if (value instanceof Float64Array) return Float32Array.from(value);
  throw new ConversionError(`${where} does not hold floating-point weights.`);
}

/** All datasets under a group, depth first (for files without the `weight_names` attribute). */
function datasetsUnder(h5: H5, group: Group, prefix = ''): string[] {
  const found: string[] = [];
  for (const key of group.keys()) {
    const entity = group.get(key);
    const path = prefix ? `${prefix}/${key}` : key;
    if (entity instanceof h5.Dataset) found.push(path);
    else if (entity instanceof h5.Group) found.push(...datasetsUnder(h5, entity, path));
  }
  return found;
}

interface LayerWeights {
  name: string;
  block: number;
  conv: number;
  kernel: Float32Array;
  kernelShape: [number, number, number, number];
  bias: Float32Array;
}

function readLayer(h5: H5, file: Group, name: string, block: number, conv: number): LayerWeights {
  const group = file.get(name);
  if (!(group instanceof h5.Group)) throw new ConversionError(`Layer ${name} is listed but missing from the file.`);
  const names = stringList(group.attrs['weight_names']?.value) ?? datasetsUnder(h5, group);
  let kernel: LayerWeights['kernel'] | undefined;
  let kernelShape: LayerWeights['kernelShape'] | undefined;
  let bias: Float32Array | undefined;
  for (const weightName of names) {
    const dataset = group.get(weightName);
    if (!(dataset instanceof h5.Dataset)) throw new ConversionError(`Weight ${name}/${weightName} is listed but missing from the file.`);
    const shape = dataset.shape ?? [];
    if (shape.length === 4) {
      kernel = toFloat32(dataset.value, `${name}/${weightName}`);
      kernelShape = shape as [number, number, number, number];
    } else if (shape.length === 1) {
      bias = toFloat32(dataset.value, `${name}/${weightName}`);
    }
  }
  if (!kernel || !kernelShape || !bias) throw new ConversionError(`Layer ${name} lacks its kernel or its bias.`);
  return { name, block, conv, kernel, kernelShape, bias };
}

/** Reads the conv layers in network order and checks that they form one chain of 3x3 convolutions. */
function readConvLayers(h5: H5, path: string): LayerWeights[] {
  const file = new h5.File(path, 'r');
  try {
    const listed = stringList(file.attrs['layer_names']?.value) ?? file.keys();
    const layers: LayerWeights[] = [];
    for (const name of listed) {
      const match = CONV_NAME.exec(name);
      if (match) layers.push(readLayer(h5, file, name, Number(match[1]), Number(match[2])));
    }
    if (layers.length === 0) throw new ConversionError(`${path} holds no VGG conv layers (block1_conv1, ...).`);
    let inChannels = 3;
    let expected = { block: 1, conv: 1 };
    for (const layer of layers) {
      const startsBlock = layer.block === expected.block + 1 && layer.conv === 1;
      if (!(layer.block === expected.block && layer.conv === expected.conv) && !startsBlock) {
        throw new ConversionError(`${path} skips layers: found ${layer.name} where block${expected.block}_conv${expected.conv} was expected.`);
      }
      const [kh, kw, kin, kout] = layer.kernelShape;
      if (kh !== 3 || kw !== 3 || kin !== inChannels || layer.bias.length !== kout || layer.kernel.length !== 9 * kin * kout) {
        throw new ConversionError(
          `${layer.name} has the wrong shape (kernel [${layer.kernelShape.join(', ')}], bias [${layer.bias.length}]; expected [3, 3, ${inChannels}, n] and [n]).`,
        );
      }
      inChannels = kout;
      expected = { block: layer.block, conv: layer.conv + 1 };
    }
    return layers;
  } finally {
    file.close();
  }
}

function modelJson(layers: LayerWeights[], options: ConvertOptions): unknown {
  const topology: unknown[] = [{ name: 'input_1', class_name: 'InputLayer', config: { batch_input_shape: [null, null, null, 3], dtype: 'float32' } }];
  layers.forEach((layer, i) => {
    const config = { name: layer.name, filters: layer.kernelShape[3], kernel_size: [3, 3], strides: [1, 1], padding: 'same', activation: 'relu', use_bias: true };
    topology.push({ name: layer.name, class_name: 'Conv2D', config });
    if (layers[i + 1]?.block !== layer.block) {
      const pool = `block${layer.block}_pool`;
      topology.push({ name: pool, class_name: 'MaxPooling2D', config: { name: pool, pool_size: [2, 2], strides: [2, 2], padding: 'valid' } });
    }
  });
  return {
    format: 'layers-model',
    generatedBy: 'stylize models/convert-keras-h5.ts',
    convertedBy: 'stylize',
    // Keras VGG weights expect BGR input with the ImageNet mean subtracted (Caffe preprocessing).
    userDefinedMetadata: { preprocessing: 'caffe-bgr-mean', ...(options.source ? { source: options.source } : {}) },
    modelTopology: { model_config: { class_name: 'Model', config: { name: 'vgg19', layers: topology } } },
    weightsManifest: layers.map((layer, i) => ({
      paths: [shardName(i)],
      weights: [
        { name: `${layer.name}/kernel`, shape: layer.kernelShape, dtype: 'float32' },
        { name: `${layer.name}/bias`, shape: [layer.bias.length], dtype: 'float32' },
      ],
    })),
  };
}

function shardName(index: number): string {
  return `group${index + 1}-shard1of1.bin`;
}

function bytesOf(array: Float32Array): Buffer {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength);
}

/**
 * Converts `h5Path` into `outDir` (replacing what is there). The new folder is written beside the old one
 * and swapped in at the end, so a failed conversion leaves any earlier weights untouched.
 */
export async function convertKerasH5(h5Path: string, outDir: string, options: ConvertOptions = {}): Promise<ConvertedLayer[]> {
  const source = resolve(h5Path);
  const target = resolve(outDir);
  await checkSignature(source);
  const h5 = await import('h5wasm/node');
  await h5.ready;
  let layers: LayerWeights[];
  try {
    layers = readConvLayers(h5, source);
  } catch (error) {
    if (error instanceof ConversionError) throw error;
    throw new ConversionError(`${source} could not be read as a Keras weights file (${error instanceof Error ? error.message : String(error)}).`);
  }
  const staging = join(dirname(target), `.${basename(target)}.converting-${process.pid}`);
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  try {
    for (const [i, layer] of layers.entries()) {
      await writeFile(join(staging, shardName(i)), Buffer.concat([bytesOf(layer.kernel), bytesOf(layer.bias)]));
    }
    await writeFile(join(staging, 'model.json'), `${JSON.stringify(modelJson(layers, options))}\n`);
    await rm(target, { recursive: true, force: true });
    await rename(staging, target);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  return layers.map((layer) => ({ name: layer.name, kernelShape: layer.kernelShape }));
}
