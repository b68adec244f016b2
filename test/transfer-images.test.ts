// Image input and output with real sharp: every accepted format, orientation, transparency, animations,
// and every kind of bad upload the bot can receive. Inputs are made here with sharp, so nothing is mocked.
import { deflateSync } from 'node:zlib';
import sharp, { type Sharp } from 'sharp';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_PIXELS, decodeImage, encodePng, fitLongSide, probeImage, resizeImage, type RgbImage } from '../src/transfer/images.js';
import { UserError, type UserErrorCode } from '../src/wording/index.js';

const RED = { r: 220, g: 30, b: 30 };
const BLUE = { r: 30, g: 30, b: 220 };

/** 40 x 20: red left half, blue right half, so orientation and colour can both be checked. */
async function twoTone(): Promise<Sharp> {
  const width = 40;
  const height = 20;
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const c = x < width / 2 ? RED : BLUE;
      data.set([c.r, c.g, c.b], (y * width + x) * 3);
    }
  }
  return sharp(data, { raw: { width, height, channels: 3 } });
}

/** Random pixels: compress badly, so that cutting the file loses real image data, not just padding. */
function noise(width: number, height: number): Sharp {
  const data = Buffer.alloc(width * height * 3);
  let seed = 7;
  for (let i = 0; i < data.length; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    data[i] = seed >>> 24;
  }
  return sharp(data, { raw: { width, height, channels: 3 } });
}

function pixel(image: RgbImage, x: number, y: number): [number, number, number] {
  const i = (y * image.width + x) * 3;
  return [image.data[i] ?? -1, image.data[i + 1] ?? -1, image.data[i + 2] ?? -1];
}

function expectClose(actual: [number, number, number], expected: { r: number; g: number; b: number }, tolerance = 40): void {
  expect(Math.abs(actual[0] - expected.r)).toBeLessThanOrEqual(tolerance);
  expect(Math.abs(actual[1] - expected.g)).toBeLessThanOrEqual(tolerance);
  expect(Math.abs(actual[2] - expected.b)).toBeLessThanOrEqual(tolerance);
}

async function expectRefused(promise: Promise<unknown>, code: UserErrorCode, mentions: RegExp): Promise<UserError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  const refused = error as UserError;
  expect(refused.code).toBe(code);
  expect(refused.message).toMatch(mentions);
  // Written for end users: no library jargon leaks through.
  expect(refused.message).not.toMatch(/vips|libpng|sharp|Vips/);
  return refused;
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = (crcTable[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, body: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), body]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

