// One config: the explainer app (root viz/) and the vitest suite (root: the repository).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

const repository = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: 'viz',
  base: './',
  plugins: [svelte()],
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
  worker: { format: 'es' },
  server: { open: !process.env.CI && !process.env.CONVLAB_NO_OPEN },
  test: {
    root: repository,
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
