import { tensor, toArray, tanhBackward } from '../../core/index.js';
import { type Check, runCase, propertyCase, close, fmt } from '../lib.js';
import { gradCheck } from '../gradcheck.js';

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

export const check: Check = {
  title: 'tanh and its derivative',
  exports: ['tanh', 'tanhDerivative'],
  hints: [
    'tanh(z) = (e^z − e^−z)/(e^z + e^−z) overflows for large z: rewrite it with e^(−2|z|), which is at most 1 (or use Math.tanh)',
    'the derivative uses the output: 1 − tanh(z)², not 1 − z²',
  ],
  cases(impl) {
    const tanh = impl.tanh as (z: number[]) => number[];
    const derivative = impl.tanhDerivative as (z: number[]) => number[];
    const inputs: [string, number[]][] = [['small values', [-2, -0.5, 0, 0.3, 1, 2.5]], ['saturating values', [-8, -4, 4, 8]], ['huge values: ±800, ±20', [-800, -20, 20, 800]]];
    const cases = inputs.flatMap(([name, z]) => [
      runCase(`tanh, ${name}`, JSON.stringify(z), () => tanh(z.slice()), z.map(Math.tanh), [
        { when: (a) => (a as number[]).some(Number.isNaN), hint: 'NaN: e^800 is Infinity and Infinity/Infinity is NaN; rewrite with e^(−2|z|) or use Math.tanh' },
        { when: (a) => close(a, z.map(sigmoid)), hint: 'that is the sigmoid 1/(1 + e^−z): tanh(z) = 2σ(2z) − 1' },
      ], 1e-7),
      runCase(`tanhDerivative, ${name}`, JSON.stringify(z), () => derivative(z.slice()), toArray(tanhBackward(tensor(z), tensor(z.map(() => 1)))) as number[], [
        { when: (a) => close(a, z.map((v) => 1 - v * v)), hint: 'that is 1 − z²: the derivative is 1 − tanh(z)², the square of the output' },
        { when: (a) => close(a, z.map((v) => Math.tanh(v) * (1 - Math.tanh(v)))), hint: 'that is the sigmoid\'s form t(1 − t): for tanh it is 1 − t²' },
        { when: (a) => close(a, z.map((v) => 1 - Math.tanh(v))), hint: 'square the output: 1 − tanh(z)², not 1 − tanh(z)' },
        { when: (a) => (a as number[]).some(Number.isNaN), hint: 'NaN: compute the derivative from a tanh that does not overflow' },
      ], 1e-5),
    ]);
    cases.push(propertyCase('gradCheck: your derivative matches central differences of your tanh', 'z = [−1.5, −0.2, 0.4, 2]', () => {
      const z = [-1.5, -0.2, 0.4, 2];
      // a tanh computed in float32 (convlab's own op, which the README allows) rounds at about 6e-8: a difference
      // over h = 1e-5 would be mostly rounding, so such a tanh is checked with h = 1e-2 (truncation ≈ h²/3 ≈ 3e-5)
      const float32 = tanh(z.slice()).every((t) => t === Math.fround(t));
      const report = gradCheck((p: { z: number[] }) => ({ loss: tanh(p.z.slice()).reduce((a, b) => a + b, 0), grads: { z: derivative(p.z.slice()) } }), { z }, { h: float32 ? 1e-2 : 1e-5 });
      const r = report.inputs.z;
      return report.pass ? null : { difference: `max error ${fmt(r.maxError)} at ${JSON.stringify(r.worst?.at)}: yours ${fmt(r.worst?.analytic)}, finite difference ${fmt(r.worst?.numeric)}`,
        hint: 'your derivative is not the slope of your tanh: 1 − tanh(z)²' };
    }));
    return cases;
  },
};
