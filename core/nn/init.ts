// core/nn/init.ts: weight initialisation, every number from the seeded generator.
//   glorotUniform: U(±sqrt(6/(fanIn+fanOut)))   glorotNormal: N(0, 2/(fanIn+fanOut))
//   heUniform: U(±sqrt(6/fanIn))               heNormal: N(0, 2/fanIn)          zeros: 0
import type { Random } from '../random.js';

export type Initializer = 'glorotUniform' | 'glorotNormal' | 'heUniform' | 'heNormal' | 'zeros';
export const initializers: readonly Initializer[] = ['glorotUniform', 'glorotNormal', 'heUniform', 'heNormal', 'zeros'];

/** Fill `values` for a weight with the given fan-in and fan-out. */
export function initialize(values: Float32Array, kind: Initializer, fanIn: number, fanOut: number, random: Random): void {
  switch (kind) {
    case 'zeros': values.fill(0); return;
    case 'glorotUniform': return uniform(values, Math.sqrt(6 / (fanIn + fanOut)), random);
    case 'heUniform': return uniform(values, Math.sqrt(6 / fanIn), random);
    case 'glorotNormal': return normal(values, Math.sqrt(2 / (fanIn + fanOut)), random);
    case 'heNormal': return normal(values, Math.sqrt(2 / fanIn), random);
    default: throw new TypeError(`initialize: unknown initializer '${kind as string}' (expected ${initializers.join(', ')})`);
  }
}

function uniform(values: Float32Array, limit: number, random: Random): void {
  for (let i = 0; i < values.length; i++) values[i] = random.uniform(-limit, limit);
}

function normal(values: Float32Array, std: number, random: Random): void {
  for (let i = 0; i < values.length; i++) values[i] = random.normal() * std;
}
