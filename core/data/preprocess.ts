// core/data/preprocess.ts: any grey image → a 28×28 digit like MNIST's: white ink on black,
// the ink's bounding box scaled to fit 20×20 (aspect kept), then centred by its centre of mass.

/** The largest image read: a file of 16 MiB, 2²² pixels (2048×2048) and 4096 on a side. A digit needs far less (MNIST's are 28×28);
 *  the cap keeps a decoded image under 16 MiB of RGBA and a 1-bit "decompression bomb" from expanding. */
export const IMAGE_LIMITS = { pixels: 2 ** 22, side: 4096, fileBytes: 16 * 1024 * 1024 } as const;

export interface PngHeader { width: number; height: number; bitDepth: number; colorType: number; interlaced: boolean;
  /** Bytes the image data inflates to (filter bytes included), from the header alone. */ inflatedBytes: number }

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const PNG_CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
const PNG_DEPTHS: Record<number, number[]> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };

/** Read a PNG's header (signature and IHDR, the first 33 bytes) and check its size against IMAGE_LIMITS before
 *  anything is decoded. Browser-safe (a Uint8Array in, no decoding). Throws TypeError (not a PNG) or RangeError
 *  (too large), naming `name`, the limit and what was found. */
export function checkPngHeader(bytes: Uint8Array, name = 'image'): PngHeader {
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`${name}: expected the file's bytes (a Uint8Array)`);
  if (bytes.length < 33 || PNG_SIGNATURE.some((v, i) => bytes[i] !== v)) {
    throw new TypeError(`${name} is not a readable PNG (it does not start with the PNG signature${bytes.length < 33 ? `; ${bytes.length} bytes` : ''})`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const type = String.fromCharCode(bytes[12], bytes[13], bytes[14], bytes[15]);
  if (view.getUint32(8) !== 13 || type !== 'IHDR') throw new TypeError(`${name} is not a readable PNG (its first chunk is not a 13-byte IHDR)`);
  const width = view.getUint32(16), height = view.getUint32(20);
  const bitDepth = bytes[24], colorType = bytes[25], interlace = bytes[28];
  if (!PNG_DEPTHS[colorType]?.includes(bitDepth) || bytes[26] !== 0 || bytes[27] !== 0 || interlace > 1) {
    throw new TypeError(`${name} is not a readable PNG (bit depth ${bitDepth}, colour type ${colorType}, interlace ${interlace})`);
  }
  checkImageSize(width, height, name);
  const bits = PNG_CHANNELS[colorType] * bitDepth;
  const rowBytes = (w: number) => (w > 0 ? 1 + Math.ceil((w * bits) / 8) : 0);
  let inflatedBytes = height * rowBytes(width);
  if (interlace === 1) {
    // Adam7: seven passes, each a smaller image with its own filter bytes
    inflatedBytes = 0;
    for (const [x0, y0, dx, dy] of [[0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2]]) {
      const w = Math.ceil((width - x0) / dx), h = Math.ceil((height - y0) / dy);
      if (w > 0 && h > 0) inflatedBytes += h * rowBytes(w);
    }
  }
  return { width, height, bitDepth, colorType, interlaced: interlace === 1, inflatedBytes };
}

/** A declared width × height against IMAGE_LIMITS: the one check every image format's header goes through. */
function checkImageSize(width: number, height: number, name: string): void {
  if (width < 1 || height < 1) throw new RangeError(`${name} declares an empty ${width}×${height} image`);
  if (width > IMAGE_LIMITS.side || height > IMAGE_LIMITS.side || width * height > IMAGE_LIMITS.pixels) {
    throw new RangeError(`${name} is ${width}×${height} pixels; convlab reads images up to ${IMAGE_LIMITS.pixels} pixels ` +
      `(2048×2048) and ${IMAGE_LIMITS.side} on a side: scale it down (a digit needs far less)`);
  }
}

export type ImageFormat = 'png' | 'gif' | 'jpeg' | 'webp' | 'bmp';
/** The formats whose header convlab checks before a browser decodes them; any other image is refused. */
export const IMAGE_FORMATS: readonly ImageFormat[] = ['png', 'gif', 'jpeg', 'webp', 'bmp'];

/**
 * Read the declared size from an image file's header — PNG (IHDR), GIF (the logical screen and every frame's image
 * descriptor), JPEG (the first start-of-frame marker), WebP (VP8, VP8L or VP8X) or BMP (the info header) — and check
 * it against IMAGE_LIMITS before anything is decoded. Browser-safe: bytes in, no decoding. A format it does not know
 * (SVG, AVIF, TIFF, ICO, …) or a header it cannot read is refused (TypeError); too large a size is a RangeError.
 */
export function checkImageHeader(bytes: Uint8Array, name = 'image'): { format: ImageFormat; width: number; height: number } {
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`${name}: expected the file's bytes (a Uint8Array)`);
  const at = (i: number, text: string) => [...text].every((c, k) => bytes[i + k] === c.charCodeAt(0));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const unreadable = (format: string, why: string) => new TypeError(`${name} is not a readable ${format} (${why})`);
  const need = (n: number, format: string) => { if (bytes.length < n) throw unreadable(format, `${bytes.length} bytes: truncated?`); };
  if (bytes[0] === 0x89 && at(1, 'PNG')) {
    const { width, height } = checkPngHeader(bytes, name);
    return { format: 'png', width, height };
  }
  if (at(0, 'GIF87a') || at(0, 'GIF89a')) {
    need(13, 'GIF');
    const width = view.getUint16(6, true), height = view.getUint16(8, true);
    checkImageSize(width, height, name);
    // each frame's descriptor may declare a larger image than the screen: walk the blocks and check every one
    let i = 13;
    if (bytes[10] & 0x80) i += 3 * (2 << (bytes[10] & 7));
    for (let frames = 0; i < bytes.length && frames < 100_000;) {
      const block = bytes[i];
      if (block === 0x3b) break; // trailer
      if (block === 0x21) { // extension: label, then sub-blocks
        i += 2;
        while (i < bytes.length && bytes[i] !== 0) i += bytes[i] + 1;
        i += 1;
      } else if (block === 0x2c) { // image descriptor
        need(i + 10, 'GIF');
        const left = view.getUint16(i + 1, true), top = view.getUint16(i + 3, true);
        const w = view.getUint16(i + 5, true), h = view.getUint16(i + 7, true), flags = bytes[i + 9];
        checkImageSize(Math.max(width, left + w), Math.max(height, top + h), `${name} (frame ${frames + 1})`);
        frames++;
        i += 10;
        if (flags & 0x80) i += 3 * (2 << (flags & 7));
        i += 1; // LZW minimum code size
        while (i < bytes.length && bytes[i] !== 0) i += bytes[i] + 1;
        i += 1;
      } else break; // damaged: the decoder stops here too
    }
    return { format: 'gif', width, height };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xd8) {
    // markers until a start of frame (SOF0–SOF15 but DHT C4, JPG C8, DAC CC); each segment says its length
    for (let i = 2; ;) {
      while (i < bytes.length && bytes[i] === 0xff && bytes[i + 1] === 0xff) i++; // fill bytes
      need(i + 4, 'JPEG');
      if (bytes[i] !== 0xff) throw unreadable('JPEG', `no marker at byte ${i}`);
      const marker = bytes[i + 1];
      if (marker === 0xd9 || marker === 0xda) throw unreadable('JPEG', 'no frame header before the image data');
      if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) { i += 2; continue; }
      const length = view.getUint16(i + 2);
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        need(i + 9, 'JPEG');
        const height = view.getUint16(i + 5), width = view.getUint16(i + 7);
        // a height of 0 means "given later by a DNL marker": refused rather than trusted
        checkImageSize(width, height, name);
        return { format: 'jpeg', width, height };
      }
      if (length < 2) throw unreadable('JPEG', `a segment of length ${length} at byte ${i}`);
      i += 2 + length;
    }
  }
  if (at(0, 'RIFF') && at(8, 'WEBP')) {
    need(16, 'WebP');
    need(at(12, 'VP8L') ? 25 : 30, 'WebP');
    let width: number, height: number;
    if (at(12, 'VP8 ')) {
      width = view.getUint16(26, true) & 0x3fff; height = view.getUint16(28, true) & 0x3fff;
    } else if (at(12, 'VP8L')) {
      const bits = view.getUint32(21, true);
      width = (bits & 0x3fff) + 1; height = ((bits >>> 14) & 0x3fff) + 1;
    } else if (at(12, 'VP8X')) {
      width = (bytes[24] | (bytes[25] << 8) | (bytes[26] << 16)) + 1; height = (bytes[27] | (bytes[28] << 8) | (bytes[29] << 16)) + 1;
    } else throw unreadable('WebP', `unknown chunk '${String.fromCharCode(...bytes.subarray(12, 16))}'`);
    checkImageSize(width, height, name);
    return { format: 'webp', width, height };
  }
  if (at(0, 'BM')) {
    need(26, 'BMP');
    const header = view.getUint32(14, true);
    const width = header === 12 ? view.getUint16(18, true) : Math.abs(view.getInt32(18, true));
    const height = header === 12 ? view.getUint16(20, true) : Math.abs(view.getInt32(22, true)); // negative: top-down rows
    checkImageSize(width, height, name);
    return { format: 'bmp', width, height };
  }
  throw new TypeError(`${name} is not an image convlab reads: PNG, GIF, JPEG, WebP or BMP (its size is checked from the header before decoding)`);
}

