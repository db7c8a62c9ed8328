// core/io/onnx.ts: convlab models to and from ONNX. Export: onnx/export.ts; import: onnx/import.ts (limits on the
// wire, then one handler per operation in onnx/ops.ts over the import context of onnx/context.ts).
export { modelToOnnx, ONNX_OPSET, ONNX_IR_VERSION, INPUT_SCALE_KEY } from './onnx/export.js';
export { modelFromOnnx, readOnnx, ONNX_IR_RANGE, ONNX_OPSET_RANGE } from './onnx/import.js';
import { ONNX_SUPPORTED as supported } from './onnx/ops.js';
/** What the ONNX importer reads, in words. (Declared here so the package's public types never reach onnx/ops.ts,
 *  whose handler types name onnx-proto's, which need the 'long' typings a user may not have.) */
export const ONNX_SUPPORTED: string = supported;
