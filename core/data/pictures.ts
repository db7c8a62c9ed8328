// core/data/pictures.ts (Node only): PNG and JPEG bytes → RGBA pixels, bounded. The header is checked against
// IMAGE_LIMITS before anything is decoded (checkImageHeader); a PNG's image data is inflated with a cap at the size
// its header implies (a decompression bomb stops there); a JPEG is decoded by jpeg-js with its own resolution and
// memory caps set from IMAGE_LIMITS and without its tolerant mode (a truncated JPEG is refused, not half-drawn).
// Used by `predict` (io/node.ts readPng) and the folder loader (data/node.ts loadImageFolder).
import { inflateSync } from 'node:zlib';
import { PNG } from 'pngjs';
import jpeg from 'jpeg-js';
import { checkPngHeader, checkImageHeader, IMAGE_LIMITS } from './preprocess.js';

export interface Pixels { width: number; height: number; data: Uint8Array }

/** What decoding one JPEG may cost beyond its declared size (IMAGE_LIMITS). `scans`: a progressive JPEG has about 10
 *  (libjpeg's default script); each scan walks the whole image again, so a 390 KB file of 20,000 empty scans once
 *  took 17 s to decode. `memoryMB`: jpeg-js's own count of what it allocates — 4 colour components at the pixel limit
 *  take about 112 MB (coefficient blocks, component lines, the colour-converted copy, RGBA out). */
export const JPEG_DECODE_LIMITS = { scans: 100, memoryMB: 128 } as const;

/** The number of scans (start-of-scan segments) of a JPEG, counted by walking its segments and skipping each scan's
 *  entropy-coded data (where 0xFF is stuffed, so a marker is never mistaken); stops counting past `stopAfter`. */
export function jpegScans(bytes: Uint8Array, stopAfter = Infinity): number {
  let scans = 0;
  for (let i = 2; i + 4 <= bytes.length && scans <= stopAfter;) {
    if (bytes[i] !== 0xff) break; // damaged: the decoder names it
    const marker = bytes[i + 1];
    if (marker === 0xff) { i++; continue; } // a fill byte
    if (marker === 0xd9) break;
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) { i += 2; continue; }
    i += 2 + ((bytes[i + 2] << 8) | bytes[i + 3]);
    if (marker !== 0xda) continue;
    scans++;
    while (i + 1 < bytes.length && !(bytes[i] === 0xff && bytes[i + 1] !== 0 && !(bytes[i + 1] >= 0xd0 && bytes[i + 1] <= 0xd7))) i++;
  }
  return scans;
}

/** A PNG's RGBA pixels; `name` starts every message ("image a.png"). */
export function decodePng(read: Uint8Array, name: string): Pixels {
  const bytes = Buffer.from(read.buffer, read.byteOffset, read.byteLength);
  const header = checkPngHeader(bytes, name);
  // gather the IDAT chunks (bounds-checked) and inflate them with the cap before pngjs decodes anything
  const chunks: Buffer[] = [];
  for (let at = 8; at + 12 <= bytes.length;) {
    const length = bytes.readUInt32BE(at), type = bytes.toString('latin1', at + 4, at + 8);
    if (at + 12 + length > bytes.length) throw new Error(`${name} is not a readable PNG (chunk ${type} runs past the end: truncated?)`);
    if (type === 'IDAT') chunks.push(bytes.subarray(at + 8, at + 8 + length));
    if (type === 'IEND') break;
    at += 12 + length;
  }
  try { inflateSync(Buffer.concat(chunks), { maxOutputLength: header.inflatedBytes + 1 }); } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(code === 'ERR_BUFFER_TOO_LARGE'
      ? `${name}: its image data inflates to more than the ${header.inflatedBytes} bytes a ${header.width}×${header.height} PNG needs (a decompression bomb?)`
      : `${name} is not a readable PNG (${(error as Error).message})`);
  }
  let png: PNG;
  try { png = PNG.sync.read(bytes); } catch (error) { throw new Error(`${name} is not a readable PNG (${(error as Error).message})`); }
  return { width: png.width, height: png.height, data: png.data };
}

/** A baseline or progressive JPEG's RGBA pixels. */
export function decodeJpeg(bytes: Uint8Array, name: string): Pixels {
  const { width, height } = checkImageHeader(bytes, name);
  const scans = jpegScans(bytes, JPEG_DECODE_LIMITS.scans);
  if (scans > JPEG_DECODE_LIMITS.scans) {
    throw new RangeError(`${name} has more than ${JPEG_DECODE_LIMITS.scans} scans; convlab decodes JPEGs of at most ${JPEG_DECODE_LIMITS.scans} ` +
      '(a progressive JPEG has about 10; each scan decodes the whole picture again)');
  }
  let decoded: { width: number; height: number; data: Uint8Array };
  try {
    decoded = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, tolerantDecoding: false,
      maxResolutionInMP: IMAGE_LIMITS.pixels / 1e6, maxMemoryUsageInMB: JPEG_DECODE_LIMITS.memoryMB });
  } catch (error) {
    const message = (error as Error).message;
    if (/maxMemoryUsageInMB/.test(message)) {
      throw new RangeError(`${name} needs more than ${JPEG_DECODE_LIMITS.memoryMB} MB to decode at ${width}×${height} (more colour components than a picture has?)`);
    }
    throw new Error(`${name} is not a readable JPEG (${message})`);
  }
  if (decoded.width !== width || decoded.height !== height || decoded.data.length !== width * height * 4) {
    throw new Error(`${name} is not a readable JPEG (its header says ${width}×${height}, it decodes to ${decoded.width}×${decoded.height})`);
  }
  return decoded;
}

/** PNG or JPEG, told apart by the header. */
export function decodePicture(bytes: Uint8Array, name: string): Pixels {
  const { format } = checkImageHeader(bytes, name);
  if (format === 'png') return decodePng(bytes, name);
  if (format === 'jpeg') return decodeJpeg(bytes, name);
  throw new TypeError(`${name} is a ${format.toUpperCase()} picture; convlab decodes PNG and JPEG here (convert it)`);
}
