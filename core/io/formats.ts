// core/io/formats.ts: one entry for every model format convlab reads — its own JSON, a TF.js layers model.json
// (with the weights files its manifest names) and ONNX — told apart by their bytes, not their names.
// Browser-safe: files arrive as {name, bytes}; 'convlab/node' reads them from disk.
import type { Sequential } from '../nn/model.js';
import { modelFromJSON, ModelFileError, readInputScale, type InputScale } from './modelFile.js';
import { modelFromTfjs, type WeightsReader } from './tfjs.js';
import { readOnnx } from './onnx.js';

export type ModelFormat = 'convlab' | 'tfjs' | 'onnx';
export interface ModelFileInput { name: string; bytes: Uint8Array }
/** A model read from a file; `inputScale`: what it expects of its input (the file's field or metadata), if stated. */
export interface LoadedModel { model: Sequential; format: ModelFormat; training?: Record<string, unknown>; inputScale?: InputScale }

/** JSON text if the bytes start (after white space) with '{', else null. */
function jsonText(bytes: Uint8Array): string | null {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0; // a byte-order mark
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i++;
  return bytes[i] === 0x7b ? new TextDecoder().decode(bytes) : null;
}

/** The format of a model file's bytes: a JSON object is convlab's or TF.js's (by its fields), anything else ONNX. */
export function detectFormat(bytes: Uint8Array, name = 'model file'): ModelFormat {
  const text = jsonText(bytes);
  if (text === null) return /\.json$/i.test(name) ? 'convlab' : 'onnx'; // a .json that is no JSON object: convlab's reader says so
  let json: unknown;
  try { json = JSON.parse(text); } catch { return 'convlab'; } // damaged JSON: convlab's reader names the damage
  return json && typeof json === 'object' && 'modelTopology' in json ? 'tfjs' : 'convlab';
}

/**
 * A model from one file's bytes, whatever its format. A TF.js model.json reads its weights through `readWeights`
 * (a path from its manifest → bytes); `name` names the file in error messages.
 */
export function modelFromBytes(bytes: Uint8Array, name: string, readWeights: WeightsReader = missingWeights(name)): LoadedModel {
  const format = detectFormat(bytes, name);
  switch (format) {
    case 'tfjs': {
      const json = JSON.parse(new TextDecoder().decode(bytes)); // detectFormat parsed it once already
      const model = modelFromTfjs(json, readWeights, name);
      const scale = (json.userDefinedMetadata as { convlabInputScale?: unknown } | undefined)?.convlabInputScale;
      return { model, format, ...(scale !== undefined ? { inputScale: readInputScale(scale, model.inputShape, `${name}: its userDefinedMetadata.convlabInputScale`) } : {}) };
    }
    case 'onnx': return { ...readOnnx(bytes, name, readWeights), format }; // external data files beside it
    default: return { ...modelFromJSON(new TextDecoder().decode(bytes), name), format };
  }
}

const missingWeights = (name: string): WeightsReader => (path) => {
  throw new ModelFileError(`weights file ${path} (named by ${name}) is missing: keep it beside ${name}`);
};

/**
 * A model from files chosen or dropped together (the explainer's "open a model"): a convlab .json, a TF.js
 * model.json with its weights file(s), or an .onnx file.
 */
export function modelFromFiles(files: ModelFileInput[]): LoadedModel & { name: string } {
  const formats = files.map((file) => detectFormat(file.bytes, file.name));
  const main = files.findIndex((file, i) => /\.(json|onnx)$/i.test(file.name) && (formats[i] !== 'onnx' || /\.onnx$/i.test(file.name)));
  if (main < 0) {
    throw new ModelFileError(`none of ${files.map((f) => f.name).join(', ') || 'the files'} is a model: choose a convlab .json, ` +
      'a TF.js model.json together with its weights .bin file, or an .onnx file');
  }
  const { name, bytes } = files[main];
  const byName = new Map(files.map((file) => [file.name, file.bytes]));
  const readWeights: WeightsReader = (path) => {
    const wanted = path.split('/').pop()!;
    const found = byName.get(wanted);
    if (!found) throw new ModelFileError(`${name} needs its weights file ${wanted}: choose or drop it together with ${name}`);
    return found;
  };
  return { ...modelFromBytes(bytes, name, readWeights), name };
}
