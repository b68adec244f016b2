// One image size taken tile by tile (tiles.ts), with one global style: every evaluation cuts the image by
// a grid at a new random offset and makes two passes over its tiles. The first runs the masked targets
// graph on each window and sums the cores' Gram matrices into the whole image's; from those the style loss
// and, per style layer, the matrix K of d E / d F = K F follow. The second runs the tile loss graph on each
// window with K and the window's content targets as inputs, and adds the window's gradient into the whole
// image's. Content features and style targets are computed in tiles too, so no pass ever holds more than
// one window's activations. Total variation is summed here, over the whole image.
import type * as ort from 'onnxruntime-node';
import type { CentredImage, Evaluation, ScaleExecutor, ScalePlan, StyleGrams } from '../executor.js';
import { blockOf } from '../layers.js';
import { seededRandom } from '../random.js';
import { addWindow, coreMask, cutMap, cutWindow, gridOffset, putCore, regionAt, tileGrid, type Tile, type TileSize } from '../tiles.js';
import type { Losses } from '../types.js';
import { addTotalVariationGradient, lossesFromValues, totalVariation, type LayerValues } from './feature-losses.js';
import type { StyleTargetSource } from './gram-cache.js';
import { contentTargetName, featuresName, gramName, LOSS_IO, styleGradientName } from './vgg-graph.js';

/** Grid offsets are random but the same for every run at one size: a seed reproduces a picture. */
const OFFSET_SEED = 21;

type Tensors = (data: Float32Array, dims: readonly number[]) => ort.Tensor;

/** A whole image's feature map of one layer, [channels, height, width]. */
interface FeatureMap {
  data: Float32Array;
  width: number;
  height: number;
}

function outputOf(results: ort.InferenceSession.OnnxValueMapType, name: string): Float32Array {
  const value = results[name]?.data;
  if (!(value instanceof Float32Array)) throw new Error(`Internal error: a tile graph gave no ${name}.`);
  return value;
}

export interface TiledScaleParts {
  plan: ScalePlan & { tile: TileSize };
  /** The masked targets graph (any window size). */
  targetsSession: ort.InferenceSession;
  /** The tile loss graph, for windows of `window` size. */
  lossSession: ort.InferenceSession;
  window: { width: number; height: number };
  /** The stride of the deepest pooling: tile edges sit on its multiples. */
  align: number;
  tensor: Tensors;
  styleTargets: StyleTargetSource;
  styleKey: (image: CentredImage) => string;
  onDispose: () => void;
}

interface TiledTargets {
  content: Map<string, FeatureMap>;
  style: StyleGrams;
}

export class TiledOnnxScale implements ScaleExecutor {
  private targets: TiledTargets | undefined | null;
  private readonly random = seededRandom(OFFSET_SEED);

  constructor(private readonly parts: TiledScaleParts) {}

  private get plan(): ScalePlan & { tile: TileSize } {
    return this.parts.plan;
  }

  /** The grid for an image of this scale's size (or any other, with no offset). */
  private grid(width: number, height: number, offset: boolean): Tile[] {
    const { tile } = this.plan;
    const { align } = this.parts;
    const ox = offset ? gridOffset(this.random, tile.core, align) : 0;
    const oy = offset ? gridOffset(this.random, tile.core, align) : 0;
    return tileGrid(width, height, tile, align, ox, oy);
  }

  /** The masked targets graph on one window: content features of the window, Gram matrices of its core. */
  private describe(image: Float32Array, width: number, tile: Tile): Promise<ort.InferenceSession.OnnxValueMapType> {
    const { tensor } = this.parts;
    return this.parts.targetsSession.run({
      [LOSS_IO.image]: tensor(cutWindow(image, width, tile), [1, tile.height, tile.width, 3]),
      [LOSS_IO.core]: tensor(coreMask(tile), [1, 1, tile.height, tile.width]),
    });
  }

  /**
   * The first pass: the whole image's raw Gram matrices (sums over its positions, in double precision),
   * and, when `features` is given, its content features assembled from the cores.
   */
  private async describeWhole(image: CentredImage, tiles: readonly Tile[], features?: Map<string, FeatureMap>): Promise<Map<string, Float64Array>> {
    const { layers } = this.plan;
    const sums = new Map<string, Float64Array>();
    for (const tile of tiles) {
      const results = await this.describe(image.data, image.width, tile);
      for (const layer of layers.style) {
        const gram = outputOf(results, gramName(layer));
        const sum = sums.get(layer) ?? new Float64Array(gram.length);
        for (let i = 0; i < gram.length; i++) sum[i] = (sum[i] as number) + (gram[i] as number);
        sums.set(layer, sum);
      }
      for (const layer of features ? layers.content : []) {
        const shift = blockOf(layer) - 1;
        const values = outputOf(results, featuresName(layer));
        const width = image.width >> shift;
        const height = image.height >> shift;
        const region = regionAt(tile, shift);
        let map = features?.get(layer);
        if (!map) {
          map = { data: new Float32Array((values.length / (region.width * region.height)) * width * height), width, height };
          features?.set(layer, map);
        }
        putCore(map.data, width, height, values, region);
      }
    }
    return sums;
  }

