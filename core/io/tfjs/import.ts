// core/io/tfjs/import.ts: a convlab model from a TF.js layers model: model.json (a Sequential, or a functional
// Model that is a chain) and the weights files its manifest names. The manifest is bounded and checked, the
// layers translated by one handler per Keras class (layers.ts), and only then are the weights read and copied.
import { Sequential } from '../../nn/model.js';
import { ConvLayer, DenseLayer, BatchNormLayer } from '../../nn/layers.js';
import { ModelFileError } from '../modelFile.js';
import { MAX_LAYERS, MAX_PARAMETERS, countOf, float32FromBytes, nameFromFile as printable } from '../limits.js';
import type { KerasLayer, TfjsWeightEntry } from './export.js';
import { translate, type Manifest } from './layers.js';

/** At most this many weights files and weight entries in one manifest (a model within the layer limit has far fewer). */
const MAX_MANIFEST_ENTRIES = 4 * MAX_LAYERS;
/** A list of names in a message: the first few, then how many more. */
const some = (names: string[], shown = 4) => names.slice(0, shown).map((n) => printable(n, 60)).join(', ') + (names.length > shown ? ` and ${names.length - shown} more` : '');

/** Reads one weights file named by the manifest; `bytes` is the most the manifest allows for its group. */
export type WeightsReader = (path: string, bytes: number) => Uint8Array;

/** A convlab model from a TF.js layers model.json (text or parsed) and a reader for the files its manifest names. */
export function modelFromTfjs(source: string | unknown, readWeights: WeightsReader, name = 'model.json'): Sequential {
  let json: Record<string, unknown>;
  if (typeof source === 'string') {
    try { json = JSON.parse(source); } catch (error) { throw new ModelFileError(`${name} is not valid JSON: ${(error as Error).message}`); }
  } else json = source as Record<string, unknown>;
  if (json && typeof json === 'object' && (json.format === 'graph-model' || Array.isArray((json.modelTopology as { node?: unknown } | undefined)?.node))) {
    throw new ModelFileError(`${name} is a TF.js graph model (from a tf.saved_model or frozen-graph conversion); convlab reads TF.js layers models — ` +
      'convert the Keras model with tensorflowjs_converter --input_format=keras (or keras_saved_model), or save it from TF.js with model.save()');
  }
  if (!json || typeof json !== 'object' || !json.modelTopology) throw new ModelFileError(`${name} is not a TF.js layers model (no "modelTopology")`);
  const manifest = readManifest(json.weightsManifest, name);
  const layers = topologyLayers(json.modelTopology, name);
  const { inputShape, configs, weights } = translate(layers, manifest, name);
  const used = new Set(weights.map((w) => w.entry));
  const extra = manifest.entries.find((e) => !used.has(e));
  if (extra) throw new ModelFileError(`${name}: the weights manifest names '${printable(extra.name)}', which no layer of the model has`);

  // every shape is checked and bounded: now read, then build
  const values = readValues(manifest, readWeights, name);
  let model: Sequential;
  try { model = new Sequential({ inputShape, layers: configs }); } catch (error) {
    throw new ModelFileError(`${name} describes a network convlab cannot build: ${(error as Error).message}`);
  }
  for (const w of weights) {
    const target = model.layers[w.layer] as ConvLayer | DenseLayer | BatchNormLayer;
    const data = values.get(w.entry)!;
    if (target instanceof BatchNormLayer) {
      const into = { gamma: target.gamma, beta: target.beta, moving_mean: target.runningMean, moving_variance: target.runningVar }[w.role as 'gamma'];
      const bad = w.role === 'moving_variance' ? data.findIndex((v) => !(v >= 0)) : -1;
      if (bad >= 0) throw new ModelFileError(`${name}: weight '${printable(w.entry.name)}' has variance ${data[bad]} at channel ${bad}; a variance must be ≥ 0`);
      for (let i = 0; i < data.length; i++) into.data[w.order ? w.order[i] : i] = data[i];
      continue;
    }
    if (w.role === 'bias') { (target.bias.data).set(data); continue; }
    if (target instanceof ConvLayer) {
      const [K, C, kh, kw] = target.kernels.shape, out = target.kernels.data;
      for (let k = 0; k < K; k++) for (let c = 0; c < C; c++) for (let u = 0; u < kh; u++) for (let v = 0; v < kw; v++) {
        out[((k * C + c) * kh + u) * kw + v] = data[((u * kw + v) * C + c) * K + k];
      }
    } else {
      const [outputs, inputs] = target.weights.shape, out = target.weights.data;
      for (let i = 0; i < inputs; i++) {
        const column = w.order ? w.order[i] : i;
        for (let o = 0; o < outputs; o++) out[o * inputs + column] = data[i * outputs + o];
      }
    }
  }
  return model;
}


