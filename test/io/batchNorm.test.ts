// BatchNormalization imported as convlab's batchNorm layer (not folded): PyTorch 1.13 torch.onnx.export files with
// BatchNorm2d after convs (opsets 9, 13, 17) and a BatchNorm1d MLP (test/fixtures/onnx/make_batchnorm_fixtures.py),
// compared with ONNX Runtime on 200 test digits (every class); and what the new door refuses, by name.
import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-web';
import onnxProto from 'onnx-proto';
import { fromData, modelFromOnnx, modelToOnnx, modelFromTfjs, modelToTfjs, modelToJSON, modelFromJSON, BatchNormLayer, type Sequential } from '../../core/index.js';
import { testDigits, expectSamePredictions } from './interop.js';

const { onnx } = onnxProto;
const all = testDigits(2000);
const N = 200;
const picked = Array.from({ length: N }, (_, i) => i * 10); // the 2000 test digits are sorted by class: about 20 of each
const inputs = new Float32Array(picked.flatMap((i) => Array.from(all.inputs.subarray(i * 784, (i + 1) * 784))));
const fixture = (file: string) => new Uint8Array(readFileSync(new URL(`../fixtures/onnx/${file}`, import.meta.url)));

beforeAll(() => { ort.env.wasm.numThreads = 1; });

async function ortRun(bytes: Uint8Array): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
  const feeds = { [session.inputNames[0]]: new ort.Tensor('float32', inputs.slice(), [N, 1, 28, 28]) };
  const result = await session.run(feeds);
  await session.release();
  return result[session.outputNames[0]].data as Float32Array;
}
const convlabRun = (model: Sequential) => model.predict(fromData(inputs.slice(), [N, 1, 28, 28])).data as Float32Array;

describe('PyTorch BatchNorm exports import as batchNorm layers and agree with ONNX Runtime', () => {
  it.each([9, 13, 17])('torch-bn-cnn (conv → BatchNorm2d → relu → pool, twice; log_softmax) at opset %i', async (opset) => {
    const bytes = fixture(`torch-bn-cnn-opset${opset}.onnx`);
    const model = modelFromOnnx(bytes, `torch-bn-cnn-opset${opset}.onnx`);
    expect(model.configs.map((c) => c.type)).toEqual(['conv', 'batchNorm', 'relu', 'maxPool', 'conv', 'batchNorm', 'relu', 'maxPool', 'flatten', 'dense', 'softmax']);
    // BatchNorm2d(8, momentum=0.2, eps=1e-3): PyTorch's momentum is convlab's; ONNX wrote 1 − 0.2
    expect(model.configs[5]).toEqual({ type: 'batchNorm', eps: 1e-3, momentum: 0.2 });
    expect(model.configs[1]).toEqual({ type: 'batchNorm', eps: 1e-5, momentum: 0.1 });
    const bn = model.layers[1] as BatchNormLayer;
    expect(Array.from(bn.runningVar.data).some((v) => Math.abs(v - 1) > 1e-3)).toBe(true); // trained statistics, not the defaults
    const theirs = (await ortRun(bytes)).map(Math.exp), ours = convlabRun(model); // LogSoftmax → softmax
    const worst = expectSamePredictions(ours, theirs, 10, 1e-4);
    expect(worst).toBeLessThan(1e-4);
  });

  it('torch-bn-mlp (Linear → BatchNorm1d → relu → Linear → BatchNorm1d, logits) at opset 13', async () => {
    const bytes = fixture('torch-bn-mlp-opset13.onnx');
    const model = modelFromOnnx(bytes);
    expect(model.configs.map((c) => c.type)).toEqual(['flatten', 'dense', 'batchNorm', 'relu', 'dense', 'batchNorm']);
    expectSamePredictions(convlabRun(model), await ortRun(bytes), 10, 1e-4);
  });

  it('round trips: ONNX → convlab → ONNX → convlab and → TF.js → convlab, and the model file, bit-identical; ONNX Runtime runs the re-export', async () => {
    const model = modelFromOnnx(fixture('torch-bn-cnn-opset17.onnx'));
    const again = modelFromOnnx(modelToOnnx(model));
    expect(modelToJSON(again)).toBe(modelToJSON(model));
    const { modelJson, weights } = modelToTfjs(model);
    expect(modelToJSON(modelFromTfjs(JSON.parse(JSON.stringify(modelJson)), () => weights))).toBe(modelToJSON(model));
    expect(modelToJSON(modelFromJSON(modelToJSON(model)).model)).toBe(modelToJSON(model));
    const proto = onnx.ModelProto.decode(modelToOnnx(model));
    const node = proto.graph!.node!.find((n) => n.opType === 'BatchNormalization')!;
    expect(node.input).toHaveLength(5);
    expect(node.attribute!.find((a) => a.name === 'momentum')!.f).toBeCloseTo(0.9, 6);
    expectSamePredictions(convlabRun(model), await ortRun(modelToOnnx(model)), 10, 1e-5);
  });
});

