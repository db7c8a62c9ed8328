// core/explain/format.ts: how the explainer prints numbers, so every printed sum can be checked by hand.
// A term prints with a fixed number of decimals and a true minus sign; a negative factor is bracketed
// (`0.512 · (−0.134)`); a total printed from rounded terms is marked "≈" when rounding changed anything.

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
  const text = printNumber(v, digits);
  return text.startsWith('−') ? `(${text})` : text;
}

/** The number a printed value stands for (inverse of printNumber for plain decimals). */
export function parsePrinted(text: string): number {
  return Number(text.replace(/[()]/g, '').replace(/−/g, '-'));
}

/** "=" when the printed value is exact at `digits` decimals, "≈" when it was rounded. */
export function equalsSign(v: number, digits = 3): '=' | '≈' {
  return Math.abs(parsePrinted(printNumber(v, digits)) - v) < 1e-12 ? '=' : '≈';
}
