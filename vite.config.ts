// One config: the explainer app (root viz/) and the vitest suite (root: the repository).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

const repository = fileURLToPath(new URL('.', import.meta.url));
// cross-origin isolation: browsers share memory between workers (SharedArrayBuffer) only on such pages, and
// the training page's two threads need it; the app loads nothing from other origins
const isolation = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

export default defineConfig({
  root: 'viz',
  base: './',
  plugins: [svelte()],
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
  worker: { format: 'es' },
  server: { open: !process.env.CI && !process.env.CONVLAB_NO_OPEN, headers: isolation },
  preview: { headers: isolation },
  test: {
    root: repository,
    testTimeout: 120_000,
    hookTimeout: 180_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: ['test/e2e/**'], setupFiles: ['test/setup/strict.ts'] } },
      // the same kernel, golden and two-thread checks on the relaxed-SIMD build of the WebAssembly kernels
      { extends: true, test: { name: 'unit-relaxed', include: ['test/ops/**/*.test.ts', 'test/kernels/kernelThreads.test.ts', 'test/kernels/resident.test.ts', 'test/nn/parallel.test.ts', 'test/nn/splitBatch.test.ts', 'test/nn/fusedInference.test.ts'], setupFiles: ['test/setup/relaxed.ts'] } },
      // browser tests: one built app and one Chromium for all files (global-setup.ts), one file at a time
      { extends: true, test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], globalSetup: ['test/e2e/global-setup.ts'], fileParallelism: false } },
    ],
  },
});
