// What a model expects of its input (its input scale: x → (x − mean)/std of convlab's own inputs): a field of the model
// file, metadata of the ONNX and TF.js files convlab writes, checked wherever it is read.
import { describe, it, expect } from 'vitest';
import onnxProto from 'onnx-proto';
import {
  Sequential, modelToJSON, modelFromJSON, modelToOnnx, modelToTfjs, modelFromBytes, scaleInput, readInputScale, INPUT_SCALE_KEY, type InputScale,
} from '../../core/index.js';

const { onnx } = onnxProto;
const picture = () => new Sequential({ inputShape: [3, 4, 4], seed: 2, layers: [{ type: 'conv', filters: 2, kernelSize: 3 }, { type: 'flatten' }, { type: 'dense', units: 3 }, { type: 'softmax' }] });
const scales: InputScale[] = [{ mean: [0.1307], std: [0.3081] }, { mean: [0.4914, 0.4822, 0.4465], std: [0.247, 0.243, 0.261] }];

describe('the input scale', () => {
  it('scaleInput: one mean and spread for every value, or one per channel of each sample', () => {
    const x = Float32Array.from({ length: 2 * 3 * 2 }, (_, i) => i / 10);
    const one = x.slice(); scaleInput(one, { mean: [0.5], std: [2] }, [3, 1, 2]);
    one.forEach((v, i) => expect(v).toBeCloseTo((x[i] - 0.5) / 2, 6));
    const per = x.slice(); scaleInput(per, { mean: [0, 1, 2], std: [1, 2, 4] }, [3, 1, 2]);
    per.forEach((v, i) => { const c = Math.floor(i / 2) % 3; expect(v).toBeCloseTo((x[i] - [0, 1, 2][c]) / [1, 2, 4][c], 6); });
    const none = x.slice(); scaleInput(none, undefined, [3, 1, 2]);
    expect(none).toEqual(x);
  });

  it.each(scales)('round trips through the model file, ONNX metadata and TF.js metadata: %j', (scale) => {
    const model = picture();
    expect(modelFromJSON(modelToJSON(model, undefined, scale)).inputScale).toEqual(scale);
    expect(modelFromJSON(modelToJSON(model)).inputScale).toBeUndefined();
    const viaOnnx = modelFromBytes(modelToOnnx(model, scale), 'scaled.onnx');
    expect(viaOnnx.inputScale).toEqual(scale);
    expect(modelFromBytes(modelToOnnx(model), 'plain.onnx').inputScale).toBeUndefined();
    const { modelJson, weights } = modelToTfjs(model, 'w.bin', scale);
    const viaTfjs = modelFromBytes(new TextEncoder().encode(JSON.stringify(modelJson)), 'model.json', () => weights);
    expect(viaTfjs.inputScale).toEqual(scale);
    expect(viaTfjs.model.params().map((p) => Array.from(p.value.data))).toEqual(model.params().map((p) => Array.from(p.value.data)));
  });

  it.each([
    ['a spread of 0', { mean: [0], std: [0] }],
    ['a negative spread', { mean: [0], std: [-1] }],
    ['a missing mean', { std: [1] }],
    ['NaN (null in JSON)', { mean: [null], std: [1] }],
    ['two values for three channels', { mean: [0, 0], std: [1, 1] }],
    ['means and spreads of different counts', { mean: [0, 0, 0], std: [1] }],
    ['a number instead of a list', { mean: 0.5, std: 0.2 }],
    ['a string', 'x/255'],
  ])('a damaged input scale in a model file is refused: %s', (_, value) => {
    const file = JSON.parse(modelToJSON(picture()));
    file.inputScale = value;
    expect(() => modelFromJSON(JSON.stringify(file), 'scaled.json')).toThrow(/scaled.json is damaged: the input scale must be \{"mean": \[...\], "std": \[...\]\} with 1 or 3 finite mean\(s\) and as many spreads > 0, got /);
  });

  it('damaged metadata in an .onnx or TF.js file is refused, naming where it is', () => {
    const proto = onnx.ModelProto.decode(modelToOnnx(picture(), scales[0]));
    proto.metadataProps![0].value = '{"mean": [0], "std": [0]}';
    expect(() => modelFromBytes(onnx.ModelProto.encode(proto).finish(), 'bad.onnx')).toThrow(/bad.onnx: its metadata 'convlab.input_scale' is damaged: the input scale must be/);
    proto.metadataProps![0].value = 'not json';
    expect(() => modelFromBytes(onnx.ModelProto.encode(proto).finish(), 'bad.onnx')).toThrow(/got "not json"/);
    expect(INPUT_SCALE_KEY).toBe('convlab.input_scale');
    const { modelJson, weights } = modelToTfjs(picture(), 'w.bin');
    const damaged = { ...modelJson, userDefinedMetadata: { convlabInputScale: { mean: [1], std: [Infinity] } } };
    expect(() => modelFromBytes(new TextEncoder().encode(JSON.stringify(damaged)), 'model.json', () => weights)).toThrow(/model.json: its userDefinedMetadata.convlabInputScale is damaged/);
    expect(() => readInputScale({ mean: [0], std: [1] }, [784], 'x')).not.toThrow();
    expect(() => readInputScale({ mean: [0, 0], std: [1, 1] }, [784], 'vector model')).toThrow(/vector model is damaged: .* with 1 finite mean\(s\)/);
  });
});
