// The links of the four "look inside" views (issue 22): `#view=attribution|units|embedding|robustness&layer=L&map=M
// &class=C&…`. Every setting is snapped to what the view's controls offer (the nearest offered value, with a notice);
// names are looked up as own properties only. route.ts calls resolveInspect for these views.
import { gradCamLayers, unitCount, DISTORTION_RANGES, PROJECTIONS, type LayerConfig } from '../../../core/index.js';
import { clip, own, settingNotice } from './linkNotice.js';

export const INSPECT_VIEWS = ['attribution', 'units', 'embedding', 'robustness'] as const;
export type InspectView = (typeof INSPECT_VIEWS)[number];

interface Outline { configs: readonly LayerConfig[]; layers: readonly { inputShape: number[]; outputShape: number[] }[] }

/** A numeric setting: offered values low…high in steps of `step` (or a list), its default. */
interface NumberSetting { low: number; high: number; step: number; fallback: number; list?: readonly number[] }

/** The occlusion square sizes the attribution view offers. */
export const OCCLUSION_SIZES = [2, 3, 4, 5, 6, 7, 8, 10, 12, 14] as const;
export const ASCENT_STEPS = [16, 32, 64, 128, 256] as const;

/** Each view's own settings (besides layer, map, digit): the attribution view's stride depends on the size. */
export function inspectSettings(view: InspectView, model: Outline, raw: Record<string, string> = {}): Record<string, NumberSetting> {
  const classes = model.layers[model.layers.length - 1].outputShape.reduce((a, b) => a * b, 1);
  const klass: NumberSetting = { low: 0, high: classes - 1, step: 1, fallback: -1 }; // −1: the predicted class
  switch (view) {
    case 'attribution': {
      const size = snap(OCCLUSION_SIZES_SETTING, Number(raw.size)) ?? 6; // the step defaults to half the square
      return { class: klass, size: OCCLUSION_SIZES_SETTING, stride: { low: 1, high: 14, step: 1, fallback: Math.max(1, Math.floor(size / 2)) }, fill: { low: 0, high: 1, step: 0.5, fallback: 0.5 } };
    }
    case 'units': return { steps: { low: 16, high: 256, step: 1, fallback: 64, list: ASCENT_STEPS }, seed: { low: 1, high: 9999, step: 1, fallback: 1 }, jitter: { low: 0, high: 2, step: 1, fallback: 1 } };
    case 'embedding': return {};
    case 'robustness': {
      const out: Record<string, NumberSetting> = { eps: { low: 0, high: 0.5, step: 0.01, fallback: 0 } };
      for (const [name, r] of Object.entries(DISTORTION_RANGES)) out[name] = { low: r.low, high: r.high, step: r.step, fallback: r.fallback };
      return out;
    }
  }
}
/** Each view's word settings: the offered words, the first the default (the class map's projection). */
export function inspectChoices(view: InspectView): Record<string, readonly string[]> {
  return view === 'embedding' ? { proj: PROJECTIONS } : {};
}

/** A word setting of a resolved route (its default when absent). */
export function choice(view: InspectView, settings: Record<string, string>, key: string): string {
  const choices = inspectChoices(view);
  if (!own(choices, key)) throw new RangeError(`choice: the ${view} view has no setting ${key}`);
  return own(settings, key) && choices[key].includes(settings[key]) ? settings[key] : choices[key][0];
}

const OCCLUSION_SIZES_SETTING: NumberSetting = { low: 2, high: 14, step: 1, fallback: 6, list: OCCLUSION_SIZES };

/** The offered value nearest to v (null when v is not a finite number). */
function snap(setting: NumberSetting, v: number): number | null {
  if (!Number.isFinite(v)) return null;
  if (setting.list) return setting.list.reduce((best, x) => (Math.abs(x - v) < Math.abs(best - v) ? x : best), setting.list[0]);
  const stepped = setting.low + Math.round((Math.min(setting.high, Math.max(setting.low, v)) - setting.low) / setting.step) * setting.step;
  return Number(Math.min(setting.high, Math.max(setting.low, stepped)).toFixed(6));
}

/** The layers each view can show. */
export function inspectLayers(view: InspectView, model: Outline): number[] {
  const all = model.layers.map((_, i) => i);
  if (view === 'attribution') { const maps = gradCamLayers(model); return maps.length ? maps : all; }
  return all;
}

/** The layer a view opens on: Grad-CAM on the last map layer that is not a pooling; the embedding at the input of
 *  the last dense layer (the last hidden layer); units on the first layer; robustness on the output. */
export function defaultLayer(view: InspectView, model: Outline): number {
  const layers = inspectLayers(view, model), last = model.layers.length - 1;
  if (view === 'attribution') return [...layers].reverse().find((i) => model.configs[i].type !== 'maxPool') ?? layers[layers.length - 1];
  if (view === 'embedding') { const dense = model.configs.map((c) => c.type).lastIndexOf('dense'); return Math.max(0, dense - 1); }
  if (view === 'robustness') return last;
  return 0;
}


