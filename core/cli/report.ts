// core/cli/report.ts: Keras-style epoch lines and the training history as CSV, JSON or a PNG plot (`--history FILE`).
//   Keras prints per epoch: "250/250 - 16s - 2ms/step - loss: 0.0486 - accuracy: 0.9864 - val_loss: … - val_accuracy: …";
//   the lab asks how long each epoch took, so the line leads with the time and the time per sample.
import { extname } from 'node:path';
import { checkWritable, writeFileAtomic } from '../io/files.js';
import { InvalidArgumentError, Option } from 'commander';
import { PNG } from 'pngjs';
import { fonts, renderPixels } from 'js-pixel-fonts';
import type { EpochRecord, EpochTiming } from '../nn/trainer.js';

export interface HistoryRow extends EpochRecord { seconds: number; microsecondsPerSample: number }

/** `--history FILE`: the option, for `train`. */
export const historyOption = () => new Option('--history <file>', 'write the per-epoch history (loss, accuracy, val_loss, val_accuracy, time) as .csv, .json or a .png plot');
/** `--validation-split X`: hold out a seeded fraction of the training data and report val_loss/val_acc per epoch. */
export const validationOption = () => new Option('--validation-split <x>', 'hold out this fraction (0–1) of the training data for val_loss/val_acc')
  .argParser((value: string) => {
    const x = Number(value);
    if (!(x > 0 && x < 1)) throw new InvalidArgumentError(`--validation-split must be a number between 0 and 1, got '${value}'`);
    return x;
  });

/** One epoch as Keras reports it: time, µs per sample, loss/acc and, with validation, val_loss/val_acc. */
export function epochLine(record: EpochRecord, timing: EpochTiming, epochs: number, peakMegabytes?: number): string {
  const parts = [`epoch ${record.epoch}/${epochs}`, `${timing.seconds.toFixed(1)}s ${Math.round(timing.microsecondsPerSample)}µs/sample`,
    `loss: ${record.loss.toFixed(4)}`, `acc: ${record.accuracy.toFixed(4)}`];
  if (record.valLoss !== null && record.valAccuracy !== null) parts.push(`val_loss: ${record.valLoss.toFixed(4)}`, `val_acc: ${record.valAccuracy.toFixed(4)}`);
  if (peakMegabytes !== undefined) parts.push(`peak memory ${Math.round(peakMegabytes)} MB`);
  return parts.join(' - ');
}

const formats = ['.csv', '.json', '.png'];
/** Checks `--history FILE` before training starts, as `--out` is: a known extension, and a file that can be written
 *  there (an existing, writable folder; the path absent or a regular file — no folder, FIFO, device or link). */
export function checkHistoryPath(file: string): void {
  const extension = extname(file).toLowerCase();
  if (!formats.includes(extension)) throw new Error(`--history ${file}: the name must end in .csv, .json or .png (it chooses the format), got '${extension || 'no extension'}'`);
  checkWritable(file, '--history');
}

export function historyRows(history: EpochRecord[], timings: EpochTiming[]): HistoryRow[] {
  return history.map((record, i) => ({ ...record, seconds: timings[i]?.seconds ?? NaN, microsecondsPerSample: timings[i]?.microsecondsPerSample ?? NaN }));
}

/** The rows as CSV with Keras's column names (epoch, loss, accuracy, val_loss, val_accuracy, seconds, us_per_sample). */
export function historyCsv(rows: HistoryRow[]): string {
  const cell = (v: number | null) => (v === null || Number.isNaN(v) ? '' : String(v));
  return ['epoch,loss,accuracy,val_loss,val_accuracy,seconds,us_per_sample',
    ...rows.map((r) => [r.epoch, r.loss, r.accuracy, r.valLoss, r.valAccuracy, r.seconds, r.microsecondsPerSample].map(cell).join(','))].join('\n') + '\n';
}

/** The rows as Keras's `history.history`: one list per metric (null where there was no validation). */
export function historyJson(rows: HistoryRow[], about: Record<string, unknown> = {}): string {
  const column = (pick: (r: HistoryRow) => number | null) => rows.map(pick);
  return JSON.stringify({ ...about, epoch: column((r) => r.epoch), loss: column((r) => r.loss), accuracy: column((r) => r.accuracy),
    val_loss: column((r) => r.valLoss), val_accuracy: column((r) => r.valAccuracy), seconds: column((r) => r.seconds),
    us_per_sample: column((r) => r.microsecondsPerSample) }, null, 1) + '\n';
}

/** Write the history in the format the extension names, atomically, as a model is saved (writeFileAtomic). */
export function writeHistory(file: string, rows: HistoryRow[], title: string): void {
  const extension = extname(file).toLowerCase();
  const bytes = extension === '.csv' ? historyCsv(rows) : extension === '.json' ? historyJson(rows, { title }) : plotHistory(rows, title);
  writeFileAtomic(file, bytes, '--history');
}

// ---- the plot: two panels (loss, accuracy), training in blue, validation in orange, drawn into RGBA pixels ----

type Colour = [number, number, number];
const TRAIN: Colour = [31, 119, 180], VALIDATION: Colour = [255, 127, 14], INK: Colour = [40, 40, 40], GRID: Colour = [225, 225, 225];

