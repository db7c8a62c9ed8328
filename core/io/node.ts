// core/io/node.ts: model files on disk (Node only). A save writes a temporary file and renames it.
import { readFileSync, writeFileSync, renameSync, rmSync } from 'node:fs';
import { basename } from 'node:path';
import { Sequential } from '../nn/model.js';
import { modelToJSON, ModelFileError } from './modelFile.js';
import { modelFromBytes, type LoadedModel } from './formats.js';
import { weightsBeside, modelPathOf } from './nodeFormats.js';

/** Write the model atomically: readers see the old file or the whole new one, never half of it. */
export function saveModel(path: string, model: Sequential, training?: Record<string, unknown>): void {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, modelToJSON(model, training));
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/** Read a model file: convlab's JSON, a TF.js model.json (weights beside it; or its folder) or an .onnx file, told
 *  apart by content; a missing, damaged, truncated, foreign or newer file throws ModelFileError. */
export function loadModel(path: string): LoadedModel {
  path = modelPathOf(path);
  let bytes: Uint8Array;
  try { bytes = readFileSync(path); } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ModelFileError(code === 'ENOENT' ? `model file ${path} does not exist` : `cannot read model file ${path}: ${(error as Error).message}`);
  }
  return modelFromBytes(bytes, `model file ${basename(path)}`, weightsBeside(path));
}
