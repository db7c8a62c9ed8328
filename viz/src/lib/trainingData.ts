// The training page's own-data picker, read in the browser and never sent anywhere; every refusal names the file:
//  - the four MNIST-style IDX files (plain or .gz), checked with core's IDX rules before anything large is read (each
//    file's size against IDX_LIMITS, then its header, its length, its labels and the two counts), inflated with core's
//    gunzipIdx; the training worker reads the checked bytes with core's loadIdx again;
//  - a folder of pictures (<input webkitdirectory>), one sub-folder per class or train/ + test/: the listing checked
//    by core's planImageFolder (FOLDER_LIMITS: entries, sizes, layout, empty class folders) before any picture is read,
//    and every picture's header against core's pixelBudget (FOLDER_LIMITS.pixels) before any is decoded,
//    each picture's header by checkFolderPicture before the browser decodes it, then core's folder rule (putImage) to
//    the page's 28×28 grey input;
//  - a CSV table, or a training and a test table: each file's size against CSV_LIMITS before it is read, core's
//    parseCsv and tableSets (the same split and standardisation as `--data csv:`).
import {
  IDX_FILES, IDX_LIMITS, idxHeaderBytes, readIdxHeader, checkIdxLength, isGzip, gunzipIdx, loadIdx,
  FOLDER_LIMITS, FOLDER_INPUT, planImageFolder, checkFolderPicture, pixelBudget, imageSet, putImage, ownSplit, parseCsv, tableSets, firstCsvCells, CSV_LIMITS,
  type FolderEntry, type AnyDataset,
} from '../../../core/index.js';
import type { IdxRole } from './training.js';

interface OwnCommon {
  /** Training and test samples, classes, and the classes' names (null: the digits 0–9). */
  train: number; test: number; classes: number; classNames: string[] | null;
  /** Where the data came from, in words, for the page. */
  description: string;
  /** The test samples, in words ("test pictures of the folder shapes", "test rows of iris-test.csv"), and what one is. */
  tested: string; sample: 'picture' | 'row';
}
/** The student's data, checked: the four IDX files' inflated bytes and names; or the training and test sets made
 *  from a folder of pictures ([1,28,28] bytes) or a table ([features] standardised floats), with the record a model
 *  file keeps of how raw inputs became the model's (`training.input`). */
export type OwnData =
  | (OwnCommon & { kind: 'idx'; files: Record<IdxRole, Uint8Array>; names: Record<IdxRole, string> })
  | (OwnCommon & { kind: 'pictures' | 'table'; sets: { train: AnyDataset; test: AnyDataset }; input: Record<string, unknown> });

/** The networks on the training page take 28×28 grey digits and answer with ten classes. */
export const OWN_SIDE = 28, OWN_CLASSES = 10;
const RANK: Record<IdxRole, 1 | 3> = { trainImages: 3, trainLabels: 1, testImages: 3, testLabels: 1 };
const ROLES = Object.keys(IDX_FILES) as IdxRole[];

/** Which of the four files a name is: MNIST's own names (IDX_FILES, with or without .gz) and the drop-in
 *  replacements' variants (emnist-letters-train-images-idx3-ubyte, train-images.idx3-ubyte); null otherwise. */
export function roleOf(name: string): IdxRole | null {
  const lower = name.toLowerCase();
  const images = /images|idx3/.test(lower), labels = /labels|idx1/.test(lower);
  const train = /train/.test(lower), test = /t10k|test/.test(lower);
  if (images === labels || train === test) return null;
  return train ? (images ? 'trainImages' : 'trainLabels') : images ? 'testImages' : 'testLabels';
}