/** A valid PNG header declaring width x height, followed by a few bytes of zero rows: a classic bomb. */
function pngDeclaring(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(Buffer.alloc(1000))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('decodeImage: accepted formats', () => {
  const encoders: Array<[string, (s: Sharp) => Sharp]> = [
    ['jpeg', (s) => s.jpeg({ quality: 95 })],
    ['png', (s) => s.png()],
    ['webp', (s) => s.webp({ quality: 95 })],
    ['gif', (s) => s.gif()],
  ];

  it.each(encoders)('%s decodes to 8-bit RGB with the right size and colours', async (format, encode) => {
    const input = await encode(await twoTone()).toBuffer();
    const probed = await probeImage(input);
    expect(probed).toEqual({ width: 40, height: 20, format });
    const image = await decodeImage(input);
    expect(image.width).toBe(40);
    expect(image.height).toBe(20);
    expect(image.data).toBeInstanceOf(Uint8Array);
    expect(image.data.length).toBe(40 * 20 * 3);
    expectClose(pixel(image, 5, 10), RED);
    expectClose(pixel(image, 34, 10), BLUE);
  });

  it('applies EXIF orientation: a landscape JPEG tagged "rotate 90" comes out portrait', async () => {
    const input = await (await twoTone()).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    expect((await sharp(input).metadata()).orientation).toBe(6);
    expect(await probeImage(input)).toMatchObject({ width: 20, height: 40 });
    const image = await decodeImage(input);
    expect([image.width, image.height]).toEqual([20, 40]);
    // Orientation 6 turns the image clockwise: the red left half ends up on top.
    expectClose(pixel(image, 10, 5), RED);
    expectClose(pixel(image, 10, 34), BLUE);
  });

  it('flattens transparency onto white and keeps opaque pixels', async () => {
    const data = Buffer.alloc(8 * 4 * 4);
    for (let i = 0; i < 32; i++) data.set(i % 8 < 4 ? [0, 0, 0, 0] : [200, 20, 20, 255], i * 4);
    const input = await sharp(data, { raw: { width: 8, height: 4, channels: 4 } }).png().toBuffer();
    const image = await decodeImage(input);
    expect(image.data.length).toBe(8 * 4 * 3);
    expect(pixel(image, 1, 1)).toEqual([255, 255, 255]);
    expect(pixel(image, 6, 1)).toEqual([200, 20, 20]);
  });

  it('turns greyscale and 16-bit images into 8-bit RGB', async () => {
    const grey = await sharp({ create: { width: 6, height: 6, channels: 3, background: '#808080' } }).toColourspace('b-w').png().toBuffer();
    expect((await sharp(grey).metadata()).channels).toBe(1);
    const deep = await sharp({ create: { width: 6, height: 6, channels: 3, background: '#336699' } }).toColourspace('rgb16').png().toBuffer();
    expect((await sharp(deep).metadata()).depth).toBe('ushort');
    const g = await decodeImage(grey);
    expect(g.data.length).toBe(6 * 6 * 3);
    expect(pixel(g, 2, 2)).toEqual([128, 128, 128]);
    const d = await decodeImage(deep);
    expectClose(pixel(d, 2, 2), { r: 0x33, g: 0x66, b: 0x99 }, 2);
  });

  it('takes the first frame of an animated GIF', async () => {
    const frame = 10 * 10 * 3;
    const frames = Buffer.alloc(frame * 2);
    for (let i = 0; i < 100; i++) {
      frames.set([RED.r, RED.g, RED.b], i * 3);
      frames.set([BLUE.r, BLUE.g, BLUE.b], frame + i * 3);
    }
    const gif = await sharp(frames, { raw: { width: 10, height: 20, channels: 3, pageHeight: 10 } }).gif().toBuffer();
    expect((await sharp(gif).metadata()).pages).toBe(2);
    expect(await probeImage(gif)).toEqual({ width: 10, height: 10, format: 'gif' });
    const image = await decodeImage(gif);
    expect([image.width, image.height]).toEqual([10, 10]);
    expectClose(pixel(image, 5, 5), RED);
  });
});

describe('decodeImage and probeImage: bad input', () => {
  it('refuses an empty file', async () => {
    await expectRefused(decodeImage(Buffer.alloc(0), { role: 'content' }), 'image-empty', /^The photo is an empty file/);
    await expectRefused(probeImage(Buffer.alloc(0)), 'image-empty', /^The image is an empty file/);
  });

  it('refuses bytes that are not a picture', async () => {
    await expectRefused(decodeImage(Buffer.from('hello, this is a text file\n'), { role: 'style' }), 'image-not-an-image', /^The style image is not a picture/);
    await expectRefused(probeImage(Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])), 'image-not-an-image', /JPEG, PNG/);
  });

  it('refuses SVG (it could fetch or expand without bound) and PDF, naming the format', async () => {
    const svg = Buffer.from('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><image href="http://127.0.0.1:9/x.png"/></svg>');
    await expectRefused(decodeImage(svg, { role: 'style' }), 'image-format-refused', /^The style image is an SVG file, which is not supported/);
    await expectRefused(probeImage(Buffer.from('  <svg width="1" height="1"></svg>')), 'image-format-refused', /SVG/);
    await expectRefused(decodeImage(Buffer.from('%PDF-1.7\n%...')), 'image-format-refused', /PDF/);
  });

  it.each([
    ['TIFF', (s: Sharp) => s.tiff()],
    ['AVIF', (s: Sharp) => s.avif({ quality: 90 })],
  ])('refuses %s, which sharp could read, naming the accepted formats', async (name, encode) => {
    const input = await encode(await twoTone()).toBuffer();
    await expectRefused(probeImage(input, { role: 'style' }), 'image-format-refused', new RegExp(`^The style image is an? ${name} file, which is not supported\\. Please send a JPEG, PNG, WebP or GIF picture\\.$`));
    await expectRefused(decodeImage(input), 'image-format-refused', /JPEG, PNG, WebP or GIF/);
  });

  it('refuses HEIC, which this sharp build cannot decode', async () => {
    const heic = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypheic\0\0\0\0mif1heic', 'latin1')]);
    await expectRefused(probeImage(heic, { role: 'content' }), 'image-format-refused', /HEIC/);
  });

  it.each([
    ['jpeg', (s: Sharp) => s.jpeg({ quality: 90 })],
    ['png', (s: Sharp) => s.png()],
    ['webp', (s: Sharp) => s.webp()],
  ])('refuses a truncated %s', async (_format, encode) => {
    const whole = await encode(noise(128, 128)).toBuffer();
    const cut = whole.subarray(0, Math.floor(whole.length * 0.6));
    await expectRefused(decodeImage(cut, { role: 'content' }), 'image-truncated', /^The photo is damaged or incomplete/);
  });

  it('refuses a file that ends inside its header', async () => {
    const whole = await noise(16, 16).png().toBuffer();
    await expectRefused(probeImage(whole.subarray(0, 12)), 'image-truncated', /damaged or incomplete/);
  });

  it('refuses pictures over the pixel limit from the header alone', async () => {
    const input = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#000' } }).png().toBuffer();
    await expectRefused(probeImage(input, { maxPixels: 50_000, role: 'style' }), 'image-too-many-pixels', /^The style image is too large \(300 × 200 pixels/);
    await expectRefused(decodeImage(input, { maxPixels: 50_000 }), 'image-too-many-pixels', /limit is 0\.1 megapixels/);
    expect(await probeImage(input, { maxPixels: 60_000 })).toMatchObject({ width: 300, height: 200 });
  });

  it('refuses a decompression bomb: a tiny PNG that declares 100000 x 100000 pixels', async () => {
    const bomb = pngDeclaring(100_000, 100_000);
    expect(bomb.length).toBeLessThan(200);
    await expectRefused(decodeImage(bomb, { role: 'content' }), 'image-too-many-pixels', /100000 × 100000 pixels/);
  });

  it('refuses a large solid-colour PNG that compresses to almost nothing', async () => {
    const solid = await sharp({ create: { width: 4000, height: 3000, channels: 3, background: '#fff' } }).png({ compressionLevel: 9 }).toBuffer();
    expect(solid.length).toBeLessThan(100_000);
    await expectRefused(decodeImage(solid, { maxPixels: 10_000_000 }), 'image-too-many-pixels', /4000 × 3000/);
  });

  it('has a default limit that admits large phone photos', () => {
    expect(DEFAULT_MAX_PIXELS).toBeGreaterThanOrEqual(48_000_000);
  });
});

