// Once per `vitest run` that includes browser tests: build the app, serve it, start one Chromium.
// Every file in test/e2e/ reaches both through harness.ts (inject('e2e')); nothing else builds or launches.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { preview, type PreviewServer } from 'vite';
import type { BrowserServer } from 'playwright-core';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext { e2e: { base: string; wsEndpoint: string } | { skipped: string } }
}

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const repository = fileURLToPath(new URL('../../', import.meta.url));

export default async function setup(project: TestProject) {
  if (!existsSync(CHROMIUM)) {
    const reason = `no Chromium at ${CHROMIUM}. Install it (Debian: apt-get install -y chromium) or set CHROMIUM_PATH; .ci/run installs it so CI always runs them.`;
    console.warn(`\n[browser tests SKIPPED] ${reason}\n`);
    project.provide('e2e', { skipped: reason });
    return;
  }
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: repository, stdio: 'pipe' });
  const server: PreviewServer = await preview({ root: `${repository}viz`, configFile: `${repository}vite.config.ts`, preview: { port: 4319, strictPort: false, open: false }, logLevel: 'silent' });
  const { chromium } = await import('playwright-core');
  const browser: BrowserServer = await chromium.launchServer({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  project.provide('e2e', { base: server.resolvedUrls!.local[0], wsEndpoint: browser.wsEndpoint() });
  return async () => {
    await browser.close();
    await new Promise<void>((done) => server.httpServer.close(() => done()));
  };
}
