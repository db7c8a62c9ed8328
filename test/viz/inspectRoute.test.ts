// The look-inside views' links in Node: every layer, map and setting snapped to what the view offers with a notice,
// own properties only, and a resolved link written back resolves to itself without notices.
import { describe, it, expect } from 'vitest';
import { Sequential } from '../../core/index.js';
import { loadModel } from '../../core/node.js';
import { parseRoute, resolveRoute, routeHash } from '../../viz/src/lib/route.js';
import { INSPECT_VIEWS, defaultLayer, inspectLayers } from '../../viz/src/lib/inspectRoute.js';

const cnn = loadModel(new URL('../../viz/public/cnn.json', import.meta.url).pathname).model;
const mlp = new Sequential({ inputShape: [1, 28, 28], layers: [{ type: 'flatten' }, { type: 'dense', units: 100 }, { type: 'relu' }, { type: 'dense', units: 10 }, { type: 'softmax' }] });
const resolve = (hash: string, model = cnn) => resolveRoute(parseRoute(hash), model, 100);

describe('inspect links', () => {
  it('open on sensible layers: Grad-CAM on the last conv block, the embedding at the last hidden layer', () => {
    expect(defaultLayer('attribution', cnn)).toBe(4);
    expect(inspectLayers('attribution', cnn)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(defaultLayer('embedding', cnn)).toBe(6);
    expect(defaultLayer('embedding', mlp)).toBe(2);
    expect(resolve('view=embedding').route).toMatchObject({ view: 'embedding', layer: 6, map: 0 });
  });

  it('snap every value to the nearest offered one, with a notice, and resolve to themselves', () => {
    const garbage = ['', '0', '3', '-1', '1.5', 'abc', '1e3', '99999999999', 'NaN', '0x10', ' 2 '];
    for (const view of INSPECT_VIEWS) for (const model of [cnn, mlp]) for (const v of garbage) {
      const hash = `view=${view}&layer=${v}&map=${v}&class=${v}&size=${v}&stride=${v}&fill=${v}&steps=${v}&seed=${v}&jitter=${v}&rotate=${v}&scale=${v}&blur=${v}&noise=${v}&shiftX=${v}&eps=${v}&proj=${v}`;
      const { route, notices } = resolve(hash, model);
      expect(route.view, hash).toBe(view);
      expect(inspectLayers(view, model), hash).toContain(route.layer);
      if (v !== '' && v !== '0' && v !== '3') expect(notices.length, hash).toBeGreaterThan(0);
      const again = resolve(routeHash(route), model);
      expect(again.route, hash).toEqual(route);
      expect(again.notices, hash).toEqual([]);
    }
  });

  it('say what they changed', () => {
    expect(resolve('view=attribution&layer=7&class=12&size=9&stride=20').notices).toEqual([
      'layer 7 cannot be shown here (attribution offers layers 0–5): showing layer 5.',
      'class=12 is not offered (0…9); nearest: using 9.', 'size=9 is not offered (2, 3, 4, 5, 6, 7, 8, 10, 12, 14); nearest: using 8.',
      'stride=20 is not offered (1…14); nearest: using 14.',
    ]);
    expect(resolve('view=units&layer=3&map=40').notices).toEqual(['unit 40 does not exist (layer 3 has units 0–15): showing unit 15.']);
    expect(resolve('view=attribution&layer=5&class=x').notices).toEqual(['class=x is not a number: using the predicted class.']);
    expect(resolve('view=robustness&rotate=7&scale=1.0').route.settings).toEqual({ rotate: '5', scale: '1' });
    expect(resolve('view=embedding&proj=tSNE').notices).toEqual(['proj=tSNE is not offered (pca, umap): using pca.']);
    expect(resolve('view=embedding&proj=tSNE').route.settings).toEqual({});
    expect(resolve('view=embedding&proj=%20UMAP').route.settings).toEqual({ proj: 'umap' });
    expect(resolve('view=units&proj=umap').notices).toEqual(['proj=umap is not a setting of the units view: left out.']);
  });

  it('read own properties only: __proto__, constructor and toString are not settings', () => {
    const { route } = resolve('view=robustness&__proto__=1&constructor=2&toString=3&hasOwnProperty=4');
    expect(route.settings).toEqual({});
    expect(resolve('view=units&layer=__proto__').route.layer).toBe(0);
  });
});
