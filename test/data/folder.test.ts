// A folder of the user's own pictures (core/data/folder.ts: the plan from a listing and the picture rule, browser-safe;
// data/node.ts: the walk and the decoding). Numbers are worked out by hand in the comments.
import { describe, it, expect } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync, symlinkSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { planImageFolder, imageToBytes, imageSet, putImage, checkFolderPicture, shapeOfPicture, FOLDER_LIMITS, type FolderEntry } from '../../core/data/folder.js';
import { relabelByName } from '../../core/data/dataset.js';
import { loadImageFolder, listImageFolder } from '../../core/data/node.js';
import { writePictureFolder, rgbaOf, pngBytes, jpegBytes, shape, scanBomb } from './pictureFiles.js';
import { decodePicture, jpegScans, JPEG_DECODE_LIMITS } from '../../core/data/pictures.js';
import { craftPng } from '../io/png.js';

const directory = mkdtempSync(join(tmpdir(), 'convlab-folder-'));
const file = (path: string, size = 100): FolderEntry => ({ path, size });
const folder = (path: string): FolderEntry => ({ path, size: 0, folder: true });

describe('planImageFolder: the layout from a listing, before any picture is read', () => {
  it('sorts class folders by code point into ids, sorts pictures by path, skips hidden entries and other files', () => {
    const plan = planImageFolder([folder('cat'), folder('Dog'), file('cat/b.PNG'), file('cat/a.jpg'), file('Dog/x.jpeg'), file('cat/notes.txt'),
      file('.DS_Store'), folder('.git'), file('.git/HEAD')], 'pets');
    expect(plan.classNames).toEqual(['Dog', 'cat']); // 'D' (68) < 'c' (99)
    expect(plan.train).toEqual([{ path: 'Dog/x.jpeg', label: 0, size: 100 }, { path: 'cat/a.jpg', label: 1, size: 100 }, { path: 'cat/b.PNG', label: 1, size: 100 }]);
    expect(plan.test).toBeNull();
    expect(plan.skipped).toEqual(['.DS_Store', '.git', '.git/HEAD', 'cat/notes.txt']); // hidden first, then the rest
  });
  it('the same plan whatever the order of the listing (a browser lists files, the folders come from their paths)', () => {
    const listing = [folder('a'), file('a/1.png'), file('a/2.png'), folder('b'), file('b/3.png'), folder('c'), file('c/notes.txt')];
    const orders = [listing, [...listing].reverse(), [...listing.filter((e) => !e.folder), ...listing.filter((e) => e.folder)]];
    for (const order of orders) expect(() => planImageFolder(order, 'd')).toThrow(/^d\/c holds no pictures/);
    const good = listing.slice(0, 5);
    expect(planImageFolder([...good].reverse(), 'd')).toEqual(planImageFolder(good, 'd'));
  });
  it('train/ and test/: the classes come from train/, test/ may lack one but not add one', () => {
    const plan = planImageFolder([folder('train'), folder('test'), folder('train/a'), folder('train/b'), folder('test/b'),
      file('train/a/1.png'), file('train/b/2.png'), file('test/b/3.png')], 'd');
    expect(plan.classNames).toEqual(['a', 'b']);
    expect(plan.test).toEqual([{ path: 'test/b/3.png', label: 1, size: 100 }]);
    expect(() => planImageFolder([file('train/a/1.png'), file('train/b/2.png'), file('test/c/3.png')], 'd'))
      .toThrow(/^d\/test\/c is a class that d\/train does not have \(train has a, b\)$/);
    expect(() => planImageFolder([file('train/a/1.png'), file('train/b/2.png'), file('extra/b/3.png')], 'd'))
      .toThrow(/d\/extra\/b\/3.png: a folder with train\/ and test\/ may hold only those two/);
    expect(() => planImageFolder([file('train/a/1.png'), file('train/b/2.png')], 'd')).toThrow(/d\/test holds no class folders/);
  });
  it('refuses, naming the entry: a loose picture, a folder inside a class, an empty class folder, a single class, empty and oversized files', () => {
    expect(() => planImageFolder([file('a/1.png'), file('loose.png')], 'd')).toThrow(/^d\/loose.png is not in a class folder/);
    expect(() => planImageFolder([file('a/1.png'), folder('a/more'), file('a/more/2.png')], 'd')).toThrow(/^d\/a\/more is a folder inside the class folder d\/a/);
    expect(() => planImageFolder([folder('a'), folder('b'), file('a/1.png')], 'd')).toThrow(/^d\/b holds no pictures \(.png, .jpg or .jpeg\): every class folder needs at least one$/);
    expect(() => planImageFolder([file('a/1.png'), file('a/2.png')], 'd')).toThrow(/^d has one class folder \(a\): expected a sub-folder per class, at least 2/);
    expect(() => planImageFolder([], 'd')).toThrow(/^d has no class folders/);
    expect(() => planImageFolder([file('a/1.png', 0), file('b/2.png')], 'd')).toThrow(/^d\/a\/1.png is empty \(0 bytes\): not a picture$/);
    expect(() => planImageFolder([file('a/1.png', 16 * 1048576 + 1), file('b/2.png')], 'd'))
      .toThrow(/^d\/a\/1.png is 16,777,217 bytes, more than the limit of 16,777,216 bytes for a picture$/);
  });
  it('refuses a listing of a million entries at once, and pictures past the total size before reading any', () => {
    // the count is the first check: a listing of a million (its entries never looked at) is refused before any is read
    expect(() => planImageFolder(new Array<FolderEntry>(1_000_000), 'd')).toThrow(/^d holds more than 100,000 entries/);
    const big = Array.from({ length: 80 }, (_, i) => file(`c${i % 2}/${i}.png`, 16 * 1048576));
    expect(() => planImageFolder(big, 'd')).toThrow(/^d: its pictures take 1,342,177,280 bytes, more than the limit of 1,073,741,824 bytes \(1024 MiB\)$/);
  });
  it('--limit keeps pictures evenly spaced through the sorted list (so spread over the classes)', () => {
    const entries = Array.from({ length: 10 }, (_, i) => file(`${i < 5 ? 'a' : 'b'}/${i}.png`));
    expect(planImageFolder(entries, 'd', { limit: 4 }).train.map((p) => p.path)).toEqual(['a/0.png', 'a/2.png', 'b/5.png', 'b/7.png']) // ⌊i · 10 / 4⌋ = 0, 2, 5, 7;
  });
});

