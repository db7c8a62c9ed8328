// ONNX files made by another tool: PyTorch 1.13's torch.onnx.export of ordinary MNIST CNNs at opsets 9, 13 and 17
// (test/fixtures/onnx/make_torch_fixtures.py wrote them), imported and compared with ONNX Runtime on 200 test
// digits (every class): the same class and max |Δp| ≤ 1e-4. And what is refused, by name, producer and opset.
import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync, mkdtempSync, copyFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import onnxProto from 'onnx-proto';
import type { onnx as OnnxTypes } from 'onnx-proto';
import { fromData, modelFromOnnx, type Sequential } from '../../core/index.js';
import { loadModel } from '../../core/node.js';
import { testDigits, expectSamePredictions } from './interop.js';

// about 20 digits of each class
const all = testDigits(2000);
const N = 200;
const picked = Array.from({ length: N }, (_, i) => i * 10); // the 2000 test digits are sorted by class: about 20 of each
const digits = { inputs: new Float32Array(picked.flatMap((i) => Array.from(all.inputs.subarray(i * 784, (i + 1) * 784)))), labels: Int32Array.from(picked, (i) => all.labels[i]) };
const { onnx } = onnxProto;
const fixture = (file: string) => new Uint8Array(readFileSync(new URL(`../fixtures/onnx/${file}`, import.meta.url)));

beforeAll(() => { ort.env.wasm.numThreads = 1; });

async function ortRun(bytes: Uint8Array): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
  const result = await session.run({ input: new ort.Tensor('float32', digits.inputs.slice(0, N * 784), [N, 1, 28, 28]) });
  await session.release();
  return result.output.data as Float32Array;
}
const softmaxRows = (x: Float32Array, classes: number) => {
  const out = new Float32Array(x.length);
  for (let n = 0; n < x.length / classes; n++) {
    const row = x.subarray(n * classes, (n + 1) * classes), max = Math.max(...row);
    let sum = 0;
    for (let k = 0; k < classes; k++) sum += Math.exp(row[k] - max);
    for (let k = 0; k < classes; k++) out[n * classes + k] = Math.exp(row[k] - max) / sum;
  }
  return out;
};
const convlabRun = (model: Sequential) => model.predict(fromData(digits.inputs.slice(0, N * 784), [N, 1, 28, 28])).data as Float32Array;

