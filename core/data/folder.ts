// core/data/folder.ts: a folder of the user's own pictures as a labelled data set, browser-safe (paths, sizes and
// decoded pixels in; no file system). The layout is Keras's image_dataset_from_directory / torchvision's ImageFolder:
//   DIR/<class>/<picture>                       one sub-folder per class; convlab splits it 80/20 itself, or
//   DIR/train/<class>/<picture> + DIR/test/<class>/<picture>   the user's own split.
// Class ids are the class folders' names sorted (by code point, so the same on every machine); the names go into the
// model file. Pictures are .png, .jpg or .jpeg (by name; the header decides what the bytes are); hidden entries
// (a name starting with '.') and other files are skipped and counted. A picture becomes a sample of the model's input
// shape [C,H,W] by one rule (imageToBytes): transparency over white, the largest centred box of the output's aspect,
// area-averaged to H×W (exact at the same size), grey by luminance (0.299 R + 0.587 G + 0.114 B) for C = 1, the
// red/green/blue planes for C = 3; stored as bytes (byte / 255). Everything the listing can tell — file count,
// sizes, empty class folders, layout — is checked before a picture is read; each header before it is decoded.
import type { ByteDataset } from './dataset.js';
import { IMAGE_LIMITS, LUMA, checkImageHeader } from './preprocess.js';
import { IDX_LIMITS } from './idx.js';
import { toColorInput } from './color.js';

export const FOLDER_LIMITS = {
  /** Entries (files and folders) a listing may hold: enough for MNIST as pictures (70,000), not a million. */
  entries: 100_000,
  /** Bytes of all the pictures together, from the listing before any is read. */
  totalBytes: 1024 * 1024 * 1024,
  /** Class folders. */
  classes: 1000,
  /** Bytes the samples take once stored (count × C × H × W): the IDX files' cap. */
  storedBytes: IDX_LIMITS.bytes,
  /** Pixels of all the pictures together, from their headers before any is decoded (a few KB of PNG can declare
   *  2048×2048: 100,000 such files would decode for hours). 2^30: 16,384 pictures of 256×256, 256 at the 4 Mpx limit. */
  pixels: 2 ** 30,
} as const;

/** Count a folder's pixels from the pictures' headers (checkFolderPicture) before any is decoded: call once per
 *  picture; throws when the total passes FOLDER_LIMITS.pixels, naming the folder, the count so far and the limit. */
export function pixelBudget(name: string): (width: number, height: number) => void {
  let pixels = 0, pictures = 0;
  return (width, height) => {
    pixels += width * height; pictures++;
    if (pixels > FOLDER_LIMITS.pixels) {
      throw new RangeError(`${name}: its first ${pictures.toLocaleString('en')} pictures already hold ${pixels.toLocaleString('en')} pixels, more than ` +
        `the limit of ${FOLDER_LIMITS.pixels.toLocaleString('en')} for a folder (every picture is shrunk to the model's input anyway): make them smaller first`);
    }
  };
}

/** The model-file record of the folder rule (imageToBytes), `training.input` of a model trained on a folder: predict
 *  applies the rule to a picture. */
export const FOLDER_INPUT = { source: 'folder', rule: 'transparency over white, the largest centred box of the input\'s aspect, area-averaged to its size, ' +
  'grey by luminance (0.299 R + 0.587 G + 0.114 B) or the R, G, B planes, byte / 255' } as const;

/** The picture formats a folder may hold (by file name; the header is checked too). */
export const FOLDER_IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg'] as const;

/** One entry of a listing: a path relative to the folder with '/' between parts, its size, and whether it is a folder. */
export interface FolderEntry { path: string; size: number; folder?: boolean }
export interface PlannedImage { path: string; label: number; size: number }
export interface FolderPlan {
  classNames: string[];
  train: PlannedImage[];
  /** The user's own test part (DIR/test/...), or null: the caller splits train. */
  test: PlannedImage[] | null;
  /** Paths skipped: hidden entries and files that are not .png/.jpg/.jpeg. */
  skipped: string[];
}

const isPicture = (path: string) => FOLDER_IMAGE_EXTENSIONS.some((ext) => path.toLowerCase().endsWith(ext));
const hidden = (path: string) => path.split('/').some((part) => part.startsWith('.'));
const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The layout of a folder's listing → class names and the pictures of each part, or a RangeError naming the entry and
 *  what was expected. `name` is the folder, for messages. `limit` keeps at most that many pictures of each part,
 *  evenly spaced through it (so spread over the classes). */