function readManifest(raw: unknown, name: string): Manifest {
  if (raw === undefined) return { groups: [], entries: [], byName: new Map() };
  if (!Array.isArray(raw)) throw new ModelFileError(`${name}: "weightsManifest" must be a list of {paths, weights} groups`);
  const counted = raw.reduce((n: number, g) => n + (Array.isArray(g?.paths) ? g.paths.length : 0) + (Array.isArray(g?.weights) ? g.weights.length : 0), raw.length);
  if (counted > MAX_MANIFEST_ENTRIES) {
    throw new ModelFileError(`${name}: the weights manifest lists ${counted} groups, files and weights, more than the limit of ${MAX_MANIFEST_ENTRIES}`);
  }
  let total = 0;
  const byName = new Map<string, TfjsWeightEntry>();
  const groups = raw.map((group, g) => {
    if (!group || !Array.isArray(group.paths) || !group.paths.every((p: unknown) => typeof p === 'string') || !Array.isArray(group.weights)) {
      throw new ModelFileError(`${name}: weightsManifest group ${g} must have "paths" (file names) and "weights" (a list)`);
    }
    for (const path of group.paths as string[]) {
      // weights sit beside model.json: no URL, no absolute path, no way up
      if (/^[a-z][a-z0-9+.-]*:|^[/\\]/i.test(path) || path.split(/[/\\]/).includes('..')) {
        throw new ModelFileError(`${name}: weights path '${printable(path)}' must be a file name beside the model.json (no URL, absolute path or '..')`);
      }
    }
    let bytes = 0;
    for (const entry of group.weights as TfjsWeightEntry[]) {
      if (!entry || typeof entry.name !== 'string') throw new ModelFileError(`${name}: a weight in weightsManifest group ${g} has no name`);
      if (entry.dtype !== 'float32') throw new ModelFileError(`${name}: weight '${printable(entry.name)}' has dtype ${printable(String(entry.dtype))}; convlab reads float32 weights only`);
      if (entry.quantization) throw new ModelFileError(`${name}: weight '${printable(entry.name)}' is quantized; convlab reads unquantized float32 weights only`);
      if (byName.has(entry.name)) throw new ModelFileError(`${name}: the weights manifest names '${printable(entry.name)}' twice`);
      const count = countOf(entry.shape, `${name}: weight '${printable(entry.name)}'`, MAX_PARAMETERS, 'parameter');
      total += count;
      if (total > MAX_PARAMETERS) throw new ModelFileError(`${name}: the weights manifest declares more than the limit of ${MAX_PARAMETERS} parameters`);
      bytes += count * 4;
      byName.set(entry.name, entry);
    }
    if (group.weights.length > 0 && group.paths.length === 0) throw new ModelFileError(`${name}: weightsManifest group ${g} names no weights file`);
    return { paths: group.paths as string[], entries: group.weights as TfjsWeightEntry[], bytes };
  });
  return { groups, entries: groups.flatMap((g) => g.entries), byName };
}

function readValues(manifest: Manifest, readWeights: WeightsReader, name: string): Map<TfjsWeightEntry, Float32Array> {
  const values = new Map<TfjsWeightEntry, Float32Array>();
  for (const group of manifest.groups) {
    if (group.entries.length === 0) continue;
    const parts: Uint8Array[] = [];
    let length = 0;
    for (const path of group.paths) {
      const part = readWeights(path, group.bytes - length);
      parts.push(part);
      length += part.length;
      if (length > group.bytes) break;
    }
    if (length !== group.bytes) {
      const files = some(group.paths);
      throw new ModelFileError(length < group.bytes
        ? `weights file ${files} is short: it has ${length} bytes, the manifest in ${name} needs ${group.bytes} (float32 ${some(group.entries.map((e) => `${e.name} [${e.shape.join(',')}]`))})`
        : `weights file ${files} has more bytes than the ${group.bytes} the manifest in ${name} describes (another model's weights?)`);
    }
    const bytes = parts.length === 1 ? parts[0] : concat(parts, length);
    let at = 0;
    for (const entry of group.entries) {
      const count = entry.shape.reduce((a, b) => a * b, 1);
      const data = float32FromBytes(bytes, at, count);
      const bad = data.findIndex((v) => !Number.isFinite(v));
      if (bad >= 0) {
        throw new ModelFileError(`${name} holds a non-finite weight: '${printable(entry.name)}' has ${data[bad]} at index ${bad} ` +
          '(convlab model files hold finite numbers only; its training diverged?)');
      }
      values.set(entry, data);
      at += count * 4;
    }
  }
  return values;
}

function concat(parts: Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  parts.reduce((at, p) => { out.set(p, at); return at + p.length; }, 0);
  return out;
}

