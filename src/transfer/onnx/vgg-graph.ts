// The two ONNX graphs of a run, built from the VGG weights at run time:
// - the targets graph: VGG forward of a centred-RGB image to content features and Gram matrices;
// - the loss graph: forward, the paper's losses against fed targets, and the backward pass to the pixels
//   written out by hand (ONNX Runtime has no autodiff), shaped so ORT keeps it on its fast kernels.
// Inside, tensors are NCHW; the image enters and its gradient leaves as NHWC, the engine's pixel layout.
import type { LayerChoice } from '../layers.js';
import type { RawConvLayer } from '../weights-file.js';
import { GraphBuilder, type Dim } from './model.js';

/** One conv layer as the weights file has it, but with the kernel NCHW-ready: [out, in, 3, 3] (OIHW). */
export type OnnxConv = RawConvLayer;

/** Names of the loss graph's inputs and outputs, shared with the executor that feeds it. */
export const LOSS_IO = {
  image: 'image',
  alpha: 'alpha',
  beta: 'beta',
  tvWeight: 'tv_weight',
  content: 'content',
  style: 'style',
  tv: 'tv',
  total: 'total',
  grad: 'grad',
  /** Tiles: 1 on the window's core pixels (the ones whose loss terms this tile counts), 0 on its halo. */
  core: 'core',
} as const;

export const contentTargetName = (layer: string): string => `content_target_${layer}`;
export const gramTargetName = (layer: string): string => `gram_target_${layer}`;
/** Tiles: the style gradient's matrix of a layer, d E / d F = K F, computed outside from the whole image's Gram. */
export const styleGradientName = (layer: string): string => `style_gradient_${layer}`;
/** Outputs of the targets graph. */
export const featuresName = (layer: string): string => `features_${layer}`;
export const gramName = (layer: string): string => `gram_${layer}`;

/** [kh, kw, in, out] (Keras HWIO) -> [out, in, kh, kw] (ONNX OIHW); reverseInputs does Caffe's RGB->BGR swap. */
export function hwioToOihw(hwio: Float32Array, inChannels: number, outChannels: number, reverseInputs: boolean): Float32Array {
  const out = new Float32Array(hwio.length);
  for (let kh = 0; kh < 3; kh++) {
    for (let kw = 0; kw < 3; kw++) {
      for (let ci = 0; ci < inChannels; ci++) {
        const target = reverseInputs ? inChannels - 1 - ci : ci;
        for (let co = 0; co < outChannels; co++) {
          out[((co * inChannels + target) * 3 + kh) * 3 + kw] = hwio[((kh * 3 + kw) * inChannels + ci) * outChannels + co] as number;
        }
      }
    }
  }
  return out;
}

/**
 * The input-gradient kernel of a stride-1 pad-1 3x3 conv, computed in the graph from the forward kernel's
 * own initializer (not a second copy in the model): in/out swapped, flipped in space
 * (W'[ci][co][kh][kw] = W[co][ci][2-kh][2-kw]), times `scale` (the average pool's 1/4 is folded in here,
 * saving an op on a full feature map). ORT folds these constant ops once, when the session starts, so the
 * gradient conv still gets a constant kernel and its blocked (NCHWc) path.
 */
function inputGradientKernel(g: GraphBuilder, kernel: string, scale: number): string {
  const swapped = g.op('Transpose', [kernel], { perm: [1, 0, 2, 3] });
  // Steps -1 from the last index (-1) to before the first (-4 + 3 = -1, exclusive): the reverse of 3 taps.
  const flipped = g.op('Slice', [swapped, g.ints('starts', [-1, -1]), g.ints('ends', [-4, -4]), g.ints('axes', [2, 3]), g.ints('steps', [-1, -1])]);
  return scale === 1 ? flipped : g.op('Mul', [flipped, g.scalar(scale)]);
}

interface Forward {
  /** ReLU outputs per conv, in order. */
  activations: string[];
  /** Spatial size [h, w] per conv's output. */
  sizes: Array<[Dim, Dim]>;
  /** Each conv's kernel initializer (OIHW), which the backward pass reuses. */
  kernels: string[];
}

