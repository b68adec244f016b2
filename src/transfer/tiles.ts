// Tiles of an image too large to run through the network whole (issue 21). The image is cut by a grid into
// cores that cover every pixel once; each tile runs on a window of its core plus a halo around it, so that
// the network's features at the core's positions are those of the whole image (the halo covers their
// receptive field) and the core's loss terms and their gradient come out as the whole image gives them.
// The grid moves by a random offset every iteration, so no border stays in one place.
//
// Window and core edges sit on multiples of `align`, the stride of the deepest pooling the layers use, so
// that every pooled position of a window is a pooled position of the whole image. All windows of an image
// have one size (one ONNX Runtime session serves them): the image size where it is smaller, else the core
// plus both halos, grown by up to align - 1 so that a window ending at the image's right or bottom edge
// starts on a multiple of `align`.

export interface TileSize {
  /** Side of the grid's cells, a multiple of `align`. */
  core: number;
  /** Pixels of context on each side of a core, a multiple of `align`. */
  halo: number;
}

/** The least halo (the 64 px; the full network's conv5_1 sees about 100 px each way, its weights fall off fast). */
export const MIN_HALO = 64;

export interface Tile {
  /** The window, in image pixels. */
  x: number;
  y: number;
  width: number;
  height: number;
  /** Its core, in window pixels: [left, right) x [top, bottom). */
  core: { left: number; top: number; right: number; bottom: number };
}

/** The halo for layers pooled to `align`: MIN_HALO rounded up to a multiple of it. */
export function haloFor(align: number): number {
  return Math.ceil(MIN_HALO / align) * align;
}

/** The window's side along one axis of `extent` pixels. */
export function windowSide(extent: number, size: TileSize, align: number): number {
  const wanted = size.core + 2 * size.halo;
  if (wanted >= extent) return extent;
  const side = wanted + ((((extent - wanted) % align) + align) % align);
  return Math.min(side, extent);
}

/** The cells along one axis: grid lines at offset + k core, clipped to [0, extent). */
function cells(extent: number, core: number, offset: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start = 0;
  for (let line = offset > 0 ? offset : core; start < extent; line += core) {
    const end = Math.min(line, extent);
    out.push([start, end]);
    start = end;
  }
  return out;
}

/** Windows along one axis: each cell with its window, of side `side`, placed to hold the cell and its halos. */
function axis(extent: number, size: TileSize, align: number, offset: number): Array<{ start: number; side: number; core: [number, number] }> {
  const side = windowSide(extent, size, align);
  if (side === extent) return [{ start: 0, side, core: [0, extent] }];
  return cells(extent, size.core, offset).map(([from, to]) => {
    const start = Math.min(Math.max(from - size.halo, 0), extent - side);
    return { start, side, core: [from - start, to - start] };
  });
}

/**
 * The tiles of a width x height image, the grid shifted by (offsetX, offsetY): multiples of `align` below
 * `size.core` (0, 0 puts the first line at `core`).
 */
export function tileGrid(width: number, height: number, size: TileSize, align: number, offsetX = 0, offsetY = 0): Tile[] {
  if (size.core % align !== 0 || size.halo % align !== 0 || offsetX % align !== 0 || offsetY % align !== 0) {
    throw new RangeError(`Internal error: tile core ${size.core}, halo ${size.halo} and offsets ${offsetX}, ${offsetY} must be multiples of ${align}.`);
  }
  const tiles: Tile[] = [];
  for (const row of axis(height, size, align, offsetY)) {
    for (const column of axis(width, size, align, offsetX)) {
      tiles.push({
        x: column.start,
        y: row.start,
        width: column.side,
        height: row.side,
        core: { left: column.core[0], right: column.core[1], top: row.core[0], bottom: row.core[1] },
      });
    }
  }
  return tiles;
}

/** A random grid offset per axis, a multiple of `align` below `core`, from a uniform number in [0, 1). */
export function gridOffset(random: () => number, core: number, align: number): number {
  return Math.floor(random() * (core / align)) * align;
}

/** The window's pixels of a [height, width, 3] image. */
export function cutWindow(image: Float32Array, width: number, tile: Tile): Float32Array {
  const out = new Float32Array(tile.width * tile.height * 3);
  const row = tile.width * 3;
  for (let y = 0; y < tile.height; y++) {
    const from = ((tile.y + y) * width + tile.x) * 3;
    out.set(image.subarray(from, from + row), y * row);
  }
  return out;
}

/** Adds a window's values ([tile.height, tile.width, 3]) into a [height, width, 3] image's. */
export function addWindow(into: Float32Array, width: number, tile: Tile, values: Float32Array): void {
  const row = tile.width * 3;
  for (let y = 0; y < tile.height; y++) {
    const to = ((tile.y + y) * width + tile.x) * 3;
    const from = y * row;
    for (let i = 0; i < row; i++) into[to + i] = (into[to + i] as number) + (values[from + i] as number);
  }
}

/** 1 on the tile's core, 0 on its halo: [tile.height, tile.width]. */
export function coreMask(tile: Tile): Float32Array {
  const mask = new Float32Array(tile.width * tile.height);
  const { left, right, top, bottom } = tile.core;
  for (let y = top; y < bottom; y++) mask.fill(1, y * tile.width + left, y * tile.width + right);
  return mask;
}

/**
 * A feature map [channels, h, w] of a layer `shift` poolings deep, as a window's or the whole image's:
 * where a window's map sits in the whole one, and the window's core in it.
 */
export interface MapRegion {
  /** The window's map: its offset in the whole map and its size. */
  x: number;
  y: number;
  width: number;
  height: number;
  /** The core, in the window map's positions. */
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** The window and core of `tile` at a layer `shift` poolings deep (floor-halved, as the network pools). */
export function regionAt(tile: Tile, shift: number): MapRegion {
  const s = (v: number): number => v >> shift;
  return {
    x: s(tile.x),
    y: s(tile.y),
    width: s(tile.width),
    height: s(tile.height),
    left: s(tile.core.left),
    top: s(tile.core.top),
    right: s(tile.x + tile.core.right) - s(tile.x),
    bottom: s(tile.y + tile.core.bottom) - s(tile.y),
  };
}

/** Copies the core of a window's feature map into the whole image's map (both [channels, h, w]). */
export function putCore(whole: Float32Array, wholeWidth: number, wholeHeight: number, window: Float32Array, region: MapRegion): void {
  const channels = whole.length / (wholeWidth * wholeHeight);
  for (let c = 0; c < channels; c++) {
    for (let y = region.top; y < region.bottom; y++) {
      const from = (c * region.height + y) * region.width;
      const to = (c * wholeHeight + region.y + y) * wholeWidth + region.x;
      whole.set(window.subarray(from + region.left, from + region.right), to + region.left);
    }
  }
}

/** The window's part of the whole image's feature map ([channels, h, w]). */
export function cutMap(whole: Float32Array, wholeWidth: number, wholeHeight: number, region: MapRegion): Float32Array {
  const channels = whole.length / (wholeWidth * wholeHeight);
  const out = new Float32Array(channels * region.width * region.height);
  for (let c = 0; c < channels; c++) {
    for (let y = 0; y < region.height; y++) {
      const from = (c * wholeHeight + region.y + y) * wholeWidth + region.x;
      out.set(whole.subarray(from, from + region.width), (c * region.height + y) * region.width);
    }
  }
  return out;
}