function topologyLayers(topology: unknown, name: string): KerasLayer[] {
  let model = topology as Record<string, unknown>;
  if (model && typeof model === 'object' && 'model_config' in model) model = model.model_config as Record<string, unknown>; // the Keras converter's wrapping
  if (!model || typeof model !== 'object') throw new ModelFileError(`${name}: "modelTopology" is not an object`);
  const kind = String(model.class_name);
  const functional = kind === 'Model' || kind === 'Functional';
  if (kind !== 'Sequential' && !functional) {
    throw new ModelFileError(`${name} holds a ${printable(kind)} model; convlab imports Sequential models (one layer after another) and functional models that are a chain`);
  }
  const config = model.config as { layers?: unknown } | unknown[];
  const layers = Array.isArray(config) ? config : (config as { layers?: unknown })?.layers;
  if (!Array.isArray(layers) || layers.length === 0) throw new ModelFileError(`${name}: the ${printable(kind)} model lists no layers`);
  if (layers.length > MAX_LAYERS) throw new ModelFileError(`${name} has ${layers.length} layers, more than the limit of ${MAX_LAYERS}`);
  layers.forEach((layer, i) => {
    if (!layer || typeof layer.class_name !== 'string' || !layer.config || typeof layer.config !== 'object') {
      throw new ModelFileError(`${name}: layer ${i} has no "class_name" and "config"`);
    }
  });
  return functional ? chainOf(layers as FunctionalLayer[], name, kind) : layers as KerasLayer[];
}

interface FunctionalLayer extends KerasLayer { name?: string; inbound_nodes?: unknown }

/** The layers a functional layer reads: Keras 2's [[[name, node, tensor, kwargs], …]] or Keras 3's {args: [keras tensors]}. */
function inboundOf(layer: FunctionalLayer): string[] | null {
  const nodes = layer.inbound_nodes;
  if (!Array.isArray(nodes)) return null;
  const names: string[] = [];
  const visit = (value: unknown, depth: number): void => {
    if (depth > 6 || names.length > 16 || value === null || typeof value !== 'object') return;
    const history = (value as { config?: { keras_history?: unknown } }).config?.keras_history;
    if (Array.isArray(history) && typeof history[0] === 'string') { names.push(history[0]); return; }
    if (Array.isArray(value) && typeof value[0] === 'string' && Number.isInteger(value[1])) { names.push(value[0]); return; }
    for (const item of Array.isArray(value) ? value : [(value as { args?: unknown }).args]) visit(item, depth + 1);
  };
  for (const node of nodes) visit(node, 0);
  return names;
}

/**
 * A functional model as the chain it is: from its one input, each layer read by exactly one next layer, each
 * reading exactly one. A branch (a layer read by two, or one reading two: Add, Concatenate) is refused by name.
 */
function chainOf(layers: FunctionalLayer[], name: string, kind: string): KerasLayer[] {
  const byName = new Map<string, FunctionalLayer>();
  for (const layer of layers) {
    const layerName = String(layer.name ?? layer.config.name);
    if (byName.has(layerName)) throw new ModelFileError(`${name}: two layers are named '${printable(layerName)}' (TF.js refuses such a model)`);
    byName.set(layerName, layer);
  }
  const readers = new Map<string, string[]>();
  let first: FunctionalLayer | null = null;
  for (const layer of layers) {
    const layerName = String(layer.name ?? layer.config.name), inbound = inboundOf(layer);
    if (inbound === null) throw new ModelFileError(`${name} holds a ${printable(kind)} model whose layer '${printable(layerName)}' names no inbound_nodes; convlab imports Sequential models and functional chains`);
    if (inbound.length === 0) {
      if (first) throw new ModelFileError(`${name}: the ${printable(kind)} model has two inputs ('${printable(String(first.name ?? first.config.name))}', '${printable(layerName)}'); convlab models take one`);
      first = layer;
      continue;
    }
    if (inbound.length > 1) {
      throw new ModelFileError(`${name}: layer '${printable(layerName)}' (${printable(layer.class_name)}) joins ${inbound.length} branches (${some(inbound)}); ` +
        'convlab imports chains, one layer after another');
    }
    if (!byName.has(inbound[0])) throw new ModelFileError(`${name}: layer '${printable(layerName)}' reads '${printable(inbound[0])}', which the model does not have`);
    readers.set(inbound[0], [...(readers.get(inbound[0]) ?? []), layerName]);
  }
  if (!first) throw new ModelFileError(`${name}: the ${printable(kind)} model has no input layer`);
  const chain: KerasLayer[] = [];
  for (let layer: FunctionalLayer | undefined = first; layer; ) {
    chain.push(layer);
    const next: string[] = readers.get(String(layer.name ?? layer.config.name)) ?? [];
    if (next.length > 1) {
      throw new ModelFileError(`${name}: layer '${printable(String(layer.name ?? layer.config.name))}' feeds ${next.length} layers (${some(next)}), a branch; convlab imports chains, one layer after another`);
    }
    layer = next.length ? byName.get(next[0]) : undefined;
  }
  if (chain.length !== layers.length) throw new ModelFileError(`${name}: ${layers.length - chain.length} layers of the ${printable(kind)} model are not on the chain from its input`);
  return chain;
}
