// Model files and layer configs are validated before anything is allocated: a tiny hostile file cannot make the
// loader build a huge layer, and a config the layer cannot use is refused with the op's own message.
import { describe, it, expect } from 'vitest';
import {
  Sequential, createPreset, modelToJSON, modelFromJSON, serializeModel, encodeFloat32, MODEL_LIMITS, type LayerConfig,
} from '../../core/index.js';

const small = () => new Sequential({ inputShape: [1, 8, 8], seed: 1, layers: [
  { type: 'conv', filters: 2, kernelSize: 3 }, { type: 'relu' }, { type: 'flatten' }, { type: 'dense', units: 3 }, { type: 'softmax' }] });

/** modelFromJSON, measured: the heap must not grow by more than `megabytes` while it refuses the file. */
function refusedWithin(file: unknown, pattern: RegExp, megabytes = 20): void {
  const before = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  expect(() => modelFromJSON(JSON.stringify(file))).toThrow(pattern);
  const after = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  expect((after - before) / 1048576).toBeLessThan(megabytes);
}

describe('a model file is checked against its weights before anything is allocated', () => {
  it('a 150-byte file declaring a dense layer of 10⁸ units is refused without building it', () => {
    const file = { format: 'convlab-model', version: 1, inputShape: [784], layers: [{ type: 'dense', units: 100000000 }], weights: [] };
    expect(JSON.stringify(file).length).toBeLessThan(150);
    refusedWithin(file, /describes an impossible network: Sequential: layer 0 \(dense\) holds 100000000 values per sample \[100000000\], more than the limit of 4194304/);
  });
  it('filters: 1e9 is refused the same way', () => {
    const file = { format: 'convlab-model', version: 1, inputShape: [1, 28, 28], layers: [{ type: 'conv', filters: 1e9, kernelSize: 5 }], weights: [] };
    refusedWithin(file, /layer 0 \(conv\) holds 576000000000 values per sample \[1000000000,24,24\], more than the limit of 4194304/);
  });
  it('a parameter count over the limit is refused the same way', () => {
    const file = { format: 'convlab-model', version: 1, inputShape: [4096], layers: [{ type: 'dense', units: 8192 }], weights: [] };
    refusedWithin(file, /Sequential: 33562624 parameters up to layer 0 \(dense\), more than the limit of 16777216/);
  });
  it('a layer within the limits but with no weights in the file is refused before allocation', () => {
    const file = { format: 'convlab-model', version: 1, inputShape: [4096], layers: [{ type: 'dense', units: 4000 }], weights: [] };
    refusedWithin(file, /the network has 2 weight tensors but the file has 0/);
  });
  it('a weight entry whose base64 is too short is refused by its length, before decoding', () => {
    const file = serializeModel(small());
    file.weights[2].data = 'AAAA';
    expect(() => modelFromJSON(file)).toThrow(/layer 3 weights needs 216 values, the file has 3 bytes \(not whole float32 values\)/);
    file.weights[2].data = encodeFloat32(new Float32Array(215));
    expect(() => modelFromJSON(file)).toThrow(/layer 3 weights needs 216 values, the file has 215$/);
  });
  it('"=" inside the base64 is an error, not a silent change of weights', () => {
    const file = serializeModel(small());
    const data = file.weights[0].data;
    file.weights[0].data = data.slice(0, 8) + '=' + data.slice(9);
    expect(() => modelFromJSON(file)).toThrow(/weight 0 \(layer 0 kernels\) is not valid base64: unexpected '=' at character 8/);
  });
  it.each([[0], [-1], [0.5], ['1'], [null]])('version %j is refused as damaged, not read', (version) => {
    const file = { ...serializeModel(small()), version };
    expect(() => modelFromJSON(file)).toThrow(/is damaged: "version" must be the number 1, got/);
  });
  it('a newer integer version asks for an upgrade', () => {
    expect(() => modelFromJSON({ ...serializeModel(small()), version: 2 })).toThrow(/format version 2, newer than this convlab reads \(1\): upgrade convlab/);
  });
  it('non-finite weights are refused when loading (the model diverged)', () => {
    const model = small();
    model.params()[2].value.data[5] = NaN;
    expect(() => modelFromJSON(modelToJSON(model))).toThrow(/holds a non-finite weight: layer 3 weights has NaN at index 5 \(its training diverged/);
    model.params()[2].value.data[5] = Infinity;
    expect(() => modelFromJSON(modelToJSON(model))).toThrow(/has Infinity at index 5/);
  });
  it('a sound file still round-trips bit for bit', () => {
    const model = createPreset('cnn', { seed: 3 });
    const loaded = modelFromJSON(modelToJSON(model)).model;
    // each array's own bytes (a parameter may be a view into one resident memory shared by every parameter)
    const bytes = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    loaded.params().forEach((p, i) => expect(bytes(p.value.data).equals(bytes(model.params()[i].value.data))).toBe(true));
  });
  it('an unknown init or a foreign layer option is refused', () => {
    expect(() => modelFromJSON({ ...serializeModel(small()), init: 'ones' })).toThrow(/"init" must be one of glorotUniform/);
    const file = serializeModel(small());
    (file.layers[0] as Record<string, unknown>).activation = 'relu';
    expect(() => modelFromJSON(file)).toThrow(/layer 0 \(conv\): conv layer: unknown option 'activation'/);
  });
  it('encodeFloat32 and the length rule agree for every remainder', () => {
    for (const n of [1, 2, 3, 4, 5]) expect(encodeFloat32(new Float32Array(n)).length).toBe(4 * Math.ceil((n * 4) / 3));
  });
  it('decodeFloat32 gives back every bit encodeFloat32 wrote, for every length (both paddings), and Node\'s own base64 agrees', async () => {
    const { decodeFloat32 } = await import('../../core/io/modelFile.js');
    const fc = (await import('fast-check')).default;
    // every float32 but NaN (setFloat32 may rewrite a NaN's payload; a weight is finite anyway): −0, ±∞, denormals included
    fc.assert(fc.property(fc.array(fc.float({ noNaN: true }), { maxLength: 40 }), (list) => {
      const values = Float32Array.from(list);
      const text = encodeFloat32(values);
      expect(text).toBe(Buffer.from(values.buffer).toString('base64'));
      expect(Array.from(new Uint32Array(decodeFloat32(text).buffer))).toEqual(Array.from(new Uint32Array(values.buffer)));
      // a view into a larger buffer (a layer's slice of one weight array) encodes its own values only
      const inside = new Float32Array(list.length + 3);
      inside.set(values, 2);
      expect(encodeFloat32(inside.subarray(2, 2 + list.length))).toBe(text);
    }));
    expect(() => decodeFloat32('AAA=AAAA')).toThrow(/unexpected '=' at character 3/);
    expect(() => decodeFloat32('AA-A')).toThrow(/unexpected '-'/);
  });
});

describe('layer configs are validated with the ops\' messages', () => {
  const build = (layer: unknown, inputShape = [1, 28, 28]) =>
    () => new Sequential({ inputShape, layers: [layer as LayerConfig, { type: 'flatten' }, { type: 'dense', units: 2 }] });
  it.each([
    [{ type: 'conv', filters: 2, kernelSize: -3 }, /layer 0 \(conv\): conv layer: kernelSize must be a positive integer, got -3/],
    [{ type: 'conv', filters: 2, kernelSize: 2.5 }, /conv layer: kernelSize must be a positive integer, got 2.5/],
    [{ type: 'conv', filters: 2, kernelSize: '5' }, /conv layer: kernelSize must be an integer or a pair \[height, width\], got '5'/],
    [{ type: 'conv', filters: 2, kernelSize: [3] }, /conv layer: kernelSize must be an integer or a pair \[height, width\], got \[3\]/],
    [{ type: 'conv', filters: 2, kernelSize: 3, stride: 0 }, /conv layer: stride must be a positive integer, got 0/],
    [{ type: 'conv', filters: 2, kernelSize: 3, padding: 'full' }, /conv layer: padding must be 'valid', 'same', an integer or a pair, got 'full'/],
    [{ type: 'conv', filters: 0, kernelSize: 3 }, /conv layer: filters must be a positive integer, got 0/],
    [{ type: 'conv', filters: 2 }, /conv layer: kernelSize is required/],
    [{ type: 'leakyRelu', alpha: 'abc' }, /layer 0 \(leakyRelu\): leakyRelu layer: alpha must be a finite number, got 'abc'/],
    [{ type: 'normalize', eps: -1 }, /normalize layer: eps must be a finite number ≥ 0, got -1/],
    [{ type: 'dropout', rate: 1 }, /dropout layer: rate must be a number in \[0, 1\), got 1/],
    [{ type: 'maxPool', size: 2, stride: 1.5 }, /maxPool layer: stride must be a positive integer, got 1.5/],
    [{ type: 'dense', units: 2, init: 'ones' }, /dense layer: init must be one of glorotUniform/],
    [{ type: 'bogus' }, /unknown layer type 'bogus'/],
  ])('%j', (layer, message) => expect(build(layer)).toThrow(message));
  it('a model built with a valid config saves and loads again (no config that saves but cannot load)', () => {
    const model = new Sequential({ inputShape: [1, 9, 9], layers: [{ type: 'conv', filters: 2, kernelSize: [3, 2], stride: [2, 1], padding: 'same' },
      { type: 'leakyRelu', alpha: 0.2 }, { type: 'normalize', eps: 0 }, { type: 'maxPool', size: 2, stride: null }, { type: 'flatten' }, { type: 'dense', units: 2 }] });
    expect(modelFromJSON(modelToJSON(model)).model.parameterCount).toBe(model.parameterCount);
  });
  it('states its limits', () => {
    expect(MODEL_LIMITS).toEqual({ parameters: 2 ** 24, valuesPerSample: 2 ** 22, unrolledPerSample: 2 ** 24, layers: 256 });
    expect(() => new Sequential({ inputShape: [1, 4096, 4096], layers: [{ type: 'flatten' }] }))
      .toThrow(/the input holds 16777216 values per sample \[1,4096,4096\], more than the limit of 4194304/);
  });
});
