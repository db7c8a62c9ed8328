// core/nn/preset.ts: what a preset is — a named network with its default training recipe (presets.ts lists them).
import type { LayerConfig } from './layers.js';
import type { Initializer } from './init.js';
import type { FitOptions, LossName } from './trainer.js';

export interface Preset {
  /** A one-line description for menus (optional). */
  title?: string;
  /** The data it trains on (default 'digits'). */
  dataset?: 'digits' | 'iris' | 'cifar10';
  inputShape: number[];
  layers: LayerConfig[];
  init: Initializer;
  loss: LossName;
  /** The default recipe (chosen on a validation split of the training data). */
  recipe: Omit<FitOptions, 'epochs' | 'seed'> & { epochs: number };
}
