// The course lab's colour network in the explainer (Chromium): a lab-cifar-cnn model file and an RGB PNG.
// The page shows the picture and its red, green and blue planes, and predicts what core computes in Node.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import type { Page } from 'playwright-core';
import { createPreset, modelToJSON, fromData, toColorInput, CIFAR10_CLASSES } from '../../core/index.js';
import { e2e, openPage, shots, type App } from './harness.js';

/** A 60×40 RGB PNG (no alpha channel): a red sun on a blue sky over green grass; the centred 40×40 square is kept. */
function landscape(): { png: Buffer; rgba: Uint8Array } {
  const png = new PNG({ width: 60, height: 40 });
  for (let y = 0; y < 40; y++) for (let x = 0; x < 60; x++) {
    const colour = (x - 34) ** 2 + (y - 12) ** 2 < 49 ? [230, 40, 30] : y > 26 ? [40, 160, 60] : [70, 130, 220];
    png.data.set([...colour, 255], (y * 60 + x) * 4);
  }
  const bytes = PNG.sync.write(png, { colorType: 2, inputColorType: 6 });
  return { png: bytes, rgba: PNG.sync.read(bytes).data };
}

describe.skipIf(e2e.skip)('a colour model explains an RGB PNG', () => {
  let app: App, page: Page, base = '', errors: string[] = [];
  const folder = mkdtempSync(join(tmpdir(), 'convlab-e2e-lab-'));
  const modelPath = join(folder, 'lab-cifar-cnn.json'), picturePath = join(folder, 'landscape.png');
  const model = createPreset('lab-cifar-cnn', { seed: 4 });
  const { png, rgba } = landscape();

  beforeAll(async () => {
    writeFileSync(modelPath, modelToJSON(model));
    writeFileSync(picturePath, png);
    app = await openPage();
    ({ page, base, errors } = app);
  });
  afterAll(async () => { await app?.close(); });

  it('asks for a picture, then shows it with its three channels and predicts what core computes', async () => {
    await page.goto(`${base}#view=overview&digit=0`);
    await page.getByTestId('prediction').waitFor();
    await page.locator('input[type=file]').first().setInputFiles(modelPath);
    // a colour model cannot take the sample digits: the page says what it takes and how to give it
    await page.getByTestId('picture-input').waitFor();
    await expect.poll(() => page.locator('main').textContent()).toMatch(/This model takes colour pictures \[3,32,32\]: drop an RGB PNG/);
    await page.getByTestId('picture-input').setInputFiles(picturePath);
    await page.getByTestId('color-input').waitFor();

    const probabilities = Array.from(model.predict(fromData(toColorInput(rgba, 60, 40, 32, 32), [3, 32, 32])).data);
    const best = probabilities.indexOf(Math.max(...probabilities));
    await expect.poll(() => page.getByTestId('prediction').textContent()).toBe(CIFAR10_CLASSES[best]);
    const bars = (await page.getByTestId('probabilities').textContent())!;
    for (const [c, name] of CIFAR10_CLASSES.entries()) expect(bars).toContain(`${name}${(probabilities[c] * 100).toFixed(1)}%`);

    // the picture and each channel drawn: the sun's pixel is red in the picture, strong in the red plane, weak in blue
    const read = () => page.$$eval('[data-testid="color-input"] canvas', (canvases) => canvases.map((c) => {
      const canvas = c as HTMLCanvasElement, cell = canvas.width / 32;
      // the sun's centre: x 34 − 10 (crop) = 24 → 24·32/40 ≈ 19; y 12 → 9.6
      const [r, g, b] = canvas.getContext('2d')!.getImageData(Math.floor(19.5 * cell), Math.floor(10 * cell), 1, 1).data;
      return [canvas.getAttribute('aria-label'), r, g, b];
    }));
    await expect.poll(async () => (await read())[0].slice(1)).toEqual([230, 40, 30]);
    const colours = await read();
    expect(colours.map((c) => c[0])).toEqual(['the picture (red, green and blue together)', 'red channel', 'green channel', 'blue channel']);
    expect(colours[0].slice(1)).toEqual([230, 40, 30]);
    expect(colours[1].slice(1)).toEqual([255, 25, 25]); // red plane 230/255: nearly full red
    expect(colours[3].slice(1)).toEqual([225, 225, 255]); // blue plane 30/255: pale blue
    await page.screenshot({ path: `${shots}/lab-colour-overview.png`, fullPage: true });
    expect(errors).toEqual([]);
  });

  it('opens the first conv layer on the three channels, and fits a phone', async () => {
    await page.getByTestId('open-layer-0').click();
    await expect.poll(() => page.locator('h2').first().textContent()).toMatch(/Layer 0: convolution/);
    await page.screenshot({ path: `${shots}/lab-colour-conv.png`, fullPage: true });
    await page.goBack();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByTestId('color-input').waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${shots}/lab-colour-phone.png`, fullPage: false });
    expect(errors).toEqual([]);
  });
});
