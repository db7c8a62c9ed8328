// core/data/planar.ts: the playground's 2-D data sets (after TensorFlow Playground's), seeded, and points from CSV.
// Every point lies in the square [−6, 6]²; a classification point carries a class index (class 0 is TF
// Playground's −1, class 1 its +1), a regression point a value in [−1, 1].
//   circle:   class 1 inside radius 2.5, class 0 on the ring 3.5…5; noise moves the point before it is labelled
//   xor:      class 1 where x₁·x₂ ≥ 0 (after noise), points kept 0.3 off the axes
//   gaussian: K blobs (K = classes; two at (2,2) and (−2,−2)), spread growing with noise
//   spiral:   K arms r = 5·i/n, θ = 1.75·2π·i/n + 2πk/K, each coordinate jittered by U(−1,1)·noise
//   plane:    value (x₁ + x₂)/10 at the noisy point           multiGaussian: the value of the nearest signed bump
import { seeded, type Random } from '../random.js';
import { DECIMAL } from './csv.js';

export type PlanarName = 'circle' | 'xor' | 'gaussian' | 'spiral' | 'plane' | 'multiGaussian';
export const classificationSets: readonly PlanarName[] = ['circle', 'xor', 'gaussian', 'spiral'];
export const regressionSets: readonly PlanarName[] = ['plane', 'multiGaussian'];
/** Half the side of the square every point lies in. */
export const PLANE_RADIUS = 6;
/** The most classes a playground data set may have. */
export const MAX_CLASSES = 4;

export interface PlanarPoint { x: number; y: number; label: number }

export interface PlanarOptions {
  /** Number of points (default 500). */
  count?: number;
  /** 0 … 0.5, as TF Playground's noise slider 0 … 50 (default 0). */
  noise?: number;
  seed?: number;
  /** Classes for gaussian and spiral, 2 … 4 (circle and xor have 2). */
  classes?: number;
}

/** A seeded data set of `count` points. */
export function planarData(name: PlanarName, { count = 500, noise = 0, seed = 1, classes = 2 }: PlanarOptions = {}): PlanarPoint[] {
  if (!Number.isInteger(count) || count < 1 || count > 100_000) throw new RangeError(`planarData: count must be an integer in 1…100000, got ${count}`);
  if (!(noise >= 0 && noise <= 0.5)) throw new RangeError(`planarData: noise must be in [0, 0.5], got ${noise}`);
  if (!Number.isInteger(classes) || classes < 2 || classes > MAX_CLASSES) throw new RangeError(`planarData: classes must be 2…${MAX_CLASSES}, got ${classes}`);
  const random = seeded(seed);
  switch (name) {
    case 'circle': return circle(count, noise, random);
    case 'xor': return xor(count, noise, random);
    case 'gaussian': return gaussian(count, noise, classes, random);
    case 'spiral': return spiral(count, noise, classes, random);
    case 'plane': return plane(count, noise, random);
    case 'multiGaussian': return multiGaussian(count, noise, random);
    default: throw new TypeError(`planarData: unknown data set '${name as string}' (expected ${[...classificationSets, ...regressionSets].join(', ')})`);
  }
}

/** Is `name` a regression set (a value per point) rather than a classification set? */
export const isRegressionSet = (name: PlanarName) => regressionSets.includes(name);

function circle(count: number, noise: number, random: Random): PlanarPoint[] {
  const radius = 5, points: PlanarPoint[] = [];
  const label = (x: number, y: number) => (Math.hypot(x, y) < radius * 0.5 ? 1 : 0);
  for (let i = 0; i < count; i++) {
    // half inside, half on the ring
    const r = i < count / 2 ? random.uniform(0, radius * 0.5) : random.uniform(radius * 0.7, radius);
    const angle = random.uniform(0, 2 * Math.PI);
    const x = r * Math.sin(angle), y = r * Math.cos(angle);
    const nx = random.uniform(-radius, radius) * noise, ny = random.uniform(-radius, radius) * noise;
    points.push({ x, y, label: label(x + nx, y + ny) });
  }
  return points;
}

