// A random VGG-19-shaped network: every conv layer of VGG-19 with the Keras names, seeded random weights,
// written in the same TensorFlow.js layers format (model.json + weight shard) that the real converted
// weights use. Tiny (a handful of channels) for fast tests; with VGG-19's real channel counts it is the
// benchmark's stand-in for the real weights (same cost per iteration).
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRandom } from '../src/transfer/random.js';
import { VGG19_BLOCKS } from '../src/transfer/weights-file.js';

const TINY_BLOCKS: ReadonlyArray<{ convs: number; channels: number }> = [
  { convs: 2, channels: 4 },
  { convs: 2, channels: 6 },
  { convs: 4, channels: 8 },
  { convs: 4, channels: 8 },
  { convs: 4, channels: 8 },
];


export interface TinyVggOptions {
  /** Folder to write into; a fresh temporary folder by default. */
  dir?: string;
  seed?: number;
  /** Write only the first N blocks, like the partial shared model. */
  blocks?: number;
  /** VGG-19's real channel counts (64 ... 512) instead of a handful: for the benchmark. */
  fullSize?: boolean;
}

/** Writes the tiny network and returns the folder that holds model.json. */
export async function makeTinyVggWeights(options: TinyVggOptions = {}): Promise<string> {
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'tiny-vgg-')));
  await mkdir(dir, { recursive: true });
  const random = seededRandom(options.seed ?? 1234);
  const layers: unknown[] = [{ name: 'input_1', class_name: 'InputLayer', config: { batch_input_shape: [null, null, null, 3] } }];
  const weights: Array<{ name: string; shape: number[]; dtype: 'float32' }> = [];
  const values: number[] = [];
  let inChannels = 3;
  const blocks = options.fullSize ? VGG19_BLOCKS : TINY_BLOCKS;
  blocks.slice(0, options.blocks ?? blocks.length).forEach((block, b) => {
    for (let c = 1; c <= block.convs; c++) {
      const name = `block${b + 1}_conv${c}`;
      const fanIn = 9 * inChannels;
      const scale = Math.sqrt(2 / fanIn) * Math.sqrt(3); // He-uniform keeps activations alive through 16 ReLUs
      weights.push({ name: `${name}/kernel`, shape: [3, 3, inChannels, block.channels], dtype: 'float32' });
      for (let i = 0; i < fanIn * block.channels; i++) values.push((random() * 2 - 1) * scale);
      weights.push({ name: `${name}/bias`, shape: [block.channels], dtype: 'float32' });
      for (let i = 0; i < block.channels; i++) values.push(random() * 0.1);
      layers.push({
        name,
        class_name: 'Conv2D',
        config: { name, filters: block.channels, kernel_size: [3, 3], strides: [1, 1], padding: 'same', activation: 'relu' },
      });
      inChannels = block.channels;
    }
    const pool = `block${b + 1}_pool`;
    layers.push({ name: pool, class_name: 'MaxPooling2D', config: { name: pool, pool_size: [2, 2], strides: [2, 2] } });
  });
  const shard = 'group1-shard1of1.bin';
  await writeFile(join(dir, shard), Buffer.from(new Float32Array(values).buffer));
  const modelJson = {
    format: 'layers-model',
    generatedBy: 'stylize random VGG-19 (models/random-vgg19.ts)',
    modelTopology: { model_config: { class_name: 'Model', config: { name: 'tiny_vgg19', layers } } },
    weightsManifest: [{ paths: [shard], weights }],
  };
  await writeFile(join(dir, 'model.json'), JSON.stringify(modelJson));
  return dir;
}
