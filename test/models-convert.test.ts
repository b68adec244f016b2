// The Keras .h5 -> TensorFlow.js converter on small files in the real Keras layout, checked by loading the
// result with the engine's own weight loader.
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import h5wasm from 'h5wasm/node';
import { describe, expect, it } from 'vitest';
import { ConversionError, convertKerasH5 } from '../models/convert-keras-h5.js';
import { disposeVggWeights, loadVggWeights } from '../src/transfer/weights.js';
import { biasValue, kernelValue, makeKerasVggH5 } from './fixtures/keras-vgg-h5.js';

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'convert-test-'));
}

describe('convertKerasH5', () => {
  it.each(['keras2', 'keras1'] as const)('converts a %s-named file into the layers format the engine loads', async (naming) => {
    const h5 = await makeKerasVggH5({ naming });
    const out = join(await tempDir(), 'vgg');
    const layers = await convertKerasH5(h5, out, { source: { fileName: 'vgg.h5', sha256: 'abc' } });
    expect(layers).toEqual([
      { name: 'block1_conv1', kernelShape: [3, 3, 3, 4] },
      { name: 'block1_conv2', kernelShape: [3, 3, 4, 4] },
      { name: 'block2_conv1', kernelShape: [3, 3, 4, 6] },
      { name: 'block2_conv2', kernelShape: [3, 3, 6, 6] },
    ]);

    const model = JSON.parse(await readFile(join(out, 'model.json'), 'utf8')) as {
      format: string;
      userDefinedMetadata: { source: unknown };
      weightsManifest: Array<{ paths: string[]; weights: Array<{ name: string; shape: number[] }> }>;
    };
    expect(model.format).toBe('layers-model');
    expect(model.userDefinedMetadata.source).toEqual({ fileName: 'vgg.h5', sha256: 'abc' });
    expect(model.weightsManifest.flatMap((g) => g.weights.map((w) => `${w.name} [${w.shape.join(',')}]`))).toEqual([
      'block1_conv1/kernel [3,3,3,4]',
      'block1_conv1/bias [4]',
      'block1_conv2/kernel [3,3,4,4]',
      'block1_conv2/bias [4]',
      'block2_conv1/kernel [3,3,4,6]',
      'block2_conv1/bias [6]',
      'block2_conv2/kernel [3,3,6,6]',
      'block2_conv2/bias [6]',
    ]);
    expect((await readdir(out)).sort()).toEqual(['group1-shard1of1.bin', 'group2-shard1of1.bin', 'group3-shard1of1.bin', 'group4-shard1of1.bin', 'model.json']);

    // The engine's loader reads it, with the values in the right places.
    const weights = await loadVggWeights(out);
    try {
      expect(weights.layers.map((l) => l.name)).toEqual(['conv1_1', 'conv1_2', 'conv2_1', 'conv2_2']);
      const third = weights.layers[2];
      if (!third) throw new Error('missing conv2_1');
      const kernel = third.kernel.dataSync();
      expect(kernel[0]).toBeCloseTo(kernelValue(2, 0), 6);
      expect(kernel[17]).toBeCloseTo(kernelValue(2, 17), 6);
      expect(Array.from(third.bias.dataSync())).toEqual(Array.from({ length: 6 }, (_, i) => biasValue(2, i)));
    } finally {
      disposeVggWeights(weights);
    }
  });

  it('replaces an earlier conversion and leaves nothing behind', async () => {
    const parent = await tempDir();
    const out = join(parent, 'vgg');
    await convertKerasH5(await makeKerasVggH5({ blocks: [[2]] }), out);
    await convertKerasH5(await makeKerasVggH5(), out);
    expect((await readdir(out)).length).toBe(5);
    expect(await readdir(parent)).toEqual(['vgg']);
  });

  it('refuses a file that is not HDF5, without touching earlier weights', async () => {
    const dir = await tempDir();
    const out = join(dir, 'vgg');
    await convertKerasH5(await makeKerasVggH5(), out);
    const bogus = join(dir, 'bogus.h5');
    await writeFile(bogus, 'this is not a weights file');
    await expect(convertKerasH5(bogus, out)).rejects.toThrow(/is not an HDF5 \(\.h5\) weights file/);
    await expect(convertKerasH5(join(dir, 'missing.h5'), out)).rejects.toThrow(/does not exist/);
    expect((await readdir(out)).length).toBe(5);
  });

  it('refuses an HDF5 file without VGG conv layers', async () => {
    const path = join(await tempDir(), 'other.h5');
    await h5wasm.ready;
    const file = new h5wasm.File(path, 'w');
    file.create_group('dense_1').create_dataset({ name: 'kernel:0', data: new Float32Array(4), shape: [2, 2], dtype: '<f' });
    file.close();
    await expect(convertKerasH5(path, join(await tempDir(), 'vgg'))).rejects.toThrow(ConversionError);
    await expect(convertKerasH5(path, join(await tempDir(), 'vgg'))).rejects.toThrow(/no VGG conv layers/);
  });

  it('refuses layers whose shapes do not chain up', async () => {
    await h5wasm.ready;
    const broken = await makeKerasVggH5({ blocks: [[4, 4], [6, 6]], path: join(await tempDir(), 'broken.h5') });
    const edit = new h5wasm.File(broken, 'a');
    const group = edit.get('block1_conv2/block1_conv2');
    if (!(group instanceof h5wasm.Group)) throw new Error('fixture layout changed');
    // h5wasm cannot delete datasets; replace the group's listing with a kernel of the wrong input depth.
    group.create_dataset({ name: 'kernel_bad:0', data: new Float32Array(9 * 5 * 4), shape: [3, 3, 5, 4], dtype: '<f' });
    const outer = edit.get('block1_conv2');
    if (!(outer instanceof h5wasm.Group)) throw new Error('fixture layout changed');
    outer.delete_attribute('weight_names');
    outer.create_attribute('weight_names', ['block1_conv2/kernel_bad:0', 'block1_conv2/bias:0'], [2], 'S25');
    edit.close();
    await expect(convertKerasH5(broken, join(await tempDir(), 'vgg'))).rejects.toThrow(/block1_conv2 has the wrong shape \(kernel \[3, 3, 5, 4\]/);
  });
});
