// The explainer's links checked against a model in Node: every view × every layer index (and out-of-range
// and garbage ones) resolves to a view that fits, with a notice whenever the link was changed.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { Sequential, mapCount, explainLayer, fromData, type LayerSettings, type Padding } from '../../core/index.js';
import { loadModel } from '../../core/node.js';
const repository = new URL('../../', import.meta.url).pathname;
import { digitPresets } from '../../viz/src/lib/training.js';
import { VIEWS, CHOICES, parseRoute, resolveRoute, routeHash, encodeInk, decodeInk, settingRules, type ViewName } from '../../viz/src/lib/route.js';

const cnn = loadModel(`${repository}viz/public/cnn.json`).model; // conv relu maxPool conv relu maxPool flatten dense softmax
const mlp = new Sequential({ inputShape: [1, 28, 28], seed: 4, layers: [{ type: 'flatten' }, { type: 'dense', units: 32 }, { type: 'tanh' },
  { type: 'dropout', rate: 0.3 }, { type: 'dense', units: 10 }, { type: 'softmax' }] });
const resolve = (hash: string, model = cnn) => resolveRoute(parseRoute(hash), model, 100);

describe('resolveRoute', () => {
  const layerIndexes = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '99', '-1', '1.5', 'abc', '', '1e3', '99999999999'];
  for (const [name, model] of [['cnn', cnn], ['mlp with dropout', mlp]] as const) {
    it(`opens a fitting view for every view × every layer index (${name})`, () => {
      for (const view of [...Object.keys(VIEWS), 'nonsense', ''] ) for (const layer of layerIndexes) for (const map of ['', '0', '5', '300', 'x']) {
        const hash = `view=${view}&layer=${layer}&map=${map}&step=7`;
        const { route, notices } = resolve(hash, model);
        expect(route.view in VIEWS, hash).toBe(true);
        const kind = VIEWS[route.view].kind;
        if (kind === 'op' || kind === 'layer') {
          expect(route.layer, hash).toBeGreaterThanOrEqual(0);
          expect(route.layer!, hash).toBeLessThan(model.configs.length);
          if (kind === 'op') expect(model.configs[route.layer!].type, hash).toBe(route.view); // never a view of another kind
          expect(route.map!, hash).toBeLessThan(mapCount(model, route.layer!));
        }
        // a link that had to change says so; the hash written back resolves to itself without notices
        if ((view !== '' && view !== route.view) || (kind !== 'page' && layer !== '' && String(route.layer) !== layer)) expect(notices.length, hash).toBeGreaterThan(0);
        const again = resolve(routeHash(route), model);
        expect(again.route, hash).toEqual(route);
        expect(again.notices, hash).toEqual([]);
      }
    });
  }

  it('a conv link on a ReLU opens the ReLU view with a notice', () => {
    const { route, notices } = resolve('view=conv&layer=1&map=3');
    expect(route).toMatchObject({ view: 'relu', layer: 1, map: 3 });
    expect(notices).toEqual(['layer 1 is a ReLU, not a convolution: showing the ReLU view.']);
  });

  it('a dense link on a conv opens the conv view; max pool on a conv too (no false text, no impossible setting)', () => {
    expect(resolve('view=dense&layer=0').route).toMatchObject({ view: 'conv', layer: 0 });
    expect(resolve('view=maxPool&layer=0').route).toMatchObject({ view: 'conv', layer: 0 });
    expect(resolve('view=maxPool&layer=0&size=3').route.settings).toEqual({}); // another view's settings are not carried over
  });

  it('layer 99 opens the first layer of the asked kind, saying the layer does not exist', () => {
    const { route, notices } = resolve('view=conv&layer=99');
    expect(route).toMatchObject({ view: 'conv', layer: 0 });
    expect(notices[0]).toBe('layer 99 does not exist (this model has layers 0–8): showing layer 0, its first convolution layer.');
  });

  it('a kind the model lacks, an unknown view and garbage open the overview with a notice', () => {
    expect(resolve('view=normalize&layer=2').route).toMatchObject({ view: 'maxPool', layer: 2 }); // layer 2 exists: its own view
    const missing = resolve('view=normalize&layer=99');
    expect(missing.route.view).toBe('overview');
    expect(missing.notices[0]).toMatch(/this model has no normalisation layer: showing the overview/);
    const unknown = resolve('view=%3Cscript%3E&layer=0');
    expect(unknown.route.view).toBe('overview');
    expect(unknown.notices).toEqual(['there is no view "<script>": showing the overview.']);
  });

  it('keeps the map asked for (views receive it) and resets one that does not exist', () => {
    expect(resolve('view=relu&layer=1&map=5').route.map).toBe(5);
    expect(resolve('view=dense&layer=7&map=3').route).toMatchObject({ view: 'dense', map: 3 });
    const { route, notices } = resolve('view=relu&layer=1&map=8');
    expect(route.map).toBe(0);
    expect(notices).toEqual(['map 8 does not exist (layer 1 has maps 0–7): showing map 0.']);
  });

  it('registers the views the other engineers fill, so links to them are valid', () => {
    for (const view of ['backward', 'graph', 'activations', 'optimizers', 'playground'] as ViewName[]) {
      expect(resolve(`view=${view}`).notices).toEqual([]);
      expect(resolve(`view=${view}`).route.view).toBe(view);
    }
    expect(resolve('view=backward&layer=99').route).toMatchObject({ view: 'backward', layer: 8 });
    expect(resolve('view=backward&layer=4').route).toMatchObject({ view: 'backward', layer: 4 });
  });

  it('checks the input: digits, drawings, test digits', () => {
    expect(resolve('view=overview&digit=500')).toMatchObject({ route: { digit: 99 }, notices: ['there is no sample digit 500 (0–99): showing digit 99.'] }); // the nearest
    expect(resolve('view=overview&digit=-3')).toMatchObject({ route: { digit: 0 }, notices: ['there is no sample digit -3 (0–99): showing digit 0.'] });
    expect(resolve('view=overview&digit=abc')).toMatchObject({ route: { digit: 0 }, notices: ['there is no sample digit abc (0–99): showing digit 0.'] });
    expect(resolve('view=overview&source=test&test=5000')).toMatchObject({ route: { source: 'test', test: 1999 }, notices: ['there is no test digit 5000 (0–1999): showing test digit 1999.'] });
    expect(resolve('view=overview&source=test&test=x')).toMatchObject({ route: { source: 'sample', test: null }, notices: ['there is no test digit x (0–1999): showing a sample digit.'] });
    expect(resolve('view=overview&source=drawn').route.source).toBe('sample');
    expect(resolve('view=overview&source=drawn&ink=zzz').notices).toEqual(['the drawing in this link is damaged: showing a sample digit.']);
    expect(resolve('view=overview&source=test&test=1999').route).toMatchObject({ source: 'test', test: 1999 });
    expect(resolve('view=overview&source=test&test=2000').route).toMatchObject({ source: 'test', test: 1999 }); // the nearest test digit
  });
});

