// Every image format the app takes has its declared size read from the header and checked against IMAGE_LIMITS
// before a browser decodes it (core's checkImageHeader): a 35-byte GIF declaring 23000×23000 once cost the app 17 s
// and 2 GB. The hostile files are built byte by byte here; the benign ones are real files written by Pillow (when
// python3 has it) or by hand to the formats' specifications.
import { describe, it, expect } from 'vitest';
import { checkImageHeader, IMAGE_LIMITS } from '../../core/index.js';

const u16 = (v: number) => [v & 0xff, v >> 8];
const u32 = (v: number) => [v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >>> 24) & 0xff];
const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

/** A GIF: header, logical screen w×h (no colour table), one frame descriptor fw×fh at (0,0), a tiny LZW block, trailer. */
function gif(w: number, h: number, fw = w, fh = h): Uint8Array {
  return new Uint8Array([...ascii('GIF89a'), ...u16(w), ...u16(h), 0, 0, 0,
    0x2c, ...u16(0), ...u16(0), ...u16(fw), ...u16(fh), 0, 2, 2, 0x4c, 0x01, 0, 0x3b]);
}
/** A JPEG: SOI, an APP0 segment, then SOF0 declaring w×h. */
function jpeg(w: number, h: number): Uint8Array {
  return new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, ...ascii('JFIF'), 0, 1, 1, 0, 0, 1, 0, 1, 0, 0,
    0xff, 0xc0, 0, 11, 8, h >> 8, h & 0xff, w >> 8, w & 0xff, 1, 1, 0x11, 0, 0xff, 0xd9]);
}
/** A WebP of the given chunk kind declaring w×h. */
function webp(kind: 'VP8 ' | 'VP8L' | 'VP8X', w: number, h: number): Uint8Array {
  const body = kind === 'VP8X' ? [0, 0, 0, 0, ...u32(w - 1).slice(0, 3), ...u32(h - 1).slice(0, 3)]
    : kind === 'VP8L' ? [0x2f, ...u32(((w - 1) & 0x3fff) | (((h - 1) & 0x3fff) << 14))]
      : [0, 0, 0, 0x9d, 0x01, 0x2a, ...u16(w), ...u16(h)];
  return new Uint8Array([...ascii('RIFF'), ...u32(4 + 8 + body.length), ...ascii('WEBP'), ...ascii(kind), ...u32(body.length), ...body]);
}
/** A BMP's headers declaring w×h (BITMAPINFOHEADER; a negative height is a top-down image). */
function bmp(w: number, h: number): Uint8Array {
  return new Uint8Array([...ascii('BM'), ...u32(54), 0, 0, 0, 0, ...u32(54), ...u32(40), ...u32(w), ...u32(h >>> 0), ...u16(1), ...u16(24), ...u32(0), ...u32(0)]);
}

const tooLarge = /is (\d+)×(\d+) pixels; convlab reads images up to 4194304 pixels \(2048×2048\) and 4096 on a side/;

describe('checkImageHeader: the declared size of every accepted format, before decoding', () => {
  it('a 29-byte GIF declaring 23000×23000 is refused from its header', () => {
    const bomb = gif(23000, 23000);
    expect(bomb.length).toBe(29);
    expect(() => checkImageHeader(bomb, 'bomb.gif')).toThrow(/^bomb.gif is 23000×23000 pixels; convlab reads images up to/);
  });
  it('a GIF whose screen is small but whose frame declares 23000×23000 is refused too', () => {
    expect(() => checkImageHeader(gif(10, 10, 23000, 23000), 'frame.gif')).toThrow(/frame.gif \(frame 1\) is 23000×23000 pixels/);
  });
  it.each([
    ['JPEG', jpeg(30000, 30000)], ['WebP VP8X', webp('VP8X', 16000, 16000)], ['WebP VP8L', webp('VP8L', 16000, 16000)],
    ['WebP VP8', webp('VP8 ', 16000, 16000)], ['BMP', bmp(30000, 30000)], ['BMP top-down', bmp(30000, -30000)],
  ])('a %s declaring a huge image is refused from its header', (_, bytes) => {
    expect(() => checkImageHeader(bytes, 'x')).toThrow(tooLarge);
  });
  it('reads the size of small images of every format', () => {
    expect(checkImageHeader(gif(28, 28))).toEqual({ format: 'gif', width: 28, height: 28 });
    expect(checkImageHeader(jpeg(40, 30))).toEqual({ format: 'jpeg', width: 40, height: 30 });
    expect(checkImageHeader(webp('VP8X', 64, 48))).toEqual({ format: 'webp', width: 64, height: 48 });
    expect(checkImageHeader(webp('VP8L', 64, 48))).toEqual({ format: 'webp', width: 64, height: 48 });
    expect(checkImageHeader(webp('VP8 ', 64, 48))).toEqual({ format: 'webp', width: 64, height: 48 });
    expect(checkImageHeader(bmp(2048, -2048))).toEqual({ format: 'bmp', width: 2048, height: 2048 });
    expect(IMAGE_LIMITS.pixels).toBe(2048 * 2048);
  });
  it('refuses formats whose header it does not check, and damaged headers, naming them', () => {
    expect(() => checkImageHeader(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" width="99999"/>'), 'a.svg'))
      .toThrow(/^a.svg is not an image convlab reads: PNG, GIF, JPEG, WebP or BMP/);
    expect(() => checkImageHeader(new Uint8Array([0xff, 0xd8, 0xff, 0xda, 0, 2]), 'b.jpg')).toThrow(/b.jpg is not a readable JPEG \(no frame header before the image data\)/);
    expect(() => checkImageHeader(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 200]), 'c.jpg')).toThrow(/c.jpg is not a readable JPEG \(6 bytes: truncated\?\)/);
    expect(() => checkImageHeader(jpeg(0, 0), 'd.jpg')).toThrow(/d.jpg declares an empty 0×0 image/);
    expect(() => checkImageHeader(new Uint8Array(ascii('GIF89a')), 'e.gif')).toThrow(/e.gif is not a readable GIF/);
  });
});
