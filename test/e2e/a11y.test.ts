// Accessibility of every view in Chromium: the views are listed from the router's one table (route.ts VIEWS),
// each is opened by its link (an op view on a model that has that layer: the shipped CNN, else a model with every
// other op) and audited with axe-core (WCAG 2.1 A/AA, nothing excluded) at 1280 px, and a few at 390 px.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sequential, modelToJSON, fromData, printNumber } from '../../core/index.js';
import { loadModel } from '../../core/node.js';
import { VIEWS, type ViewName } from '../../viz/src/lib/route.js';
import { e2e, openPage, audit, repository, shots, type App } from './harness.js';

const { model: cnn } = loadModel(`${repository}viz/public/cnn.json`);
const samples = JSON.parse(readFileSync(`${repository}viz/public/data/samples.json`, 'utf8'));
/** Every layer kind the shipped CNN lacks. */
const every = new Sequential({ inputShape: [1, 28, 28], seed: 2, init: 'heUniform', layers: [
  { type: 'conv', filters: 4, kernelSize: 3, padding: 'same' }, { type: 'leakyRelu', alpha: 0.1 }, { type: 'normalize' }, { type: 'maxPool', size: 2 },
  { type: 'sigmoid' }, { type: 'conv', filters: 6, kernelSize: 3, stride: 2 }, { type: 'batchNorm' }, { type: 'tanh' }, { type: 'flatten' }, { type: 'dropout', rate: 0.25 },
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
    await app.page.getByTestId(`open-layer-${every.layers.length - 1}`).waitFor();
    otherId = /model=([\w-]+)/.exec(await app.page.evaluate(() => location.hash))![1];
  });
  afterAll(async () => { await app?.close(); await phone?.close(); });

  /** Open a link and wait until nothing says it is loading or computing. The first link of a page (or one to the view
   *  already shown) is loaded fresh; the others are followed as a student follows them, by the hash in the same page
   *  (the app makes each view anew for every link), which saves reloading the app, the model and the digits for every
   *  view. The view that was shown is marked and must be gone before the new one is waited for. */
  async function open(a: App, hash: string) {
    const view = (h: string) => new URLSearchParams(h.replace(/^.*#/, '')).get('view');
    if (!a.page.url().startsWith(a.base) || view(a.page.url()) === view(hash)) {
      // the same view again (its page may be kept and updated in place): load it afresh
      await a.page.goto('about:blank');
      await a.page.goto(`${a.base}#${hash}`);
    } else {
      await a.page.evaluate((h) => {
        document.querySelector('main')?.lastElementChild?.setAttribute('data-a11y-left', '');
        location.hash = h;
      }, hash);
      await a.page.waitForFunction(() => !document.querySelector('main [data-a11y-left]'), undefined, { timeout: 30_000 });
    }
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
      const start = Date.now();
      await open(app, link);
      const opened = Date.now() - start;
      const found = await audit(app.page);
      console.log(`[a11y] #${link}: opened in ${opened} ms, audited in ${Date.now() - start - opened} ms`);
      if (found.length) failures.push(`#${link}: ${found.join(' | ')}`);
    }
    expect(failures).toEqual([]);
    expect(app.errors).toEqual([]);
  });

  it('the overview\'s keyboard model: one tab stop per row, arrows move along and between rows, the focused map is read out, Enter selects it and goes inside it cell by cell', async () => {
    const { page } = app;
    await open(app, 'view=overview&digit=2');
    const stops = await page.$$eval('main canvas', (all) => all.filter((c) => (c as HTMLElement).tabIndex === 0).map((c) => c.getAttribute('data-testid')));
    expect(stops).toEqual(cnn.configs.map((_, i) => `map-${i}-0`)); // one per layer row (was one per map: 8 + 8 + 8 + 16 + …)
    await page.getByTestId('map-0-0').focus();
    await expect.poll(() => page.getByTestId('cell-info').textContent()).toMatch(/layer 0 \(conv\) map 0 of 8, 24×24: largest value, at \(\d+, \d+\)/);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('map-0-2');
    expect(await page.getByTestId('cell-info').textContent()).toMatch(/map 2 of 8/);
    // the value read out is the map's largest, as core computes it
    const out = cnn.activations(fromData(Float32Array.from(samples[2].pixels as number[]), [1, 28, 28]))[0].data.subarray(2 * 576, 3 * 576);
    expect(await page.getByTestId('cell-value').textContent()).toBe(printNumber(Math.max(...out), 4));
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('map-1-2');
    await page.keyboard.press('End');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('map-1-7');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => location.hash)).toMatch(/sel=1\.7/);
    // Enter also went inside map 7: the cursor starts on its largest value, the arrows move cell by cell, and each
    // cell is read out with its value as core computes it (activations, not the page's explainCell) and its formula
    const [, H, W] = cnn.layers[1].outputShape;
    const map7 = cnn.activations(fromData(Float32Array.from(samples[2].pixels as number[]), [1, 28, 28]))[1].data.subarray(7 * H * W, 8 * H * W);
    const [y0, x0] = /at \((\d+), (\d+)\)/.exec((await page.getByTestId('cell-keys').textContent())!)!.slice(1).map(Number);
    expect(map7[y0 * W + x0]).toBe(Math.max(...map7));
    const [y1, x1] = [y0 < H - 1 ? y0 + 1 : y0 - 1, x0 < W - 1 ? x0 + 1 : x0 - 1];
    await page.keyboard.press(x1 > x0 ? 'ArrowRight' : 'ArrowLeft');
    await page.keyboard.press(y1 > y0 ? 'ArrowDown' : 'ArrowUp');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('map-1-7');
    expect(await page.getByTestId('cell-info').textContent()).toMatch(new RegExp(`^layer 1 \\(${cnn.configs[1].type}\\), output \\[7,${y1},${x1}\\] = `));
    expect(await page.getByTestId('cell-value').textContent()).toBe(printNumber(map7[y1 * W + x1], 4));
    expect(await page.getByTestId('cell-formula').textContent()).toMatch(/.+/);
    await page.keyboard.press('Home');
    expect(await page.getByTestId('cell-value').textContent()).toBe(printNumber(map7[y1 * W], 4));
    // Escape: back to moving between the maps
    await page.keyboard.press('Escape');
    expect(await page.getByTestId('cell-keys').count()).toBe(0);
    expect(await page.getByTestId('cell-info').textContent()).toMatch(/map 7 of 8/);
    await page.keyboard.press('ArrowLeft');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('map-1-6');
    // a vector row: the arrows walk its units, each read out with its formula
    const dense = cnn.configs.findIndex((c) => c.type === 'dense');
    await page.getByTestId(`map-${dense}-0`).focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.getByTestId('cell-formula').textContent()).toMatch(/.+/);
    expect(await page.getByTestId('cell-info').textContent()).toMatch(new RegExp(`layer ${dense} \\(dense\\), output \\[0,0,1\\]`));
    expect(app.errors).toEqual([]);
  });

  it('a few views at 390 px: 0 violations; the page never scrolls sideways, and every box that does is marked (its edge fades)', async () => {
    const failures: string[] = [];
    for (const hash of ['view=overview&digit=2', 'view=conv&layer=0&digit=2', 'view=softmax&layer=8&digit=2', 'view=train', 'view=backward&layer=7&digit=2', 'view=playground',
      'view=graph', 'view=activations&digit=2']) {
      await open(phone, hash);
      const found = await audit(phone.page);
      if (found.length) failures.push(`#${hash}: ${found.join(' | ')}`);
      const sideways = await phone.page.evaluate(() => {
        const unmarked = [...document.querySelectorAll<HTMLElement>('body *')].filter((el) => {
          const overflow = getComputedStyle(el).overflowX;
          return (overflow === 'auto' || overflow === 'scroll') && el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).maskImage === 'none';
        }).map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} ${el.clientWidth}/${el.scrollWidth} px`);
        return { page: document.documentElement.scrollWidth - innerWidth, unmarked };
      });
      if (sideways.page > 0) failures.push(`#${hash}: the page is ${sideways.page} px wider than the screen`);
      if (sideways.unmarked.length) failures.push(`#${hash}: scrolls sideways without showing it: ${sideways.unmarked.join(', ')}`);
    }
    expect(failures).toEqual([]);
    expect(phone.errors).toEqual([]);
  });

  it('at 390 px the overview\'s read-out never covers the cell it explains: a tapped or keyed map is scrolled above it, and the page has room below its last row', async () => {
    const { page } = phone;
    await open(phone, 'view=overview&digit=2');
    const covered = async (testid: string) => {
      const cell = (await page.getByTestId(testid).boundingBox())!, tip = (await page.getByTestId('tip').boundingBox())!;
      return cell.y + cell.height > tip.y;
    };
    // a map at the very bottom of the screen, tapped (no read-out shown yet)
    await page.getByTestId('map-3-0').evaluate((el) => window.scrollBy(0, el.getBoundingClientRect().bottom - innerHeight + 2));
    let box = (await page.getByTestId('map-3-0').boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height - 4);
    await expect.poll(() => page.getByTestId('cell-info').textContent()).toMatch(/^layer 3 \(conv\), output \[0,/);
    await expect.poll(() => covered('map-3-0')).toBe(false);
    // with the read-out shown: a map half under it, tapped on its visible top
    const tipTop = (await page.getByTestId('tip').boundingBox())!.y;
    await page.getByTestId('map-4-5').evaluate((el, top) => window.scrollBy(0, el.getBoundingClientRect().top - top + el.getBoundingClientRect().height / 2), tipTop);
    box = (await page.getByTestId('map-4-5').boundingBox())!;
    expect(await covered('map-4-5')).toBe(true);
    await page.mouse.click(box.x + box.width / 2, box.y + 3);
    await expect.poll(() => page.getByTestId('cell-info').textContent()).toMatch(/^layer 4 \(relu\), output \[5,0,/);
    await expect.poll(() => covered('map-4-5')).toBe(false);
    // the keyboard: inside a map low on the screen, cell by cell
    await page.getByTestId('map-5-0').evaluate((el) => window.scrollBy(0, el.getBoundingClientRect().bottom - innerHeight + 2));
    await page.getByTestId('map-5-0').focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => covered('map-5-0')).toBe(false);
    // the end of the page scrolls clear of the read-out
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    const tip = (await page.getByTestId('tip').boundingBox())!;
    for (const end of [page.getByTestId(`layer-${cnn.layers.length - 1}`), page.getByTestId('probabilities')]) {
      const box = (await end.boundingBox())!;
      expect(box.y + box.height).toBeLessThanOrEqual(tip.y);
    }
    await page.screenshot({ path: `${shots}/overview-phone-readout.png` });
    expect(phone.errors).toEqual([]);
  });
});
