// ONNX: convlab models out (run by ONNX Runtime's WebAssembly backend, offline, predictions compared), ONNX models
// in (round trip, and graphs written here by hand in the forms PyTorch's exporter uses), and the refusals.
import { describe, it, expect, beforeAll } from 'vitest';
import * as ort from 'onnxruntime-web';
import onnxProto from 'onnx-proto';
import { fromData, Sequential, modelToOnnx, modelFromOnnx, presets, type LayerConfig } from '../../core/index.js';
import { shippedCnn, testDigits, trained, expectSamePredictions } from './interop.js';

const { onnx } = onnxProto;
const digits = testDigits();
const N = 200;

beforeAll(() => { ort.env.wasm.numThreads = 1; });

async function ortPredict(bytes: Uint8Array, inputShape: number[], inputs: Float32Array, count: number): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
  const result = await session.run({ input: new ort.Tensor('float32', inputs.slice(0, count * inputShape.reduce((a, b) => a * b, 1)), [count, ...inputShape]) });
  await session.release();
  return result.output.data as Float32Array;
}
const convlabPredict = (model: Sequential, inputs: Float32Array, count: number) =>
  model.predict(fromData(inputs.slice(0, count * model.inputShape.reduce((a, b) => a * b, 1)), [count, ...model.inputShape])).data as Float32Array;

const everyLayer: LayerConfig[] = [
  { type: 'conv', filters: 4, kernelSize: 3, padding: 1 }, { type: 'batchNorm' }, { type: 'leakyRelu', alpha: 0.1 }, { type: 'normalize' },
  { type: 'conv', filters: 6, kernelSize: [4, 3], stride: 2, padding: 'same' }, { type: 'tanh' }, { type: 'maxPool', size: 3, stride: 2 },
  { type: 'dropout', rate: 0.25 }, { type: 'dense', units: 32 }, { type: 'batchNorm', momentum: 0.2, eps: 1e-3 }, { type: 'sigmoid' }, { type: 'dense', units: 10 }, { type: 'softmax' },
];

