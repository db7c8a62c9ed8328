// bench/format.ts: how the bench's tables write figures and ratios (one home for every section).

/** A figure: thousands separated from 100 up, three significant digits below; a string (why there is none) as is. */
export function show(v: number | string | undefined): string {
  return typeof v === 'number' ? (v >= 100 ? Math.round(v).toLocaleString('en') : v.toPrecision(3)) : v ?? '—';
}

/** A ratio: two decimals below 10, whole numbers from 10 up. */
export function ratio(r: number): string {
  return `${r >= 10 ? Math.round(r).toLocaleString('en') : r.toFixed(2)}×`;
}
