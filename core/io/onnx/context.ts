// core/io/onnx/context.ts: what importing an ONNX graph carries from one operation to the next. The graph is read
// as a chain: one activation (the convlab model's running output) flows from operation to operation; everything
// else is a constant (initializers, Constant nodes, and the small shape computations exporters write around a
// Reshape, evaluated here). Weights are not copied while the graph is read: each layer notes where its weights
// come from, every use is counted against the parameter limit, and only a graph that fits is copied (each
// initializer once, however many nodes read it).
import type { onnx as OnnxTypes } from 'onnx-proto';
import { planLayer, type LayerConfig } from '../../nn/layers.js';
import { ModelFileError } from '../modelFile.js';
import { MAX_LAYERS, MAX_PARAMETERS, countOf, float32FromBytes, nameFromFile as printable } from '../limits.js';
import type { WeightsReader } from '../tfjs.js';

export const DATA_TYPE = { FLOAT: 1, INT32: 6, INT64: 7, BOOL: 9 } as const;
/** The most values a shape, axes or counter tensor may hold (they are read as JavaScript numbers). */
const MAX_INDEX_VALUES = 64;

/** The batch size inside shape computations (Shape of the activation gives [BATCH, ...sample shape]). */
export const BATCH = Number.NaN;

export const number = (value: unknown): number =>
  typeof value === 'number' ? value : value && typeof value === 'object' && 'toNumber' in value ? (value as { toNumber(): number }).toNumber() : Number(value);

/** The shortest decimal that is this float32 (an attribute 1e-5 is stored as 9.99999974e-6; convlab computes in doubles). */
export const decimal = (value: number): number => {
  for (let digits = 1; digits < 10; digits++) { const d = Number(value.toPrecision(digits)); if (Math.fround(d) === value) return d; }
  return value;
};

/** A constant: its dims and lazy readers (nothing is copied until a layer's weights are set). */
export interface Constant { kind: 'constant'; name: string; dims: number[]; floats(): Float32Array; ints(): number[] }
export interface Activation { kind: 'activation'; name: string }
export type Value = Constant | Activation;

/** A layer's weights, read after the whole graph is checked: kernel in convlab's layout (batchNorm: γ), bias (β) or
 *  null (zeros), and batchNorm's running mean and variance as `state`. */
export interface PendingWeights { layer: number; kernel: () => Float32Array; bias: (() => Float32Array) | null; out: number; state?: (() => Float32Array)[] }

export class OnnxImport {
  readonly values = new Map<string, Value>();
  readonly configs: LayerConfig[] = [];
  readonly weights: PendingWeights[] = [];
  /** The activation's name and per-sample shape ([C,H,W] or [n]); the input's until a layer runs. */
  current: string;
  shape: number[];
  inputShape: number[];
  /** The declared batch size of the input (NaN when symbolic). */
  batch: number;
  /** The weights of the layer that made the current activation (a following Add folds into it). */
  last: PendingWeights | null = null;
  /** Set by a first Transpose of a channels-last input. */
  reordered = false;
  /** Sizes of 1 an Unsqueeze added after the [N,C] activation (for a 1-D BatchNormalization); the next Squeeze removes them. */
  unitDims = 0;
  /** Set by LogSoftmax: nothing may follow it. */
  ended: string | null = null;
  private parameters = 0;
  private externalCache = new Map<string, Uint8Array>();

  constructor(readonly name: string, readonly about: string, readonly opset: number, input: { name: string; shape: number[]; batch: number },
    private readonly readExternal: WeightsReader | null) {
    this.current = input.name;
    this.shape = input.shape.slice();
    this.inputShape = input.shape.slice();
    this.batch = input.batch;
    this.values.set(input.name, { kind: 'activation', name: input.name });
  }

  /** A ModelFileError for the file (not tied to one operation). */
  error(message: string): ModelFileError { return new ModelFileError(`${this.name}${message}`); }

  /** Add a layer after the activation: planned by the layer's own rules (output size, limits), parameters counted per use. */
  push(config: LayerConfig, refuse: (why: string) => never, weights?: Omit<PendingWeights, 'layer' | 'out'>): void {
    if (this.configs.length >= MAX_LAYERS) throw this.error(` has more than ${MAX_LAYERS} layers, the limit`);
    let plan;
    try { plan = planLayer(config, this.shape); } catch (error) { return refuse((error as Error).message); }
    for (const p of plan.params) this.parameters += p.shape.reduce((a, b) => a * b, 1);
    if (this.parameters > MAX_PARAMETERS) throw this.error(` declares more than the limit of ${MAX_PARAMETERS} parameters`);
    this.configs.push(config);
    this.shape = plan.outputShape;
    this.last = weights ? { layer: this.configs.length - 1, out: plan.params[0].shape[0], ...weights } : null;
    if (this.last) this.weights.push(this.last);
  }

