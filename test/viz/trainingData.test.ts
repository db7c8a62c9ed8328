// The training page's own-data picker (viz/src/lib/trainingData.ts) at its edges, run in Node on File objects as a
// browser hands them over (a folder's files carry their path; here the path is the File's name): hostile folders and
// tables are refused from the listing and the headers, before the browser is asked to decode anything.
import { describe, it, expect, afterEach, vi } from 'vitest';
import { deflateSync } from 'node:zlib';
import { readOwnFolder, readOwnTable } from '../../viz/src/lib/trainingData.js';
import { FOLDER_LIMITS, CSV_LIMITS } from '../../core/index.js';
import { craftPng } from '../io/png.js';

/** createImageBitmap stands in for the browser's decoder: every call is counted, and none may happen here. */
function countDecodes() {
  const decode = vi.fn(async () => { throw new Error('decoded'); });
  vi.stubGlobal('createImageBitmap', decode);
  return decode;
}
afterEach(() => { vi.unstubAllGlobals(); });

describe('readOwnFolder: the browser\'s folder door', () => {
  it('a folder of 257 PNGs of 4 KB each declaring 2048×2048 is refused from the headers, before any picture is decoded (once: decoded one by one)', async () => {
    const side = 2048, png = craftPng(side, side, 8, 0, 0, deflateSync(Buffer.alloc(side * (side + 1)), { level: 9 }));
    expect(png.length).toBeLessThan(16_384);
    const files = Array.from({ length: 257 }, (_, i) => new File([new Uint8Array(png)], `timebomb/${i % 2 ? 'b' : 'a'}/${i}.png`));
    const decode = countDecodes();
    await expect(readOwnFolder(files)).rejects.toThrow(/^timebomb: its first 257 pictures already hold 1,077,936,128 pixels, more than the limit of 1,073,741,824 for a folder .*make them smaller first$/);
    expect(decode).not.toHaveBeenCalled();
    expect(FOLDER_LIMITS.pixels).toBe(2 ** 30);
  });
  it('a picture whose header is damaged is named before any other picture is decoded', async () => {
    const good = new Uint8Array(craftPng(28, 28, 8, 0, 0, deflateSync(Buffer.alloc(28 * 29))));
    const files = [new File([good], 'shapes/a/1.png'), new File([good], 'shapes/b/1.png'), new File(['this is text'], 'shapes/b/2.png')];
    const decode = countDecodes();
    await expect(readOwnFolder(files)).rejects.toThrow(/^shapes\/b\/2\.png is not an image convlab reads/);
    expect(decode).not.toHaveBeenCalled();
  });
  it('more files than the folder limit are refused from the count alone', async () => {
    const files = { length: FOLDER_LIMITS.entries + 1, map: () => { throw new Error('listed'); } } as unknown as File[];
    await expect(readOwnFolder(files)).rejects.toThrow(/^the folder holds 100,001 files, more than the 100,000 convlab reads$/);
  });
});

describe('readOwnTable: the browser\'s table door', () => {
  it('a 65 MiB table is refused from its size, never read (a File of one 1 MiB part repeated: nothing large in memory)', async () => {
    const mib = new Blob([new Uint8Array(1024 * 1024)]);
    const big = new File(Array.from({ length: 65 }, () => mib), 'big.csv');
    const read = vi.spyOn(big, 'arrayBuffer');
    await expect(readOwnTable([big])).rejects.toThrow(/^big\.csv is 68,157,440 bytes, more than the limit of 67,108,864 bytes \(64 MiB\)$/);
    expect(read).not.toHaveBeenCalled();
    expect(CSV_LIMITS.bytes).toBe(64 * 1024 * 1024);
    // as the test table of a pair, after a good training table
    const test = new File(Array.from({ length: 65 }, () => mib), 'big-test.csv');
    await expect(readOwnTable([new File(['a,y\n1,p\n2,q\n'], 'train.csv'), test])).rejects.toThrow(/^big-test\.csv is 68,157,440 bytes, more than the limit/);
  });
  it('hostile tables are refused by core\'s parseCsv rules, naming the file: UTF-16, a binary file, a lone \\r, a second header, one class, three tables', async () => {
    const file = (text: string | Uint8Array<ArrayBuffer>, name = 'own.csv') => new File([text], name);
    const utf16 = new Uint8Array([0xff, 0xfe, ...Buffer.from('a,y\n1,p\n', 'utf16le')]);
    for (const [chosen, message] of [
      [[file(utf16)], /own\.csv .*UTF-16/],
      [[file(new Uint8Array([0, 1, 2, 3, 0, 0, 255, 254]))], /own\.csv/],
      [[file('a,y\r1,p\r2,q\r')], /own\.csv, line 1 holds a carriage return \(\\r\) inside it/],
      [[file('a,y\nA,Y\n1,p\n2,q\n')], /own\.csv, line 2, column 1 \(a\): "A" is not a number/],
      [[file('a,y\n1,p\n2,p\n3,p\n')], /^own\.csv: its label column \(y\) holds 1 class; a table to train on needs at least 2/],
      [[file('a,y\n1,p\n'), file('a,y\n1,p\n'), file('a,y\n1,p\n')], /^3 tables chosen: choose one table, or a training and a test table$/],
    ] as const) {
      await expect(readOwnTable(chosen), String(message)).rejects.toThrow(message);
    }
  });
  it('a training and a test table of different columns, or a test class the training table lacks, are refused naming both', async () => {
    const train = new File(['a,b,y\n1,2,p\n3,4,q\n5,6,p\n7,8,q\n'], 'iris-train.csv');
    // held to the training table's columns on its first line: the broken third line is never reached
    await expect(readOwnTable([train, new File(['a,y\n1,p\nbroken,line,of,many,cells\n'], 'iris-test.csv')]))
      .rejects.toThrow(/^iris-test\.csv has 1 feature column \(2 on line 1, the label in column 2\) but iris-train\.csv has 2: the two tables must have the same columns$/);
    await expect(readOwnTable([train, new File(['a,b,y\n1,2,rose\n'], 'iris-test.csv')])).rejects.toThrow(/iris-test\.csv has the class 'rose'/);
  });
});