function xor(count: number, noise: number, random: Random): PlanarPoint[] {
  const padding = 0.3, points: PlanarPoint[] = [];
  for (let i = 0; i < count; i++) {
    let x = random.uniform(-5, 5), y = random.uniform(-5, 5);
    x += x > 0 ? padding : -padding;
    y += y > 0 ? padding : -padding;
    const nx = random.uniform(-5, 5) * noise, ny = random.uniform(-5, 5) * noise;
    points.push({ x, y, label: (x + nx) * (y + ny) >= 0 ? 1 : 0 });
  }
  return points;
}

function gaussian(count: number, noise: number, classes: number, random: Random): PlanarPoint[] {
  // spread: noise 0 → σ² 0.5, noise 0.5 → σ² 4 (TF Playground's scale)
  const std = Math.sqrt(0.5 + (noise / 0.5) * 3.5);
  const centres = classes === 2 ? [[-2, -2], [2, 2]]
    : Array.from({ length: classes }, (_, k) => [3 * Math.cos(Math.PI / 4 + (2 * Math.PI * k) / classes), 3 * Math.sin(Math.PI / 4 + (2 * Math.PI * k) / classes)]);
  const points: PlanarPoint[] = [];
  for (let i = 0; i < count; i++) {
    const label = i % classes, [cx, cy] = centres[label];
    points.push({ x: clamp(cx + random.normal() * std), y: clamp(cy + random.normal() * std), label });
  }
  return points;
}

function spiral(count: number, noise: number, classes: number, random: Random): PlanarPoint[] {
  const points: PlanarPoint[] = [];
  for (let k = 0; k < classes; k++) {
    const n = Math.floor(count / classes) + (k < count % classes ? 1 : 0);
    // class 1 starts at angle 0 and class 0 half a turn on, as TF Playground's +1 and −1 arms
    const delta = (2 * Math.PI * ((k + classes - 1) % classes)) / classes;
    for (let i = 0; i < n; i++) {
      const r = (i / n) * 5, t = (1.75 * i / n) * 2 * Math.PI + delta;
      points.push({ x: r * Math.sin(t) + random.uniform(-1, 1) * noise, y: r * Math.cos(t) + random.uniform(-1, 1) * noise, label: k });
    }
  }
  return points;
}

function plane(count: number, noise: number, random: Random): PlanarPoint[] {
  const radius = PLANE_RADIUS, points: PlanarPoint[] = [];
  for (let i = 0; i < count; i++) {
    const x = random.uniform(-radius, radius), y = random.uniform(-radius, radius);
    const nx = random.uniform(-radius, radius) * noise, ny = random.uniform(-radius, radius) * noise;
    points.push({ x, y, label: Math.max(-1, Math.min(1, (x + nx + y + ny) / 10)) });
  }
  return points;
}

/** Signed bumps: value ±(1 − distance/2) of the nearest bump within distance 2 (the largest in size wins). */
const BUMPS: [number, number, number][] = [[-4, 2.5, 1], [0, 2.5, -1], [4, 2.5, 1], [-4, -2.5, -1], [0, -2.5, 1], [4, -2.5, -1]];
export function multiGaussianValue(x: number, y: number): number {
  let value = 0;
  for (const [cx, cy, sign] of BUMPS) {
    const v = sign * Math.max(0, 1 - Math.hypot(x - cx, y - cy) / 2);
    if (Math.abs(v) > Math.abs(value)) value = v;
  }
  return value;
}

function multiGaussian(count: number, noise: number, random: Random): PlanarPoint[] {
  const radius = PLANE_RADIUS, points: PlanarPoint[] = [];
  for (let i = 0; i < count; i++) {
    const x = random.uniform(-radius, radius), y = random.uniform(-radius, radius);
    const nx = random.uniform(-radius, radius) * noise, ny = random.uniform(-radius, radius) * noise;
    points.push({ x, y, label: multiGaussianValue(x + nx, y + ny) });
  }
  return points;
}

const clamp = (v: number) => Math.max(-PLANE_RADIUS, Math.min(PLANE_RADIUS, v));

