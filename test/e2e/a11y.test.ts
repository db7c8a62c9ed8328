// Accessibility of every view in Chromium: the views are listed from the router's one table (route.ts VIEWS),
// each is opened by its link (an op view on a model that has that layer: the shipped CNN, else a model with every
// other op) and audited with axe-core (WCAG 2.1 A/AA, nothing excluded) at 1280 px, and a few at 390 px.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sequential, modelToJSON } from '../../core/index.js';
import { loadModel } from '../../core/node.js';
import { VIEWS, type ViewName } from '../../viz/src/lib/route.js';
import { e2e, openPage, audit, repository, type App } from './harness.js';

const { model: cnn } = loadModel(`${repository}viz/public/cnn.json`);
/** Every layer kind the shipped CNN lacks. */
const every = new Sequential({ inputShape: [1, 28, 28], seed: 2, init: 'heUniform', layers: [
  { type: 'conv', filters: 4, kernelSize: 3, padding: 'same' }, { type: 'leakyRelu', alpha: 0.1 }, { type: 'normalize' }, { type: 'maxPool', size: 2 },
  { type: 'sigmoid' }, { type: 'conv', filters: 6, kernelSize: 3, stride: 2 }, { type: 'tanh' }, { type: 'flatten' }, { type: 'dropout', rate: 0.25 },
  { type: 'dense', units: 10 }, { type: 'softmax' }] });

/** One link per view (and per layer kind for the op views), from the router's table. */
function links(): { view: ViewName; hash: string; other: boolean }[] {
  const out: { view: ViewName; hash: string; other: boolean }[] = [];
  for (const view of Object.keys(VIEWS) as ViewName[]) {
    const kind = VIEWS[view].kind;
    if (kind === 'op') {
      const inCnn = cnn.configs.findIndex((c) => c.type === view);
      const layer = inCnn >= 0 ? inCnn : every.configs.findIndex((c) => c.type === view);
      expect(layer, `a test model has a ${view} layer`).toBeGreaterThanOrEqual(0);
      out.push({ view, hash: `view=${view}&layer=${layer}&digit=2`, other: inCnn < 0 });
    } else if (kind === 'layer') {
      out.push({ view, hash: `view=${view}&layer=0&digit=2`, other: false }, { view, hash: `view=${view}&layer=${cnn.configs.length - 1}&digit=2`, other: false });
    } else out.push({ view, hash: `view=${view}&digit=2`, other: false });
  }
  return out;
}

describe.skipIf(e2e.skip)('every view passes the axe-core audit', () => {
  let app: App, phone: App;
  let otherId = '';
  beforeAll(async () => {
    app = await openPage();
    phone = await openPage({ width: 390, height: 844 });
    const path = join(mkdtempSync(join(tmpdir(), 'convlab-a11y-')), 'every.json');
    writeFileSync(path, modelToJSON(every));
    await app.page.goto(`${app.base}#view=overview`);
    await app.page.getByTestId('probabilities').waitFor();
    await app.page.getByTestId('open-file').setInputFiles(path);
    await app.page.getByTestId('open-layer-10').waitFor();
    otherId = /model=([\w-]+)/.exec(await app.page.evaluate(() => location.hash))![1];
  });
  afterAll(async () => { await app?.close(); await phone?.close(); });

  /** Open a link fresh and wait until nothing says it is loading or computing. */
  async function open(a: App, hash: string) {
    await a.page.goto('about:blank');
    await a.page.goto(`${a.base}#${hash}`);
    await a.page.locator('main').waitFor();
    await a.page.waitForFunction(() => {
      const text = document.querySelector('main')?.textContent ?? '';
      return text.length > 40 && !/Loading|computing|Working/i.test(text);
    }, undefined, { timeout: 30_000 });
    await a.page.waitForTimeout(250);
  }

  it('every view of the link scheme at 1280 px: 0 violations, no uncaught error', async () => {
    const all = links();
    expect(new Set(all.map((l) => l.view)).size).toBe(Object.keys(VIEWS).length);
    const failures: string[] = [];
    for (const { hash, other } of all) {
      const link = other ? `${hash}&model=${otherId}` : hash;
      await open(app, link);
      const found = await audit(app.page);
      if (found.length) failures.push(`#${link}: ${found.join(' | ')}`);
    }
    expect(failures).toEqual([]);
    expect(app.errors).toEqual([]);
  });

  it('a few views at 390 px: 0 violations', async () => {
    const failures: string[] = [];
    for (const hash of ['view=overview&digit=2', 'view=conv&layer=0&digit=2', 'view=softmax&layer=8&digit=2', 'view=train', 'view=backward&layer=7&digit=2', 'view=playground']) {
      await open(phone, hash);
      const found = await audit(phone.page);
      if (found.length) failures.push(`#${hash}: ${found.join(' | ')}`);
    }
    expect(failures).toEqual([]);
    expect(phone.errors).toEqual([]);
  });
});
