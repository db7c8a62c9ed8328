// The explainer's links: `#view=NAME&layer=N&map=M&step=S&digit=D…` (shared/DESIGN.md, "Explainer links").
// parseRoute reads a hash without judging it; resolveRoute checks it against the model and answers with the
// nearest sensible route and one-line notices (never throws); routeHash writes a route back.
// VIEWS is the one table where a view is registered; App.svelte dispatches on it in one block.
import type { LayerConfig, LayerType } from '../../../core/index.js';
import { resolveInspect, type InspectView } from './inspectRoute.js';

/** page: no layer; op: the forward view of one layer kind; layer: any layer (backward); free: its own settings;
 *  inspect: a look inside the trained network (inspectRoute.ts checks its layer, map and settings). */
export type ViewKind = 'page' | 'op' | 'layer' | 'free' | 'inspect';

export const VIEWS = {
  overview: { kind: 'page', title: 'Overview' },
  draw: { kind: 'page', title: 'Draw' },
  train: { kind: 'page', title: 'Train' },
  conv: { kind: 'op', title: 'convolution' },
  relu: { kind: 'op', title: 'ReLU' },
  sigmoid: { kind: 'op', title: 'sigmoid' },
  tanh: { kind: 'op', title: 'tanh' },
  leakyRelu: { kind: 'op', title: 'leaky ReLU' },
  maxPool: { kind: 'op', title: 'max pooling' },
  normalize: { kind: 'op', title: 'normalisation' },
  flatten: { kind: 'op', title: 'flatten' },
  dropout: { kind: 'op', title: 'dropout' },
  dense: { kind: 'op', title: 'dense (fully connected)' },
  softmax: { kind: 'op', title: 'softmax' },
  backward: { kind: 'layer', title: 'Backward' },
  graph: { kind: 'free', title: 'Graph' },
  activations: { kind: 'free', title: 'Activations' },
  optimizers: { kind: 'free', title: 'Optimizers' },
  playground: { kind: 'free', title: 'Playground' },
  attribution: { kind: 'inspect', title: 'Looks at' },
  units: { kind: 'inspect', title: 'Units' },
  embedding: { kind: 'inspect', title: 'Class map' },
  robustness: { kind: 'inspect', title: 'Fooled?' },
} as const satisfies Record<string, { kind: ViewKind; title: string }>;

export type ViewName = keyof typeof VIEWS;
export type OpView = LayerType; // every layer kind has a forward view of its own name
type PageOrFree = { [V in ViewName]: (typeof VIEWS)[V]['kind'] extends 'page' | 'free' ? V : never }[ViewName];

/** Where the network's input comes from: a bundled sample, the drawing in `ink`, or digit `test` of the 2,000 test digits. */
export type Source = 'sample' | 'drawn' | 'test';
export const TEST_DIGITS = 2000;

interface Shared {
  digit: number;
  source: Source;
  /** The drawing, 784 bytes base64url (encodeInk), when source is 'drawn'. */
  ink: string | null;
  /** Index into the test digits, when source is 'test'. */
  test: number | null;
  /** The model the link points into (null: the shipped model). */
  model: string | null;
  /** The view's own settings (stride, padding, size, …), as written; each view checks its own. */
  settings: Record<string, string>;
}
export type Route = Shared & (
  | { view: PageOrFree; layer: number | null; map: null; step: number | null }
  | { view: OpView | 'backward'; layer: number; map: number; step: number | null }
  | { view: InspectView; layer: number; map: number; step: null }
);

/** What resolveRoute needs of a model: its layer configs and shapes (a Sequential has both). */
export interface ModelOutline { configs: readonly LayerConfig[]; layers: readonly { inputShape: number[]; outputShape: number[] }[] }

const KNOWN = new Set(['view', 'layer', 'map', 'step', 'digit', 'source', 'ink', 'test', 'model']);