/** The files a student chose → checked data, or a RangeError naming the file and what is wrong with it. */
export async function readOwnData(chosen: readonly File[]): Promise<OwnData> {
  const byRole = new Map<IdxRole, File>();
  for (const file of chosen) {
    const role = roleOf(file.name);
    if (!role) throw new RangeError(`${file.name}: not one of the four MNIST file names (${ROLES.map((r) => IDX_FILES[r]).join(', ')}, each may end in .gz)`);
    const other = byRole.get(role);
    if (other) throw new RangeError(`${file.name} and ${other.name} are both the ${describe(role)}: choose one of each`);
    byRole.set(role, file);
  }
  const missing = ROLES.filter((r) => !byRole.has(r));
  if (missing.length) throw new RangeError(`missing: ${missing.map((r) => `the ${describe(r)} (${IDX_FILES[r]})`).join(', ')}; choose all four files at once`);
  const files = {} as Record<IdxRole, Uint8Array>, names = {} as Record<IdxRole, string>;
  for (const role of ROLES) {
    const file = byRole.get(role)!;
    files[role] = await readIdxFile(file, RANK[role]);
    names[role] = file.name;
  }
  const train = loadIdx(files.trainImages, files.trainLabels, { imagesName: names.trainImages, labelsName: names.trainLabels, classes: OWN_CLASSES });
  const test = loadIdx(files.testImages, files.testLabels, { imagesName: names.testImages, labelsName: names.testLabels, classes: OWN_CLASSES });
  for (const [set, role] of [[train, 'trainImages'], [test, 'testImages']] as const) {
    const [, rows, cols] = set.sampleShape;
    if (rows !== OWN_SIDE || cols !== OWN_SIDE) throw new RangeError(`${names[role]} holds images of ${rows}×${cols} pixels; the networks on this page take ${OWN_SIDE}×${OWN_SIDE} (as MNIST)`);
  }
  return { kind: 'idx', files, names, train: train.labels.length, test: test.labels.length, classes: OWN_CLASSES, classNames: null,
    tested: `test pictures of ${names.testImages}`, sample: 'picture',
    description: `${train.labels.length.toLocaleString('en')} training and ${test.labels.length.toLocaleString('en')} test pictures from ${names.trainImages} and ${names.testImages}` };
}

/** One file's IDX bytes (inflated when it is gzip): its size checked from file.size before it is read, a plain
 *  file's header and length checked from its first bytes, a .gz inflated no further than its header declares. */
async function readIdxFile(file: File, rank: 1 | 3): Promise<Uint8Array> {
  const most = idxHeaderBytes(rank) + IDX_LIMITS.bytes;
  if (file.size > most) throw new RangeError(`${file.name} has ${file.size.toLocaleString('en')} bytes, more than an IDX file may have (${most.toLocaleString('en')})`);
  const start = new Uint8Array(await file.slice(0, 16).arrayBuffer());
  if (!isGzip(start)) checkIdxLength(readIdxHeader(start, file.name, rank), file.size, file.name);
  const bytes = new Uint8Array(await file.arrayBuffer());
  return isGzip(bytes) ? gunzipIdx(bytes, file.name, rank) : bytes;
}

const describe = (role: IdxRole) => ({ trainImages: 'training images', trainLabels: 'training labels', testImages: 'test images', testLabels: 'test labels' })[role];

/** Image `n` of own data's training or test images as 784 values in [0,1] (the page's pictures); null for a table. */
export function ownPixels(data: OwnData, role: 'trainImages' | 'testImages', n: number): Float32Array | null {
  const size = OWN_SIDE * OWN_SIDE;
  if (data.kind !== 'idx') {
    if (data.kind === 'table') return null;
    const set = data.sets[role === 'trainImages' ? 'train' : 'test'] as { bytes: Uint8Array };
    return Float32Array.from(set.bytes.subarray(n * size, (n + 1) * size), (v) => v / 255);
  }
  const header = idxHeaderBytes(3);
  return Float32Array.from(data.files[role].subarray(header + n * size, header + (n + 1) * size), (v) => v / 255);
}

/** A folder the student chose (<input webkitdirectory>: every file with its path from the folder) → 28×28 grey
 *  pictures by core's folder rule, split as `--data folder:` splits them; a RangeError naming the entry otherwise. */
