// Hostile .onnx files made by hand, for onnxHostile.test.ts (in a process with a small heap) and the CLI's measured
// refusals in test/cli/hardening.test.ts.
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

/** ModelProto { ir_version 8, opset_import { version 13 }, graph { node {} × n } }: every empty node is the 2 bytes
 *  0a 00, so `megabytes` MiB of file declare megabytes × 2^19 operations. */
export function emptyNodes(megabytes: number): Uint8Array {
  const nodes = (megabytes * 2 ** 20) / 2;
  const head = onnx.ModelProto.encode({ irVersion: 8, opsetImport: [{ domain: '', version: 13 }] }).finish();
  const graphLength = nodes * 2;
  const lengthBytes: number[] = [];
  for (let v = graphLength; ; v = Math.floor(v / 128)) { if (v < 128) { lengthBytes.push(v); break; } lengthBytes.push((v % 128) | 128); }
  const out = new Uint8Array(head.length + 1 + lengthBytes.length + graphLength);
  out.set(head);
  out[head.length] = (7 << 3) | 2;
  out.set(lengthBytes, head.length + 1);
  for (let i = head.length + 1 + lengthBytes.length; i < out.length; i += 2) out[i] = 0x0a;
  return out;
}

/** One size×size Gemm weight and its bias, stored once, read by `uses` Gemm nodes in a chain. */
export function sharedInitializer(size: number, uses: number): Uint8Array {
  const weights = new Uint8Array(size * size * 4), bias = new Uint8Array(size * 4);
  const node = Array.from({ length: uses }, (_, i) => ({ opType: 'Gemm', name: `g${i}`, input: [i === 0 ? 'input' : `h${i - 1}`, 'W', 'B'], output: [i === uses - 1 ? 'output' : `h${i}`],
    attribute: [{ name: 'transB', type: 2, i: 1 }] }));
  const info = (name: string) => ({ name, type: { tensorType: { elemType: 1, shape: { dim: [{ dimParam: 'N' }, { dimValue: size }] } } } });
  return onnx.ModelProto.encode({ irVersion: 8, opsetImport: [{ domain: '', version: 13 }], graph: { node,
    initializer: [{ name: 'W', dims: [size, size], dataType: 1, rawData: weights }, { name: 'B', dims: [size], dataType: 1, rawData: bias }],
    input: [info('input')], output: [info('output')] } }).finish();
}