describe('export to ONNX (opset 13, IR 8)', () => {
  it.each([['the shipped cnn', shippedCnn], ['an MLP', () => trained(presets.mlp.layers)], ['every exportable layer', () => trained(everyLayer)]] as [string, () => Sequential][])(
    '%s predicts in ONNX Runtime what it predicts in convlab (200 test digits)', async (_, make) => {
      const model = make();
      const bytes = modelToOnnx(model);
      const theirs = await ortPredict(bytes, model.inputShape, digits.inputs, N);
      expectSamePredictions(theirs, convlabPredict(model, digits.inputs, N), model.classes);
    });

  it('states opset 13 and IR version 8, input [N,1,28,28], output [N,10]', () => {
    const proto = onnx.ModelProto.decode(modelToOnnx(shippedCnn()));
    expect(Number(proto.irVersion)).toBe(8);
    expect(proto.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([['', 13]]);
    expect(proto.graph!.node!.map((n) => n.opType)).toEqual(['Conv', 'Relu', 'MaxPool', 'Conv', 'Relu', 'MaxPool', 'Flatten', 'Gemm', 'Softmax']);
    const dims = (v: onnxProto.onnx.IValueInfoProto) => v.type!.tensorType!.shape!.dim!.map((d) => d.dimParam || Number(d.dimValue));
    expect(dims(proto.graph!.input![0])).toEqual(['N', 1, 28, 28]);
    expect(dims(proto.graph!.output![0])).toEqual(['N', 10]);
  });
});

describe('import from ONNX', () => {
  it.each([['the shipped cnn', shippedCnn], ['every exportable layer', () => trained(everyLayer, [1, 28, 28], 5)],
    ['the iris network', () => new Sequential({ inputShape: [4], layers: presets.iris.layers, seed: 4 })]] as [string, () => Sequential][])(
    'round trip convlab → ONNX → convlab gives bit-identical weights: %s', (_, make) => {
      const model = make();
      const back = modelFromOnnx(modelToOnnx(model));
      expect(back.inputShape).toEqual(model.inputShape);
      // a dense straight on maps comes back behind a Flatten (ONNX's Gemm takes vectors); the settings come back exactly
      expect(back.configs).toEqual(model.configs.flatMap((c, i): LayerConfig[] => (c.type === 'dense' && model.layers[i].inputShape.length > 1 ? [{ type: 'flatten' }, c] : [c]))
        .map((c) => (c.type === 'normalize' ? { type: 'normalize', eps: c.eps ?? 1e-5 } : c.type === 'batchNorm' ? { type: 'batchNorm', momentum: c.momentum ?? 0.1, eps: c.eps ?? 1e-5 } : c)));
      // the weights and batchNorm's running statistics
      const hex = (m: Sequential) => [...m.params(), ...m.state()].map((p) => Buffer.from(p.value.data.buffer, p.value.data.byteOffset, p.value.data.byteLength).toString('hex'));
      expect(hex(back)).toEqual(hex(model));
      expect(convlabPredict(back, digits.inputs, 20)).toEqual(convlabPredict(model, digits.inputs, 20));
    });

  it('reads the PyTorch exporter\'s forms: auto_pad SAME_UPPER, Gemm with transB 0, float_data, Identity; ONNX Runtime agrees', async () => {
    const model = trained([{ type: 'conv', filters: 3, kernelSize: 3, stride: 2, padding: 'same' }, { type: 'relu' }, { type: 'flatten' }, { type: 'dense', units: 10 }, { type: 'softmax' }]);
    const proto = onnx.ModelProto.decode(modelToOnnx(model));
    const graph = proto.graph!;
    const conv = graph.node![0];
    conv.attribute = conv.attribute!.filter((a) => a.name !== 'pads');
    conv.attribute.push({ name: 'auto_pad', type: 3, s: new TextEncoder().encode('SAME_UPPER') });
    const gemm = graph.node!.find((n) => n.opType === 'Gemm')!;
    gemm.attribute = [{ name: 'transB', type: 2, i: 0 }];
    const w = graph.initializer!.find((t) => t.name === gemm.input![1])!;
    const [out, inputs] = w.dims!.map(Number);
    const source = new Float32Array(Uint8Array.from(w.rawData!).buffer), transposed: number[] = [];
    for (let i = 0; i < inputs; i++) for (let o = 0; o < out; o++) transposed.push(source[o * inputs + i]);
    Object.assign(w, { dims: [inputs, out], floatData: transposed });
    delete (w as { rawData?: Uint8Array }).rawData;
    graph.node!.splice(2, 0, { opType: 'Identity', input: [graph.node![1].output![0]], output: ['copy'] });
    graph.node![3].input![0] = 'copy';
    const bytes = onnx.ModelProto.encode(proto).finish();
    const imported = modelFromOnnx(bytes);
    expect(imported.configs[0]).toMatchObject({ padding: 'same', stride: 2 });
    const theirs = await ortPredict(bytes, [1, 28, 28], digits.inputs, N);
    expectSamePredictions(convlabPredict(imported, digits.inputs, N), theirs, 10);
    expectSamePredictions(convlabPredict(imported, digits.inputs, N), convlabPredict(model, digits.inputs, N), 10, 1e-6);
  });
});

describe('what ONNX import refuses, with one clear error', () => {
  const edit = (change: (graph: onnxProto.onnx.IGraphProto) => void) => {
    const proto = onnx.ModelProto.decode(modelToOnnx(shippedCnn()));
    change(proto.graph!);
    return () => modelFromOnnx(onnx.ModelProto.encode(proto).finish(), 'edited.onnx');
  };
  it('an unsupported op, naming it and the supported list', () => {
    expect(edit((g) => { g.node![1].opType = 'Elu'; })).toThrow(/edited.onnx: cannot import operation 'layer1_relu' \(Elu\): convlab has no such layer\. convlab imports Conv/);
    expect(edit((g) => { g.node![2].opType = 'LpPool'; })).toThrow(/\(LpPool\): convlab has no such layer/);
  });
  it('unsupported attributes: grouped conv, ceil-mode pooling, a scaled InstanceNormalization, Gemm transA', () => {
    expect(edit((g) => { g.node![0].attribute!.find((a) => a.name === 'group')!.i = 2; })).toThrow(/grouped convolution is not supported/);
    expect(edit((g) => { g.node![2].attribute!.push({ name: 'ceil_mode', type: 2, i: 1 }); })).toThrow(/ceil_mode 1 keeps windows running past the edge/);
    expect(edit((g) => { g.node![7].attribute!.push({ name: 'transA', type: 2, i: 1 }); })).toThrow(/\(Gemm\): transA 1 \(the input transposed\) is not supported/);
    const model = trained([{ type: 'conv', filters: 2, kernelSize: 3 }, { type: 'normalize' }, { type: 'dense', units: 10 }, { type: 'softmax' }]);
    const proto = onnx.ModelProto.decode(modelToOnnx(model));
    const scale = proto.graph!.initializer!.find((t) => t.name === 'layer1.scale')!;
    scale.rawData = new Uint8Array(Float32Array.of(2, 1).buffer);
    expect(() => modelFromOnnx(onnx.ModelProto.encode(proto).finish())).toThrow(/InstanceNormalization.*scale must be all 1 and bias all 0/);
  });
  it('a graph that is not a chain', () => {
    expect(edit((g) => { g.node![4].input![0] = 'input'; })).toThrow(/a chain of operations, each reading the one before; this reads 'input', not 'layer3_conv_out'/);
  });
  it('weights of another data type, external data, or too few bytes', () => {
    expect(edit((g) => { g.initializer![0].dataType = 10; })).toThrow(/initializer 'layer0.kernels' has data type 10; convlab reads float32/);
    expect(edit((g) => { g.initializer![0].dataLocation = 1; })).toThrow(/keeps its data in an external file/);
    expect(edit((g) => { g.initializer![1].rawData = g.initializer![1].rawData!.subarray(0, 8); })).toThrow(/initializer 'layer0.bias' \[8\] needs 32 bytes, it has 8/);
  });
  it('a declared size over the limits, before copying anything', () => {
    expect(edit((g) => { g.initializer![0].dims = [100000, 100000, 1, 1]; })).toThrow(/more than the parameter limit/);
    expect(edit((g) => { g.input![0].type!.tensorType!.shape!.dim![2].dimValue = 1e6; g.input![0].type!.tensorType!.shape!.dim![3].dimValue = 1e6; }))
      .toThrow(/the input has shape \[1,1000000,1000000\], more than the per-sample limit/);
  });
  it('bytes that are not an ONNX model', () => {
    expect(() => modelFromOnnx(new TextEncoder().encode('{"format": "convlab-model"}'), 'cnn.onnx')).toThrow(/cnn.onnx is not a valid ONNX model/);
    expect(() => modelFromOnnx(new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0x0f]), 'cut.onnx')).toThrow(/cut.onnx is not a valid ONNX model/);
    expect(() => modelFromOnnx(new Uint8Array(0), 'empty.onnx')).toThrow(/empty.onnx is not a valid ONNX model \(it has no graph/);
  });
});
