// The explainer's links checked against a model in Node: every view × every layer index (and out-of-range
// and garbage ones) resolves to a view that fits, with a notice whenever the link was changed.
import { describe, it, expect } from 'vitest';
import { Sequential } from '../../core/index.js';
import { loadModel } from '../../core/node.js';
const repository = new URL('../../', import.meta.url).pathname;
import { VIEWS, parseRoute, resolveRoute, routeHash, encodeInk, decodeInk, mapCount, type ViewName } from '../../viz/src/lib/route.js';

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
    expect(resolve('view=overview&digit=500')).toMatchObject({ route: { digit: 0 }, notices: ['there is no sample digit 500 (0–99): showing digit 0.'] });
    expect(resolve('view=overview&source=drawn').route.source).toBe('sample');
    expect(resolve('view=overview&source=drawn&ink=zzz').notices).toEqual(['the drawing in this link is damaged: showing a sample digit.']);
    expect(resolve('view=overview&source=test&test=1999').route).toMatchObject({ source: 'test', test: 1999 });
    expect(resolve('view=overview&source=test&test=2000').route.source).toBe('sample');
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
