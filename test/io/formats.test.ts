// Telling model formats apart by their bytes, and opening files chosen or dropped together (the explainer's path).
import { describe, it, expect } from 'vitest';
import { detectFormat, modelFromFiles, modelFromBytes, modelToTfjs, modelToOnnx, modelToJSON, type Sequential } from '../../core/index.js';
import { shippedCnn } from './interop.js';

const encode = (text: string) => new TextEncoder().encode(text);
const weightsOf = (model: Sequential) => model.params().map((p) => Array.from(p.value.data));
const cnn = shippedCnn();
const tfjs = modelToTfjs(cnn);
const files = {
  convlab: { name: 'cnn.json', bytes: encode(modelToJSON(cnn)) },
  modelJson: { name: 'model.json', bytes: encode(JSON.stringify(tfjs.modelJson)) },
  weights: { name: 'weights.bin', bytes: tfjs.weights },
  onnx: { name: 'cnn.onnx', bytes: modelToOnnx(cnn) },
};

describe('detectFormat', () => {
  it('reads the format from the bytes, not the name', () => {
    expect(detectFormat(files.convlab.bytes)).toBe('convlab');
    expect(detectFormat(files.modelJson.bytes, 'renamed.txt')).toBe('tfjs');
    expect(detectFormat(files.onnx.bytes, 'model.bin')).toBe('onnx');
    expect(detectFormat(encode('\ufeff  \n{"format":"convlab-model"}'))).toBe('convlab');
  });
  it('leaves damaged JSON to convlab\'s reader, which names the damage', () => {
    expect(() => modelFromBytes(files.convlab.bytes.subarray(0, 100), 'cnn.json')).toThrow(/cnn.json is not valid JSON \(damaged or truncated\?\)/);
    expect(() => modelFromBytes(encode('hello'), 'notes.json')).toThrow(/notes.json is not valid JSON/);
  });
});

describe('modelFromFiles', () => {
  it('opens a TF.js model.json and its weights chosen together, in any order', () => {
    const opened = modelFromFiles([files.weights, files.modelJson]);
    expect([opened.format, opened.name]).toEqual(['tfjs', 'model.json']);
    expect(weightsOf(opened.model)).toEqual(weightsOf(cnn));
  });
  it('opens an .onnx file and a convlab .json', () => {
    expect(weightsOf(modelFromFiles([files.onnx]).model)).toEqual(weightsOf(cnn));
    const convlab = modelFromFiles([files.convlab]);
    expect(convlab.format).toBe('convlab');
    expect(weightsOf(convlab.model)).toEqual(weightsOf(cnn));
  });
  it('finds a weights file named with a folder in the manifest by its file name', () => {
    const json = structuredClone(tfjs.modelJson);
    json.weightsManifest[0].paths = ['shards/weights.bin'];
    expect(weightsOf(modelFromFiles([{ name: 'model.json', bytes: encode(JSON.stringify(json)) }, files.weights]).model)).toEqual(weightsOf(cnn));
  });
  it('asks for the weights file when model.json comes alone', () => {
    expect(() => modelFromFiles([files.modelJson])).toThrow(/model.json needs its weights file weights.bin: choose or drop it together with model.json/);
  });
  it('refuses weights paths that leave the folder', () => {
    for (const path of ['../secret.bin', '/etc/weights.bin', 'https://example.org/weights.bin']) {
      const json = structuredClone(tfjs.modelJson);
      json.weightsManifest[0].paths = [path];
      expect(() => modelFromFiles([{ name: 'model.json', bytes: encode(JSON.stringify(json)) }, files.weights])).toThrow(/must be a file name beside the model.json/);
    }
  });
  it('says what to choose when no file is a model', () => {
    expect(() => modelFromFiles([{ name: 'seven.png', bytes: new Uint8Array([0x89, 0x50]) }])).toThrow(/none of seven.png is a model: choose a convlab .json, a TF.js model.json together with its weights .bin file, or an .onnx file/);
  });
});
