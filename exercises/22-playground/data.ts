// exercises/22-playground/data.ts: the 2-D data sets of the Playground (the rules of TensorFlow Playground's
// dataset.ts: circle, exclusive-or, spiral; points in about [−6, 6]²), seeded, and its input features.
import { lcg } from '../lib.js';

export interface Point { x1: number; x2: number; label: 0 | 1 }
export type DataName = 'circle' | 'xor' | 'spiral';

/** `count` points of a data set; the same seed gives the same points. Label 1 is the Playground's "+1" class. */
/**
 * `phase` moves the spiral's points along its arms (0 for the Playground's own points; the check's test set
 * uses 0.5, so its points fall between the training ones instead of on them). Circle and exclusive-or points
 * are random positions, so another seed already gives new points.
 */
export function makeData(name: DataName, count: number, noise: number, seed: number, phase = 0): Point[] {
  const random = lcg(seed), uniform = (a: number, b: number) => a + (b - a) * random();
  const points: Point[] = [];
  if (name === 'circle') {
    const radius = 5, inside = (x: number, y: number) => Math.hypot(x, y) < radius * 0.5;
    for (let n = 0; n < count; n++) {
      const r = n < count / 2 ? uniform(0, radius * 0.5) : uniform(radius * 0.7, radius), angle = uniform(0, 2 * Math.PI);
      const x1 = r * Math.sin(angle), x2 = r * Math.cos(angle);
      const label = inside(x1 + uniform(-radius, radius) * noise, x2 + uniform(-radius, radius) * noise) ? 1 : 0;
      points.push({ x1, x2, label });
    }
  } else if (name === 'xor') {
    const padding = 0.3, pad = (v: number) => v + (v > 0 ? padding : -padding);
    for (let n = 0; n < count; n++) {
      const x1 = pad(uniform(-5, 5)), x2 = pad(uniform(-5, 5));
      const label = (x1 + uniform(-5, 5) * noise) * (x2 + uniform(-5, 5) * noise) >= 0 ? 1 : 0;
      points.push({ x1, x2, label });
    }
  } else {
    const half = Math.floor(count / 2);
    for (const [deltaT, label] of [[0, 1], [Math.PI, 0]] as const) {
      for (let i = 0; i < half; i++) {
        const at = (i + phase) / half, r = at * 5, t = 1.75 * at * 2 * Math.PI + deltaT;
        points.push({ x1: r * Math.sin(t) + uniform(-1, 1) * noise, x2: r * Math.cos(t) + uniform(-1, 1) * noise, label });
      }
    }
  }
  return points;
}

/** The Playground's seven input features. */
export const FEATURES = { 'x1': (p: Point) => p.x1, 'x2': (p: Point) => p.x2, 'x1^2': (p: Point) => p.x1 * p.x1, 'x2^2': (p: Point) => p.x2 * p.x2,
  'x1x2': (p: Point) => p.x1 * p.x2, 'sin(x1)': (p: Point) => Math.sin(p.x1), 'sin(x2)': (p: Point) => Math.sin(p.x2) } as const;
export type Feature = keyof typeof FEATURES;

/** 'X₁²', 'x1 ^ 2', 'x1*x2', 'sin x1', 'X1X2' … to the names above; null when it is none of them. */
export function featureName(text: string): Feature | null {
  const t = text.toLowerCase().replace(/₁/g, '1').replace(/₂/g, '2').replace(/²/g, '^2').replace(/[\s*·×_]/g, '').replace(/^sin\(?(x[12])\)?$/, 'sin($1)');
  const name = t === 'x1x1' ? 'x1^2' : t === 'x2x2' ? 'x2^2' : t === 'x2x1' ? 'x1x2' : t;
  return name in FEATURES ? (name as Feature) : null;
}

/** The rows a model with these input features reads, one point after another. */
export function featureRows(points: Point[], features: Feature[]): Float32Array {
  const rows = new Float32Array(points.length * features.length);
  points.forEach((p, n) => features.forEach((f, i) => { rows[n * features.length + i] = FEATURES[f](p); }));
  return rows;
}
