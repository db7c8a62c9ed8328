import { Optimizer, tensor, zeros } from '../../core/index.js';
import { type Check, type Case, runCase, show, close } from '../lib.js';

type Options = { learningRate: number; momentum: number; weightDecay: number };
type Step = (w: number[], g: number[], v: number[], o: Options) => { w: number[]; velocity: number[] };
// a small quadratic bowl, stretched so that momentum matters: L(w) = ½ Σ a_i (w_i − c_i)²
const a = [1, 10, 0.5, 3], c = [1, -2, 0.5, 3];
const gradient = (w: number[]) => w.map((wi, i) => a[i] * (wi - c[i]));
const start = [0.5, 0.5, -1, 2];

/** The weights after each of `steps` updates, from convlab's own optimizer. */
function core(options: Options, steps: number): number[][] {
  const value = tensor(start), grad = zeros([start.length]);
  const optimizer = new Optimizer({ type: 'momentum', ...options }, [{ name: 'w', value, grad, decay: true }]);
  const out: number[][] = [];
  for (let s = 0; s < steps; s++) { grad.data.set(gradient(Array.from(value.data))); optimizer.step(); out.push(Array.from(value.data)); }
  return out;
}
/** The known mistakes, in float64. */
function mistake(kind: 'lrTwice' | 'decoupled' | 'decaySign', options: Options, steps: number): number[][] {
  let w = start.slice(), v = start.map(() => 0);
  const out: number[][] = [];
  for (let s = 0; s < steps; s++) {
    const g = gradient(w);
    if (kind === 'lrTwice') { v = v.map((vi, i) => options.momentum * vi + options.learningRate * (g[i] + options.weightDecay * w[i])); w = w.map((wi, i) => wi - options.learningRate * v[i]); }
    else if (kind === 'decaySign') { v = v.map((vi, i) => options.momentum * vi - options.learningRate * (g[i] - options.weightDecay * w[i])); w = w.map((wi, i) => wi + v[i]); }
    else { v = v.map((vi, i) => options.momentum * vi - options.learningRate * g[i]); w = w.map((wi, i) => wi + v[i] - options.learningRate * options.weightDecay * wi); }
    out.push(w);
  }
  return out;
}

export const check: Check = {
  title: 'SGD with momentum and weight decay',
  exports: ['momentumStep'],
  hints: [
    'first the gradient with weight decay: g_i = grad_i + weightDecay·w_i',
    'then the velocity: v_i = momentum·velocity_i − learningRate·g_i; then w_i + v_i; return both new arrays',
  ],
  cases(impl) {
    const step = impl.momentumStep as Step;
    const cases: Case[] = [];
    const settings: [string, Options][] = [
      ['momentum 0.9, weight decay 0.01', { learningRate: 0.05, momentum: 0.9, weightDecay: 0.01 }],
      ['momentum 0.5, weight decay 0.1', { learningRate: 0.02, momentum: 0.5, weightDecay: 0.1 }],
      ['no momentum, no decay: plain SGD', { learningRate: 0.05, momentum: 0, weightDecay: 0 }],
    ];
    for (const [name, options] of settings) {
      const steps = 6, want = core(options, steps);
      let memo: { path?: number[][]; error?: unknown } | undefined;
      const run = () => {
        memo ??= (() => { try {
          let w = start.slice(), v = start.map(() => 0);
          const path: number[][] = [];
          for (let s = 0; s < steps; s++) { const r = step(w.slice(), gradient(w), v.slice(), { ...options }); if (!r || !Array.isArray(r.w)) throw new Error(`momentumStep returned ${JSON.stringify(r)}: return { w, velocity }`); w = Array.from(r.w); v = Array.from(r.velocity ?? []); path.push(w); }
          return { path };
        } catch (error) { return { error }; } })();
        if (memo.error) throw memo.error;
        return memo.path!;
      };
      const hints = (k: number) => [
        { when: (x: unknown) => options.weightDecay > 0 && close(x, core({ ...options, weightDecay: 0 }, steps)[k], 1e-5), hint: 'weight decay is missing: add weightDecay·w to the gradient before the velocity update' },
        { when: (x: unknown) => options.weightDecay > 0 && close(x, mistake('decaySign', options, steps)[k], 1e-5), hint: 'weight decay has the wrong sign: g = grad + λ·w pulls w towards 0' },
        { when: (x: unknown) => options.momentum > 0 && close(x, core({ ...options, momentum: 0 }, steps)[k], 1e-5), hint: 'momentum has no effect: keep the velocity between steps (use the velocity passed in and return the new one)' },
        { when: (x: unknown) => options.learningRate !== 1 && close(x, mistake('lrTwice', options, steps)[k], 1e-5), hint: 'the learning rate is applied twice: either v = μv − lr·g, w = w + v, or v = μv + g, w = w − lr·v' },
        { when: (x: unknown) => options.weightDecay > 0 && close(x, mistake('decoupled', options, steps)[k], 1e-5), hint: 'the decay is applied to w outside the momentum (decoupled, as in AdamW); lecture 10 adds λ·w to the gradient, before the velocity' },
      ];
      cases.push(runCase(`${name}: w after 1 step`, `w₀ ${show(start)}, v₀ 0, ${JSON.stringify(options)}`, () => run()[0], want[0], hints(0), 1e-5));
      cases.push(runCase(`${name}: w after ${steps} steps`, `w₀ ${show(start)}, v₀ 0, ${JSON.stringify(options)}`, () => run()[steps - 1], want[steps - 1], hints(steps - 1), 1e-5));
    }
    return cases;
  },
};
