// The ONNX Runtime executor: builds the targets and loss graphs for the layers a run uses, and keeps their
// sessions across iterations and jobs (the loss graph per image size, as many sizes as a memory bound
// allows), and the style targets it computed (by the pixels they came from), so later jobs of the same
// sizes and paintings pay no set-up.
import * as ort from 'onnxruntime-node';
import type { CentredImage, Evaluation, Executor, ScaleExecutor, ScalePlan, StyleGrams } from '../executor.js';
import { blockOf, deepestBlock, type LayerChoice } from '../layers.js';
import { windowSide, type TileSize } from '../tiles.js';
import type { Losses, OnnxBackendName } from '../types.js';
import { readVggWeights } from '../weights-file.js';
import { lossesFromValues, type LayerValues } from './feature-losses.js';
import { GramCache, gramKey, type StyleTargetSource } from './gram-cache.js';
import { LOSS_SESSIONS_BYTES, lossSessionEstimate } from './session-costs.js';
import { SessionPool } from './session-pool.js';
import { TiledOnnxScale } from './tiled-scale.js';
import { buildLossGraph, buildTargetsGraph, buildTileLossGraph, contentTargetName, featuresName, gramName, gramTargetName, hwioToOihw, LOSS_IO, type OnnxConv } from './vgg-graph.js';

const PROVIDERS: Record<OnnxBackendName, string> = { 'onnx-cpu': 'cpu', 'onnx-cuda': 'cuda', 'onnx-webgpu': 'webgpu' };
/** Targets sessions kept, in use or idle (one per layer choice; any image size). */
const TARGETS_SESSIONS = 2;
/**
 * Style targets kept: 2.4 MB per style image and scale with VGG-19's five style layers, so 64 MiB holds the
 * six library paintings at the three scales of one output size, with room to spare.
 */
const GRAM_CACHE_BYTES = 64 * 1024 ** 2;

/** The VGG weights as NCHW float arrays (the first kernel's input channels reversed: Caffe's BGR). */
export async function loadOnnxConvs(weightsDir: string): Promise<OnnxConv[]> {
  const layers = await readVggWeights(weightsDir);
  return layers.map((layer, index) => ({ ...layer, kernel: hwioToOihw(layer.kernel, layer.inChannels, layer.outChannels, index === 0) }));
}

function layersKey(layers: LayerChoice): string {
  return `${layers.content.join(',')}|${layers.style.join(',')}`;
}

/** Estimated memory a loss session for images of the plan's size holds (see LOSS_SESSIONS_BYTES). */
function lossSessionBytes(convs: readonly OnnxConv[], plan: Pick<ScalePlan, 'width' | 'height' | 'layers'>): number {
  const used = [...plan.layers.content, ...plan.layers.style];
  const last = Math.max(...used.map((name) => convs.findIndex((c) => c.name === name)));
  const kernelBytes = convs.slice(0, last + 1).reduce((sum, c) => sum + c.kernel.byteLength + c.bias.byteLength, 0);
  return lossSessionEstimate(kernelBytes, plan.width * plan.height);
}

function tensor(data: Float32Array, dims: readonly number[]): ort.Tensor {
  return new ort.Tensor('float32', data, dims);
}

function scalar(value: number): ort.Tensor {
  return tensor(Float32Array.of(value), []);
}

function valueOf(results: ort.InferenceSession.OnnxValueMapType, name: string): number {
  return (results[name]?.data as Float32Array | undefined)?.[0] ?? Number.NaN;
}

export interface OnnxExecutorOptions {
  backend: OnnxBackendName;
  convs: readonly OnnxConv[];
  threads: number;
  /** Memory bounds (tests): the loss sessions' (estimated) and the style targets' cache, in bytes. */
  lossSessionsBytes?: number;
  gramCacheBytes?: number;
}

/** The targets graph's outputs for one image, by layer. */
function valuesOf(results: ort.InferenceSession.OnnxValueMapType): LayerValues {
  const data = (name: string): Float32Array => {
    const value = results[name]?.data;
    if (!(value instanceof Float32Array)) throw new Error(`Internal error: the targets graph gave no ${name}.`);
    return value;
  };
  return { features: (layer) => data(featuresName(layer)), gram: (layer) => data(gramName(layer)) };
}