function half(d: Dim): Dim {
  return typeof d === 'number' ? Math.floor(d / 2) : `${d}_half`;
}

/** Image NHWC -> conv stack with ReLU (fused by ORT) and 2x2 average pooling between blocks. */
function forward(g: GraphBuilder, convs: readonly OnnxConv[], image: string, height: Dim, width: Dim): Forward {
  let x = g.op('Transpose', [image], { perm: [0, 3, 1, 2] });
  let size: [Dim, Dim] = [height, width];
  const activations: string[] = [];
  const sizes: Array<[Dim, Dim]> = [];
  const kernels: string[] = [];
  convs.forEach((conv, index) => {
    if (index > 0 && conv.block !== convs[index - 1]?.block) {
      x = g.op('AveragePool', [x], { kernel_shape: [2, 2], strides: [2, 2] });
      size = [half(size[0]), half(size[1])];
    }
    const kernel = g.weight(`${conv.name}_w`, [conv.outChannels, conv.inChannels, 3, 3], conv.kernel);
    const bias = g.weight(`${conv.name}_b`, [conv.outChannels], conv.bias);
    x = g.op('Relu', [g.op('Conv', [x, kernel, bias], { pads: [1, 1, 1, 1] })], {}, `${conv.name}_relu`);
    activations.push(x);
    sizes.push(size);
    kernels.push(kernel);
  });
  return { activations, sizes, kernels };
}

/** Feature map [1, C, h, w] -> [C, h*w] and its Gram matrix F F^T. */
function gram(g: GraphBuilder, features: string, channels: number): { flat: string; gram: string } {
  const flat = g.op('Reshape', [features, g.ints('shape', [channels, -1])]);
  return { flat, gram: g.op('MatMul', [flat, g.op('Transpose', [flat])]) };
}

/** Convs up to the deepest layer used. */
function convsFor(convs: readonly OnnxConv[], layers: readonly string[]): OnnxConv[] {
  const last = Math.max(...layers.map((name) => convs.findIndex((c) => c.name === name)));
  if (last < 0) throw new RangeError(`Unknown layer among ${layers.join(', ')}.`);
  return convs.slice(0, last + 1);
}

/**
 * The core mask at each block's resolution: a 2x2 average pool per pooling, as the features get. A core
 * whose edges sit on multiples of the deepest pooling's stride (tiles.ts) stays exactly 0 or 1.
 */
function coreMasks(g: GraphBuilder, core: string, used: readonly OnnxConv[]): string[] {
  let mask = core;
  return used.map((conv, index) => {
    if (index > 0 && conv.block !== used[index - 1]?.block) mask = g.op('AveragePool', [mask], { kernel_shape: [2, 2], strides: [2, 2] });
    return mask;
  });
}

/**
 * Content features and Gram matrices of any image size (the height and width are dynamic). `masked`: a
 * second input, the core mask (LOSS_IO.core, [1, 1, height, width]), limits the Gram matrices to the core's
 * positions, so that a tile's matrices sum with the other tiles' to the whole image's (tiles.ts).
 */
export function buildTargetsGraph(convs: readonly OnnxConv[], layers: LayerChoice, masked = false): Uint8Array {
  const g = new GraphBuilder();
  const image = g.input(LOSS_IO.image, [1, 'height', 'width', 3]);
  const core = masked ? g.input(LOSS_IO.core, [1, 1, 'height', 'width']) : undefined;
  const used = convsFor(convs, [...layers.content, ...layers.style]);
  const { activations, sizes } = forward(g, used, image, 'height', 'width');
  const masks = core ? coreMasks(g, core, used) : undefined;
  used.forEach((conv, index) => {
    const y = activations[index] as string;
    const [h, w] = sizes[index] as [Dim, Dim];
    if (layers.content.includes(conv.name)) {
      g.output(g.op('Identity', [y], {}, featuresName(conv.name)), [1, conv.outChannels, h, w]);
    }
    if (layers.style.includes(conv.name)) {
      const counted = masks ? g.op('Mul', [y, masks[index] as string]) : y;
      g.output(g.op('Identity', [gram(g, counted, conv.outChannels).gram], {}, gramName(conv.name)), [conv.outChannels, conv.outChannels]);
    }
  });
  return g.encode();
}

