// The lab's CNN (1.2 M parameters) opened from a file in Chromium: the overview of its layers shows (the time from
// choosing the file to the last layer's row printed; no threshold here), with the cost table of core's summary.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPreset, modelToJSON, summarizeModel } from '../../core/index.js';
import { e2e, openPage, audit, shots, type App } from './harness.js';

describe.skipIf(e2e.skip)('a large model opens fast', () => {
  let app: App;
  const model = createPreset('lab-cnn', { seed: 1 });
  const path = join(mkdtempSync(join(tmpdir(), 'convlab-large-')), 'lab-cnn.json');
  beforeAll(async () => { writeFileSync(path, modelToJSON(model)); app = await openPage(); });
  afterAll(async () => { await app?.close(); });

  it('the lab CNN opens on the overview, its cost per layer from core\'s summary (time printed)', async () => {
    const { page } = app;
    await page.goto(`${app.base}#view=overview&digit=2`);
    await page.getByTestId('probabilities').waitFor();
    const start = Date.now();
    await page.getByTestId('open-file').setInputFiles(path);
    await page.getByTestId(`open-layer-${model.layers.length - 1}`).waitFor({ timeout: 120_000 });
    await page.getByTestId('map-4-63').waitFor();
    const ms = Date.now() - start;
    console.log(`[large model] lab-cnn (${model.parameterCount.toLocaleString('en')} parameters) opened in ${ms} ms (file chosen → overview drawn, Chromium)`);
    expect(ms).toBeGreaterThan(0);
    const rows = summarizeModel(model.inputShape, model.configs).rows;
    await page.getByTestId('cost').locator('summary').click();
    for (const [i, row] of rows.entries()) expect(await page.getByTestId(`cost-macs-${i}`).textContent()).toBe(row.multiplyAdds.toLocaleString('en-US'));
    await page.getByTestId('measure-layers').click();
    await expect.poll(() => page.getByTestId('cost-ms-2').textContent()).toMatch(/^\d+\.\d{3} ms$/);
    console.log(`[large model] lab-cnn layer times: ${(await page.locator('[data-testid^="cost-ms-"]').allTextContents()).join(', ')}`);
    await page.getByTestId('cost').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${shots}/overview-cost.png` });
    expect(await audit(page)).toEqual([]);
    expect(app.errors).toEqual([]);
  });
});
