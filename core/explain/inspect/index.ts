// core/explain/inspect: looking inside a trained network (issue 22): what it looks at (occlusion, Grad-CAM), what a
// unit wants (top activations, activation maximisation), how the classes separate (PCA), how easily it is fooled
// (distortions, fast gradient sign). Plain data for the explainer's views, computed by the model's own passes.
export * from './common.js';
export * from './attribution.js';
export * from './units.js';
export * from './pca.js';
export * from './embedding.js';
export * from './robustness.js';
export * from './umap.js';
