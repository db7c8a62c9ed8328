// The explainer in real Chromium (Debian's, driven by playwright-core) against the built app.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { setFlagsFromString } from 'node:v8';
import { loadModel, fitParallel } from '../../core/node.js';
import { fromData, createPreset, presets, wasmFlavor, setWasmFlavor, relaxedSimdAvailable, modelToJSON, layerGradientNorms, printShort } from '../../core/index.js';
import { wasmRelaxedBase64 } from '../../core/kernels/wasmBinary.js';
import { digitSets } from '../../viz/src/lib/digits.js';
import { e2e, openPage, repository, shots, type App } from './harness.js';

/** Runs in the page before the app: records every trained model the training worker sends, and every view of shared
 *  memory in any of its messages (there must be none: the worker's arrays may live in shared WebAssembly memory, and
 *  the page's thread gets copies only). */
function recordTrainingWorker() {
  const Original = window.Worker;
  const record = { models: [] as string[], sharedViews: [] as string[] };
  (window as unknown as { trainingRecord: typeof record }).trainingRecord = record;
  const scan = (value: unknown, path: string, depth: number): void => {
    if (value instanceof SharedArrayBuffer || (ArrayBuffer.isView(value) && value.buffer instanceof SharedArrayBuffer)) { record.sharedViews.push(path); return; }
    if (depth > 8 || value === null || typeof value !== 'object' || ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return;
    for (const [key, inner] of Object.entries(value)) scan(inner, `${path}.${key}`, depth + 1);
  };
  window.Worker = class extends Original {
    constructor(url: string | URL, options?: WorkerOptions) {
      super(url, options);
      this.addEventListener('message', (event: MessageEvent) => {
        scan(event.data, event.data?.type ?? 'message', 0);
        if (event.data?.type === 'done') record.models.push(event.data.model);
      });
    }
  };
}
const weightsOf = (json: string): string[] => (JSON.parse(json) as { weights: { data: string }[] }).weights.map((w) => w.data);

describe.skipIf(e2e.skip)('explainer in Chromium', () => {
  let app: App, page: Page, base = '', errors: string[] = [];

  beforeAll(async () => {
    app = await openPage();
    ({ page, base, errors } = app);
  });
  afterAll(async () => { await app?.close(); });

  it('loads with no console errors and predicts what core computes in Node', async () => {
    await page.goto(`${base}#view=overview&digit=37`);
    await page.getByTestId('prediction').waitFor();
    const samples = JSON.parse(readFileSync(`${repository}viz/public/data/samples.json`, 'utf8'));
    const { model } = loadModel(`${repository}viz/public/cnn.json`);
    const probabilities = Array.from(model.predict(fromData(Float32Array.from(samples[37].pixels), [1, 28, 28])).data);
    const expected = probabilities.indexOf(Math.max(...probabilities));
    expect(await page.getByTestId('prediction').textContent()).toBe(String(expected));
    // feature maps are drawn and not blank
    const spreads = await page.$$eval('[data-testid^="layer-"] canvas', (canvases) => canvases.slice(0, 12).map((c) => {
      const d = (c as HTMLCanvasElement).getContext('2d')!.getImageData(0, 0, (c as HTMLCanvasElement).width, (c as HTMLCanvasElement).height).data;
      let lo = 255, hi = 0;
      for (let i = 0; i < d.length; i += 4) { lo = Math.min(lo, d[i]); hi = Math.max(hi, d[i]); }
      return hi - lo;
    }));
    expect(spreads.length).toBeGreaterThan(8);
    expect(spreads.filter((s) => s > 50).length).toBeGreaterThan(spreads.length / 2);
    await page.screenshot({ path: `${shots}/overview.png`, fullPage: true });
    expect(errors).toEqual([]);
  });

  it('stepping the conv view moves the window and changes the formula', async () => {
    await page.goto(`${base}#view=conv&layer=0&map=2&digit=5`);
    const formula = page.getByTestId('conv-formula');
    await formula.waitFor();
    const before = await formula.textContent();
    for (let n = 0; n < 12; n++) await page.getByTestId('step-forward').click();
    const after = await formula.textContent();
    expect(after).not.toBe(before);
    expect(after).toMatch(/out\[2,0,12\]/);
    expect(await page.getByTestId('step-counter').textContent()).toMatch(/step 13 \/ 576/);
    await page.keyboard.press('ArrowRight');
    expect(await formula.textContent()).toMatch(/out\[2,0,13\]/);
    await page.screenshot({ path: `${shots}/conv.png`, fullPage: true });
  });

  it('changing the stride changes the output shape; an impossible kernel size says why', async () => {
    await page.goto(`${base}#view=conv&layer=0&map=0&digit=5`);
    await page.getByTestId('conv-shape').waitFor();
    expect(await page.getByTestId('conv-shape').textContent()).toMatch(/output \[8,24,24\]/);
    await page.getByTestId('stride').selectOption('2');
    await expect.poll(() => page.getByTestId('conv-shape').textContent()).toMatch(/output \[8,12,12\]/);
    await page.getByLabel('kernel size').selectOption('29');
    await expect.poll(() => page.getByTestId('conv-error').textContent()).toMatch(/kernel 29×29 is larger than the padded 28×28 input/);
  });

  it('the URL restores the view: pool layer, map and settings', async () => {
    await page.goto(`${base}#view=maxPool&layer=2&map=3&digit=12&size=3&stride=2`);
    await page.getByTestId('pool-shape').waitFor();
    expect(await page.getByTestId('pool-shape').textContent()).toMatch(/map 3: 24×24, size 3, stride 2 → 11×11/);
    await page.screenshot({ path: `${shots}/maxpool.png`, fullPage: true });
    for (const [view, layer, id] of [['relu', 1, 'relu-formula'], ['dense', 7, 'dense-formula'], ['softmax', 8, 'softmax-table']] as const) {
      await page.goto(`${base}#view=${view}&layer=${layer}&digit=12`);
      await page.getByTestId(id).waitFor();
      await page.screenshot({ path: `${shots}/${view}.png`, fullPage: true });
    }
  });

  it('drawing a "1"-like stroke yields a prediction', async () => {
    await page.goto(`${base}#view=draw`);
    const canvas = page.getByTestId('draw-canvas');
    await canvas.waitFor();
    const box = (await canvas.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.15);
    await page.mouse.down();
    for (let t = 0; t <= 10; t++) await page.mouse.move(box.x + box.width * (0.5 - 0.02 * t / 10), box.y + box.height * (0.15 + 0.7 * t / 10));
    await page.mouse.up();
    await expect.poll(() => page.getByTestId('draw-prediction').textContent()).toBe('1');
    await page.screenshot({ path: `${shots}/draw.png`, fullPage: true });
    expect(errors).toEqual([]);
  });

  it('trains in a worker: charts update, the page keeps its frame rate, zero initialisation keeps hidden units identical', async () => {
    await page.goto(`${base}#view=train`);
    await page.getByLabel('network').selectOption('mlp');
    await page.getByLabel('epochs').fill('1');
    await page.getByLabel('batch size').selectOption('64');
    await page.getByLabel('initialisation').selectOption('zeros');
    await page.getByTestId('train-start').click();
    await expect.poll(() => page.getByTestId('train-progress').textContent(), { timeout: 30_000 }).toMatch(/batch \d+\/\d+/);
    const framesPerSecond = await page.evaluate(() => new Promise<number>((resolve) => {
      let frames = 0; const start = performance.now();
      const tick = () => { frames++; if (performance.now() - start < 1000) requestAnimationFrame(tick); else resolve(frames); };
      requestAnimationFrame(tick);
    }));
    console.log(`frames per second while training: ${framesPerSecond}`);
    expect(framesPerSecond).toBeGreaterThan(10); // not blocked: training on the main thread would give 0–1 frames (headless Chromium paces at ~60)
    await page.getByTestId('test-accuracy').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('distinct-units').textContent()).toMatch(/distinct hidden units after epoch 1: 1 of 100/);
    expect(await page.locator('[data-testid="chart-loss"] canvas').count()).toBeGreaterThan(0);
    await page.getByTestId('compare-init').click();
    await expect.poll(() => page.getByTestId('compare-zeros').textContent(), { timeout: 60_000 }).toMatch(/done.*distinct hidden units: 1 of 100/s);
    await expect.poll(() => page.getByTestId('compare-glorotUniform').textContent(), { timeout: 60_000 }).toMatch(/done.*distinct hidden units: 100 of 100/s);
    await page.screenshot({ path: `${shots}/train.png`, fullPage: true });
    expect(errors).toEqual([]);
  });

  it('trains the cnn with WebAssembly SIMD kernels on two threads, with the same results as one thread', async () => {
    const runs: Record<string, { speed: number; accuracy: string; gradients: string }> = {};
    // the preview server sends the COOP/COEP headers: without them no SharedArrayBuffer, and the page falls back to one thread
    await page.addInitScript(recordTrainingWorker);
    await page.goto(`${base}#view=train`);
    await page.reload();
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    for (const [threads, kernelSet] of [['2', 'wasm'], ['1', 'wasm'], ['1', 'js']] as const) {
      await page.goto(`${base}#view=train`);
      await page.getByLabel('network').selectOption('cnn');
      await page.getByLabel('epochs').fill(process.env.E2E_EPOCHS ?? '1');
      await page.getByLabel('optimizer').selectOption('adam');
      await page.getByLabel('learning rate').fill('0.005');
      await page.getByLabel('batch size').selectOption('32');
      await page.getByLabel('initialisation').selectOption('heUniform');
      await page.getByLabel('threads').selectOption(threads);
      await page.getByLabel('kernels').selectOption(kernelSet);
      await page.getByTestId('train-start').click();
      const engine = kernelSet === 'wasm' ? 'WebAssembly SIMD' : 'TypeScript';
      await expect.poll(() => page.getByTestId('train-engine').textContent(), { timeout: 30_000 }).toBe(`${engine} kernels · ${threads} thread${threads === '2' ? 's' : ''}`);
      // the worker keeps the model's arrays in shared WebAssembly memory (the page is cross-origin isolated), as Node does
      expect(await page.getByTestId('train-engine').getAttribute('data-resident')).toBe('true');
      // on two threads the worker writes the weights into the helper's own (shared) arrays and reads its gradients
      // there, as Node's trainer does; those views stay between the two workers (sharedViews below stays empty)
      expect(await page.getByTestId('train-engine').getAttribute('data-shared-helper')).toBe(threads === '2' ? 'true' : 'false');
      await page.getByTestId('test-accuracy').waitFor({ timeout: 120_000 });
      const progress = (await page.getByTestId('train-progress').textContent())!;
      runs[`${kernelSet} × ${threads}`] = { speed: Number(/([\d]+) samples\/s/.exec(progress)![1]), accuracy: (await page.getByTestId('test-accuracy').textContent())!,
        gradients: (await page.getByTestId('gradient-latest').textContent())!.trim() };
      if (threads === '2') await page.screenshot({ path: `${shots}/train-cnn.png`, fullPage: true });
    }
    console.log('cnn training in Chromium, samples/s:', JSON.stringify(runs));
    const record = await page.evaluate(() => (window as unknown as { trainingRecord: { models: string[]; sharedViews: string[] } }).trainingRecord);
    expect(record.sharedViews).toEqual([]);
    expect(record.models).toHaveLength(3);
    // the same training in Node (same preset, recipe, settings, the page's own digits and the page's kernel build; this
    // process, after the page's runs): the same weights to the bit on one thread and two, and the page's samples/s
    // against Node's, printed, not asserted (timings on a shared machine are no test)
    const relaxed = await page.evaluate((b64) => WebAssembly.validate(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))), wasmRelaxedBase64);
    const flavor = wasmFlavor()!;
    if (relaxed && !relaxedSimdAvailable()) setFlagsFromString('--experimental-wasm-relaxed-simd'); // Node 20: behind a flag
    setWasmFlavor(relaxed ? 'relaxed' : 'strict');
    try {
      const { train } = digitSets(new Uint8Array(readFileSync(`${repository}viz/public/data/digits.bin`)));
      for (const [threads, inPage] of [[2, 0], [1, 1]] as const) {
        const model = createPreset('cnn', { seed: 1, init: 'heUniform' });
        let gradients = '';
        const result = await fitParallel(model, train, { ...presets.cnn.recipe, epochs: Number(process.env.E2E_EPOCHS ?? '1'), batchSize: 32,
          optimizer: { type: 'adam', learningRate: 0.005, momentum: 0.9 }, validationSplit: 0.1, seed: 1, threads,
          onGradients: (m) => { gradients = `latest: ${layerGradientNorms(m).map((n) => `layer ${n.layer} ${printShort(n.norm)}`).join(' · ')}`; } });
        expect(weightsOf(record.models[inPage])).toEqual(weightsOf(modelToJSON(model)));
        // the page's last gradient norms are the last batch's (the worker computes only the batches the charts draw)
        expect(runs[`wasm × ${threads}`].gradients).toBe(gradients);
        const page = runs[`wasm × ${threads}`].speed;
        console.log(`cnn training, ${threads} thread${threads > 1 ? 's' : ''}: page ${page} samples/s, Node ${Math.round(result.samplesPerSecond)} ` +
          `(page ÷ Node ${(page / result.samplesPerSecond).toFixed(2)}; kernels: ${wasmFlavor()} WebAssembly SIMD)`);
      }
    } finally {
      setWasmFlavor(flavor);
    }
    // one thread and two compute the same bits; the TypeScript kernels round differently, so only close
    expect(runs['wasm × 2'].accuracy).toBe(runs['wasm × 1'].accuracy);
    expect(Number(/([\d.]+)%/.exec(runs['js × 1'].accuracy)![1])).toBeGreaterThan(90);
    expect(errors).toEqual([]);
  });

  it('a dropped PNG runs through the network; at phone width the overview still fits', async () => {
    const { PNG } = await import('pngjs');
    const samples = JSON.parse(readFileSync(`${repository}viz/public/data/samples.json`, 'utf8'));
    const seven = samples.find((s: { label: number }) => s.label === 7);
    const png = new PNG({ width: 84, height: 84 }); // a 7 drawn dark on white, three times larger than MNIST
    for (let y = 0; y < 84; y++) for (let x = 0; x < 84; x++) {
      const v = Math.round(255 * (1 - seven.pixels[Math.floor(y / 3) * 28 + Math.floor(x / 3)]));
      png.data.set([v, v, v, 255], (y * 84 + x) * 4);
    }
    const base64 = PNG.sync.write(png).toString('base64');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}#view=overview&digit=0`);
    await page.getByTestId('prediction').waitFor();
    await page.evaluate(async (data) => {
      const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], 'seven.png', { type: 'image/png' }));
      window.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }, base64);
    await expect.poll(() => page.getByTestId('prediction').textContent()).toBe('7');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${shots}/phone.png`, fullPage: false });
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(errors).toEqual([]);
  });

  it('explains a model file the user opens: another architecture (an MLP with dropout)', async () => {
    const { Sequential, modelToJSON } = await import('../../core/index.js');
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const model = new Sequential({ inputShape: [1, 28, 28], seed: 4, layers: [{ type: 'flatten' }, { type: 'dense', units: 32 }, { type: 'tanh' },
      { type: 'dropout', rate: 0.3 }, { type: 'dense', units: 10 }, { type: 'softmax' }] });
    const path = `${mkdtempSync('/tmp/convlab-e2e-')}/mlp.json`;
    writeFileSync(path, modelToJSON(model));
    await page.goto(`${base}#view=overview&digit=3`);
    await page.getByTestId('prediction').waitFor();
    await page.locator('input[type=file]').setInputFiles(path);
    await expect.poll(() => page.getByTestId('open-layer-1').textContent()).toMatch(/1 · dense 32/); // the model is kept first (IndexedDB), then shown
    await page.getByTestId('open-layer-2').click();
    await expect.poll(() => page.getByTestId('relu-formula').textContent()).toMatch(/tanh\(x\[0,0,0\]\) = tanh\(/);
    expect(errors).toEqual([]);
  });
});
