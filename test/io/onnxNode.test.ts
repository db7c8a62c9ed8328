// The onnx package's own single-operation tests (onnx/backend/test/data/node/test_*, copied by
// test/fixtures/onnx/node/copy_node_tests.py): every case for an operation convlab imports either imports and gives the
// package's expected output (its numpy reference, not convlab's), or is refused by a message that names the operation
// and the attribute or input that stops it. The table below lists every copied case, so none is skipped unseen.
//
// Two adaptations, both value-preserving: (1) the node tests feed weights, biases, axes and ratios as graph inputs;
// exporters write them as initializers, and convlab models take one input, so inputs 1… become initializers holding
// the test's own values. (2) `as`: an element-wise operation (or a softmax over the last axis) on a [3,4,5] or [3]
// input is the same operation on the same values in the same order declared [3,20], [12,5] or [1,3], the [N,n]
// vectors convlab takes; the expected output is compared value by value.
import { describe, it, expect, beforeAll } from 'vitest';
import * as ort from 'onnxruntime-web';
import { readFileSync, readdirSync } from 'node:fs';
import onnxProto from 'onnx-proto';
import type { onnx as OnnxTypes } from 'onnx-proto';
import { fromData, modelFromOnnx } from '../../core/index.js';

const { onnx } = onnxProto;
const root = new URL('../fixtures/onnx/node/', import.meta.url);

type Case = { runs: true; as?: number[]; log?: boolean } | { refuses: RegExp; as?: number[] };
const runs = (as?: number[]): Case => ({ runs: true, as });
const refuses = (message: RegExp, as?: number[]): Case => ({ refuses: message, as });
const vectors = [3, 20], one = [1, 3], rows = [12, 5];
const input = (what: string) => new RegExp(`the input '\\w+' is ${what}; convlab models take float32 \\[N,C,H,W\\] images or \\[N,n\\] vectors .*\\(this file: made by backend-test, ONNX IR \\d+, opset \\d+\\)`);
const op = (name: string, why: string) => new RegExp(`cannot import operation '${name}' \\(${name}\\): ${why}.*\\(this file: made by backend-test, ONNX IR \\d+, opset \\d+\\)`);