describe('PyTorch exports (torch.onnx.export, PyTorch 1.13) import and agree with ONNX Runtime', () => {
  const heads = { example: 'log-softmax', view: 'logits', gap: 'softmax' } as const;
  const cases = (['example', 'view', 'gap'] as const).flatMap((net) => [9, 13, 17].map((opset) => [net, opset] as const));
  it.each(cases)('torch-%s at opset %i', async (net, opset) => {
    const bytes = fixture(`torch-${net}-opset${opset}.onnx`);
    const model = modelFromOnnx(bytes, `torch-${net}-opset${opset}.onnx`);
    const theirs = await ortRun(bytes), ours = convlabRun(model);
    const head = heads[net];
    // convlab imports a LogSoftmax head as softmax (exp of the file's log-probabilities); logits stay logits
    const p = head === 'log-softmax' ? theirs.map(Math.exp) : head === 'logits' ? softmaxRows(theirs, 10) : theirs;
    const q = head === 'logits' ? softmaxRows(ours, 10) : ours;
    expect(model.configs.at(-1)!.type).toBe(head === 'logits' ? 'dense' : 'softmax');
    if (head === 'logits') expectSamePredictions(ours, theirs, 10, 1e-4);
    const worst = expectSamePredictions(q, p, 10, 1e-4);
    expect(worst).toBeLessThan(1e-4);
    const classes = new Set(digits.labels);
    expect(classes.size).toBe(10);
  });

  it('reads the forms the exporter writes: view-flatten (Shape, Gather, Unsqueeze, Concat, Reshape), MatMul, BatchNormalization, AveragePool', () => {
    const model = modelFromOnnx(fixture('torch-view-opset13.onnx'));
    // the exporter (EVAL mode, its default) folds a BatchNorm2d that follows a Conv into it; BatchNorm1d stays, a layer of its own
    expect(model.configs.map((c) => c.type)).toEqual(['conv', 'relu', 'conv', 'conv', 'relu', 'maxPool', 'flatten', 'dense', 'batchNorm', 'relu', 'dense']);
    const gap = modelFromOnnx(fixture('torch-gap-opset17.onnx'));
    // ... and drops the Dropout of an eval-mode model
    expect(gap.configs.map((c) => c.type)).toEqual(['conv', 'relu', 'maxPool', 'conv', 'relu', 'conv', 'flatten', 'dense', 'softmax']);
  });

  // converters write a 1-D batch norm as [N,C] → Unsqueeze → [N,C,1] (or [N,C,1,1]) → BatchNormalization → Squeeze → [N,C]
  // (PyTorch 1.13 does not, so the exporter's own file is edited here), and GlobalAveragePool → Squeeze [2,3] for a flatten
  const wrapped = (file: string, axes: number[], edit?: (nodes: OnnxTypes.INodeProto[]) => void, squeezed = axes) => {
    const proto = onnx.ModelProto.decode(fixture(file)), graph = proto.graph!, opset = Number(proto.opsetImport![0].version);
    const at = graph.node!.findIndex((n) => n.opType === 'BatchNormalization'), bn = graph.node![at];
    const axesInput = (name: string, values: number[]) => {
      if (opset < 13) return { inputs: [] as string[], attribute: [{ name: 'axes', type: onnx.AttributeProto.AttributeType.INTS, ints: values }] };
      graph.initializer!.push({ name, dims: [values.length], dataType: 7, int64Data: values });
      return { inputs: [name], attribute: [] };
    };
    const before = axesInput('unsqueeze_axes', axes), after = axesInput('squeeze_axes', squeezed);
    const [x, y] = [bn.input![0], bn.output![0]];
    bn.input![0] = 'x_unsqueezed'; bn.output![0] = 'y_unsqueezed';
    graph.node!.splice(at + 1, 0, { opType: 'Squeeze', input: ['y_unsqueezed', ...after.inputs], output: [y], attribute: after.attribute });
    graph.node!.splice(at, 0, { opType: 'Unsqueeze', input: [x, ...before.inputs], output: ['x_unsqueezed'], attribute: before.attribute });
    edit?.(graph.node!);
    return onnx.ModelProto.encode(proto).finish();
  };
  it.each([[9, [2]], [13, [2]], [17, [2, 3]], [13, [-1]]] as const)('Unsqueeze/Squeeze around a 1-D BatchNormalization (opset %i, axes %j): the same model, ONNX Runtime agrees', async (opset, axes) => {
    const file = `torch-view-opset${opset}.onnx`, bytes = wrapped(file, [...axes]);
    const model = modelFromOnnx(bytes, file), plain = modelFromOnnx(fixture(file));
    expect(model.configs).toEqual(plain.configs);
    expect(model.state().map((p) => Array.from(p.value.data))).toEqual(plain.state().map((p) => Array.from(p.value.data)));
    expectSamePredictions(softmaxRows(convlabRun(model), 10), softmaxRows(await ortRun(bytes), 10), 10, 1e-4);
  });
  it('refuses Unsqueeze/Squeeze that are not around a 1-D BatchNormalization, naming the axes', () => {
    const file = 'torch-view-opset13.onnx';
    const unsqueeze = (nodes: OnnxTypes.INodeProto[]) => nodes.find((n) => n.opType === 'Unsqueeze' && n.output![0] === 'x_unsqueezed')!;
    // a ReLU between: the activation is [N,C,1]
    expect(() => modelFromOnnx(wrapped(file, [2], (nodes) => {
      const bn = nodes.find((n) => n.opType === 'BatchNormalization')!;
      nodes.splice(nodes.indexOf(bn), 0, { opType: 'Relu', input: ['x_unsqueezed'], output: ['r'] });
      bn.input![0] = 'r';
    }), 'between.onnx')).toThrow(/between.onnx: cannot import operation 'Relu' \(Relu\): it reads \[N,20,1\]; convlab takes sizes of 1 added by an Unsqueeze only around a BatchNormalization/);
    // a size of 1 put before the channels
    expect(() => modelFromOnnx(wrapped(file, [1]), 'front.onnx')).toThrow(/cannot import operation 'Unsqueeze' \(Unsqueeze\): only \[N,C\] vectors given trailing sizes of 1 .*\(axes \[1\] of \[N,20\]\)/);
    // a Squeeze of other axes than the Unsqueeze added
    expect(() => modelFromOnnx(wrapped(file, [2], undefined, [1]), 'other.onnx'))
      .toThrow(/other.onnx: cannot import operation '.*' \(Squeeze\): axes \[1\] are not the 1 trailing size\(s\) of 1 the Unsqueeze before added/);
    // the file ends with them still there
    expect(() => modelFromOnnx(wrapped(file, [2], (nodes) => { nodes.splice(nodes.findIndex((n) => n.input![0] === 'y_unsqueezed'), 1); nodes.splice(nodes.findIndex((n) => n.opType === 'BatchNormalization') + 1); }), 'end.onnx'))
      .toThrow(/end.onnx: the graph ends with the sizes of 1 an Unsqueeze added still there/);
    expect(() => modelFromOnnx(wrapped(file, [2], (nodes) => {
      const at = nodes.findIndex((n) => n.input![0] === 'y_unsqueezed');
      nodes.splice(at, 1);
      nodes[at].input![0] = 'y_unsqueezed';
    }), 'never.onnx'))
      .toThrow(/never.onnx: cannot import operation '.*' \(Relu\): it reads \[N,20,1\]/);
    // no axes at all
    expect(() => modelFromOnnx(wrapped(file, [2], (nodes) => { unsqueeze(nodes).input!.splice(1, 1); }), 'none.onnx')).toThrow(/\(Unsqueeze\): it names no axes/);
  });
  it('reads GlobalAveragePool → Squeeze [2,3] as the flatten it is', async () => {
    const proto = onnx.ModelProto.decode(fixture('torch-gap-opset13.onnx')), graph = proto.graph!;
    const flatten = graph.node!.find((n) => n.opType === 'Flatten')!;
    graph.initializer!.push({ name: 'squeeze_axes', dims: [2], dataType: 7, int64Data: [2, 3] });
    Object.assign(flatten, { opType: 'Squeeze', input: [flatten.input![0], 'squeeze_axes'], attribute: [] });
    const bytes = onnx.ModelProto.encode(proto).finish();
    const model = modelFromOnnx(bytes);
    expect(model.configs).toEqual(modelFromOnnx(fixture('torch-gap-opset13.onnx')).configs);
    expectSamePredictions(convlabRun(model), await ortRun(bytes), 10, 1e-4);
    graph.initializer!.at(-1)!.int64Data = [1, 2];
    expect(() => modelFromOnnx(onnx.ModelProto.encode(proto).finish())).toThrow(/\(Squeeze\): only \[N,C,1,1\] squeezed to \[N,C\] \(axes \[2,3\]\) is supported, not axes \[1,2\] of \[N,8,1,1\]/);
  });

  it('refuses ReLU6 (Clip 0..6) by name, with the producer, opset and what convlab has instead', () => {
    expect(() => modelFromOnnx(fixture('torch-relu6-opset13.onnx'), 'relu6.onnx')).toThrow(
      /relu6.onnx: cannot import operation '.*Clip.*' \(Clip\): Clip\(0, 6\) has no convlab layer .*convlab has relu = Clip\(0, ∞\)\. convlab imports Conv .*\(this file: made by pytorch 1\.13\.0, ONNX IR 7, opset 13\)$/);
  });
});