  /** An initializer as a constant: dims checked against the limits now, values read on first use. */
  initializer(t: OnnxTypes.TensorProto): Constant {
    const tensorName = t.name ?? '';
    const what = `${this.name}: initializer '${printable(tensorName)}'`;
    const dims = t.dims.map(number);
    const count = countOf(dims, what, MAX_PARAMETERS, 'parameter');
    const bytes = (size: number): Uint8Array | null => {
      if (t.dataLocation === 1) return this.external(t, size, what);
      return t.rawData && t.rawData.length > 0 ? t.rawData : null;
    };
    let cached: Float32Array | null = null; // decoded once, however many layers read it
    return {
      kind: 'constant', name: tensorName, dims,
      floats: () => {
        if (cached) return cached;
        if (t.dataType !== DATA_TYPE.FLOAT) throw this.error(`: initializer '${printable(tensorName)}' has data type ${t.dataType}; convlab reads float32 (data type 1) weights only`);
        const raw = bytes(count * 4);
        let data: Float32Array;
        if (raw) {
          if (raw.length !== count * 4) throw this.error(`: initializer '${printable(tensorName)}' [${dims.join(',')}] needs ${count * 4} bytes, it has ${raw.length}`);
          data = float32FromBytes(raw, 0, count);
        } else {
          if (t.floatData.length !== count) throw this.error(`: initializer '${printable(tensorName)}' [${dims.join(',')}] needs ${count} values, it has ${t.floatData.length}`);
          data = Float32Array.from(t.floatData);
        }
        const bad = data.findIndex((v) => !Number.isFinite(v));
        if (bad >= 0) {
          throw this.error(` holds a non-finite weight: initializer '${printable(tensorName)}' has ${data[bad]} at index ${bad} ` +
            '(convlab model files hold finite numbers only; its training diverged?)');
        }
        cached = data;
        return data;
      },
      ints: () => {
        if (count > MAX_INDEX_VALUES) throw this.error(`: initializer '${printable(tensorName)}' has ${count} values; convlab reads shapes and axes of at most ${MAX_INDEX_VALUES}`);
        const type = t.dataType;
        if (type !== DATA_TYPE.INT64 && type !== DATA_TYPE.INT32 && type !== DATA_TYPE.BOOL) {
          throw this.error(`: initializer '${printable(tensorName)}' has data type ${type} where a list of integers (int64, data type 7, or int32, 6) or a boolean (9) is needed`);
        }
        const size = type === DATA_TYPE.INT64 ? 8 : type === DATA_TYPE.INT32 ? 4 : 1; // raw booleans are one byte each
        const raw = bytes(count * size);
        if (raw) {
          if (raw.length !== count * size) throw this.error(`: initializer '${printable(tensorName)}' [${dims.join(',')}] needs ${count * size} bytes, it has ${raw.length}`);
          const view = new DataView(raw.buffer, raw.byteOffset, raw.length);
          return Array.from({ length: count }, (_, i) => (size === 8 ? Number(view.getBigInt64(i * 8, true)) : size === 4 ? view.getInt32(i * 4, true) : view.getUint8(i)));
        }
        const list = (type === DATA_TYPE.INT64 ? t.int64Data : t.int32Data).map(number); // booleans are in int32Data too
        if (list.length !== count) throw this.error(`: initializer '${printable(tensorName)}' [${dims.join(',')}] needs ${count} values, it has ${list.length}`);
        return list;
      },
    };
  }

