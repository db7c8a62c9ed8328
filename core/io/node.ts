// core/io/node.ts: model files on disk (Node only). Reads accept regular files only, up to a size cap; a save
// writes an exclusively created temporary file, fsyncs it, renames it over the target and fsyncs the folder.
import { IMAGE_LIMITS } from '../data/preprocess.js';
import { decodePng, decodeJpeg } from '../data/pictures.js';
import { basename } from 'node:path';
import { readRegularFile, writeFileAtomic } from './files.js';
export { readRegularFile, writeFileAtomic, checkWritable, checkTarget } from './files.js';
import { Sequential } from '../nn/model.js';
import { modelToJSON, ModelFileError, type InputScale } from './modelFile.js';
import { modelFromBytes, type LoadedModel } from './formats.js';
import { weightsBeside, modelPathOf } from './nodeFormats.js';

import { MAX_MODEL_FILE_BYTES } from './limits.js';
export { MAX_MODEL_FILE_BYTES };

/** Write the model atomically: readers see the old file or the whole new one, never half of it. */
export function saveModel(path: string, model: Sequential, training?: Record<string, unknown>, what = 'model file', inputScale?: InputScale): void {
  writeFileAtomic(path, modelToJSON(model, training, inputScale), what);
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
  return decodePng(readRegularFile(path, MAX_IMAGE_FILE_BYTES, 'image'), `image ${path}`);
}


/** A PNG or JPEG file's RGBA pixels (a JPEG by its start-of-image marker, anything else read as a PNG), bounded as readPng. */
export function readPicture(path: string): { width: number; height: number; data: Uint8Array } {
  const bytes = readRegularFile(path, MAX_IMAGE_FILE_BYTES, 'image');
  return bytes[0] === 0xff && bytes[1] === 0xd8 ? decodeJpeg(bytes, `image ${path}`) : decodePng(bytes, `image ${path}`);
}
