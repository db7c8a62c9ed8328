// core/explain/format.ts: how the explainer prints numbers, so every printed sum can be checked by hand; the one home
// of every number format the app's views use (forward, backward, graph, playground).
// A term prints with a fixed number of decimals and a true minus sign; a negative factor is bracketed
// (`0.512 · (−0.134)`); a total printed from rounded terms is marked "≈" when rounding changed anything.
// A single value of any size prints with 4 significant digits (printSignificant); a grid or formula shares one
// format across its values (gridFormat).

/** `v` with `digits` decimals and a typographic minus: −0.134. */
export function printNumber(v: number, digits = 3): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  if (Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 10 ** -digits / 2 && Math.abs(v) >= 1e-30)) {
    return v.toExponential(2).replace(/-/g, '−');
  }
  const text = v.toFixed(digits);
  // −0.000 is printed 0.000: the sign of a rounded-away value only confuses
  return /^-0\.?0*$/.test(text) ? text.slice(1) : text.replace('-', '−');
}

/** A factor inside a product: negatives bracketed, `(−0.134)`. */
export function printFactor(v: number, digits = 3): string {
  return bracket(printNumber(v, digits));
}

/** A printed factor inside a product: a negative one bracketed, `(−0.134)`. */
export const bracket = (text: string) => (text.startsWith('−') ? `(${text})` : text);

/** The number a printed value stands for (brackets, "≈", spaces, a true minus and exponents read back). */
export function parsePrinted(text: string): number {
  return Number(text.replace(/[()≈\s]/g, '').replace(/−/g, '-'));
}

/** "=" when `v` printed at `digits` decimals (printNumber) is exact, "≈" when it was rounded: equalsPrinted's rule. */
export function equalsSign(v: number, digits = 3): '=' | '≈' {
  return equalsPrinted(v, printNumber(v, digits));
}

/** A number as the formulas print it: 4 significant digits, exponent for tiny or huge values, a true minus. */
export function printSignificant(v: number): string {
  if (v === 0) return '0';
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  const a = Math.abs(v);
  return (a >= 1e-3 && a < 1e4 ? String(Number(v.toPrecision(4))) : v.toExponential(3)).replace(/-/g, '−');
}

const minus = (text: string) => text.replace(/-/g, '−');

/** One number format for a whole grid or formula (no "−3.43e−5" beside "0.000"): fixed decimals when every
 *  non-zero value is between 0.001 and 10⁴ and within three decades of the largest, each with at least four
 *  significant digits; otherwise every value in exponent form. A true minus; −0 prints 0. */
export function gridFormat(...groups: ArrayLike<number>[]): (v: number) => string {
  let max = 0, min = Infinity;
  for (const values of groups) for (let i = 0; i < values.length; i++) {
    const a = Math.abs(values[i]);
    if (!Number.isFinite(a) || a === 0) continue;
    if (a > max) max = a;
    if (a < min) min = a;
  }
  const fixed = max === 0 || (min >= 1e-3 && max < 1e4 && max / min <= 1e3);
  const digits = max === 0 ? 0 : Math.max(0, Math.min(7, 3 - Math.floor(Math.log10(min))));
  return (v: number) => {
    if (Number.isNaN(v)) return 'NaN';
    if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
    if (v === 0) return '0';
    const text = fixed ? v.toFixed(digits) : v.toExponential(3);
    return /^-0\.?0*$/.test(text) ? text.slice(1) : minus(text);
  };
}

/** The one "=" or "≈" rule of every view: "=" when `text` reads back as `v` to float32's precision (the values
 *  shown are float32: 0.1 stored as 0.100000001… prints "= 0.100"), "≈" when printing rounded it (NaN and ∞: "≈"). */
export function equalsPrinted(v: number, text: string): '=' | '≈' {
  const back = parsePrinted(text);
  return back === v || Math.abs(back - v) <= Math.abs(v) * 1e-7 ? '=' : '≈';
}

/** Short, unclipped axis and text numbers (charts, the training page): 0.25, 12.5, 1,200, 3.4e+15, 2e-4. */
export function printShort(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude === 0) return '0';
  if (magnitude >= 1e5 || magnitude < 1e-3) return value.toExponential(1).replace('.0e', 'e');
  if (magnitude >= 100) return Math.round(value).toLocaleString('en');
  return String(Number(value.toPrecision(3)));
}