const CASES: Record<string, Case> = {
  test_add: refuses(op('Add', 'convlab imports Add only as the bias of the Conv, Gemm or MatMul right before it'), vectors),
  test_add_bcast: refuses(op('Add', 'convlab imports Add only as the bias'), rows),
  test_add_uint8: refuses(input('uint8 \\[3,4,5\\]')),
  test_averagepool_1d_default: refuses(input('float32 \\[1,3,32\\]')),
  test_averagepool_2d_ceil: refuses(op('AveragePool', 'ceil_mode 1 keeps windows running past the edge')),
  test_averagepool_2d_default: runs(),
  test_averagepool_2d_pads: refuses(op('AveragePool', 'padded average pooling is not supported')),
  test_averagepool_2d_pads_count_include_pad: refuses(op('AveragePool', 'padded average pooling is not supported')),
  test_averagepool_2d_precomputed_pads: refuses(op('AveragePool', 'padded average pooling is not supported')),
  test_averagepool_2d_precomputed_pads_count_include_pad: refuses(op('AveragePool', 'padded average pooling is not supported')),
  test_averagepool_2d_precomputed_same_upper: refuses(op('AveragePool', 'auto_pad SAME_UPPER is not supported')),
  test_averagepool_2d_precomputed_strides: runs(),
  test_averagepool_2d_same_lower: refuses(op('AveragePool', 'auto_pad SAME_LOWER is not supported')),
  test_averagepool_2d_same_upper: refuses(op('AveragePool', 'auto_pad SAME_UPPER is not supported')),
  test_averagepool_2d_strides: runs(),
  test_basic_conv_with_padding: runs(),
  test_basic_conv_without_padding: runs(),
  test_batchnorm_epsilon: runs(),
  test_batchnorm_epsilon_training_mode: refuses(op('BatchNormalization', 'training_mode 1 \\(statistics of the batch.*export the model in eval mode')),
  test_batchnorm_example: runs(),
  test_batchnorm_example_training_mode: refuses(op('BatchNormalization', 'training_mode 1 \\(statistics of the batch.*export the model in eval mode')),
  test_clip: refuses(op('Clip', 'Clip\\(-1, 1\\) has no convlab layer'), vectors),
  test_clip_default_inbounds: refuses(op('Clip', 'Clip\\(-Infinity, Infinity\\) has no convlab layer'), one),
  test_clip_default_int8_inbounds: refuses(input('int8 \\[3\\]')),
  test_clip_default_int8_max: refuses(input('int8 \\[3,4,5\\]')),
  test_clip_default_int8_min: refuses(input('int8 \\[3,4,5\\]')),
  test_clip_default_max: refuses(op('Clip', 'Clip\\(-Infinity, 0\\) has no convlab layer'), vectors),
  test_clip_default_min: runs(vectors), // Clip(0, ∞) is relu
  test_clip_example: refuses(op('Clip', 'Clip\\(-1, 1\\)'), one),
  test_clip_inbounds: refuses(op('Clip', 'Clip\\(-5, 5\\)'), one),
  test_clip_outbounds: refuses(op('Clip', 'Clip\\(-5, 5\\)'), one),
  test_clip_splitbounds: refuses(op('Clip', 'Clip\\(-5, 5\\)'), one),
  test_constant_pad: refuses(op('Pad', 'padding \\[0,0,1,3,0,0,2,4\\] on its own has no convlab layer')),
  test_conv_with_autopad_same: runs(),
  test_conv_with_strides_and_asymmetric_padding: runs(),
  test_conv_with_strides_no_padding: runs(),
  test_conv_with_strides_padding: runs(),
  test_dropout_default: runs(vectors),
  test_dropout_default_mask: refuses(op('Dropout', 'its second output \\(the mask of the dropped values\\) is not supported'), vectors),
  test_dropout_default_mask_ratio: refuses(op('Dropout', 'its second output \\(the mask'), vectors),
  test_dropout_default_old: runs(one),
  test_dropout_default_ratio: runs(vectors),
  test_dropout_random_old: runs(vectors), // opset 11, no training flag: inference, the values pass through
  test_edge_pad: refuses(input('int32 \\[1,3,4,5\\]')),
  test_flatten_axis0: refuses(op('Flatten', 'axis 0 \\(convlab flattens everything but the batch: axis 1\\)')),
  test_flatten_axis1: runs(),
  test_flatten_axis2: refuses(op('Flatten', 'axis 2 ')),
  test_flatten_axis3: refuses(op('Flatten', 'axis 3 ')),
  test_flatten_default_axis: runs(),
  test_flatten_negative_axis1: refuses(op('Flatten', 'axis -1 \\(axis 3 of a rank-4 input\\)')),
  test_flatten_negative_axis2: refuses(op('Flatten', 'axis -2 \\(axis 2 of a rank-4 input\\)')),
  test_flatten_negative_axis3: runs(), // axis -3 of rank 4 is axis 1
  test_flatten_negative_axis4: refuses(op('Flatten', 'axis -4 \\(axis 0 of a rank-4 input\\)')),
  test_gemm_all_attributes: refuses(op('Gemm', 'transA 1 \\(the input transposed\\) is not supported')),
  test_gemm_alpha: runs(),
  test_gemm_beta: runs(),
  test_gemm_default_matrix_bias: refuses(op('Gemm', "bias 'c' \\[3,4\\] differs per sample")),
  test_gemm_default_no_bias: runs(),
  test_gemm_default_scalar_bias: runs(),
  test_gemm_default_single_elem_vector_bias: runs(),
  test_gemm_default_vector_bias: runs(),
  test_gemm_default_zero_bias: runs(),
  test_gemm_transposeA: refuses(op('Gemm', 'transA 1')),
  test_gemm_transposeB: runs(),
  test_globalaveragepool: refuses(/uses ONNX opset 1; convlab reads opset 7 and later \(this file: made by backend-test, ONNX IR 3, opset 1\)/),
  test_globalaveragepool_precomputed: refuses(/uses ONNX opset 1; convlab reads opset 7 and later/),
  test_identity: refuses(/the graph only passes its input through .* needs at least one layer \(this file: made by backend-test, ONNX IR 8, opset 16\)/),
  test_identity_opt: refuses(input('an optional value')),
  test_identity_sequence: refuses(input('a sequence')),
  test_instancenorm_epsilon: refuses(/uses ONNX opset 6; convlab reads opset 7 and later/),
  test_instancenorm_example: refuses(/uses ONNX opset 6; convlab reads opset 7 and later/),
  test_leakyrelu: runs(vectors),
  test_leakyrelu_default: runs(vectors),
  test_leakyrelu_example: runs(one),
  test_logsoftmax_axis_0: refuses(input('float32 \\[3,4,5\\]')), // over the first axis: no [N,n] form
  test_logsoftmax_axis_1: refuses(input('float32 \\[3,4,5\\]')),
  test_logsoftmax_axis_2: refuses(input('float32 \\[3,4,5\\]')), // axis 2 names the axis of the [3,4,5] form only
  test_logsoftmax_default_axis: runs(rows),
  test_logsoftmax_example_1: runs(),
  test_logsoftmax_large_number: runs(),
  test_logsoftmax_negative_axis: runs(rows),
  test_matmul_2d: runs(),
  test_matmul_3d: refuses(input('float32 \\[2,3,4\\]')),
  test_matmul_4d: refuses(op('MatMul', 'MatMul needs \\[N,n\\] vectors')),
  test_maxpool_1d_default: refuses(input('float32 \\[1,3,32\\]')),
  test_maxpool_2d_ceil: refuses(op('MaxPool', 'ceil_mode 1')),
  test_maxpool_2d_default: runs(),
  test_maxpool_2d_dilations: refuses(op('MaxPool', 'dilated pooling is not supported')),
  test_maxpool_2d_pads: refuses(op('MaxPool', 'padded pooling is not supported')),
  test_maxpool_2d_precomputed_pads: refuses(op('MaxPool', 'padded pooling is not supported')),
  test_maxpool_2d_precomputed_same_upper: refuses(op('MaxPool', 'auto_pad SAME_UPPER is not supported')),
  test_maxpool_2d_precomputed_strides: runs(),
  test_maxpool_2d_same_lower: refuses(op('MaxPool', 'auto_pad SAME_LOWER')),
  test_maxpool_2d_same_upper: refuses(op('MaxPool', 'auto_pad SAME_UPPER')),
  test_maxpool_2d_strides: runs(),
  test_maxpool_2d_uint8: refuses(input('uint8 \\[1,1,5,5\\]')),
  test_maxpool_with_argmax_2d_precomputed_pads: refuses(op('MaxPool', 'its second output \\(where each maximum was: Indices\\) is not supported')),
  test_maxpool_with_argmax_2d_precomputed_strides: refuses(op('MaxPool', 'its second output')),
  test_prelu_broadcast: refuses(op('PRelu', 'a slope per channel \\(\\[5\\]\\) has no convlab layer'), rows),
  test_prelu_example: refuses(op('PRelu', 'a slope per channel \\(\\[3,4,5\\]\\)'), vectors),
  test_reflect_pad: refuses(input('int32 \\[1,3,4,5\\]')),
  test_relu: runs(vectors),
  ...Object.fromEntries(['allowzero_reordered', 'extended_dims', 'negative_dim', 'negative_extended_dims', 'one_dim', 'reduced_dims',
    'reordered_all_dims', 'reordered_last_dims', 'zero_and_negative_dim', 'zero_dim'].map((n) => [`test_reshape_${n}`, refuses(input('float32 \\[[?2],3,4\\]'))])),
  test_sigmoid: runs(vectors),
  test_sigmoid_example: runs(one),
  test_softmax_axis_0: refuses(input('float32 \\[3,4,5\\]')),
  test_softmax_axis_1: refuses(input('float32 \\[3,4,5\\]')),
  test_softmax_axis_2: refuses(input('float32 \\[3,4,5\\]')),
  test_softmax_default_axis: runs(rows),
  test_softmax_example: runs(),
  test_softmax_large_number: runs(),
  test_softmax_negative_axis: runs(rows),
  test_squeeze: refuses(op('Squeeze', 'only \\[N,C,1,1\\] squeezed to \\[N,C\\] \\(axes \\[2,3\\]\\) is supported, not axes \\[0\\] of \\[N,3,4,5\\]')),
  test_squeeze_negative_axes: refuses(op('Squeeze', 'only .* not axes \\[-2\\] of \\[N,3,1,5\\]')),
  test_tanh: runs(vectors),
  test_tanh_example: runs(one),
  test_training_dropout: refuses(op('Dropout', 'training_mode true \\(values dropped at random, as in training\\) is not supported'), vectors),
  test_training_dropout_default: refuses(op('Dropout', 'training_mode true'), vectors),
  test_training_dropout_default_mask: refuses(op('Dropout', 'its second output'), vectors),
  test_training_dropout_mask: refuses(op('Dropout', 'its second output'), vectors),
  test_training_dropout_zero_ratio: runs(vectors), // ratio 0: nothing is dropped, training or not
  test_training_dropout_zero_ratio_mask: refuses(op('Dropout', 'its second output'), vectors),
  ...Object.fromEntries([0, 1, 2, 3, 4, 5].map((k) => [`test_transpose_all_permutations_${k}`, refuses(input('float32 \\[2,3,4\\]'))])),
  test_transpose_default: refuses(input('float32 \\[2,3,4\\]')),
  ...Object.fromEntries(['axis_0', 'axis_1', 'axis_2', 'three_axes', 'two_axes', 'unsorted_axes'].map((n) => [`test_unsqueeze_${n}`, refuses(input('float32 \\[3,4,5\\]'))])),
  test_unsqueeze_negative_axes: refuses(op('Unsqueeze', 'only \\[N,C\\] vectors given trailing sizes of 1 around a BatchNormalization are supported \\(axes \\[-2\\] of \\[N,3,1,5\\]\\)')),
};

