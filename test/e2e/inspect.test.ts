// The four look-inside views in Chromium: each opens by link on the shipped CNN (the time to open printed), shows
// the numbers core computes in Node for the same digit, survives bad link values with a notice, passes an axe-core
// audit, and is photographed at 1280 and 390 px.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { loadModel } from '../../core/node.js';
import { fromData, gradCam, fgsm, distort, probabilities, embedLayer, neighbourPurity, printNumber, modelFromJSON, thin } from '../../core/index.js';
import { digitSets } from '../../viz/src/lib/digits.js';
import { e2e, openPage, repository, shots, audit as axeAudit, type App } from './harness.js';

describe.skipIf(e2e.skip)('look-inside views in Chromium', () => {
  let app: App, phone: App, page: Page, base = '';
  const samples = JSON.parse(readFileSync(`${repository}viz/public/data/samples.json`, 'utf8'));
  const { model: cnn } = loadModel(`${repository}viz/public/cnn.json`);
  const { model: mlp } = loadModel(`${repository}viz/public/mlp.json`);
  const pixels = (n: number) => Float32Array.from(samples[n].pixels as number[]);

  beforeAll(async () => {
    app = await openPage();
    phone = await openPage({ width: 390, height: 844 });
    ({ page, base } = app);
  });
  afterAll(async () => { await app?.close(); await phone?.close(); });

  /** Follow a link from the overview (the app loaded) and wait for `ready`. Printed: the time from the link followed
   *  to the picture drawn, by the page's clock: a canvas's `data-drawn-at` (Scatter and Heat set it when they have
   *  drawn), else the next frame after `ready` appeared. */
  async function open(hash: string, ready: string): Promise<number> {
    await page.goto(`${base}#view=overview`);
    await page.getByTestId('probabilities').waitFor();
    const start = await page.evaluate((h) => { const t = performance.now(); location.hash = h; return t; }, hash);
    const target = page.getByTestId(ready).first();
    await target.waitFor();
    const drawn = await target.evaluate((element) => new Promise<number>((resolve) => {
      const at = (element as HTMLElement).dataset.drawnAt;
      if (at) resolve(Number(at)); else requestAnimationFrame(() => resolve(performance.now()));
    }));
    const ms = Math.round(drawn - start);
    console.log(`[inspect] #${hash} opened in ${ms} ms, link followed → picture drawn (shipped cnn, Chromium)`);
    return ms;
  }
  async function shoot(name: string, hash: string, ready: string, timeout = 60_000) {
    await page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });
    await phone.page.goto(`${phone.base}#${hash}`);
    await phone.page.getByTestId(ready).first().waitFor({ timeout });
    await phone.page.waitForTimeout(300);
    await phone.page.screenshot({ path: `${shots}/${name}-phone.png`, fullPage: true });
    const width = await phone.page.evaluate(() => document.documentElement.scrollWidth);
    expect(width, 'no sideways scrolling at 390 px').toBeLessThanOrEqual(400);
  }
  async function audit() { expect(await axeAudit(page)).toEqual([]); }

  it('attribution: occlusion, Grad-CAM and the input gradient of the shown digit; its weights are core\'s', async () => {
    const ms = await open('view=attribution&digit=3&layer=4&class=5', 'gradcam-map');
    expect(ms).toBeGreaterThan(0);
    const cam = gradCam(cnn, fromData(pixels(3), [1, 28, 28]), 5, 4);
    await page.locator('summary', { hasText: 'the map weights' }).click();
    const shown = (await page.getByTestId('gradcam-weights').locator('span').allTextContents()).filter((_, i) => i % 2 === 1).map((t) => Number(t.replaceAll('−', '-'))); // printNumber writes a true minus
    shown.forEach((v, k) => expect(Math.abs(v - cam.weights[k])).toBeLessThanOrEqual(5.1e-4)); // printed with 3 decimals (or 3 digits)
    await page.getByTestId('occlusion-map').hover({ position: { x: 80, y: 80 } });
    await expect.poll(() => page.getByTestId('cell-info').textContent()).toMatch(/occlusion/);
    await audit();
    await shoot('inspect-attribution', 'view=attribution&digit=3&layer=4&class=5', 'gradcam-map');
    expect(app.errors).toEqual([]);
  });

  it('attribution on a misclassified test digit: the notice names both classes', async () => {
    // a test digit the shipped CNN gets wrong (found in Node)
    const bytes = readFileSync(`${repository}viz/public/data/digits.bin`);
    let wrong = -1, said = -1;
    for (let n = 0; n < 2000 && wrong < 0; n++) {
      const x = Float32Array.from(bytes.subarray((8000 + n) * 784, (8001 + n) * 784), (v) => v / 255);
      const p = Array.from(probabilities(cnn, x)), best = p.indexOf(Math.max(...p));
      if (best !== bytes[10_000 * 784 + 8000 + n]) { wrong = n; said = best; }
    }
    expect(wrong).toBeGreaterThanOrEqual(0);
    await open(`view=attribution&source=test&test=${wrong}&layer=4`, 'attribution-wrong');
    expect(await page.getByTestId('attribution-wrong').textContent()).toContain(`the network says ${said}`);
    await shoot('inspect-attribution-misclassified', `view=attribution&source=test&test=${wrong}&layer=4`, 'gradcam-map');
    expect(app.errors).toEqual([]);
  });

  it('units: the 9 top test digits with their patches and the ascent from grey; a digit opens its step-through', async () => {
    await open('view=units&layer=3&map=6&steps=32', 'top-8');
    expect(await page.getByTestId('ascent-steps').locator('figure').count()).toBe(7); // steps 0, 1, 2, 4, 8, 16, 32
    await audit();
    await shoot('inspect-units', 'view=units&layer=3&map=6&steps=32', 'top-8');
    await page.getByTestId('top-0').click();
    await page.waitForFunction(() => location.hash.includes('view=overview') && location.hash.includes('source=test'));
    expect(app.errors).toEqual([]);
  });

  it('embedding: 2,000 test digits at the last hidden layer, the misclassified ones listed and opened; pixels, MLP and CNN side by side as core measures them', async () => {
    await open('view=embedding', 'embedding-scatter');
    expect(await page.getByTestId('embedding-layer').inputValue()).toBe('6');
    // the same link in a new tab: from the navigation's start (the app, the model and the digits loaded) to the picture
    const fresh = await openPage();
    await fresh.page.goto(`${fresh.base}#view=embedding`);
    const cold = Number(await fresh.page.locator('[data-testid="embedding-scatter"][data-drawn-at]').getAttribute('data-drawn-at'));
    console.log(`[inspect] #view=embedding in a new tab: ${Math.round(cold)} ms from navigation start to the picture drawn (shipped cnn, Chromium)`);
    expect(fresh.errors).toEqual([]);
    await fresh.close();
    await page.getByTestId('depths-summary').waitFor({ timeout: 60_000 });
    // the same digits, the same PCA, computed in Node by core: the share of same-class neighbours shown is core's
    const bytes = readFileSync(`${repository}viz/public/data/digits.bin`);
    const inputs = Float32Array.from(bytes.subarray(8000 * 784, 10_000 * 784), (v) => v / 255), labels = bytes.subarray(10_000 * 784 + 8000, 10_000 * 784 + 10_000);
    const expected = { pixels: [cnn, 0], mlp: [mlp, 3], cnn: [cnn, 7] } as const; // after the MLP's relu (layer 2), the CNN's flatten (layer 6)
    const measured: Record<string, number> = {};
    for (const [key, [model, at]] of Object.entries(expected)) {
      const e = embedLayer(model, inputs, 2000, at);
      measured[key] = 100 * neighbourPurity(e.xy, labels);
      const text = (await page.getByTestId(`purity-${key}`).locator('strong').textContent())!;
      expect(Math.abs(Number(text.replace(' %', '')) - measured[key]), `${key}: ${text} vs ${measured[key]}`).toBeLessThanOrEqual(0.051);
      expect(await page.getByTestId(`depth-${key}`).textContent()).toContain(`variance kept ${printNumber(100 * e.pca!.explained[0], 3)} %`);
    }
    console.log(`[inspect] same-class neighbours in PCA: pixels ${measured.pixels.toFixed(1)} %, MLP hidden ${measured.mlp.toFixed(1)} %, CNN last hidden ${measured.cnn.toFixed(1)} %`);
    expect(measured.pixels).toBeLessThan(measured.mlp); // the point the three pictures make (holds for the shipped models)
    expect(measured.mlp).toBeLessThan(measured.cnn);
    await audit();
    await shoot('inspect-embedding', 'view=embedding', 'depths-summary');
    await page.locator('summary', { hasText: 'misclassified digits' }).click();
    const first = page.getByTestId('misclassified').locator('button').first();
    const text = (await first.textContent())!;
    await first.click();
    await page.waitForFunction((n) => location.hash.includes(`test=${n}`), text.match(/#(\d+)/)![1]);
    expect(app.errors).toEqual([]);
  });

  it('the class map fetches only the test part of digits.bin (two range requests); a server that ignores ranges still works, a short answer is refused by name', async () => {
    const whole = readFileSync(`${repository}viz/public/data/digits.bin`);
    const asked: string[] = [];
    const tab = await openPage();
    await tab.page.route('**/data/digits.bin', (route) => { asked.push(route.request().headers().range ?? 'all'); return route.fulfill({ status: 200, body: whole }); });
    await tab.page.goto(`${tab.base}#view=embedding`);
    await tab.page.locator('[data-testid="embedding-scatter"][data-drawn-at]').waitFor();
    expect(asked.sort()).toEqual(['bytes=6272000-7839999', 'bytes=7848000-7849999']); // the test pixels and the test labels
    expect(tab.errors).toEqual([]);
    await tab.close();
    const short = await openPage();
    await short.page.route('**/data/digits.bin', (route) => route.fulfill({ status: 206, body: whole.subarray(0, 1000) }));
    await short.page.goto(`${short.base}#view=embedding`);
    await expect.poll(() => short.page.getByRole('alert').first().textContent()).toMatch(/digits\.bin: asked for bytes (6272000–7839999 \(1568000\)|7848000–7849999 \(2000\)), got 1000 bytes \(status 206; the whole file is 7850000\)/);
    await short.close();
  });

  it('embedding by UMAP: computed in a worker (the page keeps drawing), kept in the link, with the warning that its distances are not faithful', async () => {
    await open('view=embedding&layer=5', 'embedding-scatter');
    // frames drawn while the UMAPs run: the longest gap between two frames is the page's longest pause
    await page.evaluate(() => { const w = window as unknown as { gaps: number[] }; w.gaps = []; let last = performance.now();
      const frame = (t: number) => { w.gaps.push(t - last); last = t; if (w.gaps.length < 100_000) requestAnimationFrame(frame); }; requestAnimationFrame(frame); });
    const start = Date.now();
    await page.getByTestId('embedding-projection').selectOption('umap');
    await page.waitForFunction(() => location.hash.includes('proj=umap'));
    await page.getByRole('status').filter({ hasText: 'Computing UMAP' }).waitFor();
    // the page answers while the UMAP is still being computed (on the page's thread it would answer only after)
    expect(await page.evaluate(() => document.body.textContent!.includes('Computing UMAP'))).toBe(true);
    await page.getByTestId('embedding-scatter').waitFor({ timeout: 60_000 });
    console.log(`[inspect] UMAP of 2,000 test digits at layer 5 drawn in ${Date.now() - start} ms (shipped cnn, Chromium, in a worker)`);
    await page.getByTestId('depths-summary').waitFor({ timeout: 120_000 });
    const gaps = await page.evaluate(() => (window as unknown as { gaps: number[] }).gaps);
    console.log(`[inspect] four UMAPs in ${Date.now() - start} ms; longest pause between frames ${Math.round(Math.max(...gaps))} ms over ${gaps.length} frames`);
    expect(await page.getByTestId('embedding-projection').inputValue()).toBe('umap');
    expect(await page.locator('h2').textContent()).toContain('UMAP to 2-D');
    expect(await page.getByTestId('embedding-panel').textContent()).toContain('15 nearest neighbours kept (after a random projection to 64)');
    expect(await page.getByTestId('depth-mlp').textContent()).toContain('15 nearest neighbours kept (after a random projection to 64)');
    expect(await page.locator('body').textContent()).toContain('its distances are not faithful');
    await audit();
    await shoot('inspect-embedding-umap', 'view=embedding&proj=umap', 'depths-summary', 120_000);
    expect(app.errors).toEqual([]);
  }, 300_000);

  it('the class map redrawn on the training page as the network learns; the last picture\'s share of same-class neighbours is core\'s for the trained model', async () => {
    await page.goto(`${base}#view=train&net=cnn`);
    await page.getByLabel('epochs').fill('3');
    await page.getByLabel('threads').selectOption('1');
    // every picture the page draws is recorded as it is drawn (polling missed the middle one once training got fast)
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { seenPictures: string[] }).seenPictures = seen;
      new MutationObserver(() => {
        const text = document.querySelector('[data-testid="live-projection-epochs"]')?.textContent;
        if (text && seen.at(-1) !== text) seen.push(text);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await page.getByTestId('train-start').click();
    await page.getByTestId('live-projection').waitFor({ timeout: 60_000 });
    await page.getByTestId('test-accuracy').waitFor({ timeout: 180_000 });
    await expect.poll(() => page.getByTestId('live-projection-epochs').textContent()).toBe('after 3.00 epochs');
    const seen = new Set(await page.evaluate(() => (window as unknown as { seenPictures: string[] }).seenPictures));
    console.log(`[inspect] live class map: ${seen.size} pictures seen (${[...seen].join(', ')}); ${await page.getByTestId('live-projection').locator('p').last().textContent()}; ${await page.getByTestId('keras-line').textContent()}`);
    expect(seen.size).toBeGreaterThanOrEqual(3); // before training, during, at the end
    // the trained model, downloaded, projected in Node by core: the same share of same-class neighbours
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-convlab').click()]);
    const chunks: Buffer[] = [];
    for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
    const trained = modelFromJSON(Buffer.concat(chunks).toString('utf8')).model;
    const probed = thin(digitSets(new Uint8Array(readFileSync(`${repository}viz/public/data/digits.bin`))).test, 500);
    const e = embedLayer(trained, probed.inputs, 500, 7); // after the CNN's flatten (layer 6)
    const shown = Number((await page.getByTestId('live-projection-purity').textContent())!.replace(' %', ''));
    expect(Math.abs(shown - 100 * neighbourPurity(e.xy, probed.labels))).toBeLessThanOrEqual(0.051);
    await audit();
    await page.getByTestId('live-projection').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${shots}/train-live-projection.png`, fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: `${shots}/train-live-projection-phone.png`, fullPage: true });
    expect(await page.evaluate(() => document.documentElement.scrollWidth), 'no sideways scrolling at 390 px').toBeLessThanOrEqual(400);
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(app.errors).toEqual([]);
  }, 240_000);

  it('robustness: MLP and CNN on the same shifted digit, as core says; the smallest flipping ε is core\'s', async () => {
    const hash = 'view=robustness&digit=7&shiftX=4&eps=0.1';
    await open(hash, 'epsilon-mlp');
    const x = distort(pixels(7), [1, 28, 28], { shiftX: 4 });
    for (const [name, model] of [['mlp', mlp], ['cnn', cnn]] as const) {
      const p = Array.from(probabilities(model, x));
      expect(Number(await page.getByTestId(`said-${name}`).textContent())).toBe(p.indexOf(Math.max(...p)));
      const attack = fgsm(model, x, { maxEpsilon: 0.5, steps: 50 });
      const text = (await page.getByTestId(`epsilon-${name}`).textContent())!;
      if (attack.epsilon === null) expect(text).toMatch(/no ε/);
      else expect(Math.abs(Number(text.match(/: ([\d.]+)/)![1]) - attack.epsilon)).toBeLessThan(2e-3);
    }
    await audit();
    await shoot('inspect-robustness', hash, 'epsilon-cnn');
    expect(app.errors).toEqual([]);
  });

  it('bad link values open the nearest valid setting with a notice, and never crash', async () => {
    await open('view=attribution&layer=7&class=42&size=9&stride=99&fill=x', 'gradcam-map');
    const notice = (await page.getByTestId('notice').textContent())!;
    expect(notice).toMatch(/layer 7 cannot be shown here/);
    expect(notice).toMatch(/class=42 is not offered \(0…9\); nearest: using 9/);
    expect(notice).toMatch(/size=9 is not offered/);
    expect(page.url()).toMatch(/layer=5/);
    await open('view=units&layer=3&map=99&steps=1000&seed=-4', 'top-0');
    expect(await page.getByTestId('notice').textContent()).toMatch(/unit 99 does not exist \(layer 3 has units 0–15\): showing unit 15/);
    await open('view=robustness&rotate=720&noise=NaN&constructor=1&__proto__=2&digit=500', 'epsilon-cnn');
    expect(await page.getByTestId('notice').textContent()).toMatch(/rotate=720 is not offered \(-90…90 in steps of 5\); nearest: using 90/);
    expect(await page.getByTestId('notice').textContent()).toMatch(/there is no sample digit 500 \(0–99\): showing digit 99/);
    await open('view=embedding&layer=99&proj=tSNE&map=3', 'embedding-scatter');
    const said = (await page.getByTestId('notice').textContent())!;
    expect(said).toMatch(/layer 99 cannot be shown here \(embedding offers layers 0–8\): showing layer 8/);
    expect(said).toMatch(/proj=tSNE is not offered \(pca, umap\): using pca/);
    expect(await page.getByTestId('embedding-layer').inputValue()).toBe('8');
    await open('view=attribution&source=test&test=5000&layer=4', 'gradcam-map');
    expect(await page.getByTestId('notice').textContent()).toMatch(/there is no test digit 5000 \(0–1999\): showing test digit 1999/);
    expect(app.errors).toEqual([]);
  });
});