/** Luminance weights of red, green and blue (ITU-R BT.601): grey = 0.299 R + 0.587 G + 0.114 B. */
export const LUMA = [0.299, 0.587, 0.114] as const;

/** RGBA bytes → grey in [0,1] with the ink bright. The background is the image's most common appearance (fully
 *  transparent, or an opaque grey level): on a transparent background the ink is what is opaque; on an opaque one,
 *  each pixel is laid over the background colour and the ink is how far it is from it, towards the side (darker or
 *  lighter) where most of the strongly differing pixels lie. A few semi-transparent pixels, a transparent frame,
 *  or a mid-grey background therefore do not flip the polarity. */
export function rgbaToInk(rgba: ArrayLike<number>, width: number, height: number): Float32Array {
  const pixels = width * height;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || rgba.length !== pixels * 4) {
    throw new RangeError(`rgbaToInk: a ${width}×${height} image needs ${pixels * 4} RGBA bytes, got ${rgba.length}`);
  }
  const grey = new Float32Array(pixels), alpha = new Float32Array(pixels);
  // histogram: bin 0 = (nearly) transparent, bins 1..32 = opaque grey levels
  const bins = new Float64Array(33), binSum = new Float64Array(33);
  for (let p = 0; p < pixels; p++) {
    const a = rgba[p * 4 + 3] / 255;
    const luminance = (LUMA[0] * rgba[p * 4] + LUMA[1] * rgba[p * 4 + 1] + LUMA[2] * rgba[p * 4 + 2]) / 255;
    grey[p] = luminance; alpha[p] = a;
    if (a < 0.1) bins[0]++;
    else if (a > 0.9) { const bin = 1 + Math.min(31, Math.floor(luminance * 32)); bins[bin]++; binSum[bin] += luminance; }
  }
  let mode = 0;
  for (let bin = 1; bin < 33; bin++) if (bins[bin] > bins[mode]) mode = bin;
  const ink = new Float32Array(pixels);
  if (mode === 0) {
    for (let p = 0; p < pixels; p++) ink[p] = alpha[p]; // transparent background: the ink is what is opaque
    return ink;
  }
  const background = binSum[mode] / bins[mode];
  let darker = 0, lighter = 0;
  for (let p = 0; p < pixels; p++) {
    const v = alpha[p] * grey[p] + (1 - alpha[p]) * background; // over the background colour
    grey[p] = v;
    if (v < background - 0.2) darker++; else if (v > background + 0.2) lighter++;
  }
  const dark = darker > lighter || (darker === lighter && background >= 0.5);
  const range = dark ? background : 1 - background;
  for (let p = 0; p < pixels; p++) {
    const contrast = dark ? background - grey[p] : grey[p] - background;
    ink[p] = range > 0 ? Math.min(1, Math.max(0, contrast / range)) : 0;
  }
  return ink;
}

