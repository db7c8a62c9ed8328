// Hostile and careless .onnx files (issue 25): refused before anything large is decoded or copied, with the file's
// names made printable; what ONNX Runtime refuses, convlab refuses too.
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import onnxProto from 'onnx-proto';
import { modelToOnnx, modelFromOnnx } from '../../core/index.js';
import { shippedCnn } from './interop.js';

const { onnx } = onnxProto;
type Graph = { node: { name: string; opType: string; output: string[]; attribute: { name: string; ints: number[] }[] }[]; initializer: { rawData: Uint8Array }[] };
const edit = (change: (proto: onnxProto.onnx.ModelProto & { graph: Graph }) => void) => {
  const proto = onnx.ModelProto.decode(modelToOnnx(shippedCnn())) as onnxProto.onnx.ModelProto & { graph: Graph };
  change(proto);
  return () => modelFromOnnx(onnx.ModelProto.encode(proto).finish(), 'edited.onnx');
};

describe('ONNX import under a small heap, as a child process (peak memory measured there)', () => {
  const run = (which: string) => {
    const script = new URL('./onnxHostile.script.ts', import.meta.url).pathname;
    const result = spawnSync('node', ['--max-old-space-size=256', '--import', 'tsx', script, which], { encoding: 'utf8', timeout: 120_000 });
    expect(result.status, result.stderr).toBe(0);
    return JSON.parse(result.stdout) as { bytes: number; message: string; maxRssMB: number };
  };
  it('a 10 MB file of five million empty nodes is refused by counting, not decoding', () => {
    const { bytes, message, maxRssMB } = run('empty-nodes');
    expect(bytes).toBeGreaterThan(10e6);
    expect(message).toBe('empty-nodes.onnx has 5242880 operations, more than the limit of 512');
    expect(maxRssMB).toBeLessThan(300);
  });
  it('one 1024×1024 initializer read by 512 Gemm nodes: parameters counted per use, refused before any copy', () => {
    const { message, maxRssMB } = run('shared-initializer');
    expect(message).toBe('shared-initializer.onnx declares more than the limit of 16777216 parameters');
    expect(maxRssMB).toBeLessThan(300);
  });
});

describe('what ONNX Runtime refuses, convlab refuses', () => {
  it('IR version 99 and opset 99', () => {
    expect(edit((p) => { p.irVersion = 99; })).toThrow(/edited.onnx has ONNX IR version 99; convlab reads IR versions 3–10 \(this file: made by convlab 0.1.0, ONNX IR 99, opset 13\)/);
    expect(edit((p) => { p.opsetImport[0].version = 99; })).toThrow(/edited.onnx uses ONNX opset 99; convlab reads opsets 7–21/);
  });
  it('a kernel_shape that contradicts the kernels', () => {
    expect(edit((p) => { p.graph.node[0].attribute.find((a) => a.name === 'kernel_shape')!.ints = [3, 3]; }))
      .toThrow(/cannot import operation 'layer0_conv' \(Conv\): kernel_shape \[3,3\] contradicts its 5×5 kernels/);
  });
  it('two operations defining one name, two initializers of one name', () => {
    expect(edit((p) => { p.graph.node[2].output = [p.graph.node[1].output[0]]; })).toThrow(/\(MaxPool\): its output 'layer1_relu_out' is already defined/);
    expect(edit((p) => { p.graph.initializer.push(p.graph.initializer[0]); })).toThrow(/edited.onnx: two initializers are named 'layer0.kernels'/);
  });
  it('NaN or Infinity among the weights, as convlab\'s own format refuses them', () => {
    const poison = (value: number) => edit((p) => {
      const t = p.graph.initializer[2], raw = new Uint8Array(t.rawData);
      new DataView(raw.buffer).setFloat32(8, value, true);
      t.rawData = raw;
    });
    expect(poison(NaN)).toThrow(/edited.onnx holds a non-finite weight: initializer 'layer3.kernels' has NaN at index 2/);
    expect(poison(-Infinity)).toThrow(/has -Infinity at index 2/);
  });
  it('names with control characters are echoed escaped, and long ones clipped', () => {
    expect(edit((p) => { p.graph.node[1].opType = 'Elu\u001b[2J\u0007'; p.graph.node[1].name = `x\u001b]0;owned\u0007${'y'.repeat(500)}`; }))
      .toThrow(/cannot import operation 'x\\x1b\]0;owned\\x07y{69}…' \(Elu\\x1b\[2J\\x07\): convlab has no such layer/);
  });
  it('truncated or garbled bytes: an invalid model, not a crash', () => {
    const bytes = modelToOnnx(shippedCnn());
    for (const cut of [1, 7, 100, bytes.length - 3]) expect(() => modelFromOnnx(bytes.subarray(0, cut), 'cut.onnx')).toThrow(/cut.onnx is not a valid ONNX model/);
    const garbled = bytes.slice(); garbled[20] = 0xff; garbled[21] = 0xff;
    expect(() => modelFromOnnx(garbled, 'garbled.onnx')).toThrow(/garbled.onnx/);
  });
});
