// Image input and output for the engine: every user upload passes through here before it becomes pixels.
// Uploads are untrusted, so the bytes are identified by their signature before sharp sees them (SVG and
// PDF never reach a decoder: SVG can reference outside resources and expand without bound), dimensions are
// checked from the header before any pixel is decoded, and every sharp failure becomes a UserError that
// names the image (the accepted formats are the one list in src/wording/formats.ts).
import sharp, { type Metadata, type SharpOptions } from 'sharp';
import { UserError, type AcceptedFormat, type ImageRole, type RefusedFormat } from '../wording/index.js';

/** Decoded pixels: RGB interleaved, 8 bits per channel, row-major, no padding. */
export interface RgbImage {
  data: Uint8Array;
  width: number;
  height: number;
}

export type { ImageRole };

export interface ImageCheckOptions {
  /** Largest accepted width x height; DEFAULT_MAX_PIXELS when not given. */
  maxPixels?: number;
  /** Which of the two inputs this is, so that messages can say "The style image ...". */
  role?: ImageRole;
}

/** 50 megapixels: room for the largest phone photos, while one decoded input stays under ~150 MB. */
export const DEFAULT_MAX_PIXELS = 50_000_000;

/** What the signature says the bytes are. */
type Sniffed = { kind: 'accepted'; format: AcceptedFormat } | { kind: 'refused'; format: RefusedFormat } | { kind: 'unknown' };

function startsWith(input: Buffer, bytes: readonly number[], at = 0): boolean {
  return input.length >= at + bytes.length && bytes.every((byte, i) => input[at + i] === byte);
}

function ascii(input: Buffer, start: number, end: number): string {
  return input.subarray(start, end).toString('latin1');
}

// ISO-BMFF brands (bytes 8..12 of an 'ftyp' box), named in the refusal; mif1/msf1 are generic HEIF brands.
const AVIF_BRANDS = new Set(['avif', 'avis']);
const HEIC_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1']);

