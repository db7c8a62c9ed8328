// core/io/onnx/wire.ts: a walk over an .onnx file's protobuf wire format that counts, before anything is decoded,
// every repeated field the decoder would turn into objects (nodes, initializers, inputs, attributes, list values).
// A 10 MB file of five million empty nodes decodes into five million objects (seconds and a gigabyte); counted
// here it costs one pass over the bytes and no allocation. Field numbers are onnx.proto's (IR 10).
//
// Wire format: each field is a varint key (field number << 3 | wire type), then a varint (type 0), 8 bytes (1),
// a varint length and that many bytes (2), or 4 bytes (5). Groups (3, 4) are not used by onnx.proto.
import { ModelFileError } from '../modelFile.js';

/** What a message's fields hold: a nested message (walked), a packable number list, a repeated string (counted), or anything else (skipped). */
type Field = { message: () => Schema } | { packed: 'varint' | 'fixed32' | 'fixed64' } | { text: true };
type Schema = Record<number, Field>;

const tensorShape: Schema = { 1: { message: () => ({ 1: { packed: 'varint' } }) } };
const type: Schema = { 1: { message: () => ({ 2: { message: () => tensorShape } }) } };
const valueInfo: Schema = { 2: { message: () => type } };
const TEXT: Field = { text: true };
const tensor: Schema = {
  1: { packed: 'varint' }, 4: { packed: 'fixed32' }, 5: { packed: 'varint' }, 7: { packed: 'varint' },
  10: { packed: 'fixed64' }, 11: { packed: 'varint' }, 13: { message: () => ({ 1: TEXT, 2: TEXT }) }, 6: TEXT,
};
const attribute: Schema = {
  5: { message: () => tensor }, 6: { message: () => graph }, 7: { packed: 'fixed32' }, 8: { packed: 'varint' },
  9: TEXT, 10: { message: () => tensor }, 11: { message: () => graph },
};
const node: Schema = { 1: TEXT, 2: TEXT, 5: { message: () => attribute }, 9: { message: () => pair } };
const graph: Schema = {
  1: { message: () => node }, 5: { message: () => tensor }, 11: { message: () => valueInfo }, 12: { message: () => valueInfo },
  13: { message: () => valueInfo }, 14: { message: () => ({ 2: { message: () => pair } }) },
  15: { message: () => ({ 1: { message: () => tensor }, 2: { message: () => tensor }, 3: { packed: 'varint' } }) },
};
const pair: Schema = { 1: TEXT, 2: TEXT };
const fn: Schema = { 4: TEXT, 5: TEXT, 6: TEXT, 7: { message: () => node }, 9: TEXT, 11: { message: () => attribute }, 12: { message: () => valueInfo }, 14: { message: () => pair } };
const training: Schema = { 1: { message: () => graph }, 2: { message: () => graph }, 3: { message: () => pair }, 4: { message: () => pair } };
const model: Schema = {
  7: { message: () => graph }, 8: TEXT, 14: { message: () => pair }, 20: { message: () => training }, 25: { message: () => fn },
};

/** The most values of all repeated fields together, and of a graph's nodes, that a file may declare. */
export interface WireLimits { values: number; nodes: number; depth: number }

/** What the walk found: the main graph's node and initializer counts, and every repeated value in the file. */
export interface WireCounts { nodes: number; initializers: number; values: number }

/**
 * Walk the bytes of a ModelProto without decoding it. Throws a ModelFileError when the bytes are not protobuf,
 * when the main graph has more than `limits.nodes` nodes, or when the whole file declares more than
 * `limits.values` repeated values (each a JavaScript object or number once decoded; float and int lists count per
 * value, raw bytes not at all).
 */
export function scanOnnx(bytes: Uint8Array, name: string, limits: WireLimits): WireCounts {
  const counts: WireCounts = { nodes: 0, initializers: 0, values: 0 };
  const bad = (why: string): never => { throw new ModelFileError(`${name} is not a valid ONNX model (its protobuf does not decode: ${why})`); };
  let at = 0;
  const varint = (end: number): number => {
    let value = 0, scale = 1;
    for (let i = 0; i < 10; i++) {
      if (at >= end) return bad(`a number runs past the end at byte ${at}`);
      const b = bytes[at++];
      value += (b & 0x7f) * scale;
      scale *= 128;
      if (b < 0x80) return value;
    }
    return bad(`a number longer than 10 bytes at byte ${at}`);
  };
  const count = (n: number) => {
    counts.values += n;
    if (counts.values > limits.values) {
      throw new ModelFileError(`${name} declares more than ${limits.values} list values and messages (nodes, inputs, attributes, numbers); ` +
        'convlab reads models up to its layer and parameter limits');
    }
  };
  const walk = (end: number, schema: Schema, depth: number, isMainGraph: boolean) => {
    if (depth > limits.depth) bad(`messages nested more than ${limits.depth} deep`);
    while (at < end) {
      const key = varint(end), field = Math.floor(key / 8), wire = key % 8;
      if (field === 0) bad(`field number 0 at byte ${at}`);
      const spec = schema[field];
      switch (wire) {
        case 0: varint(end); if (spec && 'packed' in spec) count(1); break;
        case 1: at += 8; if (spec && 'packed' in spec) count(1); break;
        case 5: at += 4; if (spec && 'packed' in spec) count(1); break;
        case 2: {
          const length = varint(end), stop = at + length;
          if (stop > end) bad(`a field of ${length} bytes runs past the end of its message`);
          if (spec && 'message' in spec) {
            count(1);
            if (isMainGraph && field === 1) counts.nodes++;
            if (isMainGraph && field === 5) counts.initializers++;
            walk(stop, spec.message(), depth + 1, schema === model && field === 7);
            if (isMainGraph && counts.nodes > limits.nodes) {
              // finish counting cheaply: the message names the real number
              while (at < end) {
                const k = varint(end), w = k % 8;
                if (w === 2) { const l = varint(end); if (Math.floor(k / 8) === 1) counts.nodes++; at += l; } else if (w === 0) varint(end); else if (w === 1) at += 8; else if (w === 5) at += 4; else bad(`wire type ${w}`);
              }
              throw new ModelFileError(`${name} has ${counts.nodes} operations, more than the limit of ${limits.nodes}`);
            }
          } else if (spec && 'text' in spec) {
            count(1);
          } else if (spec && 'packed' in spec) {
            if (spec.packed === 'fixed32') count(Math.floor(length / 4));
            else if (spec.packed === 'fixed64') count(Math.floor(length / 8));
            else { let n = 0; for (let i = at; i < stop; i++) if (bytes[i] < 0x80) n++; count(n); }
          }
          at = stop;
          break;
        }
        default: bad(`wire type ${wire} at byte ${at}`);
      }
      if (at > end) bad('a field runs past the end of its message');
    }
  };
  walk(bytes.length, model, 0, false);
  return counts;
}
