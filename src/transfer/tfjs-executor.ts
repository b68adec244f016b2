// The TensorFlow.js executor: the reference (tfjs autodiff through the VGG with its fast conv gradient)
// and the portable backend. Per evaluation it uploads the pixels and downloads the gradient, which costs
// little next to the network.
import * as tf from '@tensorflow/tfjs';
import { initBackend } from './backend.js';
import type { CentredImage, Evaluation, Executor, ScaleExecutor, ScalePlan, StyleGrams } from './executor.js';
import { combineLosses, normalisedGram, type Targets } from './losses.js';
import type { Losses, TfjsBackendName } from './types.js';
import { Vgg } from './vgg.js';
import { disposeVggWeights, loadVggWeights } from './weights.js';

function tensorOf(image: CentredImage): tf.Tensor4D {
  return tf.tensor4d(image.data, [1, image.height, image.width, 3]);
}

function computeTargets(vgg: Vgg, content: CentredImage, style: StyleGrams, plan: ScalePlan): Targets {
  const targets: Targets = { content: new Map(), style: new Map() };
  tf.tidy(() => {
    for (const [name, f] of vgg.features(tensorOf(content), plan.layers.content)) targets.content.set(name, tf.keep(f));
    for (const name of plan.layers.style) {
      const gram = style.get(name);
      if (!gram) throw new Error(`Internal error: the style target has no ${name}.`);
      const channels = Math.round(Math.sqrt(gram.length));
      targets.style.set(name, tf.keep(tf.tensor2d(gram, [channels, channels])));
    }
  });
  return targets;
}

function disposeTargets(targets: Targets | undefined): void {
  for (const t of targets?.content.values() ?? []) t.dispose();
  for (const t of targets?.style.values() ?? []) t.dispose();
}

class TfjsScale implements ScaleExecutor {
  private targets: Targets | undefined;
  private readonly layers: string[];

  constructor(
    private readonly vgg: Vgg,
    private readonly plan: ScalePlan,
  ) {
    this.layers = [...new Set([...plan.layers.content, ...plan.layers.style])];
  }

  styleGrams(image: CentredImage): Promise<StyleGrams> {
    const grams = new Map<string, Float32Array>();
    tf.tidy(() => {
      for (const [name, f] of this.vgg.features(tensorOf(image), this.plan.layers.style)) grams.set(name, normalisedGram(f).dataSync() as Float32Array);
    });
    return Promise.resolve(grams);
  }

  setTargets(content: CentredImage, style: StyleGrams): Promise<void> {
    disposeTargets(this.targets);
    this.targets = undefined;
    this.targets = computeTargets(this.vgg, content, style, this.plan);
    return Promise.resolve();
  }

  evaluate(x: Float32Array): Promise<Evaluation> {
    const targets = this.targets;
    if (!targets) return Promise.reject(new Error('Internal error: evaluate() before setTargets().'));
    const { width, height } = this.plan;
    const [content, style, total, grad] = tf.tidy(() => {
      let parts: { content: tf.Scalar; style: tf.Scalar } | undefined;
      const { value, grad } = tf.valueAndGrad((image: tf.Tensor) => {
        const losses = combineLosses(image as tf.Tensor4D, this.vgg.features(image as tf.Tensor4D, this.layers), targets, this.plan.weights);
        // Kept: the gradient computation frees the intermediates it made; the tidy around frees these.
        parts = { content: tf.keep(losses.content), style: tf.keep(losses.style) };
        return losses.total;
      })(tf.tensor4d(x, [1, height, width, 3]));
      if (!parts) throw new Error('Internal error: the loss was not computed.');
      return [parts.content, parts.style, value, grad];
    });
    try {
      const [c = Number.NaN, s = Number.NaN, t = Number.NaN] = [content, style, total].map((v) => v.dataSync()[0]);
      return Promise.resolve({ losses: { content: c, style: s, total: t }, grad: grad.dataSync() as Float32Array });
    } finally {
      tf.dispose([content, style, total, grad]);
    }
  }

  losses(x: Float32Array): Promise<Losses> {
    const targets = this.targets;
    if (!targets) return Promise.reject(new Error('Internal error: losses() before setTargets().'));
    const { width, height } = this.plan;
    const values = tf.tidy(() => {
      const image = tf.tensor4d(x, [1, height, width, 3]);
      const losses = combineLosses(image, this.vgg.features(image, this.layers), targets, this.plan.weights);
      return tf.stack([losses.content, losses.style, losses.total]);
    });
    const [content = Number.NaN, style = Number.NaN, total = Number.NaN] = values.dataSync();
    values.dispose();
    return Promise.resolve({ content, style, total });
  }

  dispose(): void {
    disposeTargets(this.targets);
    this.targets = undefined;
  }
}

export async function createTfjsExecutor(backend: TfjsBackendName, weightsDir: string): Promise<Executor> {
  const info = await initBackend(backend);
  const weights = await loadVggWeights(weightsDir);
  const vgg = new Vgg(weights);
  disposeVggWeights(weights); // Vgg keeps its own prepared copies
  return {
    backend: info.name,
    threads: info.threads,
    note: info.note,
    layerNames: vgg.layerNames,
    luminanceTransfer: true,
    tiles: false,
    forScale: (plan) => Promise.resolve(new TfjsScale(vgg, plan)),
    setupMs: () => 0,
    dispose: () => vgg.dispose(),
  };
}
