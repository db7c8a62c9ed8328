// core/nn/summary.ts: a network's Keras-style summary from its description alone: per layer its output shape, its
// parameters and its multiply-adds per sample. A layer with weights [K, …rest] (conv kernels [K,C,kh,kw], dense
// weights [out,in]) does prod(rest) multiply-adds for each of its outputs: K·Ho·Wo·C·kh·kw for a convolution,
// out·in for a dense layer; the other layers (activations, pooling, normalisation) are counted as none. A layer's
// activation memory is its output per sample in float32 (4 bytes a value): what one more sample in a batch costs.
import type { LayerConfig } from './layers.js';
import { planModel, describeLayer } from './model.js';

export interface SummaryRow { index: number; layer: string; outputShape: number[]; parameters: number; multiplyAdds: number; activationBytes: number }
export interface ModelSummary { inputShape: number[]; rows: SummaryRow[]; parameters: number; multiplyAdds: number; activationBytes: number }

export function summarizeModel(inputShape: number[], layers: LayerConfig[]): ModelSummary {
  const plan = planModel(inputShape, layers);
  const rows = plan.layers.map((layer, index): SummaryRow => {
    const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
    const parameters = layer.params.reduce((t, p) => t + size(p.shape), 0);
    const weights = layer.params.find((p) => p.shape.length >= 2);
    const multiplyAdds = weights ? size(layer.outputShape) * size(weights.shape.slice(1)) : 0;
    const activationBytes = size(layer.outputShape) * Float32Array.BYTES_PER_ELEMENT;
    return { index, layer: describeLayer(layers[index]), outputShape: layer.outputShape, parameters, multiplyAdds, activationBytes };
  });
  return { inputShape: inputShape.slice(), rows, parameters: plan.parameterCount, multiplyAdds: rows.reduce((t, r) => t + r.multiplyAdds, 0),
    activationBytes: rows.reduce((t, r) => t + r.activationBytes, 0) };
}

/** The summary as a text table (Keras's model.summary()). */
export function summaryTable(summary: ModelSummary): string {
  const number = (n: number) => n.toLocaleString('en');
  const head = ['#', 'layer', 'output shape', 'parameters', 'multiply-adds', 'activation bytes'];
  const body = [['', 'input', `[${summary.inputShape.join(', ')}]`, '', '', ''],
    ...summary.rows.map((r) => [String(r.index), r.layer, `[${r.outputShape.join(', ')}]`, number(r.parameters), number(r.multiplyAdds), number(r.activationBytes)])];
  const widths = head.map((h, c) => Math.max(h.length, ...body.map((row) => row[c].length)));
  const line = (row: string[]) => row.map((cell, c) => (c >= 3 ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd();
  const rule = '─'.repeat(widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1));
  return [line(head), rule, ...body.map(line), rule,
    `parameters: ${number(summary.parameters)}   multiply-adds per sample: ${number(summary.multiplyAdds)}   activation bytes per sample: ${number(summary.activationBytes)}`].join('\n');
}