describe('imageToBytes: the picture rule', () => {
  it('is exact at the same size: grey bytes come back as they were', () => {
    const grey = Uint8Array.from({ length: 15 }, (_, i) => (i * 53) % 256);
    const rgba = rgbaOf(5, 3, (x, y) => { const v = grey[y * 5 + x]; return [v, v, v, 255]; });
    expect(Array.from(imageToBytes(rgba, 5, 3, [1, 3, 5]))).toEqual(Array.from(grey));
    const colour = rgbaOf(2, 2, (x, y) => [x * 100, y * 100, 7, 255]);
    expect(Array.from(imageToBytes(colour, 2, 2, [3, 2, 2]))).toEqual([0, 100, 0, 100, 0, 0, 100, 100, 7, 7, 7, 7]);
  });
  it('keeps the largest centred box of the output\'s aspect and area-averages it; transparency is white; grey is luminance', () => {
    // a 4×2 picture of grey columns 10, 20, 30, 40 → the centred 2×2 box (columns 20, 30) at [1,2,2]
    const columns = rgbaOf(4, 2, (x) => [10 * (x + 1), 10 * (x + 1), 10 * (x + 1), 255]);
    expect(Array.from(imageToBytes(columns, 4, 2, [1, 2, 2]))).toEqual([20, 30, 20, 30]);
    // the same box averaged to 1×1: (20 + 30) / 2 = 25
    expect(Array.from(imageToBytes(columns, 4, 2, [1, 1, 1]))).toEqual([25]);
    // opaque red beside opaque black at [1,1,1]: R = 0.5, so grey 0.299 · 0.5 · 255 = 38.1 → 38; in colour R 127.5 → 128
    const red = rgbaOf(2, 1, (x) => (x === 0 ? [255, 0, 0, 255] : [0, 0, 0, 255]));
    expect(Array.from(imageToBytes(red, 2, 1, [1, 1, 1]))).toEqual([38]);
    // a fully transparent pixel reads as white paper: [0,0,0,0] → 255
    expect(Array.from(imageToBytes(new Uint8Array([0, 0, 0, 0]), 1, 1, [3, 1, 1]))).toEqual([255, 255, 255]);
  });
  it('refuses a model input that pictures cannot feed, naming it', () => {
    expect(() => imageToBytes(new Uint8Array(4), 1, 1, [4])).toThrow(/the model takes inputs \[4\]; pictures feed a model taking \[1,H,W\] \(grey\) or \[3,H,W\] \(colour\)/);
    expect(() => imageToBytes(new Uint8Array(4), 1, 1, [2, 8, 8])).toThrow(/takes inputs \[2,8,8\]/);
  });
  it('imageSet checks the stored size before allocating; putImage fills a sample and its label; shapeOfPicture tells grey from colour', () => {
    expect(() => imageSet(100_000, [3, 64, 64], ['a', 'b'], 'big')).toThrow(/^big: 100,000 pictures of \[3,64,64\] take 1,228,800,000 bytes, more than the limit of 805,306,368 bytes \(768 MiB\)$/);
    const set = imageSet(2, [1, 1, 2], ['a', 'b']);
    putImage(set, 1, 1, rgbaOf(2, 1, (x) => [x * 9, x * 9, x * 9, 255]), 2, 1);
    expect(Array.from(set.bytes)).toEqual([0, 0, 0, 9]);
    expect(Array.from(set.labels)).toEqual([0, 1]);
    expect(() => putImage(set, 0, 2, new Uint8Array(8), 2, 1)).toThrow(/label 2 is outside 0..1/);
    expect(shapeOfPicture(rgbaOf(3, 2, () => [5, 5, 5, 255]), 3, 2)).toEqual([1, 2, 3]);
    expect(shapeOfPicture(rgbaOf(3, 2, (x) => [5, 5, x, 255]), 3, 2)).toEqual([3, 2, 3]);
  });
  it('checkFolderPicture reads only PNG and JPEG, each size from its header', () => {
    expect(checkFolderPicture(pngBytes(3, 2, new Uint8Array(24)), 'a.png')).toEqual({ format: 'png', width: 3, height: 2 });
    expect(checkFolderPicture(jpegBytes(8, 4, new Uint8Array(128)), 'a.jpg')).toEqual({ format: 'jpeg', width: 8, height: 4 });
    const gif = new Uint8Array([...new TextEncoder().encode('GIF89a'), 2, 0, 2, 0, 0, 0, 0, 0x3b]);
    expect(() => checkFolderPicture(gif, 'a.gif')).toThrow(/a.gif is a GIF picture; a folder of pictures is read as PNG or JPEG/);
    expect(() => checkFolderPicture(new TextEncoder().encode('hello'), 'x.png')).toThrow(/x.png is not an image convlab reads/);
  });
});

