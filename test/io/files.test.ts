// Files on disk: only regular files are read, with a size cap; a save never follows a planted link, never leaves a
// temporary file, and an unwritable --out is found before any work; PNGs are checked before they are decoded.
import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync, readFileSync, symlinkSync, lstatSync, readdirSync, mkdirSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { deflateSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { saveModel, loadModel, readRegularFile, checkWritable, checkTarget, readPng } from '../../core/io/node.js';
import { saveTfjs, saveOnnx } from '../../core/io/nodeFormats.js';
import { createPreset, checkPngHeader, IMAGE_LIMITS } from '../../core/index.js';
import { craftPng } from './png.js';

const directory = mkdtempSync(join(tmpdir(), 'convlab-files-'));

describe('reading files', () => {
  it('refuses a FIFO at once instead of waiting for a writer', () => {
    const fifo = join(directory, 'pipe.json');
    execFileSync('mkfifo', [fifo]);
    expect(() => readRegularFile(fifo, 1000, 'model file')).toThrow(/model file .*pipe.json is a pipe, not a regular file/);
    expect(() => loadModel(fifo)).toThrow(/is a pipe, not a regular file/);
  });
  it('refuses /dev/zero and a folder', () => {
    expect(() => loadModel('/dev/zero')).toThrow(/model file \/dev\/zero is a device, not a regular file/);
    expect(() => readPng('/dev/zero')).toThrow(/image \/dev\/zero is a device/);
    expect(() => loadModel(directory)).toThrow(/is a folder, not a regular file/);
  });
  it('refuses a file over the cap before reading it', () => {
    const big = join(directory, 'big.bin');
    writeFileSync(big, Buffer.alloc(5000));
    expect(() => readRegularFile(big, 4096, 'image')).toThrow(/image .*big.bin is 5000 bytes, more than the limit of 4096 bytes/);
    expect(readRegularFile(big, 5000).length).toBe(5000);
  });
});

describe('saving a model', () => {
  it('refuses a link at --out: neither writes through it nor replaces it (the link and its target stay), no temporary file', () => {
    const victim = join(directory, 'victim.txt'), out = join(directory, 'linked.json');
    writeFileSync(victim, 'precious');
    symlinkSync(victim, out);
    expect(() => saveModel(out, createPreset('mlp'), undefined, '--out'))
      .toThrow(/--out .*linked.json is a symbolic link \(to .*victim.txt\); convlab replaces only regular files, so give the file's own path/);
    expect(readFileSync(victim, 'utf8')).toBe('precious');
    expect(lstatSync(out).isSymbolicLink()).toBe(true);
    expect(readdirSync(directory).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
  it('a link planted at the old predictable temporary name is never touched', () => {
    const victim = join(directory, 'victim2.txt'), out = join(directory, 'model2.json');
    writeFileSync(victim, 'precious');
    symlinkSync(victim, `${out}.${process.pid}.tmp`);
    saveModel(out, createPreset('mlp'));
    expect(readFileSync(victim, 'utf8')).toBe('precious');
  });
  it('removes temporary files of ours left by a dead process (kill -9), not other files', () => {
    const out = join(directory, 'model3.json');
    const stale = join(directory, '.model3.json.999999999-0123456789ab.tmp'), other = join(directory, '.model3.json.keep.tmp');
    writeFileSync(stale, 'half a model'); writeFileSync(other, 'not ours');
    saveModel(out, createPreset('mlp'));
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(other)).toBe(true);
  });
  it('checkWritable finds a missing folder, a folder as the file and a read-only file system', () => {
    expect(() => checkWritable(join(directory, 'absent', 'm.json'), '--out')).toThrow(/--out .*m.json: the folder .*absent does not exist/);
    mkdirSync(join(directory, 'adir'));
    expect(() => checkWritable(join(directory, 'adir'), '--out')).toThrow(/--out .*adir is a folder; give a file name/);
    expect(() => checkWritable('/proc/convlab.json', '--out')).toThrow(/--out \/proc\/convlab.json cannot be written/);
    expect(() => checkWritable(join(directory, 'fine.json'))).not.toThrow();
    expect(readdirSync(directory).filter((f) => f.endsWith('.tmp')).sort()).toEqual(['.model3.json.keep.tmp', `model2.json.${process.pid}.tmp`]);
  });
});

describe('a save replaces nothing but a regular file (lstat of the target)', () => {
  const places = () => {
    const folder = mkdtempSync(join(tmpdir(), 'convlab-targets-'));
    const fifo = join(folder, 'fifo.json'), device = join(folder, 'null.json'), link = join(folder, 'link.json'), sub = join(folder, 'sub.json');
    execFileSync('mkfifo', [fifo]);
    execFileSync('mknod', [device, 'c', '1', '3']); // a /dev/null of our own: the real one is never written by a test
    writeFileSync(join(folder, 'target.json'), 'theirs');
    symlinkSync(join(folder, 'target.json'), link);
    mkdirSync(sub);
    return { folder, fifo, device, link, sub };
  };
  it('saveModel, saveOnnx and saveTfjs refuse a FIFO, a device, a symbolic link and a folder, and leave each as it was', () => {
    const { folder, fifo, device, link, sub } = places();
    const model = createPreset('mlp');
    for (const save of [(p: string) => saveModel(p, model, undefined, '--out'), (p: string) => saveOnnx(p, model, '--out'), (p: string) => saveTfjs(p, model, '--out')]) {
      expect(() => save(fifo)).toThrow(/--out .*fifo.json is a pipe; give a file name/);
      expect(() => save(device)).toThrow(/--out .*null.json is a device; give a file name/);
      expect(() => save(link)).toThrow(/--out .*link.json is a symbolic link \(to .*target.json\)/);
    }
    expect(() => saveModel(sub, model, undefined, '--out')).toThrow(/--out .*sub.json is a folder; give a file name/);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(lstatSync(device).isCharacterDevice()).toBe(true);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(folder, 'target.json'), 'utf8')).toBe('theirs');
    expect(lstatSync(sub).isDirectory()).toBe(true);
    expect(readdirSync(folder).sort()).toEqual(['fifo.json', 'link.json', 'null.json', 'sub.json', 'target.json']); // no lone weights, no .tmp
  });
  it('a TF.js save whose model.json is refused writes no weights file either', () => {
    const folder = mkdtempSync(join(tmpdir(), 'convlab-tfjs-target-'));
    execFileSync('mkfifo', [join(folder, 'model.json')]);
    expect(() => saveTfjs(folder, createPreset('mlp'), '--out')).toThrow(/model.json is a pipe; give a file name/);
    expect(readdirSync(folder)).toEqual(['model.json']);
  });
  it('checkWritable and checkTarget name what is there: /dev/null is a device (only checked, never written)', () => {
    const { fifo, link } = places();
    expect(() => checkTarget('/dev/null', '--out')).toThrow(/^--out \/dev\/null is a device; give a file name$/);
    expect(() => checkWritable('/dev/null', '--out')).toThrow(/^--out \/dev\/null is a device; give a file name$/);
    expect(() => checkWritable(fifo, '--history')).toThrow(/^--history .*fifo.json is a pipe; give a file name$/);
    expect(() => checkWritable(link, '--out')).toThrow(/is a symbolic link/);
    const regular = join(directory, 'regular.json');
    writeFileSync(regular, 'old');
    expect(() => checkTarget(regular)).not.toThrow();
    saveModel(regular, createPreset('mlp'));
    expect(loadModel(regular).model.parameterCount).toBe(79510);
  });
});

describe('PNG header check (browser-safe) and bounded decoding', () => {
  it('refuses a 48 KB 1-bit PNG declaring 20000×20000 from its first 33 bytes', () => {
    const bomb = craftPng(20000, 20000, 1, 0, 0, deflateSync(Buffer.alloc(1_000_000)));
    expect(() => checkPngHeader(new Uint8Array(bomb.subarray(0, 33)), 'bomb.png'))
      .toThrow(/bomb.png is 20000×20000 pixels; convlab reads images up to 4194304 pixels \(2048×2048\) and 4096 on a side/);
    const path = join(directory, 'bomb.png');
    writeFileSync(path, bomb);
    expect(() => readPng(path)).toThrow(/is 20000×20000 pixels/);
  });
  it('stops an interlaced 28×28 PNG whose image data inflates to 50 MB at the size the header implies', () => {
    const path = join(directory, 'interlaced.png');
    writeFileSync(path, craftPng(28, 28, 8, 6, 1, deflateSync(Buffer.alloc(50 * 1024 * 1024), { level: 9 })));
    const before = process.memoryUsage().rss;
    expect(() => readPng(path)).toThrow(/inflates to more than the 3\d{3} bytes a 28×28 PNG needs \(a decompression bomb\?\)/);
    expect((process.memoryUsage().rss - before) / 1048576).toBeLessThan(100);
  });
  it('names what is wrong with a file that is not a PNG', () => {
    expect(() => checkPngHeader(new TextEncoder().encode('hello'), 'x.png')).toThrow(/x.png is not a readable PNG \(it does not start with the PNG signature; 5 bytes\)/);
    expect(() => checkPngHeader(craftPng(0, 5, 8, 0, 0, Buffer.alloc(0)), 'e.png')).toThrow(/e.png declares an empty 0×5 image/);
    expect(() => checkPngHeader(craftPng(5, 5, 3, 0, 0, Buffer.alloc(0)), 'd.png')).toThrow(/not a readable PNG \(bit depth 3, colour type 0/);
  });
  it('reads a real PNG, interlaced or not, and reports its inflated size', () => {
    const png = new PNG({ width: 30, height: 20 });
    png.data.fill(200);
    const bytes = PNG.sync.write(png);
    expect(checkPngHeader(new Uint8Array(bytes))).toMatchObject({ width: 30, height: 20, bitDepth: 8, colorType: 6, interlaced: false, inflatedBytes: 20 * (1 + 120) });
    const path = join(directory, 'real.png');
    writeFileSync(path, bytes);
    expect(readPng(path).data.length).toBe(30 * 20 * 4);
    expect(IMAGE_LIMITS.pixels).toBe(2048 * 2048);
  });
});

describe('printable: names from files shown in a terminal', () => {
  it('escapes C0 (but newline and tab), DEL, C1 and the bidi overrides; one line on request', async () => {
    const { printable } = await import('../../core/index.js');
    expect(printable('a\u001b[2Jb\u0007c\u007fd\u009be\u202ef\u2066g')).toBe('a\\x1b[2Jb\\x07c\\x7fd\\x9be\\u202ef\\u2066g');
    expect(printable('line one\n\tline two')).toBe('line one\n\tline two');
    expect(printable('name\nforged line', true)).toBe('name\\x0aforged line');
    expect(printable('dense_1 → ünïcode ✓')).toBe('dense_1 → ünïcode ✓');
  });
});
