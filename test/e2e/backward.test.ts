// The backward, graph, activations and optimizers views in Chromium: each link opens, steps, and shows the numbers
// core computes in Node for the same digit, flower or surface. Screenshots at 1280 and 390 px.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { loadModel, loadIris } from '../../core/node.js';
import {
  fromData, explainModelGradients, createPreset, computeGradients, Optimizer, saturation, lossSurfaces, optimizerPath,
} from '../../core/index.js';
import { e2e, openPage, repository, shots, type App } from './harness.js';

/** The number a printed value stands for (a true minus, brackets, "≈"). */
const read = (text: string | null) => Number((text ?? '').replace(/[()≈\s]/g, '').replace(/−/g, '-'));
/** The displayed number (4 significant digits) is the core's value. */
const expectShown = (text: string | null, value: number) => {
  const shown = read(text);
  expect(Number.isFinite(shown), `"${text}" is a number`).toBe(true);
  expect(Math.abs(shown - value)).toBeLessThanOrEqual(1e-3 * Math.abs(value) + 1e-12);
};

describe.skipIf(e2e.skip)('backward views in Chromium', () => {
  let app: App, phone: App, page: Page, base = '';
  const samples = JSON.parse(readFileSync(`${repository}viz/public/data/samples.json`, 'utf8'));
  const { model } = loadModel(`${repository}viz/public/cnn.json`);
  const digit = 5, pixels = fromData(Float32Array.from(samples[digit].pixels), [1, 28, 28]), label = samples[digit].label;
  const gradients = (target = label) => explainModelGradients(model, pixels, target);

  beforeAll(async () => {
    app = await openPage();
    phone = await openPage({ width: 390, height: 844 });
    ({ page, base } = app);
  });
  afterAll(async () => { await app?.close(); await phone?.close(); });

  async function step(times: number) { for (let n = 0; n < times; n++) await page.getByTestId('step-forward').click(); }
  async function shoot(name: string, hash: string) {
    await page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });
    await phone.page.goto(`${phone.base}#${hash}`);
    await phone.page.locator('h2').first().waitFor();
    await phone.page.waitForTimeout(300);
    await phone.page.screenshot({ path: `${shots}/${name}-phone.png`, fullPage: true });
  }

  it('conv backward: ∂L/∂W cell by cell, ∂L/∂b, ∂L/∂x are the core\'s', async () => {
    const hash = `view=backward&layer=0&digit=${digit}&part=dW`;
    await page.goto(`${base}#${hash}`);
    await page.getByTestId('backward-formula').waitFor();
    await step(3);
    expect(await page.getByTestId('step-counter').textContent()).toMatch(/step 4 \/ 200/);
    const dKernels = (gradients().parameters[0] as { kernels: { get(...i: number[]): number } }).kernels;
    expect(await page.getByTestId('backward-formula').textContent()).toMatch(/∂L\/∂W\[0,0,0,3\]/);
    expectShown(await page.getByTestId('backward-value').textContent(), dKernels.get(0, 0, 0, 3));
    await page.keyboard.press('ArrowRight');
    expectShown(await page.getByTestId('backward-value').textContent(), dKernels.get(0, 0, 0, 4));
    await shoot('backward-conv', hash);
    await page.getByTestId('part').selectOption('dx');
    await page.getByTestId('backward-formula').filter({ hasText: '∂L/∂x[0,' }).waitFor();
    await page.goto(`${base}#view=backward&layer=0&digit=${digit}&part=dx&step=${14 * 28 + 10}`);
    await page.getByTestId('backward-formula').filter({ hasText: '∂L/∂x[0,14,10]' }).waitFor();
    expectShown(await page.getByTestId('backward-value').textContent(), gradients().gradients[0].get(0, 14, 10));
    expect(app.errors).toEqual([]);
  });

  it('dense, max pool and ReLU backward show the core\'s gradients; another target class changes them', async () => {
    await page.goto(`${base}#view=backward&layer=7&digit=${digit}&part=dx&target=3&step=40`);
    await page.getByTestId('backward-formula').filter({ hasText: '∂L/∂x[40]' }).waitFor();
    await step(2);
    const g3 = gradients(3);
    expectShown(await page.getByTestId('backward-value').textContent(), g3.gradients[7].data[42]);
    await shoot('backward-dense', `view=backward&layer=7&digit=${digit}&part=dx&target=3&step=42`);
    await page.goto(`${base}#view=backward&layer=2&digit=${digit}&step=100`);
    await page.getByTestId('backward-formula').waitFor();
    await step(5);
    const formula = (await page.getByTestId('backward-formula').textContent())!;
    const [, c, y, x] = formula.match(/∂L\/∂x\[(\d+),(\d+),(\d+)\] \+=/)!.map(Number);
    // after all windows the pixel holds core's ∂L/∂x; a window's "after" is that sum so far (a pixel wins at most 1 window for size 2, stride 2)
    expectShown(await page.getByTestId('backward-value').textContent(), gradients().gradients[2].get(c, y, x));
    await shoot('backward-maxpool', `view=backward&layer=2&digit=${digit}&step=105`);
    await page.goto(`${base}#view=backward&layer=4&digit=${digit}&step=7`);
    await page.getByTestId('backward-formula').waitFor();
    await step(1);
    expectShown(await page.getByTestId('backward-value').textContent(), gradients().gradients[4].data[8]);
    expect(app.errors).toEqual([]);
  });

  it('softmax + cross-entropy: ∂L/∂z = p − onehot and the loss, for a chosen target', async () => {
    await page.goto(`${base}#view=backward&layer=8&digit=${digit}`);
    await page.getByTestId('softmax-backward-table').waitFor();
    await page.getByTestId('target').selectOption('6');
    await expect.poll(() => page.getByTestId('loss').textContent()).toMatch(/p\[6\]/);
    await step(6);
    const g = gradients(6);
    expectShown(await page.getByTestId('backward-value').textContent(), g.gradients[8].data[6]);
    expectShown((await page.getByTestId('loss').textContent())!.split('=').at(-1)!.trim(), g.loss);
    await shoot('backward-softmax', `view=backward&layer=8&digit=${digit}&target=6&step=6`);
  });

  it('the overview\'s gradients mode shows ∂L/∂(activation) for every layer', async () => {
    await page.goto(`${base}#view=overview&digit=${digit}`);
    await page.getByTestId('mode-gradients').check();
    await page.getByTestId('overview-target').selectOption('2');
    await expect.poll(() => page.getByTestId('overview-loss').textContent()).toMatch(/target 2/);
    const g = gradients(2);
    expectShown((await page.getByTestId('overview-loss').textContent())!.match(/L = (\S+)/)![1], g.loss);
    expect(await page.locator('[data-testid^="gradient-layer-"]').count()).toBe(model.layers.length + 1); // the input row and every layer, flatten too
    // a layer's link opens its backward view for this digit and target, from the first step, without the overview's own settings
    const link = new URLSearchParams((await page.getByTestId('open-backward-3').getAttribute('href'))!.slice(1));
    expect(Object.fromEntries(link)).toEqual({ view: 'backward', layer: '3', target: '2', step: '0', digit: String(digit) });
    await page.screenshot({ path: `${shots}/overview-gradients.png`, fullPage: true });
    expect(app.errors).toEqual([]);
  });

  it('the backward path: opens on a digit the model gets wrong, says why, and walks from the loss to layer 0 handing δ over unchanged', async () => {
    await page.goto(`${base}#view=overview&digit=9`);
    await page.getByTestId('mode-maps').waitFor();
    await page.getByRole('navigation', { name: 'views' }).getByRole('link', { name: 'Backward' }).click();
    await page.getByTestId('backward-path').waitFor();
    // the first sample the shipped model gets wrong (core's own prediction decides which)
    const wrong = samples.findIndex((s: { label: number; pixels: number[] }) => {
      const p = model.predict(fromData(Float32Array.from(s.pixels), [1, 1, 28, 28])).data;
      return p.indexOf(Math.max(...p)) !== s.label;
    });
    expect(wrong).toBeGreaterThanOrEqual(0);
    expect(page.url()).toContain(`digit=${wrong}`);
    const label0 = samples[wrong].label, pixels0 = fromData(Float32Array.from(samples[wrong].pixels), [1, 28, 28]);
    const g = explainModelGradients(model, pixels0, label0);
    expect(await page.getByTestId('target').inputValue()).toBe(String(label0));
    expect(await page.getByTestId('target-reason').textContent()).toMatch(new RegExp(`Target ${label0} is the digit's label ${label0}.*answers \\d instead`));
    const last = model.layers.length - 1;
    expect(await page.getByTestId(`path-${last}`).getAttribute('aria-current')).toBe('step');
    const handed = async (side: 'in' | 'out') => page.getByTestId(`handed-${side}-value`).evaluateAll((spans) => spans.map((s) => [s.getAttribute('data-at'), s.textContent]));
    for (let layer = last; layer > 0; layer--) {
      const out = await handed('out');
      expect(out.length).toBeGreaterThan(0);
      for (const [at, text] of out) { // the numbers are core's ∂L/∂(what layer `layer` reads)
        const index = at!.split(',').map(Number);
        expectShown(text!.replace(/^\[[^\]]*\]\s*/, ''), g.gradients[layer].get(...index));
      }
      await page.getByTestId('backward-next').click();
      await expect.poll(() => page.getByTestId(`path-${layer - 1}`).getAttribute('aria-current')).toBe('step');
      expect(await handed('in'), `δ handed from layer ${layer} to layer ${layer - 1}`).toEqual(out);
    }
    await expect.poll(() => page.getByTestId('backward-next').isDisabled()).toBe(true);
    expect(await page.getByTestId('handed-out').textContent()).toMatch(/handed down to the input pixels/);
    await page.getByTestId('backward-previous').click();
    await expect.poll(() => page.getByTestId('path-1').getAttribute('aria-current')).toBe('step');
    expect(app.errors).toEqual([]);
  });

  it('the loss table of a confident digit: p printed as 1 − ε, p − onehot from float64, the column sums to 0', async () => {
    await page.goto(`${base}#view=backward&layer=8&digit=9`);
    await page.getByTestId('softmax-backward-table').waitFor();
    const label9 = samples[9].label;
    const p = await page.getByTestId(`softmax-p-${label9}`).textContent();
    expect(p).toMatch(/^1 − \d\.\d{3}e−\d+$/);
    // float64 from the logits core computed: 1 − p[label] = Σ of the other p
    const z = Array.from(explainModelGradients(model, fromData(Float32Array.from(samples[9].pixels), [1, 28, 28]), label9).activations[8].data, Number);
    const top = Math.max(...z), e = z.map((v) => Math.exp(v - top)), total = e.reduce((a, b) => a + b, 0);
    const others = e.reduce((sum, v, c) => (c === label9 ? sum : sum + v / total), 0);
    expectShown(p!.replace('1 − ', ''), others);
    expectShown(await page.getByTestId(`softmax-grad-${label9}`).textContent(), -others);
    expect(await page.getByTestId('softmax-sum').textContent()).toBe('0');
    expect(await page.getByTestId('target-reason').textContent()).toMatch(/already sure.*tiny/);
    // no printed number is broken across lines on a phone
    await phone.page.goto(`${phone.base}#view=backward&layer=7&digit=4&part=dx&step=3`);
    await phone.page.getByTestId('backward-value').waitFor();
    for (const id of ['backward-value', 'handed-in-value', 'handed-out-value']) {
      const lines = await phone.page.getByTestId(id).evaluateAll((spans) => spans.map((s) => s.getClientRects().length));
      expect(lines.every((n) => n === 1), `${id} on one line`).toBe(true);
    }
    await phone.page.screenshot({ path: `${shots}/backward-path-phone.png`, fullPage: true });
    await page.screenshot({ path: `${shots}/backward-softmax-confident.png`, fullPage: true });
    expect(app.errors).toEqual([]);
  });

  it('the graph: the chain rule\'s numbers are the core Iris MLP\'s gradient, the step core SGD\'s', async () => {
    const flower = 77, iris = loadIris();
    const x = iris.inputs.subarray(flower * 4, flower * 4 + 4), y = iris.labels[flower];
    const mlp = createPreset('iris', { seed: 1 });
    computeGradients(mlp, Float32Array.from(x), Int32Array.of(y), 'mse');
    const [W1, b1, W2, b2] = mlp.params();
    await page.goto(`${base}#view=graph&flower=${flower}&step=5`);
    await page.getByTestId('graph-formula').waitFor();
    await step(2);
    for (let k = 0; k < 3; k++) expectShown(await page.getByTestId(`dz2-${k}`).textContent(), b2.grad.data[k]);
    await step(4);
    for (let j = 0; j < 10; j++) expectShown(await page.getByTestId(`dz1-${j}`).textContent(), b1.grad.data[j]);
    expectShown(await page.getByTestId('w1-2-3').textContent(), W1.grad.data[2 * 4 + 3]);
    await shoot('graph', `view=graph&flower=${flower}&step=11`);
    await step(1);
    new Optimizer({ type: 'sgd', learningRate: 0.1 }, mlp.params()).step();
    expectShown((await page.getByTestId('w2-1-4').textContent())!.split('→')[1].trim(), W2.value.data[14]);
    expect(await page.getByTestId('graph-formula').textContent()).toMatch(/without|absorbed|θ ← θ − lr/);
    await page.screenshot({ path: `${shots}/graph-step.png`, fullPage: true });
    expect(app.errors).toEqual([]);
  });

  it('activations: the saturation shares are the core\'s for the chosen layer', async () => {
    await page.goto(`${base}#view=activations&digit=${digit}&layer=4`);
    await page.getByTestId('curve-sigmoid').waitFor();
    const pre = gradients().activations[4].data;
    for (const kind of ['relu', 'sigmoid', 'tanh'] as const) {
      expect(await page.getByTestId(`saturation-${kind}`).textContent()).toBe(`${(saturation(kind, pre) * 100).toFixed(1)} %`);
    }
    expect(await page.getByTestId('collapse-matrix').locator('tr').count()).toBe(3);
    await shoot('activations', `view=activations&digit=${digit}&layer=4`);
  });

  it('optimizers: stepping shows the core optimizers\' iterates; a learning rate from the link is used', async () => {
    await page.goto(`${base}#view=optimizers&surface=valley&momentum=0.003`);
    await page.getByTestId('path-adam').waitFor();
    await step(10);
    const s = lossSurfaces.valley;
    for (const type of ['sgd', 'momentum', 'adam'] as const) {
      const path = optimizerPath(s, { type, learningRate: type === 'momentum' ? 0.003 : s.rates[type] }, 10);
      const [px, py] = (await page.getByTestId(`point-${type}`).textContent())!.split(',').map((v) => v.trim());
      expectShown(px, path.points[10][0]); expectShown(py, path.points[10][1]);
      expectShown(await page.getByTestId(`loss-${type}`).textContent(), path.losses[10]);
    }
    await page.goto(`${base}#view=optimizers&surface=saddle&step=40`);
    await page.getByTestId('path-adam').waitFor();
    await shoot('optimizers', 'view=optimizers&surface=saddle&step=40');
    expect(app.errors).toEqual([]);
    expect(phone.errors).toEqual([]);
  });
});