describe('the ONNX model zoo\'s mnist-8 layout (opset 8, IR 3), written by the onnx package', () => {
  // Conv + Add of a [K,1,1] bias, Reshape by an int64 initializer, MatMul + Add of a Constant node, an unused int64 counter
  const perSample = async (bytes: Uint8Array) => {
    const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
    const out = new Float32Array(N * 10);
    for (let n = 0; n < N; n++) {
      const result = await session.run({ Input3: new ort.Tensor('float32', digits.inputs.slice(n * 784, (n + 1) * 784), [1, 1, 28, 28]) });
      out.set(result.Plus214_Output_0.data as Float32Array, n * 10);
    }
    await session.release();
    return out;
  };
  it('imports and agrees with ONNX Runtime (logits and their softmax) on 20 digits of every class', async () => {
    const bytes = fixture('mnist8-layout-opset8.onnx');
    const model = modelFromOnnx(bytes);
    expect(model.configs.map((c) => c.type)).toEqual(['conv', 'relu', 'maxPool', 'conv', 'relu', 'maxPool', 'flatten', 'dense']);
    const theirs = await perSample(bytes), ours = convlabRun(model);
    expectSamePredictions(ours, theirs, 10, 1e-4);
    expectSamePredictions(softmaxRows(ours, 10), softmaxRows(theirs, 10), 10, 1e-4);
  });
  it('reads weights from an external data file beside the model, and refuses when it is missing', async () => {
    const path = new URL('../fixtures/onnx/external/mnist8-external.onnx', import.meta.url).pathname;
    const { model } = loadModel(path);
    const inline = modelFromOnnx(fixture('mnist8-layout-opset8.onnx'));
    expect(model.params().map((p) => Array.from(p.value.data))).toEqual(inline.params().map((p) => Array.from(p.value.data)));
    expect(() => modelFromOnnx(new Uint8Array(readFileSync(path)), 'alone.onnx')).toThrow(/alone.onnx: initializer '[A-Za-z0-9_]+' keeps its data in an external file 'mnist8-external.data'; open the .onnx file from disk with that file beside it/);
    const dir = mkdtempSync(join(tmpdir(), 'convlab-onnx-'));
    try {
      copyFileSync(path, join(dir, 'model.onnx'));
      expect(() => loadModel(join(dir, 'model.onnx'))).toThrow(/weights file .*mnist8-external.data \(named by .*model.onnx\) is missing/);
    } finally { rmSync(dir, { recursive: true }); }
  });
});
