// TF.js layers models made by tfjs-layers itself (not by convlab's exporter): Sequential and functional chains
// saved with model.save, imported and compared with TF.js on 20 digits of every class; branches, graph models
// and hostile manifests refused by name (issues 23 and 25).
import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync, symlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { fromData, modelFromTfjs, modelToTfjs, type Sequential } from '../../core/index.js';
import { loadModel } from '../../core/node.js';
import { testDigits, expectSamePredictions, trained } from './interop.js';

const all = testDigits(2000);
const N = 200;
const picked = Array.from({ length: N }, (_, i) => i * 10); // the 2000 test digits are sorted by class: about 20 of each
const digits = { inputs: new Float32Array(picked.flatMap((i) => Array.from(all.inputs.subarray(i * 784, (i + 1) * 784)))), labels: Int32Array.from(picked, (i) => all.labels[i]) };

beforeAll(async () => { await tf.setBackend('cpu'); });

/** What tfjs-layers' model.save writes: model.json (as an object) and the weights file's bytes. */
async function saved(model: tfl.LayersModel): Promise<{ json: Record<string, unknown>; weights: Uint8Array }> {
  let json: Record<string, unknown> = {}, weights = new Uint8Array();
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    json = { format: 'layers-model', generatedBy: 'TensorFlow.js tfjs-layers v4.22.0', convertedBy: null, modelTopology: artifacts.modelTopology,
      weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }] };
    weights = new Uint8Array(artifacts.weightData as ArrayBuffer);
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  return { json, weights };
}
const reader = (weights: Uint8Array) => () => weights;
const tfjsRun = (model: tfl.LayersModel) => tf.tidy(() => (model.predict(tf.transpose(tf.tensor(digits.inputs, [N, 1, 28, 28]), [0, 2, 3, 1])) as tf.Tensor).dataSync() as Float32Array);
const convlabRun = (model: Sequential) => model.predict(fromData(digits.inputs.slice(), [N, 1, 28, 28])).data as Float32Array;

function layersChain(input: tfl.SymbolicTensor): tfl.SymbolicTensor {
  let x = tfl.layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', padding: 'same' }).apply(input) as tfl.SymbolicTensor;
  x = tfl.layers.maxPooling2d({ poolSize: 2 }).apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.conv2d({ filters: 6, kernelSize: 3, strides: 2 }).apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.leakyReLU({ alpha: 0.2 }).apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.flatten().apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.dense({ units: 16, activation: 'tanh' }).apply(x) as tfl.SymbolicTensor;
  return tfl.layers.dense({ units: 10, activation: 'softmax' }).apply(x) as tfl.SymbolicTensor;
}

describe('tfjs-layers models import and agree with TF.js (20 digits of every class)', () => {
  it('a functional Model that is a chain imports as the Sequential it is', async () => {
    const input = tfl.input({ shape: [28, 28, 1] });
    const model = tfl.model({ inputs: input, outputs: layersChain(input) });
    const { json, weights } = await saved(model);
    expect((json.modelTopology as { class_name: string }).class_name).toMatch(/^(Model|Functional)$/);
    const imported = modelFromTfjs(json, reader(weights));
    expect(imported.configs.map((c) => c.type)).toEqual(['conv', 'relu', 'maxPool', 'conv', 'leakyRelu', 'flatten', 'dense', 'tanh', 'dense', 'softmax']);
    expectSamePredictions(convlabRun(imported), tfjsRun(model), 10, 1e-4);
    expect(new Set(digits.labels).size).toBe(10);
    model.dispose();
  });
  it('a tfjs-layers Sequential (named by tfjs-layers, not convlab)', async () => {
    const model = tfl.sequential({ layers: [tfl.layers.inputLayer({ inputShape: [28, 28, 1] }), tfl.layers.conv2d({ filters: 3, kernelSize: 5, strides: 2, activation: 'relu' }),
      tfl.layers.dropout({ rate: 0.3 }), tfl.layers.flatten(), tfl.layers.dense({ units: 10 })] });
    const { json, weights } = await saved(model);
    const imported = modelFromTfjs(json, reader(weights));
    expectSamePredictions(convlabRun(imported), tfjsRun(model), 10, 1e-4);
    model.dispose();
  });
  it('a functional model with a real branch is refused, naming the layer that joins the branches', async () => {
    const input = tfl.input({ shape: [28, 28, 1] });
    const a = tfl.layers.conv2d({ filters: 2, kernelSize: 3, padding: 'same', name: 'left' }).apply(input) as tfl.SymbolicTensor;
    const b = tfl.layers.conv2d({ filters: 2, kernelSize: 3, padding: 'same', name: 'right' }).apply(input) as tfl.SymbolicTensor;
    const joined = tfl.layers.add({ name: 'residual' }).apply([a, b]) as tfl.SymbolicTensor;
    const out = tfl.layers.dense({ units: 10 }).apply(tfl.layers.flatten().apply(joined)) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: input, outputs: out });
    const { json, weights } = await saved(model);
    expect(() => modelFromTfjs(json, reader(weights), 'branched.json')).toThrow(/branched.json: layer 'residual' \(Add\) joins 2 branches \(left, right\); convlab imports chains/);
    model.dispose();
  });
});