describe('relabelByName: a data set\'s classes mapped to a model\'s by name', () => {
  it('renumbers, and refuses a class the model does not know', () => {
    const data = { inputs: new Float32Array(3), labels: Int32Array.from([0, 1, 1]), sampleShape: [1], classes: 2, classNames: ['dog', 'cat'] };
    const mapped = relabelByName(data, ['bird', 'cat', 'dog']);
    expect(Array.from(mapped.labels)).toEqual([2, 1, 1]);
    expect(mapped.classes).toBe(3);
    expect(relabelByName(data, ['dog', 'cat'])).toBe(data);
    expect(() => relabelByName(data, ['cat', 'bird'], 'the table')).toThrow(/^the table has the class 'dog', which the model does not know \(its classes: cat, bird\)$/);
  });
});

describe('loadImageFolder (Node): walking, decoding, refusing', () => {
  it('reads PNG and JPEG pictures into bytes of the model\'s shape, class names sorted, train/test kept', () => {
    const root = join(directory, 'split');
    writePictureFolder(root, { perClass: 8, split: true });
    const { train, test, classNames } = loadImageFolder(root, { inputShape: [1, 28, 28] });
    expect(classNames).toEqual(['disc', 'stripes']);
    expect(train.labels.length).toBe(16);
    expect(test!.labels.length).toBe(4);
    expect(train.classNames).toEqual(['disc', 'stripes']);
    // the PNG of disc picture 1 (sorted paths: 0.jpg, 1.png, …) comes back byte for byte (same size, grey)
    const expected = shape(0, 1);
    const grey = Array.from({ length: 784 }, (_, p) => expected[p * 4]);
    expect(Array.from(train.bytes.subarray(784, 2 * 784))).toEqual(grey);
    // a lossy JPEG comes back close: mean absolute error under 3 grey levels
    const jpegPicture = shape(0, 0), decoded = train.bytes.subarray(0, 784);
    const error = decoded.reduce((t, v, p) => t + Math.abs(v - jpegPicture[p * 4]), 0) / 784;
    expect(error).toBeLessThan(3);
    // colour, resized: [3,14,14]
    expect(loadImageFolder(root, { inputShape: [3, 14, 14] }).train.bytes.length).toBe(16 * 3 * 14 * 14);
    // no input shape (an architecture list): the first picture's size and colour
    expect(loadImageFolder(root).train.sampleShape).toEqual([1, 28, 28]);
  });
  it('refuses a symbolic link, a pipe, a truncated PNG, a truncated JPEG and a text file named .png, naming the file', () => {
    const make = (name: string) => { const root = join(directory, name); writePictureFolder(root, { perClass: 2 }); return root; };
    const linked = make('linked');
    symlinkSync(join(linked, 'disc', '1.png'), join(linked, 'stripes', 'link.png'));
    expect(() => loadImageFolder(linked)).toThrow(/linked\/stripes\/link.png is a symbolic link: a folder of pictures may hold only folders and regular files \(links are not followed/);
    const piped = make('piped');
    execFileSync('mkfifo', [join(piped, 'disc', 'pipe.png')]);
    expect(() => loadImageFolder(piped)).toThrow(/piped\/disc\/pipe.png is a pipe: a folder of pictures may hold only/);
    const truncated = make('truncated');
    const png = readFileSync(join(truncated, 'disc', '1.png'));
    writeFileSync(join(truncated, 'disc', '1.png'), png.subarray(0, png.length - 30));
    expect(() => loadImageFolder(truncated)).toThrow(/truncated\/disc\/1.png is not a readable PNG/);
    const cut = make('cut');
    const jpg = readFileSync(join(cut, 'stripes', '0.jpg'));
    writeFileSync(join(cut, 'stripes', '0.jpg'), jpg.subarray(0, Math.floor(jpg.length / 2)));
    expect(() => loadImageFolder(cut)).toThrow(/cut\/stripes\/0.jpg is not a readable JPEG/);
    const text = make('text');
    writeFileSync(join(text, 'disc', '1.png'), 'not a picture at all');
    expect(() => loadImageFolder(text)).toThrow(/text\/disc\/1.png is not an image convlab reads/);
  });
  it('refuses a PNG declaring 20000×20000 from its header and a decompression bomb at the size its header implies', () => {
    const root = join(directory, 'bombs');
    writePictureFolder(root, { perClass: 2 });
    writeFileSync(join(root, 'disc', 'huge.png'), craftPng(20000, 20000, 1, 0, 0, deflateSync(Buffer.alloc(1_000_000))));
    expect(() => loadImageFolder(root)).toThrow(/bombs\/disc\/huge.png is 20000×20000 pixels/);
    writeFileSync(join(root, 'disc', 'huge.png'), craftPng(28, 28, 8, 6, 1, deflateSync(Buffer.alloc(20 * 1024 * 1024), { level: 9 })));
    expect(() => loadImageFolder(root)).toThrow(/bombs\/disc\/huge.png: its image data inflates to more than/);
  });
  it('refuses a folder of small files declaring huge pictures from their headers, before decoding any (a time bomb)', () => {
    // 2048×2048 grey: 4 Mpx each from 4 KB of PNG; 257 of them pass the folder's 2^30 pixels
    const root = join(directory, 'timebomb'), side = 2048;
    const png = craftPng(side, side, 8, 0, 0, deflateSync(Buffer.alloc(side * (side + 1)), { level: 9 }));
    for (const c of ['a', 'b']) mkdirSync(join(root, c), { recursive: true });
    for (let i = 0; i < 257; i++) writeFileSync(join(root, i % 2 ? 'b' : 'a', `${i}.png`), png);
    expect(png.length).toBeLessThan(16_384);
    expect(() => loadImageFolder(root)).toThrow(/timebomb: its first 257 pictures already hold 1,077,936,128 pixels, more than the limit of 1,073,741,824 for a folder .*make them smaller first/);
    expect(FOLDER_LIMITS.pixels).toBe(2 ** 30);
  });
  it('stops listing at the entry cap without reading the rest of the folder', () => {
    const root = join(directory, 'many');
    mkdirSync(join(root, 'a'), { recursive: true });
    for (let i = 0; i < 60; i++) writeFileSync(join(root, 'a', `${i}.png`), '');
    expect(() => listImageFolder(root, 50)).toThrow(/many holds more than 50 entries \(files and folders\); convlab reads at most that many/);
    expect(listImageFolder(root, 61)).toHaveLength(61);
    expect(FOLDER_LIMITS.entries).toBe(100_000);
  });
});

describe('decoding a JPEG (data/pictures.ts): what it may cost beyond its declared size', () => {
  it('a colour JPEG at the pixel limit (2048×2048) decodes (once refused: "maxMemoryUsageInMB limit exceeded by at least 1MB")', () => {
    const bytes = jpegBytes(2048, 2048, rgbaOf(2048, 2048, (x, y) => [x & 255, y & 255, 90, 255]), 50);
    const { width, height, data } = decodePicture(bytes, 'big.jpg');
    expect([width, height, data.length]).toEqual([2048, 2048, 2048 * 2048 * 4]);
    expect(Math.abs(data[(5 * 2048 + 100) * 4] - 100)).toBeLessThan(12); // red is x & 255 at (100, 5)
  });
  it('counts scans from the segments: one for a baseline JPEG, 1 + n for a progressive one; decodes a few, refuses many before decoding', () => {
    expect(jpegScans(jpegBytes(8, 8, new Uint8Array(256)))).toBe(1);
    const few = scanBomb(16, 16, 5);
    expect(jpegScans(few)).toBe(6);
    expect(decodePicture(few, 'few.jpg').width).toBe(16);
    // 2,000 empty scans of 2048×2048 in 46 KB: about 2 s to decode (20,000: 17 s); refused from the segment walk
    const bomb = scanBomb(2048, 2048, 2000);
    expect(bomb.length).toBeLessThan(50_000);
    expect(jpegScans(bomb, JPEG_DECODE_LIMITS.scans)).toBe(JPEG_DECODE_LIMITS.scans + 1); // stops counting there
    expect(() => decodePicture(bomb, 'scans.jpg')).toThrow(/^scans.jpg has more than 100 scans; convlab decodes JPEGs of at most 100 \(a progressive JPEG has about 10/);
  });
});
