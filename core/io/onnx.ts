// core/io/onnx.ts: convlab models to and from ONNX. Export: onnx/export.ts; import: onnx/import.ts (limits on the
// wire, then one handler per operation in onnx/ops.ts over the import context of onnx/context.ts).
export { modelToOnnx, ONNX_OPSET, ONNX_IR_VERSION } from './onnx/export.js';
export { modelFromOnnx, ONNX_IR_RANGE, ONNX_OPSET_RANGE } from './onnx/import.js';
export { ONNX_SUPPORTED } from './onnx/ops.js';