const read = (path: URL) => new Uint8Array(readFileSync(path));
const dimsOf = (t: OnnxTypes.ITensorProto) => (t.dims ?? []).map(Number);
/** A float32 TensorProto's values (raw little-endian bytes or float_data). */
function floats(t: OnnxTypes.TensorProto): Float32Array {
  if (t.dataType !== 1) throw new Error(`tensor '${t.name}' is data type ${t.dataType}, not float32`);
  if (t.rawData && t.rawData.length > 0) return new Float32Array(t.rawData.slice().buffer);
  return Float32Array.from(t.floatData);
}

/** The case's model with inputs 1… as initializers (and its input re-declared `as`), its input and expected output. */
function load(name: string, as?: number[]) {
  const dir = new URL(`${name}/`, root);
  const proto = onnx.ModelProto.decode(read(new URL('model.onnx', dir)));
  const graph = proto.graph!;
  const files = readdirSync(new URL('test_data_set_0/', dir)).sort();
  const tensor = (file: string) => onnx.TensorProto.decode(read(new URL(`test_data_set_0/${file}`, dir)));
  const inputs = files.filter((f) => f.startsWith('input_')).map(tensor);
  inputs.slice(1).forEach((t, k) => { t.name = graph.input![k + 1].name!; graph.initializer!.push(t); });
  if (as) {
    const dim = graph.input![0].type!.tensorType!.shape!.dim!;
    expect(as.reduce((a, b) => a * b, 1), `${name}: 'as' keeps every value`).toBe(dimsOf(inputs[0]).reduce((a, b) => a * b, 1));
    dim.splice(0, dim.length, ...as.map((d) => ({ dimValue: d })));
  }
  return { bytes: onnx.ModelProto.encode(proto).finish(), input: inputs[0], expected: tensor('output_0.pb'), ops: graph.node!.map((n) => n.opType) };
}