  /** The bytes an external-data initializer names, from a file beside the model (read once per file). */
  private external(t: OnnxTypes.TensorProto, size: number, what: string): Uint8Array {
    const entries = new Map((t.externalData ?? []).map((e) => [e.key ?? '', e.value ?? '']));
    const location = entries.get('location');
    if (!location) throw new ModelFileError(`${what} keeps its data in an external file but names no location`);
    if (!this.readExternal) throw new ModelFileError(`${what} keeps its data in an external file '${printable(location)}'; open the .onnx file from disk with that file beside it`);
    if (/^[a-z][a-z0-9+.-]*:|^[/\\]/i.test(location) || location.split(/[/\\]/).includes('..')) {
      throw new ModelFileError(`${what} keeps its data in '${printable(location)}'; an external data file must sit beside the model (no URL, absolute path or '..')`);
    }
    const offset = Number(entries.get('offset') ?? 0), length = entries.has('length') ? Number(entries.get('length')) : size;
    if (!Number.isSafeInteger(offset) || offset < 0 || length !== size) {
      throw new ModelFileError(`${what} reads ${length} bytes at offset ${entries.get('offset') ?? 0} of '${printable(location)}'; it needs ${size}`);
    }
    let file = this.externalCache.get(location);
    if (!file) {
      file = this.readExternal(location, 4 * MAX_PARAMETERS); // every weight a model may have
      this.externalCache.set(location, file);
    }
    if (file.length < offset + size) throw new ModelFileError(`${what}: external data file '${printable(location)}' has ${file.length} bytes, it needs ${offset + size}`);
    return file.subarray(offset, offset + size);
  }
}

/** A small constant made while reading the graph (a Constant node's value, a shape computation's result). */
export function constantOf(name: string, dims: number[], floats: () => Float32Array, ints: () => number[]): Constant {
  return { kind: 'constant', name, dims, floats, ints };
}

/** One node of the graph with its attributes, for a handler. */
export class OnnxNode {
  readonly op: string;
  readonly label: string;
  private readonly attributes: Map<string, OnnxTypes.AttributeProto>;
  constructor(readonly proto: OnnxTypes.NodeProto, readonly ctx: OnnxImport, private readonly supported: string) {
    this.op = proto.opType ?? '';
    this.label = proto.name || this.op;
    this.attributes = new Map((proto.attribute as OnnxTypes.AttributeProto[]).map((a) => [a.name, a]));
  }
  /** Refuse this operation: names it, says why and what convlab imports instead, and which tool wrote the file. */
  refuse = (why: string): never => {
    throw new ModelFileError(`${this.ctx.name}: cannot import operation '${printable(this.label)}' (${printable(this.op)}): ${why}. ` +
      `convlab imports ${this.supported} (${this.ctx.about})`);
  };
  has(key: string): boolean { return this.attributes.has(key); }
  int(key: string, fallback: number): number { return this.attributes.has(key) ? number(this.attributes.get(key)!.i) : fallback; }
  ints(key: string, fallback: number[]): number[] {
    const a = this.attributes.get(key);
    return a ? a.ints.map(number) : fallback;
  }
  float(key: string, fallback: number): number { return this.attributes.has(key) ? decimal(this.attributes.get(key)!.f ?? fallback) : fallback; }
  text(key: string, fallback: string): string {
    const a = this.attributes.get(key);
    return a ? new TextDecoder().decode(a.s ?? new Uint8Array()) : fallback;
  }
  tensor(key: string): OnnxTypes.TensorProto | null { return (this.attributes.get(key)?.t as OnnxTypes.TensorProto | undefined) ?? null; }
  /** The constant at input `index` (an initializer or computed), or a refusal naming what it should have been. */
  constant(index: number, what: string): Constant {
    const tensorName = this.proto.input[index] ?? '';
    const value = this.ctx.values.get(tensorName);
    if (!value || value.kind !== 'constant') return this.refuse(`its ${what} '${printable(tensorName)}' are not a constant initializer`);
    return value;
  }
  optional(index: number): boolean { return !!this.proto.input[index]; }
  /** The per-sample shape of the activation this operation reads. */
  get shape(): number[] { return this.ctx.shape; }
  /** [C,H,W] maps, or a refusal. */
  spatial(): [number, number, number] {
    const s = this.ctx.shape;
    if (s.length !== 3) this.refuse(`it needs [N,C,H,W] maps but gets vectors of ${s[0]}`);
    return [s[0], s[1], s[2]];
  }
  /** Add a layer for this operation. */
  layer(config: LayerConfig, weights?: Omit<PendingWeights, 'layer' | 'out'>): void { this.ctx.push(config, this.refuse, weights); }
  /** The output is a constant (a shape computation). */
  output(dims: number[], floats: () => Float32Array, ints: () => number[]): void {
    const out = this.proto.output[0] ?? '';
    this.ctx.values.set(out, constantOf(out, dims, floats, ints));
  }
}

export type Handler = (node: OnnxNode) => void;