describe('TF.js files convlab refuses, with one clear error', () => {
  const base = () => modelToTfjs(trained([{ type: 'conv', filters: 2, kernelSize: 5, stride: 3 }, { type: 'relu' }, { type: 'flatten' }, { type: 'dense', units: 10 }, { type: 'softmax' }]));
  it('a TF.js graph model gets told what it is and how to convert', () => {
    const graph = { format: 'graph-model', generatedBy: '2.15.0', convertedBy: 'TensorFlow.js Converter v4.22.0', modelTopology: { node: [{ name: 'x', op: 'Placeholder' }] },
      weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: [{ name: 'w', shape: [3], dtype: 'int32' }] }] };
    expect(() => modelFromTfjs(graph, reader(new Uint8Array()), 'model.json')).toThrow(/model.json is a TF.js graph model \(from a tf.saved_model or frozen-graph conversion\); convlab reads TF.js layers models — convert the Keras model with tensorflowjs_converter --input_format=keras/);
  });
  it('NaN or Infinity weights, as convlab\'s own format refuses them', () => {
    const { modelJson, weights } = base();
    const poisoned = weights.slice();
    new DataView(poisoned.buffer).setFloat32(12, Number.NaN, true);
    expect(() => modelFromTfjs(modelJson, reader(poisoned))).toThrow(/model.json holds a non-finite weight: 'conv2d_1\/kernel' has NaN at index 3/);
    new DataView(poisoned.buffer).setFloat32(12, Infinity, true);
    expect(() => modelFromTfjs(modelJson, reader(poisoned))).toThrow(/has Infinity at index 3/);
  });
  it('two layers of one name', () => {
    const { modelJson, weights } = base();
    modelJson.modelTopology.config.layers[1].config.name = 'conv2d_1';
    expect(() => modelFromTfjs(modelJson, reader(weights))).toThrow(/cannot import layer 'conv2d_1' \(.*\): another layer has the same name/);
  });
  it('a manifest of thousands of paths: refused by count, with a short message', () => {
    const { modelJson, weights } = base();
    modelJson.weightsManifest[0].paths = Array.from({ length: 200000 }, (_, i) => `w${i}.bin`);
    let message = '';
    try { modelFromTfjs(modelJson, reader(weights)); } catch (error) { message = (error as Error).message; }
    expect(message).toMatch(/the weights manifest lists 200005 groups, files and weights, more than the limit of 1024/);
    expect(message.length).toBeLessThan(300);
  });
  it('names with control characters are echoed escaped', () => {
    const { modelJson, weights } = base();
    modelJson.modelTopology.config.layers[1].class_name = 'Evil\u001b[31m';
    expect(() => modelFromTfjs(modelJson, reader(weights))).toThrow(/\(Evil\\x1b\[31m\): convlab has no such layer/);
  });
  it('a weights path through a symbolic link to a folder outside the model\'s folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'convlab-tfjs-')), outside = mkdtempSync(join(tmpdir(), 'convlab-outside-'));
    try {
      const { modelJson, weights } = base();
      writeFileSync(join(outside, 'weights.bin'), weights);
      mkdirSync(join(dir, 'model'));
      symlinkSync(outside, join(dir, 'model', 'sub'));
      modelJson.weightsManifest[0].paths = ['sub/weights.bin'];
      writeFileSync(join(dir, 'model', 'model.json'), JSON.stringify(modelJson));
      expect(() => loadModel(join(dir, 'model', 'model.json'))).toThrow(/weights file .*sub\/weights.bin \(named by model.json\) leads outside the model's folder/);
      modelJson.weightsManifest[0].paths = ['weights.bin'];
      writeFileSync(join(dir, 'model', 'model.json'), JSON.stringify(modelJson));
      writeFileSync(join(dir, 'model', 'weights.bin'), weights);
      expect(loadModel(join(dir, 'model', 'model.json')).format).toBe('tfjs');
    } finally { rmSync(dir, { recursive: true }); rmSync(outside, { recursive: true }); }
  });
});
