// core/io/nodeFormats.ts (Node only): TF.js and ONNX model files on disk — writing them atomically, and finding a
// TF.js model's weights files beside its model.json with their sizes checked before anything is read.
import { statSync, mkdirSync, existsSync, realpathSync } from 'node:fs';
import { readRegularFile, writeFileAtomic, checkTarget } from './files.js';
import { dirname, join, basename, sep } from 'node:path';
import type { Sequential } from '../nn/model.js';
import { ModelFileError, type InputScale } from './modelFile.js';
import { modelToTfjs, TFJS_WEIGHTS_FILE, type WeightsReader } from './tfjs.js';
import { modelToOnnx } from './onnx.js';

export { writeFileAtomic };

/**
 * Save the model in the TF.js layers format: `out` is a folder (model.json + weights.bin inside) or a path ending in
 * .json (the weights file goes beside it). The weights are written first, so a model.json never names a missing file.
 */
export function saveTfjs(out: string, model: Sequential, what = 'output file', inputScale?: InputScale): { modelJson: string; weights: string } {
  const { modelJson: modelJsonPath, weights: weightsPath, weightsName } = tfjsTargets(out);
  // both targets checked before either is written: a refused model.json never leaves a lone weights file
  checkTarget(modelJsonPath, what); checkTarget(weightsPath, what);
  mkdirSync(dirname(modelJsonPath), { recursive: true });
  const { modelJson, weights } = modelToTfjs(model, weightsName, inputScale);
  writeFileAtomic(weightsPath, weights, what);
  writeFileAtomic(modelJsonPath, JSON.stringify(modelJson), what);
  return { modelJson: modelJsonPath, weights: weightsPath };
}

/** The two files a TF.js save at `out` writes: `out` itself when it ends in .json (weights beside it), else model.json
 *  and weights.bin inside the folder `out`. */
export function tfjsTargets(out: string): { modelJson: string; weights: string; weightsName: string } {
  const modelJson = /\.json$/i.test(out) ? out : join(out, 'model.json');
  const weightsName = /\.json$/i.test(out) ? `${basename(out).replace(/\.json$/i, '')}.weights.bin` : TFJS_WEIGHTS_FILE;
  return { modelJson, weights: join(dirname(modelJson), weightsName), weightsName };
}

/** Save the model as one .onnx file (opset 13). */
export function saveOnnx(path: string, model: Sequential, what = 'output file', inputScale?: InputScale): void {
  writeFileAtomic(path, modelToOnnx(model, inputScale), what);
}

/**
 * The reader of the files a model names beside it (a TF.js manifest's weights, an ONNX file's external data):
 * inside the model's folder once symbolic links are resolved, regular files only, never more bytes than allowed.
 */
export function weightsBeside(modelJsonPath: string): WeightsReader {
  return (path, maxBytes) => {
    const file = join(dirname(modelJsonPath), path);
    let size: number;
    try {
      const folder = realpathSync(dirname(modelJsonPath)), real = realpathSync(file);
      if (!real.startsWith(folder + sep)) {
        throw new ModelFileError(`weights file ${file} (named by ${basename(modelJsonPath)}) leads outside the model's folder (to ${real}); ` +
          'keep the files a model names inside its folder');
      }
      const stats = statSync(file);
      if (!stats.isFile()) throw new ModelFileError(`weights file ${file} (named by ${basename(modelJsonPath)}) is not a regular file`);
      size = stats.size;
    } catch (error) {
      if (error instanceof ModelFileError) throw error;
      throw new ModelFileError((error as NodeJS.ErrnoException).code === 'ENOENT'
        ? `weights file ${file} (named by ${basename(modelJsonPath)}) is missing: keep it beside ${basename(modelJsonPath)}`
        : `cannot read weights file ${file}: ${(error as Error).message}`);
    }
    if (size > maxBytes) {
      throw new ModelFileError(`weights file ${file} has ${size} bytes, more than the ${maxBytes} the manifest in ${basename(modelJsonPath)} describes (another model's weights?)`);
    }
    return readRegularFile(file, maxBytes, 'weights file');
  };
}

/** A folder holding a model.json stands for that model.json. */
export function modelPathOf(path: string): string {
  try { if (statSync(path).isDirectory() && existsSync(join(path, 'model.json'))) return join(path, 'model.json'); } catch { /* the caller reports it */ }
  return path;
}