function sumAll(g: GraphBuilder, terms: string[]): string {
  return terms.reduce((sum, term) => g.op('Add', [sum, term]));
}

/** Total variation of the NHWC image and its gradient (already times tvWeight). */
function totalVariation(g: GraphBuilder, image: string, height: number, width: number, tvWeight: string): { loss: string; grad: string } {
  const parts = ([[1, height], [2, width]] as const).map(([axis, extent]) => {
    const slice = (start: number): string => g.op('Slice', [image, g.ints('starts', [start]), g.ints('ends', [start + extent - 1]), g.ints('axes', [axis])]);
    const diff = g.op('Sub', [slice(1), slice(0)]);
    const pads = (before: number, after: number): string => {
      const p = [0, 0, 0, 0, 0, 0, 0, 0];
      p[axis] = before;
      p[axis + 4] = after;
      return g.ints('pads', p);
    };
    // d/dx of sum (x[i+1] - x[i])^2: +2 diff at i+1, -2 diff at i.
    const grad = g.op('Sub', [g.op('Pad', [diff, pads(1, 0)]), g.op('Pad', [diff, pads(0, 1)])]);
    return { loss: g.op('ReduceSumSquare', [diff], { keepdims: 0 }), grad };
  });
  const loss = g.op('Add', [parts[0]?.loss as string, parts[1]?.loss as string]);
  const grad = g.op('Mul', [g.op('Add', [parts[0]?.grad as string, parts[1]?.grad as string]), g.op('Mul', [tvWeight, g.scalar(2)])]);
  return { loss, grad };
}

/**
 * The ReLU gradient: grad where the ReLU passed, 0 where it cut. The mask is HardSigmoid(1e30 * y) on the
 * ReLU output y >= 0 (1 for any y > 1e-30, else 0): one activation op, which ORT runs on its blocked
 * (NCHWc) layout. Greater + Where, the textbook form, have no blocked kernels: measured at 128 px on the full
 * network, they cost 39 layout conversions against 24 for this form.
 */
function reluMask(g: GraphBuilder, activation: string, grad: string): string {
  return g.op('Mul', [grad, g.op('HardSigmoid', [activation], { alpha: { float: 1e30 }, beta: { float: 0 } })]);
}

/**
 * An identity (1x1 average pool) that ORT's NCHWc transformer converts to its blocked layout, so the loss
 * gradient (computed in plain NCHW by MatMul) is reordered once here, and the Add with the gradient coming
 * from the layer above and the ReLU mask stay blocked: ORT runs an Add, Mul or activation blocked only when
 * all its inputs are, and otherwise reorders the blocked inputs back to NCHW (two full-size copies per
 * loss layer). The Add then fuses into the gradient conv that produced the incoming term.
 */
function toBlocked(g: GraphBuilder, grad: string): string {
  return g.op('AveragePool', [grad], { kernel_shape: [1, 1], strides: [1, 1] });
}

/**
 * Losses and d total / d image for one image size. Targets and loss weights are inputs, so one session
 * serves every style image and preset at this size.
 */