function sameValues(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

interface ScaleTargets {
  /** The loss graph's inputs besides the image: loss weights, content features, Gram matrices. */
  feeds: Record<string, ort.Tensor>;
  /** The same targets, for losses computed here. */
  values: LayerValues;
  /** The content image and its own features and Gram matrices (a job starting from it needs no other pass). */
  contentImage: Float32Array;
  contentValues: LayerValues;
}

class OnnxScale implements ScaleExecutor {
  /** undefined until setTargets(); null once disposed. */
  private targets: ScaleTargets | undefined | null;

  constructor(
    private readonly plan: ScalePlan,
    private readonly targetsSession: ort.InferenceSession,
    private readonly lossSession: ort.InferenceSession,
    private readonly styleTargets: StyleTargetSource,
    private readonly onDispose: () => void,
  ) {}

  /** Content features and Gram matrices of an image of this scale's size (a forward pass). */
  private describe(image: CentredImage): Promise<ort.InferenceSession.OnnxValueMapType> {
    return this.targetsSession.run({ [LOSS_IO.image]: tensor(image.data, [1, image.height, image.width, 3]) });
  }

  private ready(): ScaleTargets {
    if (!this.targets) throw new Error('Internal error: the scale has no targets (not set, or disposed).');
    return this.targets;
  }

  /** Computed once per image, size and layer choice (the executor's Gram cache). */
  styleGrams(image: CentredImage): Promise<StyleGrams> {
    return this.styleTargets.get(gramKey(image, layersKey(this.plan.layers)), () => this.computeStyleGrams(image));
  }

  /** The targets graph gives raw Gram matrices (its sizes are dynamic); each is divided by its positions here. */
  private async computeStyleGrams(image: CentredImage): Promise<StyleGrams> {
    this.styleTargets.computed();
    const raw = valuesOf(await this.describe(image));
    const grams = new Map<string, Float32Array>();
    for (const layer of this.plan.layers.style) {
      const shift = blockOf(layer) - 1;
      const positions = (image.width >> shift) * (image.height >> shift);
      grams.set(layer, raw.gram(layer).map((v) => v / positions));
    }
    return grams;
  }

  async setTargets(content: CentredImage, style: StyleGrams): Promise<void> {
    const { layers, weights } = this.plan;
    const forContent = await this.describe(content);
    const feeds: Record<string, ort.Tensor> = { [LOSS_IO.alpha]: scalar(weights.alpha), [LOSS_IO.beta]: scalar(weights.beta), [LOSS_IO.tvWeight]: scalar(weights.tvWeight) };
    for (const layer of layers.content) feeds[contentTargetName(layer)] = forContent[featuresName(layer)] as ort.Tensor;
    const gramOf = (layer: string): Float32Array => {
      const gram = style.get(layer);
      if (!gram) throw new Error(`Internal error: the style target has no ${layer}.`);
      return gram;
    };
    for (const layer of layers.style) {
      const gram = gramOf(layer);
      const channels = Math.round(Math.sqrt(gram.length));
      feeds[gramTargetName(layer)] = tensor(gram, [channels, channels]);
    }
    const contentValues = valuesOf(forContent);
    const values: LayerValues = { features: (layer) => contentValues.features(layer), gram: gramOf };
    this.targets = { feeds, values, contentImage: content.data, contentValues };
  }

  async evaluate(x: Float32Array): Promise<Evaluation> {
    const { feeds } = this.ready();
    const { width, height } = this.plan;
    const results = await this.lossSession.run({ ...feeds, [LOSS_IO.image]: tensor(x, [1, height, width, 3]) });
    return {
      losses: { content: valueOf(results, LOSS_IO.content), style: valueOf(results, LOSS_IO.style), total: valueOf(results, LOSS_IO.total) },
      grad: results[LOSS_IO.grad]?.data as Float32Array,
    };
  }

  /**
   * A forward pass of the targets graph and the sums done here (feature-losses.ts): half the work of a
   * loss-graph run. For the content image itself, the usual start of a job, the targets' own pass serves.
   */
  async losses(x: Float32Array): Promise<Losses> {
    const targets = this.ready();
    const { width, height, layers, weights } = this.plan;
    const image = { data: x, width, height };
    const values = sameValues(x, targets.contentImage) ? targets.contentValues : valuesOf(await this.describe(image));
    return lossesFromValues(image, values, targets.values, layers, weights);
  }

  dispose(): void {
    if (this.targets === null) return;
    this.targets = null;
    this.onDispose();
  }
}

export class OnnxExecutor implements Executor {
  readonly backend: OnnxBackendName;
  readonly threads: number;
  readonly note = undefined;
  readonly layerNames: string[];
  readonly luminanceTransfer = true;
  readonly tiles = true;
  private readonly convs: readonly OnnxConv[];
  private readonly targetsSessions = new SessionPool(TARGETS_SESSIONS);
  private readonly lossSessions: SessionPool;
  private readonly lossSessionsBound: number;
  private readonly grams: GramCache;
  private styleTargetsComputed = 0;
  private setupTotalMs = 0;

  private constructor(options: OnnxExecutorOptions) {
    this.backend = options.backend;
    this.threads = options.threads;
    this.convs = options.convs;
    this.layerNames = options.convs.map((c) => c.name);
    this.lossSessionsBound = options.lossSessionsBytes ?? LOSS_SESSIONS_BYTES;
    this.lossSessions = new SessionPool(this.lossSessionsBound);
    this.grams = new GramCache(options.gramCacheBytes ?? GRAM_CACHE_BYTES);
  }

  /** Starts the provider with a small graph, so that a missing driver or library fails here, plainly. */
  static async start(options: OnnxExecutorOptions): Promise<OnnxExecutor> {
    const executor = new OnnxExecutor(options);
    const first = options.convs[0];
    if (!first) throw new Error('the weights have no conv layer');
    const probe = await executor.createSession(buildTargetsGraph([first], { content: [first.name], style: [first.name] }), false);
    await probe.release();
    return executor;
  }

  /**
   * `pooled`: the session keeps its working memory between runs (ORT's arena). Without it every run maps
   * its tensors afresh and the kernel zeroes each page on first touch: at 512 px a loss-graph run took 10-12%
   * more CPU time (A/B, same minute). The arena holds the run's peak working set (about 0.5 GB at 512 px)
   * for as long as the session is kept; ORT's memory pattern stays off, as it adds a second, planned copy
   * (peak RSS 2.2 GB at 512 px against 1.5 GB). The targets graph runs twice per scale: not worth holding
   * memory for.
   */
  private async createSession(model: Uint8Array, pooled: boolean): Promise<ort.InferenceSession> {
    const started = performance.now();
    const session = await ort.InferenceSession.create(model, {
      executionProviders: [PROVIDERS[this.backend]],
      graphOptimizationLevel: 'all',
      executionMode: 'sequential',
      intraOpNumThreads: this.threads,
      interOpNumThreads: 1,
      enableCpuMemArena: pooled,
      enableMemPattern: false,
    });
    this.setupTotalMs += performance.now() - started;
    return session;
  }

  /** Builds (and times) a graph, then creates its session. */
  private session(build: () => Uint8Array, pooled: boolean): Promise<ort.InferenceSession> {
    const started = performance.now();
    const model = build();
    this.setupTotalMs += performance.now() - started;
    return this.createSession(model, pooled);
  }

  async forScale(plan: ScalePlan): Promise<ScaleExecutor> {
    const { tile } = plan;
    if (tile) {
      const align = 2 ** (deepestBlock(plan.layers) - 1);
      const window = { width: windowSide(plan.width, tile, align), height: windowSide(plan.height, tile, align) };
      if (window.width < plan.width || window.height < plan.height) return this.tiledScale({ ...plan, tile }, window, align);
    }
    const targetsKey = layersKey(plan.layers);
    const lossKey = `${plan.width}x${plan.height}|${targetsKey}`;
    const targets = this.targetsSessions.acquire(targetsKey, () => this.session(() => buildTargetsGraph(this.convs, plan.layers), false));
    const loss = this.lossSessions.acquire(lossKey, () => this.session(() => buildLossGraph(this.convs, plan.layers, plan.height, plan.width), true), lossSessionBytes(this.convs, plan));
    const done = (): void => {
      this.targetsSessions.done(targetsKey);
      this.lossSessions.done(lossKey);
    };
    try {
      return new OnnxScale(plan, await targets, await loss, this.styleTargetSource(), done);
    } catch (error) {
      done();
      throw error;
    }
  }

  private styleTargetSource(): StyleTargetSource {
    return { get: (key, compute) => this.grams.get(key, compute), computed: () => void (this.styleTargetsComputed += 1) };
  }

  /** A scale larger than one window (tiled-scale.ts): the masked targets graph, and the loss graph of one window. */
  private async tiledScale(plan: ScalePlan & { tile: TileSize }, window: { width: number; height: number }, align: number): Promise<ScaleExecutor> {
    const targetsKey = `masked|${layersKey(plan.layers)}`;
    const lossKey = `tile ${window.width}x${window.height}|${layersKey(plan.layers)}`;
    const targets = this.targetsSessions.acquire(targetsKey, () => this.session(() => buildTargetsGraph(this.convs, plan.layers, true), false));
    const loss = this.lossSessions.acquire(
      lossKey,
      () => this.session(() => buildTileLossGraph(this.convs, plan.layers, window.height, window.width), true),
      // Charged as the pool's whole bound: a scale runs in tiles where memory is short, so no idle session
      // of another size stays beside it (memory-plan.ts counts none).
      Math.max(this.lossSessionsBound, lossSessionBytes(this.convs, { ...window, layers: plan.layers })),
    );
    const done = (): void => {
      this.targetsSessions.done(targetsKey);
      this.lossSessions.done(lossKey);
    };
    try {
      const [targetsSession, lossSession] = [await targets, await loss];
      return new TiledOnnxScale({
        plan,
        targetsSession,
        lossSession,
        window,
        align,
        tensor,
        styleTargets: this.styleTargetSource(),
        styleKey: (image) => gramKey(image, layersKey(plan.layers)),
        onDispose: done,
      });
    } catch (error) {
      done();
      throw error;
    }
  }

  setupMs(): number {
    return this.setupTotalMs;
  }

  /** Test seams: sessions started (loss and targets graphs) and style target sets computed, since the start. */
  sessionsBuilt(): number {
    return this.lossSessions.sessionsCreated() + this.targetsSessions.sessionsCreated();
  }

  styleTargetsBuilt(): number {
    return this.styleTargetsComputed;
  }

  dispose(): void {
    this.targetsSessions.dispose();
    this.lossSessions.dispose();
  }
}
