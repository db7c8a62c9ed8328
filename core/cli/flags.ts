// core/cli/flags.ts: how every numeric flag is read — one parser each, so --limit reads like --batch and --epochs.
import { InvalidArgumentError } from 'commander';

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