export function buildLossGraph(convs: readonly OnnxConv[], layers: LayerChoice, height: number, width: number): Uint8Array {
  const g = new GraphBuilder();
  const image = g.input(LOSS_IO.image, [1, height, width, 3]);
  const alpha = g.input(LOSS_IO.alpha, []);
  const beta = g.input(LOSS_IO.beta, []);
  const tvWeight = g.input(LOSS_IO.tvWeight, []);
  const used = convsFor(convs, [...layers.content, ...layers.style]);
  const net = forward(g, used, image, height, width);
  const { contentTerms, layerGrads } = contentParts(g, used, net, layers, alpha, undefined);
  const styleTerms: string[] = [];
  used.forEach((conv, index) => {
    if (!layers.style.includes(conv.name)) return;
    const [h, w] = net.sizes[index] as [number, number];
    const channels = conv.outChannels;
    const target = g.input(gramTargetName(conv.name), [channels, channels]);
    const positions = h * w;
    const { flat, gram: gramMatrix } = gram(g, net.activations[index] as string, channels);
    // (G / M - A) / (2 N) against the normalised target A, as losses.ts computes it to keep float32 precision.
    const scaled = g.op('Mul', [g.op('Sub', [g.op('Mul', [gramMatrix, g.scalar(1 / positions)]), target]), g.scalar(1 / (2 * channels))]);
    styleTerms.push(g.op('ReduceSumSquare', [scaled], { keepdims: 0 }));
    // dE/dF = (G / M - A) F / (N^2 M) = scaled * 2 / (N M) times F, then the layer weight beta / L.
    const coefficient = g.op('Mul', [beta, g.scalar(2 / (channels * positions * layers.style.length))]);
    const gradFlat = g.op('MatMul', [g.op('Mul', [scaled, coefficient]), flat]);
    addGrad(layerGrads, index, g.op('Reshape', [gradFlat, g.ints('shape', [1, channels, h, w])]));
  });
  const content = g.op('Mul', [sumAll(g, contentTerms), g.scalar(1 / contentTerms.length)], {}, LOSS_IO.content);
  const style = g.op('Mul', [sumAll(g, styleTerms), g.scalar(1 / styleTerms.length)], {}, LOSS_IO.style);
  const tv = totalVariation(g, image, height, width, tvWeight);
  g.op('Identity', [tv.loss], {}, LOSS_IO.tv);
  g.op('Add', [g.op('Add', [g.op('Mul', [alpha, content]), g.op('Mul', [beta, style])]), g.op('Mul', [tvWeight, tv.loss])], {}, LOSS_IO.total);
  g.op('Add', [backward(g, used, net, layerGrads), tv.grad], {}, LOSS_IO.grad);

  for (const name of [LOSS_IO.content, LOSS_IO.style, LOSS_IO.tv, LOSS_IO.total]) g.output(name, []);
  g.output(LOSS_IO.grad, [1, height, width, 3]);
  return g.encode();
}

/**
 * One tile's part of the loss gradient (tiles.ts): the window's pixels, its core mask, the content targets
 * of the window, and per style layer the matrix K of d E / d F = K F, which depends on the whole image's
 * Gram matrix and so is computed outside, from the first pass's sums. Only the core's positions count, so
 * the tiles' gradients add up to the whole image's; the style loss and total variation are whole-image sums
 * done outside. Outputs: the core's content loss and d (alpha content + beta style) / d window pixels.
 */
export function buildTileLossGraph(convs: readonly OnnxConv[], layers: LayerChoice, height: number, width: number): Uint8Array {
  const g = new GraphBuilder();
  const image = g.input(LOSS_IO.image, [1, height, width, 3]);
  const core = g.input(LOSS_IO.core, [1, 1, height, width]);
  const alpha = g.input(LOSS_IO.alpha, []);
  const used = convsFor(convs, [...layers.content, ...layers.style]);
  const net = forward(g, used, image, height, width);
  const masks = coreMasks(g, core, used);
  const { contentTerms, layerGrads } = contentParts(g, used, net, layers, alpha, masks);
  used.forEach((conv, index) => {
    if (!layers.style.includes(conv.name)) return;
    const [h, w] = net.sizes[index] as [number, number];
    const channels = conv.outChannels;
    const k = g.input(styleGradientName(conv.name), [channels, channels]);
    const { flat } = gram(g, net.activations[index] as string, channels);
    const grad = g.op('Reshape', [g.op('MatMul', [k, flat]), g.ints('shape', [1, channels, h, w])]);
    addGrad(layerGrads, index, g.op('Mul', [grad, masks[index] as string]));
  });
  g.op('Mul', [sumAll(g, contentTerms), g.scalar(1 / contentTerms.length)], {}, LOSS_IO.content);
  g.op('Identity', [backward(g, used, net, layerGrads)], {}, LOSS_IO.grad);
  g.output(LOSS_IO.content, []);
  g.output(LOSS_IO.grad, [1, height, width, 3]);
  return g.encode();
}

