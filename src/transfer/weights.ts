// The VGG-19 conv weights as TensorFlow.js tensors, for the TensorFlow.js executor.
import * as tf from '@tensorflow/tfjs';
import { readVggWeights } from './weights-file.js';

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

/** Reads the folder (weights-file.ts says what it checks); throws ModelError with a plain message. */
export async function loadVggWeights(dir: string): Promise<VggWeights> {
  const raw = await readVggWeights(dir);
  return {
    layers: raw.map((layer) => ({
      name: layer.name,
      block: layer.block,
      kernel: tf.tensor4d(layer.kernel, [3, 3, layer.inChannels, layer.outChannels]),
      bias: tf.tensor1d(layer.bias),
    })),
  };
}

export function disposeVggWeights(weights: VggWeights): void {
  for (const layer of weights.layers) {
    layer.kernel.dispose();
    layer.bias.dispose();
  }
}
