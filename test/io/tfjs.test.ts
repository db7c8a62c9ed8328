// The TF.js layers format: convlab models out to TF.js (predictions compared with TF.js's own), TF.js models in,
// round trips bit for bit, and the refusals a foreign or damaged file gets.
import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { fromData, Sequential, modelToTfjs, modelFromTfjs, presets, type LayerConfig, type TfjsModelJson } from '../../core/index.js';
import { shippedCnn, testDigits, trained, expectSamePredictions } from './interop.js';

const digits = testDigits();
const N = 200;

/** Load the artifacts with TF.js's own layers-model reader (the manifest path tf.loadLayersModel takes). */
async function loadInTfjs(modelJson: TfjsModelJson, weights: Uint8Array): Promise<tfl.LayersModel> {
  const artifacts = await tf.io.getModelArtifactsForJSON(modelJson as unknown as tf.io.ModelJSON, async (manifest) => {
    expect(manifest[0].paths).toEqual(['weights.bin']);
    return [manifest.flatMap((group) => group.weights), weights.slice().buffer];
  });
  return tfl.loadLayersModel(tf.io.fromMemory(artifacts));
}

/** TF.js's class probabilities for convlab-layout inputs [N,C,H,W] (transposed to [N,H,W,C]) or [N,n]. */
function tfjsPredict(model: tfl.LayersModel, inputShape: number[], inputs: Float32Array, count: number): Float32Array {
  return tf.tidy(() => {
    let x = tf.tensor(inputs, [count, ...inputShape]);
    if (inputShape.length === 3) x = tf.transpose(x, [0, 2, 3, 1]);
    return (model.predict(x) as tf.Tensor).dataSync() as Float32Array;
  });
}

const convlabPredict = (model: Sequential, inputs: Float32Array, count: number) =>
  model.predict(fromData(inputs.slice(), [count, ...model.inputShape])).data as Float32Array;

const readerOf = (weights: Uint8Array) => (path: string) => { expect(path).toBe('weights.bin'); return weights; };

beforeAll(async () => { await tf.setBackend('cpu'); });

// every layer convlab can export, on multi-channel maps (the flatten order matters), with a permute-only end
const everyLayer: LayerConfig[] = [
  { type: 'conv', filters: 4, kernelSize: 3, padding: 1 }, { type: 'batchNorm' }, { type: 'leakyRelu', alpha: 0.1 }, { type: 'normalize' },
  { type: 'conv', filters: 6, kernelSize: [3, 2], stride: 2, padding: 'same' }, { type: 'tanh' }, { type: 'maxPool', size: 2, stride: 1 },
  // a batchNorm between a Flatten of maps and the dense: its per-feature numbers follow Keras's (h,w,c) order
  { type: 'dropout', rate: 0.25 }, { type: 'flatten' }, { type: 'batchNorm', momentum: 0.2, eps: 1e-3 }, { type: 'dense', units: 32 }, { type: 'sigmoid' }, { type: 'dense', units: 10 }, { type: 'softmax' },
];

describe('export to TF.js', () => {
  const cases: [string, () => Sequential][] = [
    ['the shipped cnn', shippedCnn],
    ['an MLP', () => trained(presets.mlp.layers)],
    ['a network of every exportable layer', () => trained(everyLayer)],
    ['a dense straight on maps (no flatten)', () => trained([{ type: 'conv', filters: 3, kernelSize: 5, stride: 3 }, { type: 'relu' }, { type: 'dense', units: 10 }, { type: 'softmax' }])],
    ['maps flattened into a softmax (a Permute keeps the order)', () => trained([{ type: 'conv', filters: 5, kernelSize: [28, 14], stride: 14 }, { type: 'flatten' }, { type: 'softmax' }])],
  ];
  it.each(cases)('%s predicts in TF.js what it predicts in convlab (200 test digits)', async (_, make) => {
    const model = make();
    const { modelJson, weights } = modelToTfjs(model);
    const loaded = await loadInTfjs(modelJson, weights);
    const theirs = tfjsPredict(loaded, model.inputShape, digits.inputs, N);
    const ours = convlabPredict(model, digits.inputs, N);
    expectSamePredictions(theirs, ours, model.classes);
    loaded.dispose();
  });

  it('writes Keras layouts: conv kernels [kh,kw,in,out], dense [in,out], channels-last input', () => {
    const { modelJson } = modelToTfjs(shippedCnn());
    expect(modelJson.format).toBe('layers-model');
    const specs = modelJson.weightsManifest[0].weights;
    expect(specs.map((w) => w.shape)).toEqual([[5, 5, 1, 8], [8], [5, 5, 8, 16], [16], [256, 10], [10]]);
    expect(modelJson.modelTopology.config.layers[0].config.batch_input_shape).toEqual([null, 28, 28, 1]);
    expect(modelJson.modelTopology.config.layers.map((l) => l.class_name)).not.toContain('Permute'); // the dense absorbs the order
  });

  it('puts the flatten order into the dense weights: Keras row (h,w,c) is convlab column (c,h,w)', () => {
    const model = new Sequential({ inputShape: [2, 1, 2], layers: [{ type: 'flatten' }, { type: 'dense', units: 1 }] });
    (model.layers[1] as unknown as { weights: { data: Float32Array } }).weights.data.set([10, 11, 20, 21]); // columns c0h0w0, c0h0w1, c1h0w0, c1h0w1
    const { weights } = modelToTfjs(model);
    expect(Array.from(new Float32Array(weights.slice().buffer, 0, 4))).toEqual([10, 20, 11, 21]); // rows h0w0c0, h0w0c1, h0w1c0, h0w1c1
  });
});

