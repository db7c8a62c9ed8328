// The op views as a student meets them, in Chromium: each defect of issue #11 that lives inside a view
// (false text, the chosen map ignored, hidden conv/dense terms, padding not drawn, flatten/dropout), hover
// formulas equal to core's, every view of every layer without a console error, screenshots at 1280 and 390 px.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { loadModel } from '../../core/node.js';
import { Sequential, modelToJSON, fromData, explainCell, printNumber, parsePrinted, type Tensor } from '../../core/index.js';
import { e2e, openPage, repository, shots, type App } from './harness.js';

const samples: { pixels: number[] }[] = e2e.skip ? [] : JSON.parse(readFileSync(`${repository}viz/public/data/samples.json`, 'utf8'));

/** What each layer of `model` reads for sample `digit` (as the app computes it). */
function layerInputs(model: Sequential, digit: number): Tensor[] {
  const input = fromData(Float32Array.from(samples[digit].pixels), model.inputShape);
  return [input, ...model.activations(input).map((t, i) => fromData(t.data, model.layers[i].outputShape))];
}

/** Move the pointer onto cell (y, x) of a drawn map (canvas with data-height/width and padding). */
async function hoverCell(canvas: Locator, y: number, x: number) {
  const box = (await canvas.boundingBox())!;
  const [top, left, fullH, fullW] = await canvas.evaluate((c) => ['padTop', 'padLeft', 'fullHeight', 'fullWidth'].map((k) => Number((c as HTMLCanvasElement).dataset[k])));
  await canvas.hover({ position: { x: ((left + x + 0.5) * box.width) / fullW, y: ((top + y + 0.5) * box.height) / fullH } });
}

/** Follow a link inside the model shown (a link without model= is a link into the shipped model). */
const go = (page: Page, hash: string) => page.evaluate((h) => {
  const model = new URLSearchParams(location.hash.slice(1)).get('model');
  location.hash = model ? `${h}&model=${model}` : h;
}, hash);
/** A fresh load of the app (a hash-only goto would keep the model opened before). */
async function load(page: Page, url: string) { await page.goto('about:blank'); await page.goto(url); }