describe('link settings: clamped to what the controls offer, with a notice', () => {
  // an MLP whose layer 2 is a ReLU on a vector: one "map" (the view shows the whole vector), not 32
  const vectorRelu = new Sequential({ inputShape: [1, 28, 28], seed: 2, layers: [{ type: 'flatten' }, { type: 'dense', units: 32 }, { type: 'relu' },
    { type: 'dense', units: 10 }, { type: 'softmax' }] });
  const digit = (model: Sequential) => fromData(Float32Array.from({ length: 784 }, (_, i) => (i % 29) / 29), model.inputShape);
  const whole = (text: string | undefined) => (text === undefined ? undefined : Number(text));
  const padding = (text: string | undefined): Padding | undefined => (text === undefined ? undefined : text === 'valid' || text === 'same' ? text : Number(text));

  it('every map the router accepts is the map the view shows (core\'s mapCount, one rule)', () => {
    for (const [model, name] of [[cnn, 'cnn'], [mlp, 'mlp'], [vectorRelu, 'vector relu']] as const) {
      const input = digit(model);
      const inputs = [input, ...model.activations(input).map((t, i) => fromData(t.data, model.layers[i].outputShape))];
      for (let layer = 0; layer < model.configs.length; layer++) for (const map of [0, 1, 5, 31, 50, 300]) {
        const hash = `view=${model.configs[layer].type}&layer=${layer}&map=${map}`;
        const { route, notices } = resolve(hash, model);
        const shown = explainLayer(model, layer, inputs[layer], { map: route.map! });
        expect(shown.map, `${name} ${hash}`).toBe(route.map);
        expect(notices.length > 0, `${name} ${hash}: a notice exactly when the map changed`).toBe(route.map !== map);
      }
    }
    const { route, notices } = resolve('view=relu&layer=2&map=50', vectorRelu);
    expect(route.map).toBe(0);
    expect(notices).toEqual(['layer 2 has one map: showing map 0.']);
  });

  it('conv size, stride and padding beyond the controls snap to the nearest offered value (no freeze, no huge allocation)', () => {
    expect(resolve('view=conv&layer=0&padding=3000')).toMatchObject({ route: { settings: { padding: '3' } },
      notices: ['padding=3000 is not offered (valid, same, 1, 2, 3); nearest: using 3.'] });
    for (const size of ['4000', '1e5', '1e308', '29.4']) {
      const { route, notices } = resolve(`view=conv&layer=0&size=${size}`);
      expect(route.settings.size, size).toBe('29');
      expect(notices, size).toHaveLength(1);
    }
    expect(resolve('view=conv&layer=0&size=-3').route.settings.size).toBe('1');
    expect(resolve('view=conv&layer=0&stride=0.5').route.settings.stride).toBe('1');
    const nonsense = resolve('view=conv&layer=0&padding=lots&size=abc');
    expect(nonsense.route.settings).toEqual({});
    expect(nonsense.notices).toEqual(['padding=lots is not one of valid, same, 1, 2, 3: left out.', 'size=abc is not one of 1, 2, 3, 4, 5, 6, 7, 9, 13, 29: left out.']);
    expect(resolve('view=maxPool&layer=2&size=900&stride=77').route.settings).toEqual({ size: '30', stride: '4' });
  });

  it('backward target: the nearest class, with a notice', () => {
    expect(resolve('view=backward&layer=0&target=1.5')).toMatchObject({ route: { settings: { target: '2' } }, notices: ['target=1.5 is outside 0…9 (whole numbers): using 2.'] });
    expect(resolve('view=backward&layer=0&target=99').route.settings.target).toBe('9');
    expect(resolve('view=backward&layer=0&target=x').route.settings).toEqual({});
    expect(resolve('view=backward&layer=0&part=dW').route.settings.part).toBe('dW');
    expect(resolve('view=backward&layer=1&part=dW')).toMatchObject({ route: { settings: {} }, notices: ['part=dW is not one of dx: left out.'] });
  });

  it('a link value never reaches an inherited property: surface=constructor, __proto__, toString', () => {
    for (const surface of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
      const { route, notices } = resolve(`view=optimizers&surface=${surface}`);
      expect(route.settings, surface).toEqual({});
      expect(notices[0], surface).toMatch(new RegExp(`^surface=${surface} is not one of quadratic`));
    }
    expect(resolve('view=optimizers&surface=saddle').route.settings).toEqual({ surface: 'saddle' });
    expect(resolve('view=conv&layer=0&__proto__=1&constructor=2').route.settings).toEqual({});
  });

  it('every setting of every view: whatever a link says, the route holds only offered values, and a changed one says so', () => {
    const views = Object.keys(VIEWS).filter((v) => v !== 'playground') as ViewName[];
    const value = fc.oneof(fc.constantFrom('1.5', '-1', '0', '3000', '1e5', 'NaN', 'Infinity', 'constructor', '__proto__', 'same', 'valid', 'train', 'dW', '2.7', '0.01', ''),
      fc.string({ maxLength: 8 }), fc.double().map(String), fc.integer({ min: -5, max: 5000 }).map(String));
    const keys = fc.constantFrom('size', 'stride', 'padding', 'scale', 'pos', 'mode', 'seed', 'target', 'part', 'sel', 'grad', 'flower', 'lr', 'surface', 'sgd', 'momentum', 'adam', 'toString');
    fc.assert(fc.property(fc.constantFrom(...views), fc.constantFrom('0', '1', '2', '3', '6', '7', '8'), fc.dictionary(keys, value, { maxKeys: 4 }), (view, layer, settings) => {
      const params = { view, layer, ...settings };
      const { route, notices } = resolveRoute(params, cnn, 100);
      const rules = settingRules(route.view, cnn, route.layer);
      for (const [key, text] of Object.entries(route.settings)) {
        expect(Object.prototype.hasOwnProperty.call(rules, key), key).toBe(true);
        const rule = rules[key];
        if ('choices' in rule) expect(rule.choices.map(String)).toContain(text);
        if ('whole' in rule) { expect(Number.isInteger(Number(text))).toBe(true); expect(Number(text)).toBeGreaterThanOrEqual(rule.whole[0]); expect(Number(text)).toBeLessThanOrEqual(rule.whole[1]); }
        if ('real' in rule) { expect(Number(text)).toBeGreaterThanOrEqual(rule.real[0]); expect(Number(text)).toBeLessThanOrEqual(rule.real[1]); }
      }
      const asked = Object.entries(settings).filter(([, v]) => v !== '');
      if (route.view === view && asked.some(([k, v]) => route.settings[k] !== v)) expect(notices.length).toBeGreaterThan(0);
      // what the router wrote back is a link it accepts without a word
      expect(resolve(routeHash(route)).notices).toEqual([]);
    }), { numRuns: 400 });
  });

  it('every conv setting the controls offer explains in bounded work (the largest: size 29, padding 3)', () => {
    const input = digit(cnn);
    for (const size of [CHOICES.convSize[0], CHOICES.convSize.at(-1)!]) for (const pad of ['same', CHOICES.convPadding.at(-1)!]) {
      const settings: LayerSettings = { size: whole(String(size)), padding: padding(pad), stride: 1 };
      const e = explainLayer(cnn, 0, input, settings);
      expect(e.kind).toBe('conv');
    }
  });
});