describe('sizes, resizing and PNG output', () => {
  it('fitLongSide keeps the aspect ratio', () => {
    expect(fitLongSide(4000, 3000, 512)).toEqual({ width: 512, height: 384 });
    expect(fitLongSide(3000, 4000, 256)).toEqual({ width: 192, height: 256 });
    expect(fitLongSide(100, 100, 64)).toEqual({ width: 64, height: 64 });
    expect(fitLongSide(10_000, 10, 64)).toEqual({ width: 64, height: 1 });
    expect(() => fitLongSide(0, 10, 64)).toThrow(RangeError);
  });

  it('resizes to the exact size and round-trips through PNG', async () => {
    const image = await decodeImage(await (await twoTone()).png().toBuffer());
    const small = await resizeImage(image, 16, 12);
    expect([small.width, small.height, small.data.length]).toEqual([16, 12, 16 * 12 * 3]);
    expectClose(pixel(small, 2, 6), RED);
    expectClose(pixel(small, 13, 6), BLUE);
    const png = await encodePng(small);
    const meta = await sharp(png).metadata();
    expect([meta.format, meta.width, meta.height, meta.channels]).toEqual(['png', 16, 12, 3]);
    expect(await decodeImage(png)).toEqual(small);
  });

  it('rejects pixel buffers whose length does not match their size', async () => {
    await expect(encodePng({ data: new Uint8Array(10), width: 4, height: 4 })).rejects.toThrow(RangeError);
  });
});
