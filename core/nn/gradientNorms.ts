// core/nn/gradientNorms.ts: how large each layer's gradient is, from the model's gradient buffers.
//   ‖∇_layer‖ = sqrt( Σ_p Σ_i grad_p[i]² ) over the layer's parameters p (weights or kernels, and bias)   (1)
// Read after a backward pass and before the optimizer's step (which zeroes the buffers): the trainer's
// `onGradients` option calls back at exactly that moment. In a deep sigmoid network (1) shrinks layer by layer
// towards the input (σ' ≤ 1/4 at every layer): the vanishing gradient.
import type { Sequential } from './model.js';
import type { LayerType } from './layers.js';

export interface LayerGradientNorm { layer: number; type: LayerType; norm: number }

/** (1) for every layer that has parameters, in layer order. */
export function layerGradientNorms(model: Sequential): LayerGradientNorm[] {
  const norms: LayerGradientNorm[] = [];
  model.layers.forEach((layer, index) => {
    const params = layer.params();
    if (params.length === 0) return;
    let sum = 0; // float64 sum of float32 squares
    for (const p of params) {
      const g = p.grad.data, start = p.grad.offset, end = start + p.grad.size;
      for (let i = start; i < end; i++) sum += g[i] * g[i];
    }
    norms.push({ layer: index, type: layer.config.type, norm: Math.sqrt(sum) });
  });
  return norms;
}
