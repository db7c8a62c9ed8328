// The backward views' helpers. Their colours are the app's one diverging scale (lib/color.ts: blue below 0, white at 0,
// red above, clipped at ±limit): a gradient's sign is what matters to a learner, red means "the loss grows when this
// value grows"; the cell size is views/view.ts's cellFor.

/** A number as the formulas print it: 4 significant digits, exponent for tiny or huge values, a true minus. */
export function num(v: number): string {
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

/** A factor inside a product: a negative one bracketed, `(−0.134)`. */
export const bracket = (text: string) => (text.startsWith('−') ? `(${text})` : text);

/** The number a printed value stands for (a true minus and exponents read back). */
export const readPrinted = (text: string) => Number(text.replace(/[()≈\s]/g, '').replace(/−/g, '-'));

/** "=" when `text` is `v` exactly (to float32's precision), "≈" when printing rounded it. */
export function equals(v: number, text: string): '=' | '≈' {
  const back = readPrinted(text);
  return back === v || Math.abs(back - v) <= Math.abs(v) * 1e-7 ? '=' : '≈';
}
