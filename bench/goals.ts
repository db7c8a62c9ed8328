// bench/goals.ts: issue 20's goals, checked against one bench run's figures (whatever sections ran). Ratios only,
// each against the same run's peer figures.
import type { AccuracyFigures } from './accuracy.js';
import type { LabFigures } from './lab.js';
import { ratio } from './format.js';

type Figures = Partial<Record<string, number | string>>;
export interface RunFigures {
  main?: { convlab: Figures; convlabThreads: Record<1 | 2, Figures>; pytorch: Record<1 | 2, Figures | string>; peers: Record<string, Figures> };
  lab?: LabFigures;
  accuracy?: AccuracyFigures;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const best = (...values: unknown[]): number | undefined => {
  const found = values.map(num).filter((v): v is number => v !== undefined);
  return found.length > 0 ? Math.max(...found) : undefined;
};
const over = (a: number | undefined, b: number | undefined) => (a !== undefined && b !== undefined ? a / b : undefined);

/** One line per goal: the figure, the target and whether this run met it. */
export function goalLines(run: RunFigures): string[] {
  const lines: string[] = [];
  const goal = (text: string, value: number | undefined, target: number) =>
    lines.push(value === undefined ? `${text}: not measured` : `${text} ≥ ${target}×: ${ratio(value)} — ${value >= target ? 'met' : 'NOT met'}`);
  if (run.main) {
    const { convlab, convlabThreads: threads, pytorch, peers } = run.main;
    const torch = (k: string) => best(...[1, 2].map((t) => { const p = pytorch[t as 1 | 2]; return typeof p === 'string' ? undefined : p[k]; }));
    for (const [k, target] of [['cnn-train', 2], ['cnn-infer', 2], ['mlp-train', 1], ['mlp-infer', 0.7], ['conv-fwd', 0.5]] as const) {
      goal(`${k}, convlab's best over PyTorch's best`, over(best(threads[1][k], threads[2][k]), torch(k)), target);
    }
    const peer = (name: string, k: string) => over(num(convlab[k]), num(peers[name]?.[k]));
    goal('cnn-train over ConvNetJS', peer('convnetjs', 'cnn-train'), 10);
    goal('cnn-train over tfjs-cpu', peer('tfjs-cpu', 'cnn-train'), 100);
    goal('cnn-train over tfjs-wasm with the custom conv gradient', peer('tfjs-wasm+grad', 'cnn-train'), 2);
    goal('cnn-infer over tfjs-wasm', peer('tfjs-wasm', 'cnn-infer'), 1);
    goal('mlp-infer over tfjs-wasm', peer('tfjs-wasm', 'mlp-infer'), 1);
    goal('cnn-train, two threads over one', over(num(threads[2]['cnn-train']), num(threads[1]['cnn-train'])), 1.8);
  }
  if (run.lab) {
    for (const [key, label] of [['lab-cnn-train', 'the lab CNN'], ['lab-cnn-dropout-train', 'the lab CNN with dropout'], ['lab-cifar-cnn-train', 'the lab CIFAR CNN']]) {
      const row = run.lab[key];
      if (!row) continue;
      goal(`${label} training, convlab's best over PyTorch's best`,
        over(best(row['convlab 1 thread'], row['convlab 2 threads']), best(row['PyTorch 1 thread'], row['PyTorch 2 threads'])), 1.2);
    }
    const row = run.lab['lab-cnn-train'];
    if (row) goal('the lab CNN training, two threads over one', over(num(row['convlab 2 threads']), num(row['convlab 1 thread'])), 1.8);
  }
  for (const { preset, target, runs } of run.accuracy ?? []) {
    const convlab = runs['convlab 2 threads'];
    const torch = Object.entries(runs).filter(([k]) => k.startsWith('PyTorch')).map(([, v]) => (typeof v === 'string' ? undefined : v.seconds ?? undefined));
    const mine = typeof convlab === 'string' ? undefined : convlab.seconds ?? undefined, theirs = best(...torch.map((s) => (s === undefined ? undefined : -s)));
    const text = `${preset} to ${(100 * target).toFixed(1)} % test accuracy, PyTorch's best time over convlab's`;
    const ran = Object.entries(runs).some(([k, v]) => k.startsWith('PyTorch') && typeof v !== 'string');
    if (mine === undefined) lines.push(`${text}: convlab did not reach it in this run — NOT met`);
    else if (theirs === undefined) lines.push(`${text}: ${ran ? 'PyTorch did not reach it in this run — met' : 'not measured (no PyTorch)'}`);
    else goal(text, -theirs / mine, 1);
  }
  return lines;
}
