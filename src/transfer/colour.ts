// "Keep the photo's colours": luminance-only transfer (Gatys et al. 2016b, "Preserving colour in neural
// artistic style transfer"): the stylised image's luminance with the content photo's chroma (YCbCr,
// BT.601 full range as in JPEG).
import type { RgbImage } from './images.js';

function clampByte(value: number): number {
  return value < 0 ? 0 : value > 255 ? 255 : Math.round(value);
}

/** Returns the stylised image's luminance combined with the photo's chroma; both must be the same size. */
export function keepContentColours(stylised: RgbImage, content: RgbImage): RgbImage {
  if (stylised.width !== content.width || stylised.height !== content.height) {
    throw new RangeError(`Images differ in size: ${stylised.width}x${stylised.height} and ${content.width}x${content.height}.`);
  }
  const out = new Uint8Array(stylised.data.length);
  for (let i = 0; i < out.length; i += 3) {
    const y = 0.299 * (stylised.data[i] ?? 0) + 0.587 * (stylised.data[i + 1] ?? 0) + 0.114 * (stylised.data[i + 2] ?? 0);
    const r = content.data[i] ?? 0;
    const g = content.data[i + 1] ?? 0;
    const b = content.data[i + 2] ?? 0;
    const cb = -0.168736 * r - 0.331264 * g + 0.5 * b;
    const cr = 0.5 * r - 0.418688 * g - 0.081312 * b;
    out[i] = clampByte(y + 1.402 * cr);
    out[i + 1] = clampByte(y - 0.344136 * cb - 0.714136 * cr);
    out[i + 2] = clampByte(y + 1.772 * cb);
  }
  return { data: out, width: stylised.width, height: stylised.height };
}