/** The least ink (0..1, from rgbaToInk) a pixel needs for an image to count as holding a digit. */
export const MIN_INK = 0.2;

/** True when some pixel has at least MIN_INK: a blank or fully transparent image has no digit to read. */
export function inkFound(ink: Float32Array): boolean {
  for (let p = 0; p < ink.length; p++) if (ink[p] >= MIN_INK) return true;
  return false;
}

/** Ink image (bright = ink) of any size → 784 values in [0,1], MNIST style. All-blank input gives all zeros. */
export function toMnistDigit(ink: Float32Array, width: number, height: number): Float32Array {
  if (ink.length !== width * height) throw new RangeError(`toMnistDigit: ${width}×${height} needs ${width * height} values, got ${ink.length}`);
  const out = new Float32Array(784);
  let top = height, bottom = -1, left = width, right = -1, max = 0;
  for (let p = 0; p < ink.length; p++) max = Math.max(max, ink[p]);
  if (max <= 0) return out;
  const threshold = max * 0.1;
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) if (ink[y * width + x] > threshold) {
    top = Math.min(top, y); bottom = Math.max(bottom, y); left = Math.min(left, x); right = Math.max(right, x);
  }
  const boxW = right - left + 1, boxH = bottom - top + 1;
  const scale = 20 / Math.max(boxW, boxH);
  const outW = Math.max(1, Math.round(boxW * scale)), outH = Math.max(1, Math.round(boxH * scale));
  // area-average resample of the box into outW×outH
  const small = new Float32Array(outW * outH);
  for (let y = 0; y < outH; y++) for (let x = 0; x < outW; x++) {
    const y0 = top + (y * boxH) / outH, y1 = top + ((y + 1) * boxH) / outH;
    const x0 = left + (x * boxW) / outW, x1 = left + ((x + 1) * boxW) / outW;
    let sum = 0, area = 0;
    for (let sy = Math.floor(y0); sy < Math.ceil(y1); sy++) {
      const wy = Math.min(y1, sy + 1) - Math.max(y0, sy);
      for (let sx = Math.floor(x0); sx < Math.ceil(x1); sx++) {
        const wx = Math.min(x1, sx + 1) - Math.max(x0, sx);
        sum += ink[sy * width + sx] * wx * wy; area += wx * wy;
      }
    }
    small[y * outW + x] = area > 0 ? sum / area / max : 0;
  }
  // centre of mass to the middle of the 28×28 frame
  let mass = 0, cy = 0, cx = 0;
  for (let y = 0; y < outH; y++) for (let x = 0; x < outW; x++) { const v = small[y * outW + x]; mass += v; cy += v * y; cx += v * x; }
  const offsetY = Math.round(14 - (mass > 0 ? cy / mass : outH / 2) - 0.5);
  const offsetX = Math.round(14 - (mass > 0 ? cx / mass : outW / 2) - 0.5);
  for (let y = 0; y < outH; y++) for (let x = 0; x < outW; x++) {
    const ty = y + offsetY, tx = x + offsetX;
    if (ty >= 0 && ty < 28 && tx >= 0 && tx < 28) out[ty * 28 + tx] = Math.min(1, small[y * outW + x]);
  }
  return out;
}