function addGrad(layerGrads: Map<number, string[]>, index: number, grad: string): void {
  layerGrads.set(index, [...(layerGrads.get(index) ?? []), grad]);
}

/**
 * The content terms 1/2 sum (F - P)^2 against fed targets P and their gradients alpha / L (F - P), limited
 * to the core's positions when `masks` are given.
 */
function contentParts(
  g: GraphBuilder,
  used: readonly OnnxConv[],
  net: Forward,
  layers: LayerChoice,
  alpha: string,
  masks: readonly string[] | undefined,
): { contentTerms: string[]; layerGrads: Map<number, string[]> } {
  const layerGrads = new Map<number, string[]>();
  const contentTerms: string[] = [];
  const contentScale = g.op('Mul', [alpha, g.scalar(1 / layers.content.length)]);
  used.forEach((conv, index) => {
    if (!layers.content.includes(conv.name)) return;
    const [h, w] = net.sizes[index] as [number, number];
    const target = g.input(contentTargetName(conv.name), [1, conv.outChannels, h, w]);
    const raw = g.op('Sub', [net.activations[index] as string, target]);
    const diff = masks ? g.op('Mul', [raw, masks[index] as string]) : raw;
    contentTerms.push(g.op('Mul', [g.op('ReduceSumSquare', [diff], { keepdims: 0 }), g.scalar(0.5)]));
    addGrad(layerGrads, index, g.op('Mul', [diff, contentScale]));
  });
  return { contentTerms, layerGrads };
}

/** Backward from the layers' loss gradients to the pixels (NHWC), deepest layer first. */
function backward(g: GraphBuilder, used: readonly OnnxConv[], net: Forward, layerGrads: ReadonlyMap<number, string[]>): string {
  let incoming: string | undefined;
  for (let index = used.length - 1; index >= 0; index--) {
    const conv = used[index] as OnnxConv;
    const fromLosses = layerGrads.get(index);
    const here = [...(incoming ? [incoming] : []), ...(fromLosses ? [toBlocked(g, sumAll(g, fromLosses))] : [])];
    const masked = reluMask(g, net.activations[index] as string, sumAll(g, here));
    const previous = used[index - 1];
    const afterPool = previous !== undefined && previous.block !== conv.block;
    const gradKernel = inputGradientKernel(g, net.kernels[index] as string, afterPool ? 0.25 : 1);
    incoming = g.op('Conv', [masked, gradKernel], { pads: [1, 1, 1, 1] });
    if (afterPool) incoming = unpool(g, incoming, net.sizes[index - 1] as [number, number]);
  }
  return g.op('Transpose', [incoming as string], { perm: [0, 2, 3, 1] });
}

/**
 * Gradient of a 2x2 average pool (the 1/4 is already in the kernel): each pooled value spreads to its
 * four inputs. Nearest 'asymmetric'/'floor' keeps ORT's blocked layout; an odd row or column that the
 * pool dropped gets zero gradient.
 */
function unpool(g: GraphBuilder, grad: string, [height, width]: [number, number]): string {
  const up = g.op('Resize', [grad, '', g.weight('scales', [4], Float32Array.of(1, 1, 2, 2))], {
    mode: 'nearest',
    coordinate_transformation_mode: 'asymmetric',
    nearest_mode: 'floor',
  });
  const extraH = height % 2;
  const extraW = width % 2;
  return extraH || extraW ? g.op('Pad', [up, g.ints('pads', [0, 0, 0, 0, 0, 0, extraH, extraW])]) : up;
}
