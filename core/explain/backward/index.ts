// core/explain/backward: the backward pass as plain data (step models per op, a whole model's gradients),
// the Week-3 MLP as a computational graph, activation curves and optimizer paths, for the explainer's views.
export * from './ops.js';
export * from './model.js';
export * from './graph.js';
export * from './activations.js';
export * from './optimizers.js';