/** Seeded shuffle, then the first `trainRatio` of the points train and the rest test (at least one each when possible). */
export function splitPoints(points: readonly PlanarPoint[], trainRatio: number, seed = 1): { train: PlanarPoint[]; test: PlanarPoint[] } {
  if (!(trainRatio > 0 && trainRatio <= 1)) throw new RangeError(`splitPoints: trainRatio must be in (0, 1], got ${trainRatio}`);
  const shuffled = seeded(seed).shuffle(points.slice());
  let cut = Math.round(shuffled.length * trainRatio);
  if (shuffled.length > 1) cut = Math.min(Math.max(cut, 1), trainRatio < 1 ? shuffled.length - 1 : shuffled.length);
  return { train: shuffled.slice(0, cut), test: shuffled.slice(cut) };
}

// ---- points from CSV --------------------------------------------------------------------------------

export class PlanarCsvError extends Error {
  constructor(message: string, readonly line: number | null) { super(message); this.name = 'PlanarCsvError'; }
}

export interface CsvOptions {
  /** 'classes': the label is a class index 0…classes−1; 'values': the label is a number in [−1, 1]. */
  labels: 'classes' | 'values';
  classes?: number;
  /** Most points accepted (default 1000). */
  maxPoints?: number;
  /** Largest text accepted in characters (default 100 000). */
  maxChars?: number;
}


/** Points from CSV text `x, y, label` (one per line; # starts a comment; at most one header line: the first line of
 *  words, and only the first, as tables are read in data/csv.ts).
 *  Throws PlanarCsvError naming the first bad line and what was expected; checks the size before reading. */
export function parsePointsCsv(text: string, { labels, classes = 2, maxPoints = 1000, maxChars = 100_000 }: CsvOptions): PlanarPoint[] {
  if (typeof text !== 'string') throw new PlanarCsvError(`CSV: expected text, got ${typeof text}`, null);
  if (text.length > maxChars) {
    throw new PlanarCsvError(`CSV: the text has ${text.length} characters, more than the playground's limit of ${maxChars} (at most ${maxPoints} points)`, null);
  }
  const lines = text.split(/\r\n|\n|\r/);
  const points: PlanarPoint[] = [];
  let header = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim(), number = i + 1;
    if (line === '' || line.startsWith('#')) continue;
    const cells = line.split(/\s*[,;\t]\s*|\s+/);
    if (points.length === 0 && !header && cells.every((c) => !DECIMAL.test(c)) && !/^\d/.test(line)) { header = true; continue; } // "x,y,label"
    if (cells.length !== 3) {
      throw new PlanarCsvError(`CSV line ${number}: expected 3 columns (x, y, label), got ${cells.length}: "${clip(line)}"`, number);
    }
    const values = cells.map((c, k) => {
      if (!DECIMAL.test(c)) throw new PlanarCsvError(`CSV line ${number}: ${['x', 'y', 'label'][k]} "${clip(c)}" is not a number`, number);
      return Number(c);
    });
    const [x, y, label] = values;
    for (const [name, v] of [['x', x], ['y', y]] as const) {
      if (!(Math.abs(v) <= PLANE_RADIUS)) throw new PlanarCsvError(`CSV line ${number}: ${name} = ${v} is outside the plane [−${PLANE_RADIUS}, ${PLANE_RADIUS}]`, number);
    }
    if (labels === 'classes' && !(Number.isInteger(label) && label >= 0 && label < classes)) {
      throw new PlanarCsvError(`CSV line ${number}: label ${label} is not a class (expected an integer 0…${classes - 1})`, number);
    }
    if (labels === 'values' && !(Math.abs(label) <= 1)) {
      throw new PlanarCsvError(`CSV line ${number}: value ${label} is outside [−1, 1]`, number);
    }
    if (points.length >= maxPoints) throw new PlanarCsvError(`CSV line ${number}: more than ${maxPoints} points, the playground's limit`, number);
    points.push({ x, y, label });
  }
  if (points.length === 0) throw new PlanarCsvError('CSV: no points found (expected lines "x, y, label", e.g. "1.5, -2, 1")', null);
  return points;
}

/** Points as CSV text with a header; parsePointsCsv reads it back. */
export function pointsToCsv(points: readonly PlanarPoint[]): string {
  return ['x,y,label', ...points.map((p) => `${round(p.x)},${round(p.y)},${round(p.label)}`)].join('\n') + '\n';
}

const round = (v: number) => String(Math.round(v * 1e4) / 1e4);
const clip = (s: string) => (s.length > 40 ? `${s.slice(0, 40)}…` : s);
