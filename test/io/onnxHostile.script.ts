// A hostile .onnx file, made and imported in this process; prints the refusal and the peak resident memory as JSON.
// Run by onnxHostile.test.ts as a child process with a small V8 heap: node --max-old-space-size=256 --import tsx <this> CASE
import { modelFromOnnx } from '../../core/index.js';
import { emptyNodes, sharedInitializer } from './onnxHostileFiles.js';

const which = process.argv[2];
const bytes = which === 'empty-nodes' ? emptyNodes(10) : which === 'shared-initializer' ? sharedInitializer(1024, 512) : new Uint8Array(0);
const before = process.resourceUsage().maxRSS;
let message = 'imported';
try { modelFromOnnx(bytes, `${which}.onnx`); } catch (error) { message = (error as Error).message; }
console.log(JSON.stringify({ bytes: bytes.length, message: message.slice(0, 300), maxRssMB: process.resourceUsage().maxRSS / 1024, beforeMB: before / 1024 }));