describe('import from TF.js', () => {
  it('a model built and trained in TF.js (channels-last, same padding, stride 2, dense with softmax) predicts the same in convlab', async () => {
    const net = tfl.sequential({ layers: [
      tfl.layers.conv2d({ inputShape: [28, 28, 1], filters: 6, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
      tfl.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 10, activation: 'softmax' }),
    ] });
    net.compile({ optimizer: tf.train.adam(0.01), loss: 'sparseCategoricalCrossentropy' });
    const { train } = (await import('../../core/node.js')).loadDigits();
    const count = 512;
    const x = tf.tensor4d(train.inputs.subarray(0, count * 784), [count, 28, 28, 1]);
    const y = tf.tensor1d(Array.from(train.labels.subarray(0, count)), 'float32');
    await net.fit(x, y, { epochs: 1, batchSize: 32, verbose: 0 });
    tf.dispose([x, y]);
    let saved: tf.io.ModelArtifacts | undefined;
    await net.save(tf.io.withSaveHandler(async (artifacts) => { saved = artifacts; return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }; }));
    // the model.json TF.js writes beside its weights file
    const modelJson = { format: saved!.format, generatedBy: saved!.generatedBy, convertedBy: null, modelTopology: saved!.modelTopology,
      weightsManifest: [{ paths: ['weights.bin'], weights: saved!.weightSpecs }] };
    const model = modelFromTfjs(JSON.stringify(modelJson), readerOf(new Uint8Array(saved!.weightData as ArrayBuffer)));
    expect(model.inputShape).toEqual([1, 28, 28]);
    expect(model.configs.map((c) => c.type)).toEqual(['conv', 'relu', 'conv', 'relu', 'maxPool', 'flatten', 'dense', 'softmax']);
    expect(model.configs[0]).toMatchObject({ stride: 2, padding: 'same', kernelSize: 3 });
    const theirs = tfjsPredict(net, [1, 28, 28], digits.inputs, N);
    const ours = convlabPredict(model, digits.inputs, N);
    expectSamePredictions(ours, theirs, 10);
    net.dispose();
  });

  it.each([['the shipped cnn', shippedCnn], ['every exportable layer', () => trained(everyLayer, [1, 28, 28], 5)],
    ['the iris network', () => new Sequential({ inputShape: [4], layers: presets.iris.layers, seed: 4 })]] as [string, () => Sequential][])(
    'round trip convlab → TF.js → convlab gives bit-identical weights: %s', (_, make) => {
      const model = make();
      const { modelJson, weights } = modelToTfjs(model);
      const back = modelFromTfjs(JSON.parse(JSON.stringify(modelJson)), readerOf(weights));
      expect(back.inputShape).toEqual(model.inputShape);
      expect(back.configs.map((c) => c.type)).toEqual(model.configs.map((c) => c.type));
      const bytes = (m: Sequential) => [...m.params(), ...m.state()].map((p) => Buffer.from(p.value.data.buffer, p.value.data.byteOffset, p.value.data.byteLength).toString('hex'));
      expect(bytes(back)).toEqual(bytes(model));
      expect(convlabPredict(back, digits.inputs, 20)).toEqual(convlabPredict(model, digits.inputs, 20));
    });
});