function sniff(input: Buffer): Sniffed {
  if (startsWith(input, [0xff, 0xd8, 0xff])) return { kind: 'accepted', format: 'jpeg' };
  if (startsWith(input, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { kind: 'accepted', format: 'png' };
  if (ascii(input, 0, 4) === 'GIF8') return { kind: 'accepted', format: 'gif' };
  if (ascii(input, 0, 4) === 'RIFF' && ascii(input, 8, 12) === 'WEBP') return { kind: 'accepted', format: 'webp' };
  if (startsWith(input, [0x49, 0x49, 0x2a, 0x00]) || startsWith(input, [0x4d, 0x4d, 0x00, 0x2a])) {
    return { kind: 'refused', format: 'tiff' };
  }
  if (ascii(input, 4, 8) === 'ftyp') {
    const brand = ascii(input, 8, 12);
    if (AVIF_BRANDS.has(brand)) return { kind: 'refused', format: 'avif' };
    if (HEIC_BRANDS.has(brand)) return { kind: 'refused', format: 'heic' };
    if (brand.startsWith('jp2') || brand === 'jpx ') return { kind: 'refused', format: 'jpeg2000' };
    return { kind: 'unknown' };
  }
  if (ascii(input, 0, 5) === '%PDF-') return { kind: 'refused', format: 'pdf' };
  if (ascii(input, 0, 4) === '%!PS' || startsWith(input, [0xc5, 0xd0, 0xd3, 0xc6])) return { kind: 'refused', format: 'postscript' };
  if (ascii(input, 0, 2) === 'BM') return { kind: 'refused', format: 'bmp' };
  if (ascii(input, 0, 4) === '8BPS') return { kind: 'refused', format: 'photoshop' };
  if (startsWith(input, [0x00, 0x00, 0x01, 0x00])) return { kind: 'refused', format: 'icon' };
  if (startsWith(input, [0xff, 0x0a]) || ascii(input, 4, 8) === 'JXL ') return { kind: 'refused', format: 'jpeg-xl' };
  if (startsWith(input, [0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20])) return { kind: 'refused', format: 'jpeg2000' };
  if (startsWith(input, [0x1f, 0x8b])) return { kind: 'refused', format: 'gzip' }; // includes .svgz
  if (looksLikeSvg(input)) return { kind: 'refused', format: 'svg' };
  return { kind: 'unknown' };
}

function looksLikeSvg(input: Buffer): boolean {
  const head = input.subarray(0, 4096).toString('utf8').replace(/^\uFEFF/, '').trimStart().toLowerCase();
  return head.startsWith('<svg') || ((head.startsWith('<?xml') || head.startsWith('<!doctype svg')) && head.includes('<svg'));
}

/** The signature matched but the file does not decode: cut off or damaged in transit. */
function damaged(role: ImageRole | undefined): UserError {
  return new UserError('image-truncated', { role });
}

interface CheckedHeader {
  format: AcceptedFormat;
  /** Dimensions after EXIF orientation, i.e. as the image will be used. */
  width: number;
  height: number;
  maxPixels: number;
}

/** Everything that can be decided without decoding pixels: signature, header, pixel limit. */
async function checkHeader(input: Buffer, options: ImageCheckOptions): Promise<CheckedHeader> {
  const { role } = options;
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  if (input.length === 0) throw new UserError('image-empty', { role });
  const sniffed = sniff(input);
  if (sniffed.kind === 'refused') throw new UserError('image-format-refused', { role, format: sniffed.format });
  if (sniffed.kind === 'unknown') throw new UserError('image-not-an-image', { role });
  let metadata: Metadata;
  try {
    metadata = await sharp(input, { limitInputPixels: false }).metadata();
  } catch {
    throw damaged(role);
  }
  const width = metadata.autoOrient.width;
  const height = metadata.autoOrient.height;
  if (!(width > 0 && height > 0)) throw damaged(role);
  if (width * height > maxPixels) throw new UserError('image-too-many-pixels', { role, width, height, maxPixels });
  return { format: sniffed.format, width, height, maxPixels };
}

/** The cheap check adapters run before queuing: reads only the header, applies the same limits as decoding. */
export async function probeImage(input: Buffer, options: ImageCheckOptions = {}): Promise<{ width: number; height: number; format: string }> {
  const header = await checkHeader(input, options);
  return { width: header.width, height: header.height, format: header.format };
}

/**
 * Decodes an upload to 8-bit sRGB: EXIF orientation applied, transparency flattened onto white, first
 * frame only for animations.
 */
export async function decodeImage(input: Buffer, options: ImageCheckOptions = {}): Promise<RgbImage> {
  const header = await checkHeader(input, options);
  try {
    // failOn 'error' refuses truncated or corrupt pixel data but lets through the harmless warnings that
    // many phone and editor JPEGs carry; limitInputPixels guards the decoder itself in case the header lied.
    const { data, info } = await sharp(input, { failOn: 'error', limitInputPixels: header.maxPixels, pages: 1 })
      .autoOrient()
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`unexpected channel count ${info.channels}`);
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
  } catch (error) {
    if (error instanceof UserError) throw error;
    if (error instanceof Error && /pixel limit/i.test(error.message)) {
      throw new UserError('image-too-many-pixels', { role: options.role, maxPixels: header.maxPixels });
    }
    throw damaged(options.role);
  }
}

/** The size with the long side set to `longSide` and the aspect ratio kept (each side at least 1 pixel). */
export function fitLongSide(width: number, height: number, longSide: number): { width: number; height: number } {
  if (!(width > 0 && height > 0 && longSide > 0)) throw new RangeError(`fitLongSide needs positive sizes, got ${width}x${height} -> ${longSide}`);
  const scale = longSide / Math.max(width, height);
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

function rawInput(image: RgbImage): SharpOptions {
  if (image.data.length !== image.width * image.height * 3) {
    throw new RangeError(`RgbImage holds ${image.data.length} bytes, expected ${image.width}x${image.height}x3`);
  }
  return { raw: { width: image.width, height: image.height, channels: 3 }, limitInputPixels: false };
}

/**
 * Resizes to exactly width x height: 'fill' stretches (for sizes of the same aspect ratio), 'cover' keeps
 * the aspect ratio and crops the middle (a style image as the starting picture of a run).
 */
export async function resizeImage(image: RgbImage, width: number, height: number, fit: 'fill' | 'cover' = 'fill'): Promise<RgbImage> {
  if (image.width === width && image.height === height) return { data: image.data.slice(), width, height };
  const { data, info } = await sharp(image.data, rawInput(image))
    .resize(width, height, { fit, kernel: 'lanczos3' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
}

export async function encodePng(image: RgbImage): Promise<Buffer> {
  return sharp(image.data, rawInput(image)).png().toBuffer();
}
