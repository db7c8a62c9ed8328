// core/io/node.ts: model files on disk (Node only). Reads accept regular files only, up to a size cap; a save
// writes an exclusively created temporary file, fsyncs it, renames it over the target and fsyncs the folder.
import { inflateSync } from 'node:zlib';
import { PNG } from 'pngjs';
import { checkPngHeader, IMAGE_LIMITS } from '../data/preprocess.js';
import { basename } from 'node:path';
import { readRegularFile, writeFileAtomic } from './files.js';
export { readRegularFile, writeFileAtomic, checkWritable, checkTarget } from './files.js';
import { Sequential } from '../nn/model.js';
import { modelToJSON, ModelFileError } from './modelFile.js';
import { modelFromBytes, type LoadedModel } from './formats.js';
import { weightsBeside, modelPathOf } from './nodeFormats.js';

import { MAX_MODEL_FILE_BYTES } from './limits.js';
export { MAX_MODEL_FILE_BYTES };

/** Write the model atomically: readers see the old file or the whole new one, never half of it. */
export function saveModel(path: string, model: Sequential, training?: Record<string, unknown>, what = 'model file'): void {
  writeFileAtomic(path, modelToJSON(model, training), what);
}

/** Read a model file: convlab's JSON, a TF.js model.json (weights beside it; or its folder) or an .onnx file, told
 *  apart by content; a missing, damaged, truncated, foreign or newer file throws ModelFileError. Regular files only,
 *  at most MAX_MODEL_FILE_BYTES. */
export function loadModel(path: string): LoadedModel {
  path = modelPathOf(path);
  let bytes: Uint8Array;
  try { bytes = readRegularFile(path, MAX_MODEL_FILE_BYTES, 'model file'); } catch (error) {
    throw new ModelFileError((error as Error).message);
  }
  return modelFromBytes(bytes, `model file ${basename(path)}`, weightsBeside(path));
}

/** The largest image file read (16 MiB): a PNG of a digit is a few kilobytes. */
export const MAX_IMAGE_FILE_BYTES = IMAGE_LIMITS.fileBytes;

/** A PNG file's RGBA pixels, bounded: a regular file of at most MAX_IMAGE_FILE_BYTES, its header checked against
 *  IMAGE_LIMITS before decoding, and its image data inflated with a cap at the size the header implies (a
 *  decompression bomb stops there instead of filling memory). Errors say what was wrong. */
export function readPng(path: string): { width: number; height: number; data: Uint8Array } {
  const read = readRegularFile(path, MAX_IMAGE_FILE_BYTES, 'image');
  const bytes = Buffer.from(read.buffer, read.byteOffset, read.byteLength);
  const header = checkPngHeader(bytes, `image ${path}`);
  // gather the IDAT chunks (bounds-checked) and inflate them with the cap before pngjs decodes anything
  const chunks: Buffer[] = [];
  for (let at = 8; at + 12 <= bytes.length;) {
    const length = bytes.readUInt32BE(at), type = bytes.toString('latin1', at + 4, at + 8);
    if (at + 12 + length > bytes.length) throw new Error(`image ${path} is not a readable PNG (chunk ${type} runs past the end: truncated?)`);
    if (type === 'IDAT') chunks.push(bytes.subarray(at + 8, at + 8 + length));
    if (type === 'IEND') break;
    at += 12 + length;
  }
  try { inflateSync(Buffer.concat(chunks), { maxOutputLength: header.inflatedBytes + 1 }); } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(code === 'ERR_BUFFER_TOO_LARGE'
      ? `image ${path}: its image data inflates to more than the ${header.inflatedBytes} bytes a ${header.width}×${header.height} PNG needs (a decompression bomb?)`
      : `image ${path} is not a readable PNG (${(error as Error).message})`);
  }
  let png: PNG;
  try { png = PNG.sync.read(bytes); } catch (error) { throw new Error(`image ${path} is not a readable PNG (${(error as Error).message})`); }
  return { width: png.width, height: png.height, data: png.data };
}