describe('what TF.js import refuses, with one clear error', () => {
  const base = () => modelToTfjs(shippedCnn());
  const layersOf = (json: TfjsModelJson) => json.modelTopology.config.layers;

  it('an unsupported layer, naming it and the supported list', () => {
    const { modelJson, weights } = base();
    layersOf(modelJson).splice(2, 0, { class_name: 'UpSampling2D', config: { name: 'up_1', size: [2, 2] } });
    expect(() => modelFromTfjs(modelJson, readerOf(weights))).toThrow(/cannot import layer 'up_1' \(UpSampling2D\): convlab has no such layer\. convlab imports InputLayer, Conv2D/);
  });
  it('an unsupported activation, a dilated conv, a same-padded pool, a LayerNormalization over channels', () => {
    const change = (index: number, patch: Record<string, unknown>) => {
      const { modelJson, weights } = base();
      Object.assign(layersOf(modelJson)[index].config, patch);
      return () => modelFromTfjs(modelJson, readerOf(weights));
    };
    expect(change(1, { activation: 'elu' })).toThrow(/activation 'elu' is not relu, sigmoid, tanh, softmax or linear/);
    expect(change(0, { dilation_rate: [2, 2] })).toThrow(/conv2d_1.*dilated convolution is not supported/);
    expect(change(2, { padding: 'same' })).toThrow(/max_pooling2d_1.*padding 'same'/);
    const { modelJson, weights } = modelToTfjs(trained(everyLayer));
    layersOf(modelJson).find((l) => l.class_name === 'LayerNormalization')!.config.axis = -1;
    expect(() => modelFromTfjs(modelJson, readerOf(weights))).toThrow(/LayerNormalization.*axes \[1,2\]/);
  });
  it('a functional (non-Sequential) model', () => {
    const { modelJson, weights } = base();
    (modelJson.modelTopology as { class_name: string }).class_name = 'Functional';
    expect(() => modelFromTfjs(modelJson, readerOf(weights))).toThrow(/holds a Functional model whose layer '.*' names no inbound_nodes; convlab imports Sequential models and functional chains/);
  });
  it('a weights file that is short, or longer than the manifest says', () => {
    const { modelJson, weights } = base();
    expect(() => modelFromTfjs(modelJson, readerOf(weights.subarray(0, weights.length - 4)))).toThrow(/weights file weights.bin is short: it has \d+ bytes, the manifest in model.json needs \d+/);
    const longer = new Uint8Array(weights.length + 8); longer.set(weights);
    expect(() => modelFromTfjs(modelJson, readerOf(longer))).toThrow(/has more bytes than the \d+ the manifest/);
  });
  it('a missing weights file (the reader\'s own error passes through)', () => {
    const { modelJson } = base();
    expect(() => modelFromTfjs(modelJson, () => { throw new Error('weights file weights.bin (named by model.json) is missing'); })).toThrow(/weights.bin \(named by model.json\) is missing/);
  });
  it('weights of another dtype, or quantized', () => {
    const { modelJson, weights } = base();
    modelJson.weightsManifest[0].weights[1].dtype = 'int32';
    expect(() => modelFromTfjs(modelJson, readerOf(weights))).toThrow(/weight 'conv2d_1\/bias' has dtype int32; convlab reads float32 weights only/);
    const other = base();
    other.modelJson.weightsManifest[0].weights[0].quantization = { dtype: 'uint8', scale: 1, min: 0 };
    expect(() => modelFromTfjs(other.modelJson, readerOf(other.weights))).toThrow(/is quantized/);
  });
  it('a manifest naming weights the topology does not have, or lacking one it needs', () => {
    const { modelJson, weights } = base();
    modelJson.weightsManifest[0].weights.push({ name: 'ghost/kernel', shape: [2], dtype: 'float32' });
    expect(() => modelFromTfjs(modelJson, readerOf(weights))).toThrow(/the weights manifest names 'ghost\/kernel', which no layer of the model has/);
    const other = base();
    other.modelJson.weightsManifest[0].weights[4].name = 'dense_9/kernel';
    expect(() => modelFromTfjs(other.modelJson, readerOf(other.weights))).toThrow(/has no 'dense_1\/kernel' for layer 'dense_1' \(Dense\)/);
  });
  it('a weight whose shape does not fit its layer', () => {
    const { modelJson, weights } = base();
    modelJson.weightsManifest[0].weights[0].shape = [5, 5, 2, 4];
    expect(() => modelFromTfjs(modelJson, readerOf(weights))).toThrow(/weight 'conv2d_1\/kernel' has shape \[5,5,2,4\] but layer 'conv2d_1' needs \[5,5,1,8\]/);
  });
  it('checks sizes before reading or allocating: a huge declared weight or input is refused without reading', () => {
    const { modelJson } = base();
    let reads = 0;
    const reader = () => { reads++; return new Uint8Array(0); };
    modelJson.weightsManifest[0].weights[4].shape = [100000, 100000];
    expect(() => modelFromTfjs(modelJson, reader)).toThrow(/more than the parameter limit of \d+ values/);
    const other = base();
    layersOf(other.modelJson)[0].config.batch_input_shape = [null, 100000, 100000, 1];
    expect(() => modelFromTfjs(other.modelJson, reader)).toThrow(/the input has shape \[1,100000,100000\], more than the per-sample limit/);
    const dense = base();
    layersOf(dense.modelJson)[7].config.units = 2e9;
    expect(() => modelFromTfjs(dense.modelJson, reader)).toThrow(/more than the parameter limit|needs \[256,2000000000\]/);
    expect(reads).toBe(0);
  });
  it('text that is not JSON, or JSON that is not a layers model', () => {
    expect(() => modelFromTfjs('{"modelTopology": ', readerOf(new Uint8Array()))).toThrow(/model.json is not valid JSON/);
    expect(() => modelFromTfjs('{"hello": 1}', readerOf(new Uint8Array()))).toThrow(/is not a TF.js layers model \(no "modelTopology"\)/);
  });
});