/** The layer, map and settings of an inspect link made to fit the model; one notice per change. */
export function resolveInspect(view: InspectView, params: Record<string, string>, model: Outline): { layer: number; map: number; settings: Record<string, string>; notices: string[] } {
  const notices: string[] = [];
  const get = (key: string) => (own(params, key) && params[key] !== '' ? params[key] : undefined);
  const layers = inspectLayers(view, model);
  let layer = defaultLayer(view, model);
  const wantedLayer = get('layer');
  if (wantedLayer !== undefined) {
    const n = /^\d{1,9}$/.test(wantedLayer.trim()) ? Number(wantedLayer.trim()) : NaN;
    if (layers.includes(n)) layer = n;
    else {
      const nearest = Number.isFinite(n) ? layers.reduce((best, i) => (Math.abs(i - n) < Math.abs(best - n) ? i : best), layers[0]) : layer;
      notices.push(`layer ${clip(wantedLayer)} cannot be shown here (${view} offers layers ${describeList(layers)}): showing layer ${nearest}.`);
      layer = nearest;
    }
  }
  const units = view === 'units' ? unitCount(model, layer) : 1;
  let map = 0;
  const wantedMap = get('map');
  if (wantedMap !== undefined) {
    const n = /^\d{1,9}$/.test(wantedMap.trim()) ? Number(wantedMap.trim()) : NaN;
    if (Number.isInteger(n) && n < units) map = n;
    else {
      map = Number.isFinite(n) ? Math.min(n, units - 1) : 0;
      if (view === 'units') notices.push(`unit ${clip(wantedMap)} does not exist (layer ${layer} has units 0–${units - 1}): showing unit ${map}.`);
      else if (wantedMap !== '0') notices.push(`the ${view} view has no map to choose: map ${clip(wantedMap)} ignored.`);
    }
  }
  const table = inspectSettings(view, model, params), choices = inspectChoices(view);
  const settings: Record<string, string> = {};
  for (const key of Object.keys(params)) {
    if (!['view', 'layer', 'map', 'step', 'digit', 'source', 'ink', 'test', 'model'].includes(key) && !own(table, key) && !own(choices, key) && params[key] !== '') {
      notices.push(settingNotice(key, params[key], `is not a setting of the ${view} view`, null));
    }
  }
  for (const key of Object.keys(table)) {
    const text = get(key);
    if (text === undefined) continue;
    const setting = table[key], v = snap(setting, Number(text));
    if (v === null || (key === 'class' && v < 0)) {
      notices.push(settingNotice(key, text, 'is not a number', key === 'class' ? 'the predicted class' : `the default, ${setting.fallback}`));
      continue;
    }
    if (v !== Number(text)) {
      const offered = setting.list ? setting.list.join(', ') : `${setting.low}…${setting.high}${setting.step !== 1 ? ` in steps of ${setting.step}` : ''}`;
      notices.push(settingNotice(key, text, `is not offered (${offered}); nearest`, String(v)));
    }
    settings[key] = String(v);
  }
  for (const key of Object.keys(choices)) {
    const text = get(key);
    if (text === undefined) continue;
    const word = text.trim().toLowerCase();
    if (choices[key].includes(word)) settings[key] = word;
    else notices.push(settingNotice(key, text, `is not offered (${choices[key].join(', ')})`, choices[key][0]));
  }
  return { layer, map, settings, notices };
}

/** A number setting of a resolved route (its default when absent). */
export function setting(view: InspectView, model: Outline, settings: Record<string, string>, key: string): number {
  const table = inspectSettings(view, model, settings);
  if (!own(table, key)) throw new RangeError(`setting: the ${view} view has no setting ${key}`);
  return own(settings, key) ? Number(settings[key]) : table[key].fallback;
}

function describeList(list: number[]): string {
  const ranges: string[] = [];
  for (let i = 0; i < list.length; i++) {
    let j = i;
    while (j + 1 < list.length && list[j + 1] === list[j] + 1) j++;
    ranges.push(j > i ? `${list[i]}–${list[j]}` : `${list[i]}`);
    i = j;
  }
  return ranges.join(', ');
}

/** The settings as route.ts's rules (every offered value listed, or a whole-number range), for its checks. */
export function inspectRules(view: InspectView, model: Outline): Record<string, { choices: readonly (string | number)[] } | { whole: readonly [number, number] }> {
  const out: Record<string, { choices: readonly (string | number)[] } | { whole: readonly [number, number] }> = {};
  for (const [key, s] of Object.entries(inspectSettings(view, model))) {
    if (s.list) out[key] = { choices: s.list.map(String) };
    else if (s.step === 1) out[key] = { whole: [s.low, s.high] };
    else out[key] = { choices: Array.from({ length: Math.round((s.high - s.low) / s.step) + 1 }, (_, i) => String(Number((s.low + i * s.step).toFixed(6)))) };
  }
  for (const [key, words] of Object.entries(inspectChoices(view))) out[key] = { choices: words };
  return out;
}
