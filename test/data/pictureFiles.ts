// Folders of pictures written for tests: PNG (pngjs) and JPEG (jpeg-js) files of two easy classes — a bright disc
// and vertical stripes — one sub-folder per class, as a student's own data would come.
import { PNG } from 'pngjs';
import jpeg from 'jpeg-js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** RGBA pixels of a width×height picture from a function of (x, y) → [r, g, b, a]. */
export function rgbaOf(width: number, height: number, f: (x: number, y: number) => readonly number[]): Uint8Array {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(f(x, y), (y * width + x) * 4);
  return data;
}

export const pngBytes = (width: number, height: number, data: Uint8Array): Uint8Array => {
  const png = new PNG({ width, height });
  png.data.set(data);
  return new Uint8Array(PNG.sync.write(png));
};
export const jpegBytes = (width: number, height: number, data: Uint8Array, quality = 95): Uint8Array =>
  new Uint8Array(jpeg.encode({ data: Buffer.from(data), width, height }, quality).data);

/** Picture i of class `kind` (0: a disc of radius 5..9, 1: stripes 3 px wide, shifted by i). */
export function shape(kind: number, i: number, size = 28): Uint8Array {
  return rgbaOf(size, size, (x, y) => {
    const on = kind === 0 ? (x - size / 2) ** 2 + (y - size / 2) ** 2 < (5 + (i % 5)) ** 2 : (x + i) % 8 < 3;
    const v = on ? 255 : 0;
    return [v, v, v, 255];
  });
}

/** DIR/<class>/<i>.png|.jpg for the classes given (every fourth picture a JPEG); `split` writes DIR/train and DIR/test. */
export function writePictureFolder(directory: string, { perClass = 20, classes = ['disc', 'stripes'], size = 28, split = false } = {}): void {
  const write = (root: string, count: number, offset: number) => classes.forEach((cls, kind) => {
    mkdirSync(join(root, cls), { recursive: true });
    for (let i = offset; i < offset + count; i++) {
      const data = shape(kind % 2, i, size);
      writeFileSync(join(root, cls, i % 4 === 0 ? `${i}.jpg` : `${i}.png`), i % 4 === 0 ? jpegBytes(size, size, data) : pngBytes(size, size, data));
    }
  });
  if (split) { write(join(directory, 'train'), perClass, 0); write(join(directory, 'test'), Math.max(1, Math.round(perClass / 4)), perClass); }
  else write(directory, perClass, 0);
}

/** A progressive grey JPEG w×h: one DC scan (every DC difference 0), then `scans` AC scans that are all end-of-band runs (each walks every block again) */
export function scanBomb(w: number, h: number, scans: number): Uint8Array {
  const out: number[] = [0xff, 0xd8];
  const seg = (marker: number, body: number[]) => out.push(0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 0xff, ...body);
  seg(0xdb, [0, ...new Array(64).fill(1)]); // quantisation table 0
  seg(0xc2, [8, h >> 8, h & 0xff, w >> 8, w & 0xff, 1, 1, 0x11, 0]); // SOF2: 1 component, id 1, 1×1, table 0
  const counts = (n: number) => { const c = new Array(16).fill(0); c[0] = n; return c; };
  seg(0xc4, [0x00, ...counts(1), 0x00]);   // DC table 0: one code '0' → category 0
  seg(0xc4, [0x10, ...counts(1), 0xe0]);   // AC table 0: one code '0' → EOB run of 2^14 + 14 bits
  const bits = (pattern: number[]) => {
    const bytes: number[] = [];
    for (let i = 0; i < pattern.length; i += 8) {
      let b = 0; for (let k = 0; k < 8; k++) b = (b << 1) | (pattern[i + k] ?? 1);
      bytes.push(b); if (b === 0xff) bytes.push(0);
    }
    return bytes;
  };
  const blocks = Math.ceil(w / 8) * Math.ceil(h / 8);
  seg(0xda, [1, 1, 0x00, 0, 0, 0]); out.push(...bits(new Array(blocks).fill(0)));
  const runs: number[] = []; for (let left = blocks; left > 0; left -= 32767) runs.push(0, ...new Array(14).fill(1));
  const ac = bits(runs);
  for (let s = 0; s < scans; s++) { seg(0xda, [1, 1, 0x00, 1, 63, 0]); out.push(...ac); }
  out.push(0xff, 0xd9);
  return Uint8Array.from(out);
}
