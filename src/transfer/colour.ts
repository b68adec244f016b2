// "Keep the photo's colours" (Gatys et al. 2017, "Controlling Perceptual Factors in Neural Style
// Transfer"): the run sees luminance only (the photo's, and the style images' matched to the photo's mean
// and spread), and the photo's chroma is put back on the result. Luminance and chroma are YCbCr, BT.601
// full range as in JPEG.
import type { RgbImage } from './images.js';

function clampByte(value: number): number {
  return value < 0 ? 0 : value > 255 ? 255 : Math.round(value);
}

function lumaAt(data: Uint8Array, i: number): number {
  return 0.299 * (data[i] ?? 0) + 0.587 * (data[i + 1] ?? 0) + 0.114 * (data[i + 2] ?? 0);
}

/** Each pixel's luminance as grey RGB (Y, Y, Y): what the network sees in a luminance-only run. */
export function luminanceImage(image: RgbImage): RgbImage {
  const out = new Uint8Array(image.data.length);
  for (let i = 0; i < out.length; i += 3) out.fill(clampByte(lumaAt(image.data, i)), i, i + 3);
  return { data: out, width: image.width, height: image.height };
}

function meanAndSpread(image: RgbImage): { mean: number; spread: number } {
  const pixels = image.width * image.height;
  let sum = 0;
  let squares = 0;
  for (let i = 0; i < image.data.length; i += 3) {
    const y = lumaAt(image.data, i);
    sum += y;
    squares += y * y;
  }
  const mean = sum / pixels;
  return { mean, spread: Math.sqrt(Math.max(0, squares / pixels - mean * mean)) };
}

/**
 * The style image's luminance as grey RGB, shifted and scaled to the photo's mean and spread (standard
 * deviation), so that a dark painting does not darken a bright photo; a flat style image stays flat.
 */
export function matchedLuminance(style: RgbImage, photo: RgbImage): RgbImage {
  const from = meanAndSpread(style);
  const to = meanAndSpread(photo);
  const gain = from.spread > 0 ? to.spread / from.spread : 0;
  const out = new Uint8Array(style.data.length);
  for (let i = 0; i < out.length; i += 3) out.fill(clampByte((lumaAt(style.data, i) - from.mean) * gain + to.mean), i, i + 3);
  return { data: out, width: style.width, height: style.height };
}

/**
 * The stylised image's luminance with the photo's chroma; both must be the same size. Where a luminance
 * cannot carry the photo's chroma within 0..255 (a saturated colour cannot be that bright or that dark),
 * the luminance is clipped rather than the colour: the chroma stays the photo's, up to rounding.
 */
export function keepContentColours(stylised: RgbImage, content: RgbImage): RgbImage {
  if (stylised.width !== content.width || stylised.height !== content.height) {
    throw new RangeError(`Images differ in size: ${stylised.width}x${stylised.height} and ${content.width}x${content.height}.`);
  }
  const out = new Uint8Array(stylised.data.length);
  for (let i = 0; i < out.length; i += 3) {
    const r = content.data[i] ?? 0;
    const g = content.data[i + 1] ?? 0;
    const b = content.data[i + 2] ?? 0;
    const cb = -0.168736 * r - 0.331264 * g + 0.5 * b;
    const cr = 0.5 * r - 0.418688 * g - 0.081312 * b;
    // Each channel is Y plus a chroma offset; Y must keep all three in 0..255 (the photo's own Y does).
    const offsets = [1.402 * cr, -0.344136 * cb - 0.714136 * cr, 1.772 * cb];
    const low = Math.max(...offsets.map((o) => -o));
    const high = Math.min(...offsets.map((o) => 255 - o));
    const y = Math.min(high, Math.max(low, lumaAt(stylised.data, i)));
    offsets.forEach((o, c) => {
      out[i + c] = clampByte(y + o);
    });
  }
  return { data: out, width: stylised.width, height: stylised.height };
}