describe("the onnx package's single-operation tests", () => {
  const folders = readdirSync(root).filter((n) => n.startsWith('test_')).sort();

  it('the table names every copied case, and every case in the table is copied', () => {
    expect(folders).toEqual(Object.keys(CASES).sort());
    expect(folders.length).toBeGreaterThan(140);
  });

  beforeAll(() => { ort.env.wasm.numThreads = 1; });
  it.each(folders.filter((n) => 'runs' in CASES[n]))('%s imports and gives the expected output, as ONNX Runtime does', async (name) => {
    const { as } = CASES[name];
    const { bytes, input, expected, ops } = load(name, as);
    const model = modelFromOnnx(bytes, `${name}.onnx`);
    const shape = as ?? dimsOf(input);
    const out = model.predict(fromData(floats(input), shape));
    const want = floats(expected);
    // LogSoftmax is imported as a softmax (the probabilities, whose log the file gives)
    const reference = ops.includes('LogSoftmax') ? want.map(Math.exp) : want;
    if (!as) expect([out.shape[0], ...out.shape.slice(1)]).toEqual(dimsOf(expected).length === out.shape.length ? dimsOf(expected) : out.shape);
    expect(out.data.length).toBe(reference.length);
    let worst = 0;
    for (let i = 0; i < reference.length; i++) worst = Math.max(worst, Math.abs(out.data[i] - reference[i]) / Math.max(1, Math.abs(reference[i])));
    expect(worst, `${name}: largest difference (relative above 1)`).toBeLessThanOrEqual(1e-5);
    // the file as the package wrote it (inputs 1… as initializers, its own input shape) in ONNX Runtime
    // (onnxruntime-web, in Node): the same values in the same order
    const original = as ? load(name).bytes : bytes;
    const session = await ort.InferenceSession.create(original, { executionProviders: ['wasm'] });
    const result = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', floats(input), dimsOf(input)) });
    const runtime = result[session.outputNames[0]].data as Float32Array;
    const probabilities = ops.includes('LogSoftmax') ? runtime.map(Math.exp) : runtime;
    expect(probabilities.length).toBe(out.data.length);
    let apart = 0;
    for (let i = 0; i < probabilities.length; i++) apart = Math.max(apart, Math.abs(out.data[i] - probabilities[i]));
    expect(apart, `${name}: max |convlab − ONNX Runtime|`).toBeLessThanOrEqual(1e-4);
  });

  it.each(folders.filter((n) => 'refuses' in CASES[n]))('%s is refused, naming what stops it', (name) => {
    const c = CASES[name] as { refuses: RegExp; as?: number[] };
    const { bytes } = load(name, c.as);
    expect(() => modelFromOnnx(bytes, `${name}.onnx`)).toThrow(c.refuses);
  });
});