describe.skipIf(e2e.skip)('op views that teach', () => {
  let app: App, page: Page, base = '', errors: string[] = [];
  const { model } = e2e.skip ? { model: null as unknown as Sequential } : loadModel(`${repository}viz/public/cnn.json`);

  beforeAll(async () => { app = await openPage(); ({ page, base, errors } = app); });
  afterAll(async () => { await app?.close(); });

  it('defect 4: a view never shows another op\'s text; a pool link without size takes the layer\'s', async () => {
    await load(page, `${base}#view=dense&layer=0&digit=3`);
    await page.getByTestId('about').waitFor();
    const text = (await page.locator('main').textContent())!;
    expect(text).not.toMatch(/change of shape only|pass through unchanged/);
    expect(await page.getByTestId('about').textContent()).toMatch(/Each of the 8 kernels/);
    expect(await page.getByTestId('notice').textContent()).toMatch(/layer 0 is a convolution, not a dense/);
    await go(page, 'view=maxPool&layer=2&digit=3');
    await page.getByTestId('pool-shape').waitFor();
    expect(await page.getByTestId('pool-shape').textContent()).toMatch(/24×24, size 2, stride 2 → 12×12/);
    expect(await page.locator('main').textContent()).not.toMatch(/Impossible setting|options\.size is required/);
    expect(await page.getByTestId('size-arithmetic').first().textContent()).toBe('output side = ⌊(H − k) / s⌋ + 1 = ⌊(24 − 2) / 2⌋ + 1 = 12');
    await go(page, 'view=maxPool&layer=0&digit=3');
    await page.getByTestId('conv-shape').waitFor();
    expect(await page.locator('main').textContent()).not.toMatch(/Impossible setting/);
    expect(errors).toEqual([]);
  });

  it('defect 5: the activation view honours map=5 (a selector, steps start at the map); a dense unit picked on the overview opens that unit', async () => {
    await load(page, `${base}#view=relu&layer=1&map=5&digit=3`);
    await page.getByTestId('relu-formula').waitFor();
    expect(await page.getByTestId('map-select').inputValue()).toBe('5');
    expect(await page.getByTestId('relu-formula').textContent()).toMatch(/relu\(x\[5,0,0\]\)/);
    expect(await page.getByTestId('step-counter').textContent()).toMatch(/value 1 \/ 576/);
    await page.getByTestId('map-select').selectOption('6');
    await expect.poll(() => page.getByTestId('relu-formula').textContent()).toMatch(/relu\(x\[6,0,0\]\)/);
    await load(page, `${base}#view=overview&digit=3`);
    const units = page.getByTestId('map-7-0');
    await units.waitFor();
    const box = (await units.boundingBox())!;
    await units.click({ position: { x: box.width * (3.5 / 10), y: box.height / 2 } });
    expect(await page.getByTestId('connections').textContent()).toMatch(/unit 3 of layer 7.*reads every value/s);
    await page.getByTestId('open-selected').click();
    await page.getByTestId('dense-formula').waitFor();
    expect(await page.getByTestId('map-select').inputValue()).toBe('3');
    expect(await page.getByTestId('dense-formula').textContent()).toMatch(/^y\[3\]/);
    expect(errors).toEqual([]);
  });

  it('defect 9: every conv product is shown, the printed arithmetic adds up, negatives are bracketed; dense shows all its terms', async () => {
    await load(page, `${base}#view=conv&layer=0&map=2&digit=5&step=300`);
    const formula = page.getByTestId('conv-formula');
    await formula.waitFor();
    expect(await page.locator('[data-testid="products-0"] td').count()).toBe(25);
    const text = (await formula.textContent())!;
    expect(text).not.toMatch(/…|·-|\+ -/);
    // = s0 [map 0] + b [bias] ≈ result: the printed terms add up to the printed result within their rounding
    const terms = [...text.matchAll(/(\(?−?[\d.]+\)?) \[(?:map \d+|bias)\]/g)].map((m) => parsePrinted(m[1]));
    const result = parsePrinted(/[=≈] (−?[\d.]+)$/.exec(text.trim())![1]);
    expect(terms).toHaveLength(2);
    expect(Math.abs(terms.reduce((a, b) => a + b, 0) - result)).toBeLessThanOrEqual(2e-4);
    // and the result is core's conv output there (step 300 of map 2 = row 12, column 12)
    const cell = explainCell(model, 0, layerInputs(model, 5)[0], { map: 2, y: 12, x: 12 });
    expect(result).toBeCloseTo(cell.value, 3);
    await page.screenshot({ path: `${shots}/teach-conv-products.png`, fullPage: true });
    await go(page, 'view=conv&layer=3&map=1&digit=5&step=10');
    await page.getByTestId('products-7').waitFor();
    expect(await page.locator('[data-testid^="products-"] td').count()).toBe(8 * 25);
    expect((await page.getByTestId('conv-formula').textContent())!.match(/\[map \d\]/g)).toHaveLength(8);
    await go(page, 'view=dense&layer=7&map=4&digit=5');
    await page.getByTestId('dense-formula').waitFor();
    expect((await page.getByTestId('dense-all-terms').textContent())!.split(' · ')).toHaveLength(256);
    expect(await page.getByTestId('dense-formula').textContent()).toMatch(/the other 248 terms/);
    expect(errors).toEqual([]);
  });

  it('defect 10: padding is drawn as a zero border, and the first window sits on it', async () => {
    await load(page, `${base}#view=conv&layer=0&map=0&digit=5&padding=2`);
    const input = page.getByTestId('conv-input-0');
    await input.waitFor();
    expect(await page.getByTestId('conv-shape').textContent()).toMatch(/output \[8,28,28\]/);
    const drawn = await input.evaluate((c) => {
      const canvas = c as HTMLCanvasElement, cell = canvas.width / 32;
      const px = (x: number, y: number) => Array.from(canvas.getContext('2d')!.getImageData(Math.floor(x), Math.floor(y), 1, 1).data.slice(0, 3));
      return { width: canvas.width, cell, padding: px(cell * 0.5 + 1, cell * 16 + 1), dataPad: canvas.dataset.padTop };
    });
    expect(drawn.dataPad).toBe('2');
    expect(drawn.width % 32).toBe(0); // 28 + 2 + 2 cells wide
    expect(drawn.padding[0]).toBeGreaterThan(150); // a tinted border, not the window's orange
    expect(await page.locator('h3', { hasText: 'window at row -2, column -2 (partly on the zero padding)' }).count()).toBe(1);
    expect(await page.locator('[data-testid="product-grid-0"] td.pad').count()).toBe(16); // rows 0–1 and columns 0–1 of the 5×5 window
    expect(await page.getByTestId('size-arithmetic').first().textContent()).toBe('output side = ⌊(H + 2p − k) / s⌋ + 1 = ⌊(28 + 2·2 − 5) / 1⌋ + 1 = 28');
    await page.screenshot({ path: `${shots}/teach-conv-padding.png`, fullPage: true });
    expect(errors).toEqual([]);
  });

  it('defect 11: flatten is numbered and shown as the c·H·W + h·W + w order (no player); dropout shows its mask and the inference no-op', async () => {
    await load(page, `${base}#view=overview&digit=5`);
    await page.getByTestId('layer-6').waitFor();
    expect(await page.locator('nav a', { hasText: '6·flatten' }).count()).toBe(1);
    await page.getByTestId('open-layer-6').click();
    await page.getByTestId('flatten-formula').waitFor();
    expect(await page.getByTestId('step-counter').count()).toBe(0);
    expect(await page.getByTestId('flatten-shape').textContent()).toMatch(/\[16,4,4\] → \[256\]/);
    // the largest value of map 14 (not a 0, so a wrong cell could not pass)
    const inputs = layerInputs(model, 5);
    let [h, w] = [0, 0];
    for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) if (inputs[6].get(14, y, x) > inputs[6].get(14, h, w)) [h, w] = [y, x];
    expect(inputs[6].get(14, h, w)).toBeGreaterThan(0);
    await hoverCell(page.getByTestId('flatten-map-14'), h, w);
    const index = 14 * 16 + h * 4 + w;
    await expect.poll(() => page.getByTestId('flatten-formula').textContent()).toBe(`v[${index}] = v[14·16 + ${h}·4 + ${w}] = in[14,${h},${w}] = ${printNumber(inputs[6].get(14, h, w), 4)}`);
    expect(await page.getByTestId('cell-value').textContent()).toBe(printNumber(inputs[7].data[index], 4)); // what dense reads at that position
    await page.screenshot({ path: `${shots}/teach-flatten.png`, fullPage: true });

    const mlp = new Sequential({ inputShape: [1, 28, 28], seed: 4, layers: [{ type: 'flatten' }, { type: 'dense', units: 32 }, { type: 'tanh' },
      { type: 'dropout', rate: 0.3 }, { type: 'dense', units: 10 }, { type: 'softmax' }] });
    const path = `${mkdtempSync('/tmp/convlab-teach-')}/mlp.json`;
    writeFileSync(path, modelToJSON(mlp));
    await page.locator('input[type=file][accept*="json"]').setInputFiles(path);
    await page.getByTestId('open-layer-3').waitFor();
    await go(page, 'view=dropout&layer=3&digit=5');
    await page.getByTestId('dropout-summary').waitFor();
    expect(await page.getByTestId('dropout-summary').textContent()).toMatch(/inference: out = x for all 32 values/);
    expect(await page.getByTestId('step-counter').count()).toBe(0);
    await page.getByTestId('dropout-train').click();
    await expect.poll(() => page.getByTestId('dropout-summary').textContent()).toMatch(/rate 0\.3: this pass keeps \d+ of 32 values/);
    expect(await page.getByTestId('dropout-mask-0').count()).toBe(1);
    await page.screenshot({ path: `${shots}/teach-dropout.png`, fullPage: true });
    expect(errors).toEqual([]);
  });

  it('hovering a cell shows its formula, and its value is core\'s (conv layer 3, pool, overview)', async () => {
    const inputs = layerInputs(model, 9);
    await load(page, `${base}#view=conv&layer=3&map=4&digit=9`);
    await page.getByTestId('conv-output').waitFor();
    await hoverCell(page.getByTestId('conv-output'), 3, 5);
    await expect.poll(() => page.getByTestId('cell-formula').textContent()).toMatch(/out\[4,3,5\] = b\[4\]/);
    const conv = explainCell(model, 3, inputs[3], { map: 4, y: 3, x: 5 });
    expect(await page.getByTestId('cell-value').textContent()).toBe(printNumber(conv.value, 4));
    expect(conv.value).toBeCloseTo(inputs[4].get(4, 3, 5), 5);
    expect(await page.getByTestId('cell-formula').textContent()).toContain(conv.arithmetic);
    await go(page, 'view=maxPool&layer=5&map=2&digit=9');
    await page.getByTestId('pool-output').waitFor();
    await hoverCell(page.getByTestId('pool-output'), 1, 2);
    await expect.poll(() => page.getByTestId('cell-formula').textContent()).toMatch(/out\[2,1,2\] = max/);
    expect(await page.getByTestId('cell-value').textContent()).toBe(printNumber(inputs[6].get(2, 1, 2), 4));
    await go(page, 'view=overview&digit=9');
    await page.getByTestId('map-0-6').waitFor();
    await hoverCell(page.getByTestId('map-0-6'), 10, 11);
    await expect.poll(() => page.getByTestId('cell-formula').textContent()).toMatch(/out\[6,10,11\]/);
    expect(await page.getByTestId('cell-value').textContent()).toBe(printNumber(inputs[1].get(6, 10, 11), 4));
    // connections: a conv map of layer 3 reads all 8 maps of layer 2 through the 8 slices of its kernel
    await page.getByTestId('map-3-5').click();
    expect(await page.getByTestId('connections').textContent()).toMatch(/map 5 of layer 3\s*reads all 8 maps of layer 2 \(maxPool\).*5×5 slice of kernel 5/s);
    expect(await page.locator('[data-testid="connections"] canvas').count()).toBe(8);
    expect(await page.evaluate(() => location.hash)).toMatch(/sel=3\.5/);
    await load(page, `${base}#view=overview&digit=9&sel=3.5&scale=network`); // the link restores the selection and the scale
    await page.getByTestId('connections').waitFor();
    expect(await page.getByTestId('scale-mode').inputValue()).toBe('network');
    await page.getByTestId('map-3-5').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${shots}/teach-overview-connections.png` });
    expect(errors).toEqual([]);
  });

  it('every op view opens for every layer of the shipped model and of a model with every other op, with no console error (1280 and 390 px)', async () => {
    const every = new Sequential({ inputShape: [1, 28, 28], seed: 2, init: 'heUniform', layers: [
      { type: 'conv', filters: 4, kernelSize: 3, padding: 'same' }, { type: 'leakyRelu', alpha: 0.1 }, { type: 'normalize' }, { type: 'maxPool', size: 2 },
      { type: 'sigmoid' }, { type: 'conv', filters: 6, kernelSize: 3, stride: 2 }, { type: 'tanh' }, { type: 'flatten' }, { type: 'dropout', rate: 0.25 },
      { type: 'dense', units: 10 }, { type: 'softmax' }] });
    const path = `${mkdtempSync('/tmp/convlab-teach-')}/every.json`;
    writeFileSync(path, modelToJSON(every));
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
      for (const [name, m] of [['cnn', model], ['every', every]] as const) {
        await load(page, `${base}#view=overview&digit=2`);
        await page.getByTestId('prediction').waitFor();
        if (name === 'every') { await page.locator('input[type=file][accept*="json"]').setInputFiles(path); await page.getByTestId('open-layer-10').waitFor(); }
        for (let layer = 0; layer < m.layers.length; layer++) {
          const kind = m.configs[layer].type;
          await go(page, `view=${kind}&layer=${layer}&digit=2&map=1`);
          await page.getByTestId('about').waitFor();
          await expect.poll(() => page.locator('h2').first().textContent()).toMatch(new RegExp(`^Layer ${layer}:`));
          expect(await page.locator('.error').count(), `${name} layer ${layer}`).toBe(0);
          const shot = `${shots}/teach-${name}-${layer}-${kind}-${width}.png`;
          if (name === 'cnn' || ['leakyRelu', 'normalize', 'sigmoid', 'tanh', 'dropout'].includes(kind)) await page.screenshot({ path: shot, fullPage: true });
          if (width === 390) expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), `${name} layer ${layer} fits a phone`).toBeLessThanOrEqual(0);
        }
      }
      await load(page, `${base}#view=overview&digit=2`);
      await page.getByTestId('prediction').waitFor();
      await page.screenshot({ path: `${shots}/teach-overview-${width}.png`, fullPage: true });
      if (width === 390) expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), 'the overview fits a phone').toBeLessThanOrEqual(0);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(errors).toEqual([]);
  });
});
