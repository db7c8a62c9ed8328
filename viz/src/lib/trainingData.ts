// The training page's own-data picker: the four MNIST-style IDX files (plain or .gz) chosen from disk, checked with
// core's IDX rules before anything large is read (each file's size against IDX_LIMITS, then its header, its length,
// its labels and the two counts), inflated in the browser (core's gunzipIdx), and never sent anywhere. The training
// worker reads the checked bytes with core's loadIdx again. Every refusal names the file.
import { IDX_FILES, IDX_LIMITS, idxHeaderBytes, readIdxHeader, checkIdxLength, isGzip, gunzipIdx, loadIdx } from '../../../core/index.js';
import type { IdxRole } from './training';

/** The student's data, checked: inflated bytes of the four files, their names, and what they hold. */
export interface OwnData {
  files: Record<IdxRole, Uint8Array>; names: Record<IdxRole, string>;
  train: number; test: number; classes: number;
}

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
  return { files, names, train: train.labels.length, test: test.labels.length, classes: OWN_CLASSES };
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

/** Image `n` of own data's training or test images as 784 values in [0,1] (the page's pictures). */
export function ownPixels(data: OwnData, role: 'trainImages' | 'testImages', n: number): Float32Array {
  const size = OWN_SIDE * OWN_SIDE, header = idxHeaderBytes(3);
  return Float32Array.from(data.files[role].subarray(header + n * size, header + (n + 1) * size), (v) => v / 255);
}