export async function readOwnFolder(chosen: readonly File[], onProgress: (done: number, of: number) => void = () => {}): Promise<OwnData> {
  if (chosen.length > FOLDER_LIMITS.entries) {
    throw new RangeError(`the folder holds ${chosen.length.toLocaleString('en')} files, more than the ${FOLDER_LIMITS.entries.toLocaleString('en')} convlab reads`);
  }
  const paths = chosen.map((file) => file.webkitRelativePath || file.name);
  const top = paths[0].split('/')[0];
  const stray = paths.findIndex((path) => !path.startsWith(`${top}/`));
  if (stray >= 0) throw new RangeError(`${paths[stray]} is not inside a folder: choose the folder that holds one sub-folder of pictures per class`);
  // the listing as planImageFolder takes it: each file, and each folder on its way (so a class folder holding no
  // picture, only other files, is named as in the command line; folders before what they hold as a listing of the disk has them)
  const files: FolderEntry[] = [], folders = new Set<string>(), byPath = new Map<string, File>();
  chosen.forEach((file, i) => {
    const path = paths[i].slice(top.length + 1), parts = path.split('/');
    for (let d = 1; d < parts.length; d++) folders.add(parts.slice(0, d).join('/'));
    files.push({ path, size: file.size });
    byPath.set(path, file);
  });
  const plan = planImageFolder([...[...folders].map((path) => ({ path, size: 0, folder: true })), ...files], top);
  const total = plan.train.length + (plan.test?.length ?? 0);
  // every picture's header first (core's pixelBudget, as `--data folder:` does), so a folder of small files declaring
  // huge pictures is refused before the browser decodes any (257 PNGs of 4 KB at 2048×2048 would decode for minutes)
  const count = pixelBudget(top);
  for (const item of [...plan.train, ...(plan.test ?? [])]) {
    const { width, height } = checkFolderPicture(new Uint8Array(await byPath.get(item.path)!.arrayBuffer()), `${top}/${item.path}`);
    count(width, height);
  }
  let done = 0;
  const load = async (items: typeof plan.train, part: string) => {
    const set = imageSet(items.length, [1, OWN_SIDE, OWN_SIDE], plan.classNames, `${top}${part}`);
    for (let i = 0; i < items.length; i++) {
      const { data, width, height } = await decodePicture(byPath.get(items[i].path)!, `${top}/${items[i].path}`);
      putImage(set, i, items[i].label, data, width, height);
      if (++done % 50 === 0) onProgress(done, total);
    }
    return set;
  };
  const train = await load(plan.train, plan.test ? '/train' : '');
  const test = plan.test ? await load(plan.test, '/test') : null;
  const sets = ownSplit(train, test);
  const names = plan.classNames;
  return {
    kind: 'pictures', sets, input: { ...FOLDER_INPUT }, train: sets.train.labels.length, test: sets.test.labels.length, classes: names.length, classNames: names,
    tested: `test pictures of the folder ${top}${test ? '/test' : ''}`, sample: 'picture',
    description: `${sets.train.labels.length.toLocaleString('en')} training and ${sets.test.labels.length.toLocaleString('en')} test pictures` +
      `${test ? '' : ' (a seeded 80/20 split per class)'} from the folder ${top}, ${names.length} classes (${names.slice(0, 10).join(', ')}${names.length > 10 ? ', …' : ''}), as 28×28 grey (the networks on this page take 28×28 grey pictures)` +
      (plan.skipped.length ? `; skipped ${plan.skipped.length} hidden or not .png/.jpg/.jpeg (${plan.skipped.slice(0, 3).join(', ')}${plan.skipped.length > 3 ? ', …' : ''})` : ''),
  };
}

/** A picture's RGBA pixels, decoded by the browser once its header is checked (core's checkFolderPicture: PNG or
 *  JPEG within IMAGE_LIMITS), as stored (no colour management, alpha not premultiplied). */
async function decodePicture(file: File, name: string): Promise<{ data: Uint8ClampedArray; width: number; height: number }> {
  // the listing's sizes were checked against IMAGE_LIMITS.fileBytes by planImageFolder, so reading it is bounded
  const bytes = new Uint8Array(await file.arrayBuffer());
  const { format, width, height } = checkFolderPicture(bytes, name);
  const kind = format === 'png' ? 'PNG' : 'JPEG';
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(new Blob([bytes], { type: `image/${format}` }), { premultiplyAlpha: 'none', colorSpaceConversion: 'none' });
  } catch { throw new RangeError(`${name} is not a readable ${kind} (the browser cannot decode it: damaged or truncated?)`); }
  try {
    if (bitmap.width !== width || bitmap.height !== height) {
      throw new RangeError(`${name} is not a readable ${kind} (its header says ${width}×${height}, it decodes to ${bitmap.width}×${bitmap.height})`);
    }
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d', { willReadFrequently: true })!;
    context.drawImage(bitmap, 0, 0);
    return { data: context.getImageData(0, 0, width, height).data, width, height };
  } finally { bitmap.close(); }
}