describe('encodeInk / decodeInk', () => {
  it('round-trips a digit to 1/255 and rejects anything else', () => {
    const pixels = Float32Array.from({ length: 784 }, (_, i) => ((i * 37) % 256) / 255);
    const text = encodeInk(pixels);
    expect(text).toMatch(/^[A-Za-z0-9_-]{1046}$/);
    const back = decodeInk(text)!;
    for (let i = 0; i < 784; i++) expect(Math.abs(back[i] - pixels[i])).toBeLessThan(1e-6);
    expect(decodeInk(text.slice(1))).toBeNull();
    expect(decodeInk('a'.repeat(1046).replace(/a$/, '='))).toBeNull();
    expect(resolve(`view=overview&source=drawn&ink=${text}`).route).toMatchObject({ source: 'drawn', ink: text });
  });
});

describe('the training page\'s knobs (#21)', () => {
  it('keeps offered values and snaps others to the nearest offered one with a notice', () => {
    const kept = resolve('view=train&net=lab-cnn-dropout&val=0.2&dropout=0&augment=off');
    expect(kept.route.settings).toEqual({ net: 'lab-cnn-dropout', val: '0.2', dropout: '0', augment: 'off' });
    expect(kept.notices).toEqual([]);
    const snapped = resolve('view=train&val=0.9&dropout=0.33&augment=maybe&net=x');
    expect(snapped.route.settings).toEqual({ val: String(Math.max(...CHOICES.validation)), dropout: '0.3' });
    expect(snapped.notices).toEqual([
      `val=0.9 is not offered (${CHOICES.validation.join(', ')}); nearest: using 0.5.`,
      `dropout=0.33 is not offered (${CHOICES.dropoutRate.join(', ')}); nearest: using 0.3.`,
      'augment=maybe is not one of on, off: left out.',
      `net=x is not one of ${digitPresets().map((p) => p.name).join(', ')}: left out.`,
    ]);
    expect(resolve('view=train&val=-1e308').route.settings).toEqual({ val: '0.05' });
  });
  it('every rate offered is one a dropout layer takes, every fraction one the trainer takes', () => {
    for (const rate of CHOICES.dropoutRate) expect(() => new Sequential({ inputShape: [4], layers: [{ type: 'dropout', rate }] })).not.toThrow();
    for (const fraction of CHOICES.validation) expect(fraction > 0 && fraction < 1).toBe(true);
  });
});

describe('one wording for link notices', () => {
  it('route.ts and inspectRoute.ts word every setting notice through linkNotice.ts', async () => {
    const { filesMatching } = await import('../helpers.js');
    // a notice written by hand names a setting as `${key} ${…}` or `${clip(key)}=`: only linkNotice.ts may
    expect(filesMatching(['viz/src'], /`\$\{(clip\()?key\)?\}[ =]/, ['viz/src/lib/linkNotice.ts'])).toEqual([]);
    expect(filesMatching(['viz/src'], /const clip = /)).toEqual(['viz/src/lib/linkNotice.ts']);
  });
});
