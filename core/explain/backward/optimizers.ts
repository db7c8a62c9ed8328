// core/explain/backward/optimizers.ts: the core's optimizers (nn/optimizers.ts) stepping on 2-D loss surfaces,
// as in lecture 10's figure. The point (x, y) is one parameter of two values; each step sets its gradient from
// the surface and calls Optimizer.step(), so every path is exactly what training would do with these rules.
import { tensor, zeros } from '../../tensor.js';
import { Optimizer, type OptimizerName, type OptimizerOptions } from '../../nn/optimizers.js';
import type { Parameter } from '../../nn/layers.js';

export type SurfaceName = 'quadratic' | 'valley' | 'saddle';
export interface Surface {
  name: SurfaceName; title: string; formula: string;
  f(x: number, y: number): number;
  gradient(x: number, y: number): [number, number];
  start: [number, number]; xRange: [number, number]; yRange: [number, number];
  /** Where the minima are (for drawing). */
  minima: [number, number][];
  /** Learning rates that show each optimizer's character on this surface. */
  rates: Record<OptimizerName, number>;
}

export const lossSurfaces: Record<SurfaceName, Surface> = {
  quadratic: {
    name: 'quadratic', title: 'ill-conditioned bowl', formula: 'f = ½(x² + 50·y²)',
    f: (x, y) => 0.5 * (x * x + 50 * y * y), gradient: (x, y) => [x, 50 * y],
    start: [-4.5, 1.2], xRange: [-5, 5], yRange: [-2, 2], minima: [[0, 0]],
    rates: { sgd: 0.038, momentum: 0.01, adam: 0.3 },
  },
  valley: {
    name: 'valley', title: 'curved valley (Rosenbrock-like)', formula: 'f = (1 − x)² + 10·(y − x²)²',
    f: (x, y) => (1 - x) ** 2 + 10 * (y - x * x) ** 2, gradient: (x, y) => [-2 * (1 - x) - 40 * x * (y - x * x), 20 * (y - x * x)],
    start: [-1.6, 2.2], xRange: [-2, 2], yRange: [-1, 3], minima: [[1, 1]],
    rates: { sgd: 0.012, momentum: 0.004, adam: 0.08 },
  },
  saddle: {
    name: 'saddle', title: 'saddle between two valleys', formula: 'f = x² − y² + ¼·y⁴',
    f: (x, y) => x * x - y * y + 0.25 * y ** 4, gradient: (x, y) => [2 * x, -2 * y + y ** 3],
    start: [-2.8, 0.01], xRange: [-3, 3], yRange: [-2.5, 2.5], minima: [[0, Math.SQRT2], [0, -Math.SQRT2]],
    rates: { sgd: 0.05, momentum: 0.02, adam: 0.1 },
  },
};

export interface OptimizerPath { points: [number, number][]; losses: number[] }

/** `steps` updates of the core optimizer from the surface's start (or `start`); points[0] is the start. */
export function optimizerPath(surface: Surface, options: OptimizerOptions, steps = 100, start = surface.start): OptimizerPath {
  if (!(Number.isInteger(steps) && steps >= 0 && steps <= 100_000)) throw new RangeError(`optimizerPath: steps must be an integer in 0..100000, got ${steps}`);
  const parameter: Parameter = { name: 'point', value: tensor([start[0], start[1]]), grad: zeros([2]), decay: false };
  const optimizer = new Optimizer(options, [parameter]);
  const p = parameter.value.data, g = parameter.grad.data;
  const points: [number, number][] = [[p[0], p[1]]], losses = [surface.f(p[0], p[1])];
  for (let t = 0; t < steps; t++) {
    const [gx, gy] = surface.gradient(p[0], p[1]);
    g[0] = gx; g[1] = gy;
    optimizer.step();
    points.push([p[0], p[1]]);
    losses.push(surface.f(p[0], p[1]));
  }
  return { points, losses };
}

/** f on an n×n grid over the surface's ranges (row 0 at the top, y largest), and a shade in [0,1] by log(1 + f − min). */
export function surfaceGrid(surface: Surface, n = 90): { n: number; values: Float32Array; shades: Float32Array } {
  const values = new Float32Array(n * n), shades = new Float32Array(n * n);
  const [x0, x1] = surface.xRange, [y0, y1] = surface.yRange;
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) values[r * n + c] = surface.f(x0 + ((x1 - x0) * (c + 0.5)) / n, y1 - ((y1 - y0) * (r + 0.5)) / n);
  let lo = Infinity, hi = -Infinity;
  for (const v of values) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  const top = Math.log1p(hi - lo) || 1;
  for (let i = 0; i < values.length; i++) shades[i] = Math.log1p(values[i] - lo) / top;
  return { n, values, shades };
}