/** The training table and the test table (the one whose name says "test"), or a RangeError naming both. */
export function orderTables(chosen: readonly File[]): [File, File | undefined] {
  if (chosen.length < 1 || chosen.length > 2) throw new RangeError(`${chosen.length} tables chosen: choose one table, or a training and a test table`);
  const [trainFile, testFile] = chosen as [File, File | undefined];
  if (!testFile) return [trainFile, undefined];
  const isTest = (file: File) => /test/i.test(file.name);
  if (isTest(trainFile) === isTest(testFile)) {
    throw new RangeError(`${trainFile.name} and ${testFile.name}: name the test table so its name says "test" (iris-test.csv) and the other not`);
  }
  return isTest(trainFile) ? [testFile, trainFile] : [trainFile, testFile];
}

/** The cells of the training table's first line (core's firstCsvCells), for choosing the label column: only the start
 *  of the file is read. */
export async function tableColumns(chosen: readonly File[]): Promise<string[]> {
  const [trainFile] = orderTables(chosen);
  // a line of lineChars characters takes at most 4 bytes each in UTF-8
  const start = new TextDecoder().decode(await trainFile.slice(0, 4 * CSV_LIMITS.lineChars + 2).arrayBuffer());
  return firstCsvCells(start, trainFile.name);
}

/** One CSV table, or a training and a test table (orderTables), as `--data csv:FILE` and `csv:TRAIN,TEST` read them:
 *  the label in column `labelColumn` (counted from 1, as `--label-column N`; default the last, core's rule); a
 *  RangeError naming the file otherwise. */
export async function readOwnTable(chosen: readonly File[], labelColumn?: number): Promise<OwnData> {
  const [trainFile, testFile] = orderTables(chosen);
  // the test table is held to the training table's feature count on its first line (a wide test table is not read on)
  const read = async (file: File, sameAs?: { name: string; features: number }) => {
    if (file.size > CSV_LIMITS.bytes) {
      throw new RangeError(`${file.name} is ${file.size.toLocaleString('en')} bytes, more than the limit of ${CSV_LIMITS.bytes.toLocaleString('en')} bytes (${CSV_LIMITS.bytes / 1048576} MiB)`);
    }
    return parseCsv(new Uint8Array(await file.arrayBuffer()), { name: file.name, labelColumn, expectFeatures: sameAs?.features, sameAs: sameAs?.name });
  };
  const table = await read(trainFile);
  if (!table.labelled || table.classNames.length < 2) {
    throw new RangeError(`${trainFile.name}: its label column (${table.labelName}) holds ${table.classNames.length} class; a table to train on needs at least 2 (choose another label column)`);
  }
  const testTable = testFile ? await read(testFile, { name: trainFile.name, features: table.sampleShape[0] }) : null;
  const { train, test, input } = tableSets(table, testTable, { train: trainFile.name, test: testFile?.name });
  const names = table.classNames, features = table.sampleShape[0];
  return {
    kind: 'table', sets: { train, test }, input: { ...input }, train: train.labels.length, test: test.labels.length, classes: names.length, classNames: names,
    tested: `test rows of ${(testFile ?? trainFile).name}`, sample: 'row',
    description: (testFile ? `${train.labels.length.toLocaleString('en')} training rows of ${trainFile.name} and ${test.labels.length.toLocaleString('en')} test rows of ${testFile.name}`
      : `${train.labels.length.toLocaleString('en')} training and ${test.labels.length.toLocaleString('en')} test rows (a seeded 80/20 split per class) of ${trainFile.name}`) +
      `: ${features} feature${features === 1 ? '' : 's'} (${table.featureNames.slice(0, 6).join(', ')}${features > 6 ? ', …' : ''}), label ${table.labelName} with ${names.length} classes ` +
      `(${names.slice(0, 6).join(', ')}${names.length > 6 ? ', …' : ''}), standardised with the training part's mean and spread`,
  };
}
