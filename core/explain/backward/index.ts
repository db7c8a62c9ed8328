// core/explain/backward: a whole model's gradients, the Week-3 MLP as a computational graph, activation curves and
// optimizer paths, for the explainer's views; each op's backward step model is explain<Op>Backward beside explain<Op>.
export * from './model.js';
export * from './graph.js';
export * from './activations.js';
export * from './optimizers.js';