class Canvas {
  readonly png: PNG;
  constructor(readonly width: number, readonly height: number) {
    this.png = new PNG({ width, height });
    this.png.data.fill(255);
  }
  pixel(x: number, y: number, [r, g, b]: Colour): void {
    x = Math.round(x); y = Math.round(y);
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return;
    const i = (y * this.width + x) * 4;
    this.png.data[i] = r; this.png.data[i + 1] = g; this.png.data[i + 2] = b; this.png.data[i + 3] = 255;
  }
  rect(x: number, y: number, w: number, h: number, colour: Colour): void {
    for (let j = 0; j < h; j++) for (let i = 0; i < w; i++) this.pixel(x + i, y + j, colour);
  }
  /** A line `thickness` pixels wide (a square brush stepped along it). */
  line(x0: number, y0: number, x1: number, y1: number, colour: Colour, thickness = 1): void {
    const steps = Math.max(1, Math.ceil(Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0))));
    const half = Math.floor(thickness / 2);
    for (let s = 0; s <= steps; s++) {
      const x = x0 + ((x1 - x0) * s) / steps, y = y0 + ((y1 - y0) * s) / steps;
      this.rect(Math.round(x) - half, Math.round(y) - half, thickness, thickness, colour);
    }
  }
  /** Text in the 7-pixel font, scaled; `align` places x at the text's left, centre or right. Returns its width. */
  text(x: number, y: number, text: string, colour: Colour, { scale = 2, align = 'left' }: { scale?: number; align?: 'left' | 'center' | 'right' } = {}): number {
    const rows = renderPixels(text, fonts.sevenPlus);
    const width = Math.max(0, ...rows.map((row) => row.length)) * scale;
    const left = align === 'left' ? x : align === 'center' ? x - width / 2 : x - width;
    rows.forEach((row, j) => row.forEach((on, i) => { if (on) this.rect(left + i * scale, y + j * scale, scale, scale, colour); }));
    return width;
  }
}

/** Round tick values from one at or below `low` to one at or above `high`: steps of 1, 2 or 5 × 10^k, about `count` of them. */
export function ticks(low: number, high: number, count = 5): number[] {
  if (!(high > low)) { low -= 0.05; high += 0.05; } // one value (one epoch): a small window around it
  const raw = (high - low) / count, power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const values: number[] = [];
  const first = Math.floor(low / step + 1e-9), last = Math.ceil(high / step - 1e-9);
  for (let i = first; i <= Math.max(last, first + 1); i++) values.push(Number((i * step).toFixed(10)));
  return values;
}

function panel(canvas: Canvas, left: number, top: number, width: number, height: number, title: string,
  rows: HistoryRow[], train: (r: HistoryRow) => number, validation: (r: HistoryRow) => number | null, percent: boolean): void {
  const values = rows.flatMap((r) => [train(r), validation(r)]).filter((v): v is number => v !== null && Number.isFinite(v));
  let low = Math.min(...values), high = Math.max(...values);
  if (!percent) low = Math.min(0, low);
  const yTicks = ticks(low, high, 4);
  const yLow = yTicks[0], yHigh = yTicks[yTicks.length - 1];
  const epochs = rows.length, xLow = 1, xHigh = Math.max(2, epochs);
  const X = (epoch: number) => left + ((epoch - xLow) / (xHigh - xLow)) * width;
  const Y = (v: number) => top + height - ((v - yLow) / (yHigh - yLow)) * height;
  const decimals = Math.max(0, -Math.floor(Math.log10(Math.max(1e-12, (yTicks[1] ?? yHigh) - yTicks[0]) * (percent ? 100 : 1))));
  for (const v of yTicks) {
    canvas.line(left, Y(v), left + width, Y(v), GRID);
    canvas.text(left - 8, Y(v) - 7, percent ? `${(v * 100).toFixed(decimals)}%` : v.toFixed(decimals), INK, { align: 'right' });
  }
  const every = Math.ceil(epochs / 10);
  for (let e = 1; e <= epochs; e += every) {
    canvas.line(X(e), top + height, X(e), top + height + 5, INK);
    canvas.text(X(e), top + height + 10, String(e), INK, { align: 'center' });
  }
  canvas.line(left, top, left, top + height, INK);
  canvas.line(left, top + height, left + width, top + height, INK);
  canvas.text(left + width / 2, top + height + 32, 'epoch', INK, { align: 'center' });
  canvas.text(left + width / 2, top - 30, title, INK, { align: 'center', scale: 3 });
  for (const [pick, colour] of [[train, TRAIN], [validation, VALIDATION]] as const) {
    let previous: [number, number] | null = null;
    for (const r of rows) {
      const v = pick(r);
      if (v === null || !Number.isFinite(v)) { previous = null; continue; }
      const point: [number, number] = [X(r.epoch), Y(v)];
      if (previous) canvas.line(previous[0], previous[1], point[0], point[1], colour, 3);
      canvas.rect(point[0] - 3, point[1] - 3, 7, 7, colour);
      previous = point;
    }
  }
}

/** The history as a PNG: loss and accuracy per epoch, training and validation, with a title and a legend. */
export function plotHistory(rows: HistoryRow[], title: string): Buffer {
  if (rows.length === 0) throw new RangeError('plotHistory: no epochs to plot');
  const canvas = new Canvas(1100, 460);
  canvas.text(550, 12, title, INK, { align: 'center' });
  panel(canvas, 100, 90, 420, 290, 'loss', rows, (r) => r.loss, (r) => r.valLoss, false);
  panel(canvas, 650, 90, 420, 290, 'accuracy', rows, (r) => r.accuracy, (r) => r.valAccuracy, true);
  const hasValidation = rows.some((r) => r.valLoss !== null);
  let x = 420;
  for (const [label, colour] of [['training', TRAIN], ...(hasValidation ? [['validation', VALIDATION]] : [])] as [string, Colour][]) {
    canvas.rect(x, 440, 24, 4, colour);
    x += 32 + canvas.text(x + 32, 434, label, INK);
    x += 40;
  }
  if (!hasValidation) canvas.text(x, 434, '(no validation split)', INK);
  return PNG.sync.write(canvas.png);
}
