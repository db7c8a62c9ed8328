// bench/accuracy.ts: time to accuracy on the bundled digits (8,000 train, 2,000 test), convlab against PyTorch
// with the same network, the same initial weights (convlab's, handed over in a file), the same data, batch size,
// optimizer, learning-rate schedule and random distortions (the preset's recipe). Both evaluate the test digits
// after every epoch and stop at the first epoch at or above the target; the figure is the wall time to it,
// evaluations included.
import { loadDigits } from '../core/node.js';
import { fitParallel } from '../core/parallel/node.js';
import { createPreset, evaluate, presets, type PresetName } from '../core/index.js';
import { runTorch, scratch } from './torch.js';
import { ratio } from './format.js';

export const ACCURACY_TARGETS: { preset: PresetName; target: number }[] = [
  { preset: 'cnn', target: 0.98 },
  { preset: 'lab-cnn', target: 0.985 },
];

export interface AccuracyFigure { seconds: number | null; epochs: number[]; epochSeconds: number[] }
export type AccuracyFigures = { preset: PresetName; target: number; runs: Record<string, AccuracyFigure | string> }[];

async function convlab(preset: PresetName, target: number, threads: 1 | 2): Promise<AccuracyFigure> {
  const { train, test } = loadDigits();
  const model = createPreset(preset, { seed: 1 }), recipe = presets[preset].recipe!;
  const figure: AccuracyFigure = { seconds: null, epochs: [], epochSeconds: [] };
  const started = performance.now();
  await fitParallel(model, train, { ...recipe, seed: 1, threads,
    onEpoch: () => {
      const accuracy = evaluate(model, test).accuracy, seconds = (performance.now() - started) / 1000;
      figure.epochs.push(accuracy); figure.epochSeconds.push(seconds);
      if (figure.seconds === null && accuracy >= target) figure.seconds = seconds;
    },
    shouldStop: () => figure.seconds !== null });
  return figure;
}

/** `torchThreads`: PyTorch's thread counts to run (each is a full training run). */
export async function accuracyFigures(log: (line: string) => void, options: { presets?: PresetName[]; torchThreads?: number[] } = {}): Promise<AccuracyFigures> {
  const { train, test } = loadDigits();
  const files = scratch();
  const figures: AccuracyFigures = [];
  try {
    const data = {
      train: files.write('train.f32', train.inputs).replace(/\.f32$/, ''), test: files.write('test.f32', test.inputs).replace(/\.f32$/, ''),
    };
    files.write('train.i32', train.labels); files.write('test.i32', test.labels);
    for (const { preset, target } of ACCURACY_TARGETS.filter((t) => !options.presets || options.presets.includes(t.preset))) {
      const runs: Record<string, AccuracyFigure | string> = {};
      runs['convlab 2 threads'] = await convlab(preset, target, 2);
      const initial = createPreset(preset, { seed: 1 }).params();
      const weights = new Float32Array(initial.reduce((n, p) => n + p.value.size, 0));
      let at = 0;
      for (const p of initial) { weights.set(p.value.data, at); at += p.value.size; }
      const weightsFile = files.write(`${preset}.weights.f32`, weights);
      for (const threads of options.torchThreads ?? [1, 2]) {
        const result = runTorch([{ id: 'a', kind: 'accuracy', inputShape: presets[preset].inputShape, layers: presets[preset].layers,
          recipe: presets[preset].recipe, data, target, weights: weightsFile }], threads);
        runs[`PyTorch ${threads} thread${threads > 1 ? 's' : ''}`] = typeof result === 'string' ? result : (result.a as unknown as AccuracyFigure);
      }
      figures.push({ preset, target, runs });
      log(`  time to accuracy: ${preset} done`);
    }
  } finally { files.remove(); }
  return figures;
}

export function accuracyTable(figures: AccuracyFigures): string[] {
  const lines = ['network → target test accuracy; each run: seconds to the target (epochs; test accuracy per epoch)'];
  for (const { preset, target, runs } of figures) {
    const convlab = runs['convlab 2 threads'];
    const peers = Object.entries(runs).filter(([k, v]) => k.startsWith('PyTorch') && typeof v !== 'string' && v.seconds !== null)
      .map(([, v]) => (v as AccuracyFigure).seconds!);
    const faster = typeof convlab !== 'string' && convlab.seconds !== null && peers.length > 0 ? ` — PyTorch's best ÷ convlab: ${ratio(Math.min(...peers) / convlab.seconds)}` : '';
    lines.push(`${preset} → ${(100 * target).toFixed(1)} %${faster}`);
    for (const [name, run] of Object.entries(runs)) {
      if (typeof run === 'string') { lines.push(`  ${name}: ${run}`); continue; }
      const reached = run.seconds === null ? `not reached in ${run.epochs.length} epochs` : `${run.seconds.toFixed(1)} s (${run.epochs.findIndex((a) => a >= target) + 1} epochs)`;
      const perEpoch = run.epochSeconds.length > 0 ? run.epochSeconds[run.epochSeconds.length - 1] / run.epochSeconds.length : NaN;
      lines.push(`  ${name}: ${reached}, ${perEpoch.toFixed(2)} s per epoch with its evaluation; ${run.epochs.map((a) => (100 * a).toFixed(2)).join(' ')} %`);
    }
  }
  return lines;
}
