// Style targets (normalised Gram matrices) already computed, by the exact pixels the network saw, their size
// and the layers: a library painting used again at a size it was used at before needs no forward pass.
// The key is a hash of the image as the network sees it (after resizing and, when colours are kept, the
// luminance matching to the photo), so a target is reused only where it would come out the same.
// Bounded in bytes, least recently used first out.
import { createHash } from 'node:crypto';
import type { CentredImage, StyleGrams } from '../executor.js';

/** Where a scale gets its style targets: the executor's cache, and the count of those computed. */
export interface StyleTargetSource {
  get(key: string, compute: () => Promise<StyleGrams>): Promise<StyleGrams>;
  computed(): void;
}

/** The cache key of one style image at one scale for one layer choice. */
export function gramKey(image: CentredImage, layersKey: string): string {
  const { data } = image;
  const digest = createHash('sha256').update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)).digest('hex');
  return `${image.width}x${image.height}|${layersKey}|${digest}`;
}

function bytesOf(grams: StyleGrams): number {
  let sum = 0;
  for (const gram of grams.values()) sum += gram.byteLength;
  return sum;
}

export class GramCache {
  /** Least recently used first. */
  private readonly entries = new Map<string, StyleGrams>();
  private held = 0;

  constructor(private readonly budgetBytes: number) {}

  /**
   * The targets for `key`, computed by `compute` when not kept. The arrays are shared between the jobs that
   * get them: the engine only reads targets.
   */
  async get(key: string, compute: () => Promise<StyleGrams>): Promise<StyleGrams> {
    const kept = this.entries.get(key);
    if (kept) {
      this.entries.delete(key);
      this.entries.set(key, kept);
      return new Map(kept);
    }
    const grams = await compute();
    this.put(key, grams);
    return new Map(grams);
  }

  private put(key: string, grams: StyleGrams): void {
    const bytes = bytesOf(grams);
    if (bytes > this.budgetBytes || this.entries.has(key)) return;
    this.entries.set(key, grams);
    this.held += bytes;
    for (const [oldKey, old] of this.entries) {
      if (this.held <= this.budgetBytes) break;
      this.entries.delete(oldKey);
      this.held -= bytesOf(old);
    }
  }

  /** Bytes of the targets kept (at most the budget). */
  heldBytes(): number {
    return this.held;
  }

  size(): number {
    return this.entries.size;
  }
}