describe('what the BatchNormalization door refuses, naming it', () => {
  type Graph = onnxProto.onnx.GraphProto;
  const edit = (change: (graph: Graph) => void) => {
    const proto = onnx.ModelProto.decode(fixture('torch-bn-cnn-opset13.onnx'));
    change(proto.graph as Graph);
    return () => modelFromOnnx(onnx.ModelProto.encode(proto).finish(), 'bn.onnx');
  };
  const bnNode = (g: Graph) => g.node!.find((n) => n.opType === 'BatchNormalization')!;
  const initializer = (g: Graph, input: number) => g.initializer!.find((t) => t.name === bnNode(g).input![input])!;
  const setFloats = (t: onnxProto.onnx.ITensorProto, values: number[]) => { t.rawData = new Uint8Array(Float32Array.from(values).buffer); };
  it('a negative variance', () => {
    expect(edit((g) => { const t = initializer(g, 4); setFloats(t, [1, -0.5, 1, 1]); })).toThrow(/bn.onnx: cannot import operation '.*' \(BatchNormalization\): its variance of channel 1 is -0.5; a variance must be ≥ 0\. convlab imports .*made by pytorch 1\.13/);
  });
  it('a NaN mean', () => {
    expect(edit((g) => { setFloats(initializer(g, 3), [0, 0, NaN, 0]); })).toThrow(/non-finite weight: initializer '.*' has NaN at index 2/);
  });
  it('statistics of the wrong size', () => {
    expect(edit((g) => { const t = initializer(g, 1); t.dims = [3]; setFloats(t, [1, 1, 1]); })).toThrow(/\(BatchNormalization\): scale '.*' has shape \[3\], expected \[4\]/);
  });
  it('training mode, and a momentum convlab cannot keep', () => {
    expect(edit((g) => { bnNode(g).attribute!.push({ name: 'training_mode', type: onnx.AttributeProto.AttributeType.INT, i: 1 }); })).toThrow(/training_mode 1 .* is not supported; export the model in eval mode/);
    expect(edit((g) => { bnNode(g).attribute!.find((a) => a.name === 'momentum')!.f = 1; })).toThrow(/\(BatchNormalization\): momentum must be a number in \(0, 1\]/);
  });
  it('TF.js: BatchNormalization over another axis, and a negative moving variance', () => {
    const model = modelFromOnnx(fixture('torch-bn-cnn-opset13.onnx'));
    const { modelJson, weights } = modelToTfjs(model);
    const layers = modelJson.modelTopology.config.layers, bn = layers.find((l) => l.class_name === 'BatchNormalization')!;
    bn.config.axis = 1;
    expect(() => modelFromTfjs(JSON.parse(JSON.stringify(modelJson)), () => weights)).toThrow(/cannot import layer 'batch_normalization_1' \(BatchNormalization\): axis 1 is not the channels \(or features\) axis/);
    bn.config.axis = -1;
    const specs = modelJson.weightsManifest[0].weights, at = specs.findIndex((w) => w.name.endsWith('moving_variance'));
    const offset = specs.slice(0, at).reduce((sum, w) => sum + w.shape.reduce((a, b) => a * b, 1), 0);
    const damaged = weights.slice(); new DataView(damaged.buffer).setFloat32(offset * 4 + 8, -3, true);
    expect(() => modelFromTfjs(JSON.parse(JSON.stringify(modelJson)), () => damaged)).toThrow(/weight 'batch_normalization_1\/moving_variance' has variance -3 at channel 2; a variance must be ≥ 0/);
  });
});