  private positions(layer: string, width = this.plan.width, height = this.plan.height): number {
    const shift = blockOf(layer) - 1;
    return (width >> shift) * (height >> shift);
  }

  private ready(): TiledTargets {
    if (!this.targets) throw new Error('Internal error: the scale has no targets (not set, or disposed).');
    return this.targets;
  }

  styleGrams(image: CentredImage): Promise<StyleGrams> {
    return this.parts.styleTargets.get(this.parts.styleKey(image), async () => {
      this.parts.styleTargets.computed();
      const sums = await this.describeWhole(image, this.grid(image.width, image.height, false));
      const grams = new Map<string, Float32Array>();
      for (const [layer, sum] of sums) {
        const positions = this.positions(layer, image.width, image.height);
        grams.set(layer, Float32Array.from(sum, (v) => v / positions));
      }
      return grams;
    });
  }

  async setTargets(content: CentredImage, style: StyleGrams): Promise<void> {
    const features = new Map<string, FeatureMap>();
    await this.describeWhole(content, this.grid(content.width, content.height, false), features);
    for (const layer of this.plan.layers.style) if (!style.get(layer)) throw new Error(`Internal error: the style target has no ${layer}.`);
    this.targets = { content: features, style };
  }

  async evaluate(x: Float32Array): Promise<Evaluation> {
    const targets = this.ready();
    const { width, height, layers, weights } = this.plan;
    const { tensor } = this.parts;
    const image = { data: x, width, height };
    const tiles = this.grid(width, height, true);
    const sums = await this.describeWhole(image, tiles);

    // Style loss sum ((G / M - A) / (2 N))^2 over the layers, and K = that difference times 2 beta / (N M L).
    const feeds: Record<string, ort.Tensor> = { [LOSS_IO.alpha]: tensor(Float32Array.of(weights.alpha), []) };
    let style = 0;
    for (const layer of layers.style) {
      const sum = sums.get(layer) as Float64Array;
      const target = targets.style.get(layer) as Float32Array;
      const channels = Math.round(Math.sqrt(sum.length));
      const positions = this.positions(layer);
      const coefficient = (weights.beta * 2) / (channels * positions * layers.style.length);
      const k = new Float32Array(sum.length);
      for (let i = 0; i < sum.length; i++) {
        const scaled = ((sum[i] as number) / positions - (target[i] as number)) / (2 * channels);
        style += scaled * scaled;
        k[i] = scaled * coefficient;
      }
      feeds[styleGradientName(layer)] = tensor(k, [channels, channels]);
    }
    style /= layers.style.length;

    const grad = new Float32Array(x.length);
    let content = 0;
    for (const tile of tiles) {
      const tileFeeds: Record<string, ort.Tensor> = {
        ...feeds,
        [LOSS_IO.image]: tensor(cutWindow(x, width, tile), [1, tile.height, tile.width, 3]),
        [LOSS_IO.core]: tensor(coreMask(tile), [1, 1, tile.height, tile.width]),
      };
      for (const layer of layers.content) {
        const map = targets.content.get(layer) as FeatureMap;
        const region = regionAt(tile, blockOf(layer) - 1);
        const channels = map.data.length / (map.width * map.height);
        tileFeeds[contentTargetName(layer)] = tensor(cutMap(map.data, map.width, map.height, region), [1, channels, region.height, region.width]);
      }
      const results = await this.parts.lossSession.run(tileFeeds);
      content += outputOf(results, LOSS_IO.content)[0] as number;
      addWindow(grad, width, tile, outputOf(results, LOSS_IO.grad));
    }
    let tv = 0;
    if (weights.tvWeight > 0) {
      tv = totalVariation(x, width);
      addTotalVariationGradient(x, width, weights.tvWeight, grad);
    }
    return { losses: { content, style, total: weights.alpha * content + weights.beta * style + weights.tvWeight * tv }, grad };
  }

  /** The first pass alone, with the content features assembled, and the sums done here (feature-losses.ts). */
  async losses(x: Float32Array): Promise<Losses> {
    const targets = this.ready();
    const { width, height, layers, weights } = this.plan;
    const image = { data: x, width, height };
    const features = new Map<string, FeatureMap>();
    const sums = await this.describeWhole(image, this.grid(width, height, false), features);
    const values: LayerValues = {
      features: (layer) => (features.get(layer) as FeatureMap).data,
      gram: (layer) => Float32Array.from(sums.get(layer) as Float64Array),
    };
    const wanted: LayerValues = {
      features: (layer) => (targets.content.get(layer) as FeatureMap).data,
      gram: (layer) => targets.style.get(layer) as Float32Array,
    };
    return lossesFromValues(image, values, wanted, layers, weights);
  }

  dispose(): void {
    if (this.targets === null) return;
    this.targets = null;
    this.parts.onDispose();
  }
}
