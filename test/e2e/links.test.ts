// Links in Chromium: every setting a link carries is snapped to what the view's controls offer, with a notice,
// in bounded time (no freeze, no "Invalid typed array length", never "Loading…" forever); the view contract:
// a link's step is where the player starts, the player writes its step back, and a typed link moves it.
// Each screen gets an axe-core audit (nothing excluded: the product tables print black or white by the cell's
// luminance, color.ts textOn); screenshots at 1280 and 390 px.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { e2e, openPage, audit, shots, type App } from './harness.js';

describe.skipIf(e2e.skip)('links in Chromium', () => {
  let app: App, phone: App;
  beforeAll(async () => { app = await openPage(); phone = await openPage({ width: 390, height: 844 }); });
  afterAll(async () => { await app?.close(); await phone?.close(); });

  /** Open a link fresh, as a new visitor would (not a hash change on the page already open). */
  async function open(a: App, hash: string) {
    await a.page.goto('about:blank');
    await a.page.goto(`${a.base}#${hash}`);
  }
  const notice = (a: App) => a.page.getByTestId('notice');
  const hash = (a: App) => a.page.evaluate(() => decodeURIComponent(location.hash.slice(1)));

  it('conv: padding=3000, size=4000 and size=1e5 open with a notice and the nearest offered value', async () => {
    for (const [link, text, shape] of [
      ['view=conv&layer=0&padding=3000', 'padding=3000 is not offered (valid, same, 1, 2, 3); nearest: using 3.', /padding 3 .*→ output \[8,30,30\]/],
      ['view=conv&layer=0&size=4000', 'size=4000 is not offered', /kernels \[8,1,29,29\]/],
      ['view=conv&layer=0&size=1e5', 'size=1e5 is not offered', /kernels \[8,1,29,29\]/],
    ] as const) {
      await open(app, link);
      await notice(app).filter({ hasText: text }).waitFor({ timeout: 10_000 });
      const error = app.page.getByTestId('conv-error');
      if (await error.count()) expect(await error.textContent()).not.toMatch(/typed array/i);
      else expect(await app.page.getByTestId('conv-shape').textContent(), link).toMatch(shape);
      expect(await hash(app), link).not.toMatch(/3000|4000|1e5/); // the link written back is one the controls offer
    }
    await app.page.screenshot({ path: `${shots}/link-conv-size.png`, fullPage: true });
    expect(await audit(app.page)).toEqual([]);
    expect(app.errors).toEqual([]);
  });

  it('optimizers: surface=constructor, __proto__ and toString open the default surface with a notice', async () => {
    for (const surface of ['constructor', '__proto__', 'toString']) {
      await open(app, `view=optimizers&surface=${surface}`);
      await notice(app).filter({ hasText: `surface=${surface} is not one of` }).waitFor({ timeout: 10_000 });
      await app.page.getByTestId('path-sgd').waitFor();
      expect(await app.page.getByTestId('surface').inputValue()).toBe('quadratic');
    }
    await app.page.screenshot({ path: `${shots}/link-optimizers-constructor.png`, fullPage: true });
    expect(await audit(app.page)).toEqual([]);
    expect(app.errors).toEqual([]);
  });

  it('backward: target=1.5 opens target 2 with a notice; relu map=50 opens map 0 with a notice', async () => {
    await open(app, 'view=backward&layer=0&target=1.5');
    await notice(app).filter({ hasText: 'target=1.5 is outside 0…9 (whole numbers): using 2.' }).waitFor({ timeout: 10_000 });
    expect(await app.page.getByTestId('target').inputValue()).toBe('2');
    expect(await audit(app.page)).toEqual([]);
    await open(app, 'view=relu&layer=1&map=50');
    await notice(app).filter({ hasText: 'map 50 does not exist (layer 1 has maps 0–7): showing map 0.' }).waitFor();
    expect(await app.page.getByTestId('map-select').inputValue()).toBe('0');
    expect(app.errors).toEqual([]);
  });

  it('the view contract: the link\'s step is where the player starts, stepping writes it back, a typed link moves it', async () => {
    await open(app, 'view=backward&layer=0&part=dW&step=5');
    await app.page.getByTestId('step-counter').filter({ hasText: 'step 6 /' }).waitFor();
    await app.page.getByTestId('step-forward').click();
    await app.page.getByTestId('step-counter').filter({ hasText: 'step 7 /' }).waitFor();
    expect(await hash(app)).toMatch(/(^|&)step=6(&|$)/);
    await app.page.evaluate(() => { location.hash = location.hash.replace(/step=\d+/, 'step=2'); });
    await app.page.getByTestId('step-counter').filter({ hasText: 'step 3 /' }).waitFor();
    // another part is a new link: its player starts where the link says
    await app.page.getByTestId('part').selectOption('db');
    await app.page.getByTestId('step-counter').filter({ hasText: 'step 1 / 8' }).waitFor();
    for (const [link, counter] of [['view=graph&step=4', 'step 5 /'], ['view=optimizers&step=9', 'step 10 /'], ['view=conv&layer=0&step=30', 'step 31 /']]) {
      await open(app, link);
      await app.page.getByTestId('step-counter').filter({ hasText: counter }).waitFor();
      await app.page.getByTestId('step-forward').click();
      expect(await hash(app), link).toMatch(new RegExp(`(^|&)step=${Number(/step=(\d+)/.exec(link)![1]) + 1}(&|$)`));
    }
    expect(app.errors).toEqual([]);
  });

  it('at 390 px the notices and views fit, and pass the audit', async () => {
    for (const [name, link] of [['link-conv-padding-phone', 'view=conv&layer=0&padding=3000'], ['link-optimizers-phone', 'view=optimizers&surface=__proto__'],
      ['link-backward-target-phone', 'view=backward&layer=0&target=1.5']]) {
      await open(phone, link);
      await notice(phone).waitFor({ timeout: 10_000 });
      await phone.page.waitForTimeout(200);
      await phone.page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });
      expect(await audit(phone.page), link).toEqual([]);
    }
    expect(phone.errors).toEqual([]);
  });
});
