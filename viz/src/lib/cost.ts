// What each layer costs for one digit: multiply-adds and parameters (core's summarizeModel, the one home of those
// counts), activation memory (its float32 output, also from the summary) and the measured time of its forward pass.
import { summarizeModel, printShort, type Sequential, type SummaryRow } from '../../../core/index.js';

export type LayerCost = SummaryRow & { /** Median milliseconds of this layer's forward pass on one sample, once measured. */ ms: number | null };

/** The summary's rows for `model` (nothing measured yet). */
export function layerCosts(model: Sequential): LayerCost[] {
  return summarizeModel(model.inputShape, model.configs).rows.map((row) => ({ ...row, ms: null }));
}

/** The median time of each layer's forward pass on `input` (one sample), over `repeats` passes after two warm-ups. */
export function timeLayers(model: Sequential, input: Float32Array, repeats = 15, now: () => number = () => performance.now()): number[] {
  const times = model.layers.map(() => [] as number[]);
  for (let r = -2; r < repeats; r++) {
    let out = input;
    model.layers.forEach((layer, i) => {
      const start = now();
      out = layer.forward(out, 1, false, null);
      if (r >= 0) times[i].push(now() - start);
    });
  }
  return times.map((list) => list.sort((a, b) => a - b)[Math.floor(list.length / 2)]);
}

/** A count in short words: 4,866,048 → "4.87 M", 1,280 → "1,280". */
export function count(n: number): string {
  return n >= 1e6 ? `${printShort(n / 1e6)} M` : n.toLocaleString('en-US');
}

/** Bytes in KiB/MiB: 86,528 → "84.5 KiB". */
export function bytes(n: number): string {
  return n >= 1024 * 1024 ? `${printShort(n / 1024 / 1024)} MiB` : n >= 1024 ? `${printShort(n / 1024)} KiB` : `${n} B`;
}