export function planImageFolder(entries: readonly FolderEntry[], name: string, { limit = Infinity }: { limit?: number } = {}): FolderPlan {
  if (entries.length > FOLDER_LIMITS.entries) {
    throw new RangeError(`${name} holds more than ${FOLDER_LIMITS.entries.toLocaleString('en')} entries (files and folders); convlab reads at most that many`);
  }
  const skipped: string[] = [];
  const visible = entries.filter((e) => { if (hidden(e.path)) { skipped.push(e.path); return false; } return true; });
  const depth = (e: FolderEntry) => e.path.split('/').length;
  const split = visible.some((e) => !e.folder && depth(e) === 3 && /^(train|test)\//.test(e.path));
  const classDepth = split ? 2 : 1;
  const pictureDepth = classDepth + 1;
  const classFolders = new Map<string, { part: 'train' | 'test'; cls: string; pictures: number }>();
  const files: { part: 'train' | 'test'; cls: string; path: string; size: number }[] = [];
  for (const entry of visible) {
    const parts = entry.path.split('/'), d = parts.length;
    if (!entry.folder && !isPicture(entry.path)) { skipped.push(entry.path); continue; }
    if (split && !(parts[0] === 'train' || parts[0] === 'test')) {
      throw new RangeError(`${name}/${entry.path}: a folder with train/ and test/ may hold only those two (expected ${name}/train/<class>/<picture> and ${name}/test/<class>/<picture>)`);
    }
    const part = split ? (parts[0] as 'train' | 'test') : 'train';
    if (entry.folder) {
      if (split && d === 1) continue;
      // (a listing in any order: a class folder met after its pictures keeps their count)
      if (d === classDepth) { const key = parts.slice(0, d).join('/'); if (!classFolders.has(key)) classFolders.set(key, { part, cls: parts[d - 1], pictures: 0 }); continue; }
      throw new RangeError(`${name}/${entry.path} is a folder inside the class folder ${name}/${parts.slice(0, classDepth).join('/')}: ` +
        `expected pictures only there (one level of class folders: ${name}/${split ? 'train/' : ''}<class>/<picture>)`);
    }
    if (d !== pictureDepth) {
      throw new RangeError(d < pictureDepth
        ? `${name}/${entry.path} is not in a class folder: put each picture in a sub-folder named after its class (${name}/${split ? 'train/' : ''}<class>/<picture>)`
        : `${name}/${entry.path} is nested too deep: expected ${name}/${split ? 'train/' : ''}<class>/<picture>`);
    }
    if (!(entry.size > 0)) throw new RangeError(`${name}/${entry.path} is empty (0 bytes): not a picture`);
    if (entry.size > IMAGE_LIMITS.fileBytes) {
      throw new RangeError(`${name}/${entry.path} is ${entry.size.toLocaleString('en')} bytes, more than the limit of ${IMAGE_LIMITS.fileBytes.toLocaleString('en')} bytes for a picture`);
    }
    const folder = parts.slice(0, classDepth).join('/');
    const known = classFolders.get(folder) ?? { part, cls: parts[classDepth - 1], pictures: 0 };
    known.pictures++;
    classFolders.set(folder, known);
    files.push({ part, cls: parts[classDepth - 1], path: entry.path, size: entry.size });
  }
  const total = files.reduce((t, f) => t + f.size, 0);
  if (total > FOLDER_LIMITS.totalBytes) {
    throw new RangeError(`${name}: its pictures take ${total.toLocaleString('en')} bytes, more than the limit of ${FOLDER_LIMITS.totalBytes.toLocaleString('en')} bytes (${FOLDER_LIMITS.totalBytes / 1048576} MiB)`);
  }
  for (const [folder, info] of [...classFolders].sort((a, b) => byCodePoint(a[0], b[0]))) {
    if (info.pictures === 0) throw new RangeError(`${name}/${folder} holds no pictures (.png, .jpg or .jpeg): every class folder needs at least one`);
  }
  const classNames = [...new Set([...classFolders.values()].filter((c) => c.part === 'train').map((c) => c.cls))].sort(byCodePoint);
  if (split && classFolders.size > 0 && ![...classFolders.values()].some((c) => c.part === 'test')) {
    throw new RangeError(`${name}/test holds no class folders: with a train/ folder, test/ needs the same classes (or put the class folders directly in ${name})`);
  }
  if (classNames.length < 2) {
    throw new RangeError(`${name} has ${classNames.length === 0 ? 'no class folders' : `one class folder (${classNames[0]})`}: expected a sub-folder per class, at least 2 ` +
      `(${name}/${split ? 'train/' : ''}<class>/<picture>)`);
  }
  if (classNames.length > FOLDER_LIMITS.classes) throw new RangeError(`${name} has ${classNames.length} class folders, more than the limit of ${FOLDER_LIMITS.classes}`);
  const ids = new Map(classNames.map((c, i) => [c, i]));
  const stray = [...classFolders.values()].find((c) => c.part === 'test' && !ids.has(c.cls));
  if (stray) throw new RangeError(`${name}/test/${stray.cls} is a class that ${name}/train does not have (train has ${classNames.join(', ')})`);
  const pick = (part: 'train' | 'test') => thin(files.filter((f) => f.part === part).sort((a, b) => byCodePoint(a.path, b.path))
    .map((f) => ({ path: f.path, label: ids.get(f.cls)!, size: f.size })), limit);
  return { classNames, train: pick('train'), test: split ? pick('test') : null, skipped };
}

function thin<T>(items: T[], limit: number): T[] {
  if (!(limit < items.length)) return items;
  return Array.from({ length: Math.max(0, Math.floor(limit)) }, (_, i) => items[Math.floor((i * items.length) / limit)]);
}

/** The sample shape a picture can feed: [1,H,W] (grey) or [3,H,W] (colour), or a RangeError naming the model's. */
export function checkImageShape(inputShape: readonly number[], who = 'the model'): void {
  const ok = inputShape.length === 3 && (inputShape[0] === 1 || inputShape[0] === 3) && inputShape.every((d) => Number.isInteger(d) && d >= 1);
  if (!ok) {
    throw new RangeError(`${who} takes inputs [${inputShape.join(',')}]; pictures feed a model taking [1,H,W] (grey) or [3,H,W] (colour)`);
  }
}

/** A picture's header checked before it is decoded (IMAGE_LIMITS) and its format one a folder may hold: PNG or JPEG. */
export function checkFolderPicture(bytes: Uint8Array, name: string): { format: 'png' | 'jpeg'; width: number; height: number } {
  const header = checkImageHeader(bytes, name);
  if (header.format !== 'png' && header.format !== 'jpeg') {
    throw new TypeError(`${name} is a ${header.format.toUpperCase()} picture; a folder of pictures is read as PNG or JPEG (convert it)`);
  }
  return header as { format: 'png' | 'jpeg'; width: number; height: number };
}

/** An empty byte data set of `count` samples of `sampleShape` to fill with putImage, checked against
 *  FOLDER_LIMITS.storedBytes before it is allocated. */
export function imageSet(count: number, sampleShape: readonly number[], classNames: readonly string[], name = 'the folder'): ByteDataset {
  checkImageShape(sampleShape);
  const size = sampleShape[0] * sampleShape[1] * sampleShape[2];
  if (count * size > FOLDER_LIMITS.storedBytes) {
    throw new RangeError(`${name}: ${count.toLocaleString('en')} pictures of [${sampleShape.join(',')}] take ${(count * size).toLocaleString('en')} bytes, ` +
      `more than the limit of ${FOLDER_LIMITS.storedBytes.toLocaleString('en')} bytes (${FOLDER_LIMITS.storedBytes / 1048576} MiB)`);
  }
  return { bytes: new Uint8Array(count * size), divisor: 255, labels: new Int32Array(count), sampleShape: sampleShape.slice(), classes: classNames.length, classNames: classNames.slice() };
}

/** RGBA pixels → one sample of `sampleShape` ([1,H,W] or [3,H,W]) as bytes, by the folder rule (see the top of
 *  this file); `target` at `at` when given. */
export function imageToBytes(rgba: ArrayLike<number>, width: number, height: number, sampleShape: readonly number[],
  target?: Uint8Array, at = 0): Uint8Array {
  checkImageShape(sampleShape);
  const [channels, h, w] = sampleShape, plane = h * w;
  const planes = toColorInput(rgba, width, height, h, w);
  const out = target ?? new Uint8Array(channels * plane);
  const byte = (v: number) => Math.min(255, Math.max(0, Math.round(v * 255)));
  if (channels === 3) for (let i = 0; i < 3 * plane; i++) out[at + i] = byte(planes[i]);
  else for (let p = 0; p < plane; p++) out[at + p] = byte(LUMA[0] * planes[p] + LUMA[1] * planes[plane + p] + LUMA[2] * planes[2 * plane + p]);
  return out;
}

/** Picture `index` of `set` (imageSet) from its RGBA pixels, with its label. */
export function putImage(set: ByteDataset, index: number, label: number, rgba: ArrayLike<number>, width: number, height: number): void {
  const size = set.sampleShape[0] * set.sampleShape[1] * set.sampleShape[2];
  if (!(Number.isInteger(index) && index >= 0 && index < set.labels.length)) throw new RangeError(`putImage: index ${index} is outside 0..${set.labels.length - 1}`);
  if (!(Number.isInteger(label) && label >= 0 && label < set.classes)) throw new RangeError(`putImage: label ${label} is outside 0..${set.classes - 1}`);
  imageToBytes(rgba, width, height, set.sampleShape, set.bytes, index * size);
  set.labels[index] = label;
}

/** The shape pictures take when the model does not say (an architecture list): the first picture's size, colour
 *  when any of its pixels is not grey. */
export function shapeOfPicture(rgba: ArrayLike<number>, width: number, height: number): number[] {
  for (let p = 0; p < width * height; p++) {
    if (rgba[p * 4] !== rgba[p * 4 + 1] || rgba[p * 4 + 1] !== rgba[p * 4 + 2]) return [3, height, width];
  }
  return [1, height, width];
}
