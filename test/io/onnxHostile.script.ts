// A hostile .onnx file, made and imported in this process; prints the refusal and the peak resident memory as JSON.
// Run by onnxHostile.test.ts as a child process with a small V8 heap: node --max-old-space-size=256 --import tsx <this> CASE
import onnxProto from 'onnx-proto';
import { modelFromOnnx } from '../../core/index.js';

const { onnx } = onnxProto;
const which = process.argv[2];

function emptyNodes(megabytes: number): Uint8Array {
  // ModelProto { ir_version 8, opset_import { version 13 }, graph { node {} × n } }: every empty node is the 2 bytes 0a 00
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

function sharedInitializer(size: number, uses: number): Uint8Array {
  const weights = new Uint8Array(size * size * 4), bias = new Uint8Array(size * 4);
  const node = Array.from({ length: uses }, (_, i) => ({ opType: 'Gemm', name: `g${i}`, input: [i === 0 ? 'input' : `h${i - 1}`, 'W', 'B'], output: [i === uses - 1 ? 'output' : `h${i}`],
    attribute: [{ name: 'transB', type: 2, i: 1 }] }));
  const info = (name: string) => ({ name, type: { tensorType: { elemType: 1, shape: { dim: [{ dimParam: 'N' }, { dimValue: size }] } } } });
  return onnx.ModelProto.encode({ irVersion: 8, opsetImport: [{ domain: '', version: 13 }], graph: { node,
    initializer: [{ name: 'W', dims: [size, size], dataType: 1, rawData: weights }, { name: 'B', dims: [size], dataType: 1, rawData: bias }],
    input: [info('input')], output: [info('output')] } }).finish();
}

const bytes = which === 'empty-nodes' ? emptyNodes(10) : which === 'shared-initializer' ? sharedInitializer(1024, 512) : new Uint8Array(0);
const before = process.resourceUsage().maxRSS;
let message = 'imported';
try { modelFromOnnx(bytes, `${which}.onnx`); } catch (error) { message = (error as Error).message; }
console.log(JSON.stringify({ bytes: bytes.length, message: message.slice(0, 300), maxRssMB: process.resourceUsage().maxRSS / 1024, beforeMB: before / 1024 }));
