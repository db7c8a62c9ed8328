// core/cli/flags.ts: how every numeric flag is read — one parser each, so --limit reads like --batch and --epochs.
import { InvalidArgumentError, Option } from 'commander';
import { printable } from '../printable.js';
import type { InputScale } from '../io/modelFile.js';

/** An integer flag: decimal digits only (Number() would also take '', ' ', '0x10', '1e3' and '2.0'), within [min, max]. */
export const integer = (name: string, min: number, max = Number.MAX_SAFE_INTEGER) => (value: string): number => {
  const n = /^[0-9]+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new InvalidArgumentError(`${name} must be an integer ≥ ${min}${max < Number.MAX_SAFE_INTEGER ? ` and ≤ ${max}` : ''}, got '${value}'`);
  }
  return n;
};

/** A positive decimal number flag (digits, one point, an optional exponent: 0.001, 1e-3). */
export const positive = (name: string) => (value: string): number => {
  const n = /^(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(value) ? Number(value) : NaN;
  if (!(n > 0) || !Number.isFinite(n)) throw new InvalidArgumentError(`${name} must be a positive decimal number, got '${value}'`);
  return n;
};

/** --normalize mean,std: inputs become (x − mean)/std, the scaling some producers' models expect (MNIST's 0.1307,0.3081);
 *  given, it is used instead of the model file's own input scale. */
export function normalizeOption(): Option {
  return new Option('--normalize <mean,std>', 'scale the inputs as (x − mean)/std before the model (a PyTorch MNIST model: 0.1307,0.3081); default: the model file\'s input scale, if it has one')
    .argParser((value: string): InputScale => {
      const parts = value.split(',');
      const numbers = parts.map((p) => (/^\s*-?(\d+\.?\d*|\.\d+)\s*$/.test(p) ? Number(p) : Number.NaN));
      if (numbers.length !== 2 || !numbers.every(Number.isFinite) || !(numbers[1] > 0)) {
        throw new InvalidArgumentError(`'${printable(value.slice(0, 40), true)}' is not two decimal numbers mean,std with std > 0 (e.g. 0.1307,0.3081)`);
      }
      return { mean: [numbers[0]], std: [numbers[1]] };
    });
}
