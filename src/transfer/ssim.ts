// Structural similarity (SSIM, Wang et al. 2004) of two pictures' luminance: how much a "Bigger" picture,
// brought back to the smaller one's size, still is that picture (the bench and the engine test use it).
// Gaussian window of sigma 1.5 cut at 11 px, the paper's constants for 8-bit values.
import sharp from 'sharp';

/** One channel of values 0..255, row by row. */
export interface GrayImage {
  data: Float32Array;
  width: number;
  height: number;
}

const SIGMA = 1.5;
const RADIUS = 5;
const C1 = (0.01 * 255) ** 2;
const C2 = (0.03 * 255) ** 2;

function gaussianKernel(): Float32Array {
  const kernel = new Float32Array(2 * RADIUS + 1);
  let sum = 0;
  for (let i = -RADIUS; i <= RADIUS; i++) {
    const w = Math.exp(-(i * i) / (2 * SIGMA * SIGMA));
    kernel[i + RADIUS] = w;
    sum += w;
  }
  return kernel.map((w) => w / sum);
}

/** The image blurred by the window, edges clamped: separable, rows then columns. */
function blurred(image: GrayImage, kernel: Float32Array): Float32Array {
  const { width, height, data } = image;
  const rows = new Float32Array(data.length);
  const out = new Float32Array(data.length);
  const clamp = (v: number, max: number): number => (v < 0 ? 0 : v > max ? max : v);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let k = -RADIUS; k <= RADIUS; k++) sum += (kernel[k + RADIUS] as number) * (data[y * width + clamp(x + k, width - 1)] as number);
      rows[y * width + x] = sum;
    }
  }
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let k = -RADIUS; k <= RADIUS; k++) sum += (kernel[k + RADIUS] as number) * (rows[clamp(y + k, height - 1) * width + x] as number);
      out[y * width + x] = sum;
    }
  }
  return out;
}

function product(a: GrayImage, b: GrayImage): GrayImage {
  return { width: a.width, height: a.height, data: a.data.map((v, i) => v * (b.data[i] as number)) };
}

/** Mean SSIM of two images of the same size: 1 for equal ones, near 0 for unrelated ones. */
export function ssim(a: GrayImage, b: GrayImage): number {
  if (a.width !== b.width || a.height !== b.height) throw new RangeError(`SSIM needs equal sizes (${a.width}x${a.height} and ${b.width}x${b.height})`);
  const kernel = gaussianKernel();
  const [muA, muB, aa, bb, ab] = [a, b, product(a, a), product(b, b), product(a, b)].map((image) => blurred(image, kernel)) as [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array];
  let sum = 0;
  for (let i = 0; i < muA.length; i++) {
    const ma = muA[i] as number;
    const mb = muB[i] as number;
    const varA = (aa[i] as number) - ma * ma;
    const varB = (bb[i] as number) - mb * mb;
    const cov = (ab[i] as number) - ma * mb;
    sum += ((2 * ma * mb + C1) * (2 * cov + C2)) / ((ma * ma + mb * mb + C1) * (varA + varB + C2));
  }
  return sum / muA.length;
}

/** A picture's luminance (Rec. 601, as sharp's greyscale), at `size` when given (lanczos). */
export async function luminanceOf(picture: Buffer, size?: { width: number; height: number }): Promise<GrayImage> {
  const pipeline = sharp(picture).removeAlpha();
  const resized = size ? pipeline.resize(size.width, size.height, { fit: 'fill', kernel: 'lanczos3' }) : pipeline;
  const { data, info } = await resized.greyscale().raw().toBuffer({ resolveWithObject: true });
  return { data: Float32Array.from(data), width: info.width, height: info.height };
}

/** SSIM of the larger picture brought down to the smaller one's size, against the smaller one, on luminance. */
export async function downscaledSsim(larger: Buffer, smaller: Buffer): Promise<number> {
  const small = await luminanceOf(smaller);
  return ssim(await luminanceOf(larger, { width: small.width, height: small.height }), small);
}
