// The image being optimised as plain floats (centred RGB, [height, width, 3]): conversions to and from
// bytes, clipping, noise and the bilinear resize between scales. Plain arrays, so both executors share it.
import type { CentredImage } from './executor.js';
import type { RgbImage } from './images.js';
import { seededRandom } from './random.js';

/**
 * ImageNet mean in RGB order (Keras/Caffe preprocessing: B 103.939, G 116.779, R 123.68). The engine works
 * on "centred RGB" pixels (RGB 0..255 minus this mean); the first conv's input channels are reversed once
 * at load time, which is exactly the Caffe RGB->BGR swap.
 */
export const IMAGENET_MEAN_RGB: readonly [number, number, number] = [123.68, 116.779, 103.939];

export function toCentred(image: RgbImage): CentredImage {
  const data = new Float32Array(image.width * image.height * 3);
  for (let i = 0; i < data.length; i++) data[i] = (image.data[i] as number) - (IMAGENET_MEAN_RGB[i % 3] as number);
  return { data, width: image.width, height: image.height };
}

/** Clipped, rounded RGB bytes. */
export function toRgb(image: CentredImage): RgbImage {
  const data = new Uint8Array(image.data.length);
  for (let i = 0; i < data.length; i++) data[i] = Math.min(255, Math.max(0, Math.round((image.data[i] as number) + (IMAGENET_MEAN_RGB[i % 3] as number))));
  return { data, width: image.width, height: image.height };
}

/** Keeps pixels inside 0..255 (in centred units), in place. */
export function clipCentred(x: Float32Array): Float32Array {
  for (let i = 0; i < x.length; i++) {
    const mean = IMAGENET_MEAN_RGB[i % 3] as number;
    x[i] = Math.min(255 - mean, Math.max(-mean, x[i] as number));
  }
  return x;
}

/** Seeded uniform noise in +-amplitude: the same on every backend and every run. */
export function seededNoise(count: number, seed: number, amplitude: number): Float32Array {
  const random = seededRandom(seed);
  return Float32Array.from({ length: count }, () => (random() * 2 - 1) * amplitude);
}

/** Bilinear resize with the corners aligned (the first and last pixels map onto each other). */
export function resizeBilinear(image: CentredImage, width: number, height: number): CentredImage {
  if (image.width === width && image.height === height) return { data: image.data.slice(), width, height };
  const data = new Float32Array(width * height * 3);
  const ratioY = height > 1 ? (image.height - 1) / (height - 1) : 0;
  const ratioX = width > 1 ? (image.width - 1) / (width - 1) : 0;
  const at = (y: number, x: number, c: number): number => image.data[(y * image.width + x) * 3 + c] as number;
  for (let y = 0; y < height; y++) {
    const sy = y * ratioY;
    const y0 = Math.floor(sy);
    const y1 = Math.min(y0 + 1, image.height - 1);
    const fy = sy - y0;
    for (let x = 0; x < width; x++) {
      const sx = x * ratioX;
      const x0 = Math.floor(sx);
      const x1 = Math.min(x0 + 1, image.width - 1);
      const fx = sx - x0;
      for (let c = 0; c < 3; c++) {
        const top = at(y0, x0, c) + (at(y0, x1, c) - at(y0, x0, c)) * fx;
        const bottom = at(y1, x0, c) + (at(y1, x1, c) - at(y1, x0, c)) * fx;
        data[(y * width + x) * 3 + c] = top + (bottom - top) * fy;
      }
    }
  }
  return { data, width, height };
}
