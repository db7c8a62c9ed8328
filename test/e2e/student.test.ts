// Defects a first-year student hit (#21 "the rest of what a student hit"), each checked in Chromium on the built app.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Locator } from 'playwright-core';
import { e2e, openPage, shots, type App } from './harness.js';

describe.skipIf(e2e.skip)('what a student hit', () => {
  let app: App, phone: App;
  beforeAll(async () => { app = await openPage(); phone = await openPage({ width: 390, height: 844 }); });
  afterAll(async () => { await app?.close(); await phone?.close(); });
  /** The words of these cells' first text that the browser broke across lines (a broken word has more than one line box). */
  async function brokenWords(cells: Locator): Promise<string[]> {
    return cells.evaluateAll((list) => list.flatMap((cell) => {
      const text = cell.firstChild, out: string[] = [];
      if (!(text instanceof Text)) return out;
      for (const m of text.data.matchAll(/\S+/g)) {
        const range = document.createRange();
        range.setStart(text, m.index!); range.setEnd(text, m.index! + m[0].length);
        if (new Set(Array.from(range.getClientRects(), (r) => Math.round(r.top))).size > 1) out.push(m[0]);
      }
      return out;
    }));
  }
  async function open(a: App, hash: string, ready: string) {
    await a.page.goto('about:blank');
    await a.page.goto(`${a.base}#${hash}`);
    await a.page.getByTestId(ready).first().waitFor();
  }

  it('the landing page says in three sentences what a row, a map and the colours are', async () => {
    await open(app, '', 'intro');
    const text = (await app.page.getByTestId('intro').textContent())!.replace(/\s+/g, ' ').trim();
    expect(text.split(/(?<=\.) /)).toHaveLength(3);
    expect(text).toMatch(/Each row is one layer/);
    expect(text).toMatch(/Each small picture is a map/);
    expect(text).toMatch(/Red .* positive .* blue .* negative .* white .* zero/i);
    expect(app.errors).toEqual([]);
  });

  it('exercise 04\'s link (read from its README) opens the normalisation view, on the cnn-norm preset', async () => {
    const { readFileSync } = await import('node:fs');
    const readme = readFileSync(new URL('../../exercises/04-normalize/README.md', import.meta.url), 'utf8');
    const link = /\(http:\/\/localhost:5173\/#(view=normalize[^)]*)\)/.exec(readme)![1];
    await open(app, link, 'normalize-stats');
    expect(await app.page.locator('h2').first().textContent()).toMatch(/^Layer 1: normali[sz]ation/);
    expect(await app.page.getByTestId('model-name').textContent()).toMatch(/cnn-norm preset, untrained/);
    expect(await app.page.getByTestId('notice').count()).toBe(0);
    // the model stays while moving between views
    await app.page.getByTestId('layer-bar').getByText('0·conv').click();
    await app.page.getByTestId('params').waitFor();
    expect(await app.page.getByTestId('model-name').textContent()).toMatch(/cnn-norm preset/);
    expect(app.errors).toEqual([]);
  });

  it('conv\'s parameter line follows the chosen kernel size', async () => {
    await open(app, 'view=conv&layer=0&size=3', 'params');
    expect(await app.page.getByTestId('params').textContent()).toBe('8 kernels × 1 channel × 3×3 weights + 8 biases = 80');
    await open(app, 'view=conv&layer=0', 'params');
    expect(await app.page.getByTestId('params').textContent()).toBe('8 kernels × 1 channel × 5×5 weights + 8 biases = 208');
  });

  it('softmax: z is labelled a logit, and a class with p ≈ 0 gets no bar', async () => {
    await open(app, 'view=softmax&layer=8&digit=2', 'softmax-table');
    expect(await app.page.getByTestId('softmax-table').locator('th').allTextContents()).toContain('z (logit)');
    const p = (await app.page.getByTestId('softmax-table').locator('tbody tr').evaluateAll((rows) => rows.slice(0, 10).map((r) => Number(r.children[4].textContent!.replace('−', '-')))));
    for (const [c, value] of p.entries()) expect(await app.page.getByTestId(`softmax-bar-${c}`).count(), `class ${c}, p ${value}`).toBe(value * 120 >= 0.5 ? 1 : 0);
    expect(p.some((v) => v * 120 < 0.5)).toBe(true); // the shipped model rules most classes out
  });

  it('the header shows the CNN\'s layer bar only on pages that use the CNN', async () => {
    for (const [hash, ready, bar] of [['view=overview', 'probabilities', 1], ['view=conv&layer=0', 'params', 1], ['view=train', 'train-start', 0],
      ['view=optimizers', 'path-sgd', 0], ['view=lab', 'lab-progress', 0], ['view=graph', 'step-counter', 0]] as const) {
      await open(app, hash, ready);
      expect(await app.page.getByTestId('layer-bar').count(), hash).toBe(bar);
      // and the model's name says when the page does not use that model (the graph, the optimizers, the training page…)
      expect(await app.page.getByTestId('model-unused').count(), hash).toBe(1 - bar);
      // the lab's task list uses no digit: no digit picker there (the training page keeps it: it picks the digit watched)
      if (hash === 'view=lab' || hash === 'view=train') expect(await app.page.getByTestId('digit-input').count(), hash).toBe(hash === 'view=lab' ? 0 : 1);
    }
  });

  it('on a phone the conv window and its formula fit one screen, and the network picker\'s whole title is printed', async () => {
    await open(phone, 'view=conv&layer=0&digit=2&step=40', 'conv-formula');
    const input = (await phone.page.getByTestId('conv-input-0').boundingBox())!, formula = (await phone.page.getByTestId('conv-formula').boundingBox())!;
    expect(formula.y + formula.height - input.y, 'from the window\'s map to the end of the formula').toBeLessThanOrEqual(844);
    expect(formula.y).toBeGreaterThan(input.y); // the formula follows the window
    await phone.page.screenshot({ path: `${shots}/conv-phone-window-formula.png` });
    await open(phone, 'view=train', 'train-start');
    const title = (await phone.page.getByLabel('network').locator('option:checked').textContent())!;
    await expect.poll(() => phone.page.getByTestId('network-title').textContent()).toBe(title);
    expect(await phone.page.getByTestId('network-title').isVisible()).toBe(true);
    const box = (await phone.page.getByTestId('network-title').boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    expect(phone.errors).toEqual([]);
  });

  it('sigmoid\'s after-map is on its own 0–1 scale (white 0 … black 1), not the before-map\'s ±limit', async () => {
    await open(app, 'view=overview', 'probabilities');
    // the sigmoid view needs a model with a sigmoid layer: a small one from a file
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { Sequential, modelToJSON } = await import('../../core/index.js');
    const model = new Sequential({ inputShape: [1, 28, 28], seed: 3, layers: [{ type: 'conv', filters: 2, kernelSize: 3 }, { type: 'sigmoid' }, { type: 'flatten' }, { type: 'dense', units: 10 }, { type: 'softmax' }] });
    const path = `${mkdtempSync('/tmp/convlab-sigmoid-')}/sigmoid.json`;
    writeFileSync(path, modelToJSON(model));
    await app.page.getByTestId('open-file').setInputFiles(path);
    // the file is decoded in a worker: wait until the page shows the 5-layer model, not the shipped one
    await expect.poll(() => app.page.getByTestId('open-layer-5').count(), { timeout: 30_000 }).toBe(0);
    await app.page.getByTestId('open-layer-1').click();
    await app.page.getByTestId('act-after').waitFor();
    const legends = app.page.getByTestId('legend');
    expect(await legends.count()).toBe(2);
    expect(await legends.nth(1).textContent()).toMatch(/after.*0.*1.*sigmoid's own scale/s);
    // cell centres away from the step's box are grey (r = g = b): the ink scale, not the diverging one
    const grey = await app.page.getByTestId('act-after').evaluate((c) => {
      const canvas = c as HTMLCanvasElement, cell = canvas.width / Number(canvas.dataset.width), context = canvas.getContext('2d')!;
      const out: boolean[] = [];
      for (let y = 4; y < 24; y += 5) for (let x = 4; x < 24; x += 5) {
        const [r, g, b] = context.getImageData(Math.floor((x + 0.5) * cell), Math.floor((y + 0.5) * cell), 1, 1).data;
        out.push(r === g && g === b);
      }
      return out.every(Boolean) && out.length === 16;
    });
    expect(grey).toBe(true);
    await app.page.screenshot({ path: `${shots}/sigmoid-own-scale.png`, fullPage: true });
    expect(app.errors).toEqual([]);
  });
  // The screenshot review of every view × layer (#21): what a student could not explain, each fixed and checked here.
  it('backward, layer 8 on a phone: the loss table scrolls in its own box (the page does not), no header word is broken across lines', async () => {
    await open(phone, 'view=backward&layer=8&digit=4', 'softmax-backward-table');
    expect(await phone.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), 'the page fits 390 px').toBeLessThanOrEqual(0);
    // every word of every header cell on one line: a word broken across lines has more than one line box
    const broken = await brokenWords(phone.page.getByTestId('softmax-backward-table').locator('th'));
    expect(broken).toEqual([]);
    expect(phone.errors).toEqual([]);
  });

  it('backward, layer 8: where the first δ comes from (−1/p[target], 0 elsewhere) is written out with the page\'s own numbers', async () => {
    await open(app, 'view=backward&layer=8&digit=4', 'start-rule');
    const target = Number(await app.page.getByTestId('target').inputValue());
    const rule = (await app.page.getByTestId('start-rule').textContent())!;
    const value = (await app.page.getByTestId('handed-in-value').filter({ hasText: `[${target}] ` }).textContent())!.replace(`[${target}] `, '');
    const p = (await app.page.getByTestId(`softmax-p-${target}`).textContent())!;
    expect(rule).toContain(`δ[${target}] = ∂L/∂p[${target}] = −1 / p[${target}] = −1 / ${p} `);
    expect(rule).toMatch(new RegExp(`[=≈] ${value.replace(/[.+]/g, '\\$&')}: `));
    const toNumber = (t: string) => Number(t.replace(/−/g, '-').replace(/e-/, 'e-'));
    expect(-1 / toNumber(p)).toBeCloseTo(toNumber(value), 1); // the printed δ is −1/p
    // the loss line says ≈ where its result is rounded, as the formula under the table does
    expect(await app.page.getByTestId('loss').textContent()).toMatch(/\) ≈ \d/);
    // a layer further down has no such line
    await open(app, 'view=backward&layer=7&digit=4', 'handed-in');
    expect(await app.page.getByTestId('start-rule').count()).toBe(0);
    expect(app.errors).toEqual([]);
  });

  it('backward of flatten speaks of flatten only (not of dropout)', async () => {
    await open(app, 'view=backward&layer=6&digit=4', 'backward-what');
    const text = (await app.page.getByTestId('backward-what').textContent())!;
    expect(text).toMatch(/^Flatten has no weights/);
    expect(text).not.toMatch(/dropout/i);
    expect(await app.page.getByTestId('step-counter').count()).toBe(0); // one step, δ handed on whole: no player (as flatten's forward view)
    await open(app, 'view=backward&layer=5&digit=4', 'backward-what');
    expect(await app.page.getByTestId('step-counter').count()).toBe(1);
  });

  it('the gradients overview does not say the maps are red and blue when it draws them grey', async () => {
    await open(app, 'view=overview&digit=2&grad=1', 'intro');
    const text = (await app.page.getByTestId('intro').textContent())!.replace(/\s+/g, ' ');
    expect(text).not.toMatch(/Red squares are positive/);
    expect(text).toMatch(/grey \(white lowest, black highest\)/);
  });

  it('the MLP\'s hidden dense layer is not called a score per class (nor a CNN); the last dense layer is', async () => {
    await open(app, 'view=overview&digit=2', 'probabilities');
    await app.page.getByTestId('open-file').setInputFiles(new URL('../../viz/public/mlp.json', import.meta.url).pathname);
    // the file is decoded in a worker: wait until the page shows the 5-layer MLP, not the 9-layer CNN
    await expect.poll(() => app.page.getByTestId('open-layer-5').count(), { timeout: 30_000 }).toBe(0);
    await app.page.getByTestId('open-layer-1').click();
    await app.page.getByTestId('about').waitFor();
    const hidden = (await app.page.getByTestId('about').textContent())!.replace(/\s+/g, ' ');
    expect(hidden).toMatch(/each of the 100 units is a feature learned from the whole picture/);
    expect(hidden).not.toMatch(/one score \(logit\) per class|CNN|feature maps/);
    await app.page.getByTestId('layer-bar').getByText('3·dense').click();
    await expect.poll(async () => (await app.page.getByTestId('about').textContent())!.replace(/\s+/g, ' ')).toMatch(/combines the evidence from all its inputs into one score \(logit\) per class/);
    await open(app, 'view=dense&layer=7&digit=2', 'about');
    expect((await app.page.getByTestId('about').textContent())!.replace(/\s+/g, ' ')).toMatch(/from all the feature maps into one score \(logit\) per class/);
    expect(app.errors).toEqual([]);
  });
  it('conv backward: the input map under a ∂L/∂W legend says it is forward values, and the index i·stride+u−padding is explained', async () => {
    await open(app, 'view=backward&layer=3&digit=0', 'backward-formula');
    expect(await app.page.getByTestId('backward-formula').textContent()).toMatch(/x\[0, i·1\+0−0, j·1\+0−0\]/);
    const index = (await app.page.getByTestId('index-note').textContent())!.replace(/\s+/g, ' ');
    expect(index).toMatch(/window \(i, j\) starts at row i·1−0 and column j·1−0 \(i times the stride 1, minus the padding 0\), and kernel cell \(0, 0\) reads 0 rows down/);
    expect((await app.page.getByTestId('input-map-note').textContent())!.replace(/\s+/g, ' ')).toMatch(/input \(forward values, not gradients\): red above 0.*8×8 values kernel cell \(0, 0\) read/);
    await open(app, 'view=backward&layer=0&digit=0', 'backward-formula');
    expect(await app.page.getByTestId('input-map-note').textContent()).toMatch(/the digit: black ink is 1/);
    expect(app.errors).toEqual([]);
  });

  it('dense backward: what the layer read is drawn grey (forward values, as the gradients overview draws them) and says so', async () => {
    await open(app, 'view=backward&layer=7&digit=0', 'x-map');
    expect(await app.page.getByTestId('x-map-note').textContent()).toMatch(/^grey: the values the layer read in the forward pass/);
    // no red or blue pixel in the x maps
    const coloured = await app.page.getByTestId('x-map').locator('canvas').evaluateAll((canvases) => canvases.some((c) => {
      const data = (c as HTMLCanvasElement).getContext('2d')!.getImageData(0, 0, (c as HTMLCanvasElement).width, (c as HTMLCanvasElement).height).data;
      // the diverging scale's red has g = b below r, its blue b above r; grey has r = g = b, the orange box g far above b
      for (let p = 0; p < data.length; p += 4) if ((data[p] - data[p + 1] > 20 && Math.abs(data[p + 1] - data[p + 2]) <= 3) || data[p + 2] - data[p] > 20) return true;
      return false;
    }));
    expect(coloured).toBe(false);
    expect(app.errors).toEqual([]);
  });

  it('the training page says what its digit picker is for (the digit watched while training, not the training data)', async () => {
    await open(app, 'view=train', 'train-start');
    expect(await app.page.getByTestId('watch-note').textContent()).toMatch(/"watching it learn" follows while the network trains \(it is not what the network trains on\)/);
    await open(app, 'view=overview', 'probabilities');
    expect(await app.page.getByTestId('watch-note').count()).toBe(0);
  });

  it('attribution: a confident digit\'s faint occlusion map says why its scale is tiny', async () => {
    await open(app, 'view=attribution&digit=0', 'occlusion-map');
    const note = (await app.page.getByTestId('occlusion-small').textContent())!.replace(/\s+/g, ' ');
    expect(note).toMatch(/^The network is so sure here \(p\[0\] = 1\.000\) that no grey square moves p\[0\] by more than \d\.\d\de−\d+:/);
    expect(app.errors).toEqual([]);
  });

  it('softmax (forward) on a phone: no number or header word is broken across lines, the page fits 390 px', async () => {
    await open(phone, 'view=softmax&layer=8&digit=2', 'softmax-table');
    expect(await phone.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    const broken = await brokenWords(phone.page.getByTestId('softmax-table').locator('th, td'));
    expect(broken).toEqual([]);
    expect(phone.errors).toEqual([]);
  });
});
