// core/nn/features.ts: the playground's input features of a point (x₁, x₂), as in TensorFlow Playground.
//   x1 = x₁   x2 = x₂   x1Squared = x₁²   x2Squared = x₂²   x1x2 = x₁·x₂   sinX1 = sin x₁   sinX2 = sin x₂
// A network's input is the chosen features in this fixed order, so [F] numbers per point.

export type FeatureName = 'x1' | 'x2' | 'x1Squared' | 'x2Squared' | 'x1x2' | 'sinX1' | 'sinX2';

export interface Feature { name: FeatureName; label: string; of: (x1: number, x2: number) => number }

export const FEATURES: readonly Feature[] = [
  { name: 'x1', label: 'x₁', of: (x1) => x1 },
  { name: 'x2', label: 'x₂', of: (_x1, x2) => x2 },
  { name: 'x1Squared', label: 'x₁²', of: (x1) => x1 * x1 },
  { name: 'x2Squared', label: 'x₂²', of: (_x1, x2) => x2 * x2 },
  { name: 'x1x2', label: 'x₁x₂', of: (x1, x2) => x1 * x2 },
  { name: 'sinX1', label: 'sin x₁', of: (x1) => Math.sin(x1) },
  { name: 'sinX2', label: 'sin x₂', of: (_x1, x2) => Math.sin(x2) },
];
const NAMES: readonly FeatureName[] = FEATURES.map((f) => f.name);
/** Is `name` one of the playground's features (x1, x2, x1Squared, …)? (A table's column names are csv's featureNames.) */
export const isFeatureName = (name: string): name is FeatureName => (NAMES as readonly string[]).includes(name);

/** The features in the canonical order, checked: known, no repeats, at least one. */
export function orderFeatures(names: readonly string[]): FeatureName[] {
  if (!Array.isArray(names) || names.length === 0) throw new RangeError('features: choose at least one feature');
  for (const name of names) {
    if (!isFeatureName(name)) throw new TypeError(`features: unknown feature '${name}' (expected ${NAMES.join(', ')})`);
  }
  if (new Set(names).size !== names.length) throw new RangeError(`features: a feature is listed twice (${names.join(', ')})`);
  return NAMES.filter((name) => names.includes(name));
}

/** The feature vectors of points, row-major [N, F] (features in the canonical order). */
export function featureRows(points: readonly { x: number; y: number }[], names: readonly FeatureName[]): Float32Array {
  const chosen = orderFeatures(names).map((name) => FEATURES.find((f) => f.name === name)!.of);
  const out = new Float32Array(points.length * chosen.length);
  points.forEach((p, n) => chosen.forEach((of, f) => { out[n * chosen.length + f] = of(p.x, p.y); }));
  return out;
}

/** The feature vectors of a resolution × resolution grid over [−radius, radius]², rows top (x₂ = +radius) to bottom,
 *  columns left (x₁ = −radius) to right; the cell centres are sampled. */
export function gridPoints(resolution: number, radius: number): { x: number; y: number }[] {
  if (!Number.isInteger(resolution) || resolution < 2 || resolution > 400) throw new RangeError(`gridPoints: resolution must be an integer 2…400, got ${resolution}`);
  const points: { x: number; y: number }[] = [];
  const cell = (2 * radius) / resolution;
  for (let i = 0; i < resolution; i++) for (let j = 0; j < resolution; j++) {
    points.push({ x: -radius + (j + 0.5) * cell, y: radius - (i + 0.5) * cell });
  }
  return points;
}