/** The hash's parameters as written (no checks). */
export function parseRoute(hash: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(hash.replace(/^#/, '')));
}

/** A non-negative integer written in decimal, or null (garbage, negative, fractional, huge). */
export function parseIndex(text: string | undefined): number | null {
  if (text === undefined || !/^\d{1,9}$/.test(text.trim())) return null;
  return Number(text.trim());
}

/** How many maps (or units, for a vector) a layer's view can show; `map` selects one of them. */
export function mapCount(model: ModelOutline, layer: number): number {
  const { inputShape, outputShape } = model.layers[layer];
  return model.configs[layer].type === 'flatten' ? inputShape[0] : outputShape[0];
}

const isView = (name: string): name is ViewName => Object.prototype.hasOwnProperty.call(VIEWS, name);

/** The route a link asks for, made to fit `model`, with one notice per thing that had to change. */
export function resolveRoute(params: Record<string, string>, model: ModelOutline, sampleCount: number): { route: Route; notices: string[] } {
  const notices: string[] = [];
  const settings = Object.fromEntries(Object.entries(params).filter(([key, value]) => !KNOWN.has(key) && value !== ''));
  const last = model.configs.length - 1;

  let digit = parseIndex(params.digit) ?? 0;
  if (params.digit !== undefined && params.digit !== '' && (parseIndex(params.digit) === null || (sampleCount > 0 && digit >= sampleCount))) {
    notices.push(`there is no sample digit ${params.digit} (0–${Math.max(0, sampleCount - 1)}): showing digit 0.`);
    digit = 0;
  }
  let source: Source = params.source === 'drawn' || params.source === 'test' ? params.source : 'sample';
  let ink: string | null = null, test: number | null = null;
  if (source === 'drawn') {
    if (params.ink && decodeInk(params.ink)) ink = params.ink;
    else { notices.push(params.ink ? 'the drawing in this link is damaged: showing a sample digit.' : 'this link has no drawing in it: showing a sample digit.'); source = 'sample'; }
  } else if (source === 'test') {
    test = parseIndex(params.test);
    if (test === null || test >= TEST_DIGITS) { notices.push(`there is no test digit ${params.test ?? ''} (0–${TEST_DIGITS - 1}): showing a sample digit.`); source = 'sample'; test = null; }
  }
  const modelId = params.model && /^[\w-]{1,64}$/.test(params.model) ? params.model : null;
  const shared: Shared = { digit, source, ink, test, model: modelId, settings };

  const name = params.view || 'overview';
  if (!isView(name)) {
    notices.push(`there is no view "${clip(name)}": showing the overview.`);
    return { route: { ...shared, settings: {}, view: 'overview', layer: null, map: null, step: null }, notices };
  }
  const kind: ViewKind = VIEWS[name].kind;
  if (kind === 'inspect') {
    const inspect = resolveInspect(name as InspectView, params, model);
    notices.push(...inspect.notices);
    return { route: { ...shared, settings: inspect.settings, view: name as InspectView, layer: inspect.layer, map: inspect.map, step: null }, notices };
  }
  if (kind === 'page' || kind === 'free') {
    let layer = parseIndex(params.layer);
    if (params.layer !== undefined && params.layer !== '' && (layer === null || layer > last)) {
      if (kind === 'free') notices.push(`layer ${clip(params.layer)} does not exist (this model has layers 0–${last}).`);
      layer = null;
    }
    return { route: { ...shared, view: name as PageOrFree, layer: kind === 'free' ? layer : null, map: null, step: kind === 'free' ? parseIndex(params.step) : null }, notices };
  }

  // a view of one layer: the layer must exist and, for a forward view, be of the view's kind
  let view = name as OpView | 'backward';
  let layer = parseIndex(params.layer);
  let keepSettings = true;
  if (layer === null || layer > last) {
    const wanted = params.layer === undefined || params.layer === '' ? '' : `layer ${clip(params.layer)} does not exist (this model has layers 0–${last})`;
    const first = view === 'backward' ? last : model.configs.findIndex((c) => c.type === view);
    if (first < 0) {
      notices.push(`${wanted ? `${wanted}; ` : ''}this model has no ${VIEWS[view].title} layer: showing the overview.`);
      return { route: { ...shared, settings: {}, view: 'overview', layer: null, map: null, step: null }, notices };
    }
    if (wanted) notices.push(`${wanted}: showing layer ${first}${view === 'backward' ? '' : `, its first ${VIEWS[view].title} layer`}.`);
    layer = first;
    keepSettings = !wanted;
  } else if (view !== 'backward' && model.configs[layer].type !== view) {
    const actual = model.configs[layer].type;
    notices.push(`layer ${layer} is ${article(VIEWS[actual].title)}, not ${article(VIEWS[view].title)}: showing the ${VIEWS[actual].title} view.`);
    view = actual;
    keepSettings = false;
  }
  const maps = mapCount(model, layer);
  let map = parseIndex(params.map);
  if (params.map !== undefined && params.map !== '' && (map === null || map >= maps)) {
    notices.push(`${maps === 1 ? `layer ${layer} has one map` : `map ${clip(params.map)} does not exist (layer ${layer} has maps 0–${maps - 1})`}: showing map 0.`);
    map = 0;
    keepSettings = false;
  }
  const step = keepSettings ? parseIndex(params.step) : null;
  return { route: { ...shared, settings: keepSettings ? settings : {}, view, layer, map: map ?? 0, step }, notices };
}

/** The hash of a route: the same keys in a fixed order, empty ones left out. */
export function routeHash(route: Route): string {
  const entries: [string, string | number | null][] = [
    ['view', route.view], ['layer', route.layer], ['map', route.map], ['step', route.step],
    ['digit', route.source === 'sample' ? route.digit : null], ['source', route.source === 'sample' ? null : route.source],
    ['test', route.source === 'test' ? route.test : null], ['ink', route.source === 'drawn' ? route.ink : null], ['model', route.model],
    ...Object.entries(route.settings),
  ];
  return new URLSearchParams(entries.filter(([, v]) => v !== null && v !== '').map(([k, v]) => [k, String(v)])).toString();
}

/** A route as plain parameters (for changing some of them and resolving again). */
export function routeParams(route: Route): Record<string, string> {
  return parseRoute(routeHash(route));
}

/** A 28×28 digit in [0,1] as 784 bytes (round(255·v)), base64url: a drawing that fits in a link. */
export function encodeInk(pixels: ArrayLike<number>): string {
  let binary = '';
  for (let i = 0; i < 784; i++) binary += String.fromCharCode(Math.round(255 * Math.min(1, Math.max(0, pixels[i] || 0))));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The digit encodeInk wrote, or null when the text is not 784 bytes of base64url. */
export function decodeInk(text: string): Float32Array | null {
  if (!/^[A-Za-z0-9_-]{1046}$/.test(text)) return null;
  let binary: string;
  try { binary = atob(text.replace(/-/g, '+').replace(/_/g, '/')); } catch { return null; }
  if (binary.length !== 784) return null;
  return Float32Array.from(binary, (c) => c.charCodeAt(0) / 255);
}

const clip = (text: string) => (text.length > 24 ? `${text.slice(0, 24)}…` : text);
const article = (title: string) => `${/^[aeiou]/i.test(title) && !/^ReLU/.test(title) ? 'an' : 'a'} ${title}`;
