// The VGG-19 conv stack on raw tf ops with constant weights (the Layers API would ask for filter gradients,
// which the wasm backend lacks), average pooling as in the paper, and a fast input gradient per conv.
import * as tf from '@tensorflow/tfjs';
import type { ConvLayer, VggWeights } from './weights.js';

interface PreparedConv {
  name: string;
  block: number;
  kernel: tf.Tensor4D;
  bias: tf.Tensor1D;
  /** The kernel flipped spatially with in/out channels swapped: its forward conv is the input gradient. */
  gradKernel: tf.Tensor4D;
}

/**
 * For a stride-1 'same' 3x3 conv, d(conv(x, K))/dx applied to dy is conv(dy, K') with K' = K flipped in
 * both spatial axes and in/out channels swapped. On wasm this runs at forward-conv speed, whereas the
 * Conv2DBackpropInput kernel is ~12x slower. ReLU is fused into the same op: dy is masked where y <= 0.
 */
export function convRelu(x: tf.Tensor4D, layer: Pick<PreparedConv, 'kernel' | 'bias' | 'gradKernel'>): tf.Tensor4D {
  const op = tf.customGrad((input, save) => {
    const y = tf.fused.conv2d({
      x: input as tf.Tensor4D,
      filter: layer.kernel,
      strides: 1,
      pad: 'same',
      bias: layer.bias,
      activation: 'relu',
    });
    (save as tf.GradSaveFunc)([y]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor4D, saved: tf.Tensor[]) => {
        const [output] = saved as [tf.Tensor4D];
        return tf.conv2d(tf.mul(dy, tf.step(output)), layer.gradKernel, 1, 'same');
      },
    };
  });
  return op(x) as tf.Tensor4D;
}

/** Same as convRelu but with tfjs' own autodiff: the reference the fast gradient is tested against. */
export function convReluAutodiff(x: tf.Tensor4D, kernel: tf.Tensor4D, bias: tf.Tensor1D): tf.Tensor4D {
  return tf.relu(tf.add(tf.conv2d(x, kernel, 1, 'same'), bias));
}

/** K flipped in both spatial axes, in/out channels swapped: [3, 3, in, out] -> [3, 3, out, in]. */
export function flipForInputGradient(kernel: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => tf.transpose(tf.reverse(kernel, [0, 1]), [0, 1, 3, 2]));
}

export class Vgg {
  private readonly convs: PreparedConv[];

  /** Copies what it needs from the weights; the caller still owns (and disposes) them. */
  constructor(weights: VggWeights) {
    this.convs = weights.layers.map((layer: ConvLayer, index) => {
      // Caffe weights expect BGR; reversing the first kernel's input channels lets it take RGB.
      const kernel = index === 0 ? tf.tidy(() => tf.reverse(layer.kernel, 2)) : layer.kernel.clone();
      return { name: layer.name, block: layer.block, kernel, bias: layer.bias.clone(), gradKernel: flipForInputGradient(kernel) };
    });
  }

  /** Paper names of the conv layers this network has, in order. */
  get layerNames(): string[] {
    return this.convs.map((c) => c.name);
  }

  /**
   * Activations (after ReLU) of the requested layers for a centred-RGB batch [1, H, W, 3], computing only
   * up to the deepest requested layer. Intermediate tensors are left to the caller's tf.tidy (gradients
   * need them), so always call this inside tf.tidy or tf.valueAndGrad.
   */
  features(input: tf.Tensor4D, names: readonly string[]): Map<string, tf.Tensor4D> {
    const missing = names.filter((n) => !this.convs.some((c) => c.name === n));
    if (names.length === 0 || missing.length > 0) {
      throw new RangeError(`Unknown layer ${missing.join(', ')}; this network has ${this.layerNames.join(', ')}.`);
    }
    const last = Math.max(...names.map((n) => this.convs.findIndex((c) => c.name === n)));
    const out = new Map<string, tf.Tensor4D>();
    let x = input;
    let block = 1;
    for (const conv of this.convs.slice(0, last + 1)) {
      if (conv.block !== block) {
        x = tf.avgPool(x, 2, 2, 'valid');
        block = conv.block;
      }
      x = convRelu(x, conv);
      if (names.includes(conv.name)) out.set(conv.name, x);
    }
    return out;
  }

  dispose(): void {
    for (const conv of this.convs) {
      conv.kernel.dispose();
      conv.bias.dispose();
      conv.gradKernel.dispose();
    }
  }
}
