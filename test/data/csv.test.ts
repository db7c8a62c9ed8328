// Tables (core/data/csv.ts, browser-safe): the header rule, the label column, labels to class ids, bad cells by line
// and column, sizes; and the standardisation a table is trained with (core/data/dataset.ts). Numbers worked by hand.
import { describe, it, expect } from 'vitest';
import { parseCsv, csvInputOf, firstCsvCells, CSV_LIMITS } from '../../core/data/csv.js';
import { standardize, applyStandardization } from '../../core/data/dataset.js';
import { irisCsv } from './csvFiles.js';

const bytes = (text: string) => new TextEncoder().encode(text);
const parse = (text: string, options = {}) => parseCsv(bytes(text), { name: 't.csv', ...options });

describe('parseCsv', () => {
  it('reads the Week-3 Iris file: one header line (quoted names), the species last, sorted into ids', () => {
    const table = parseCsv(bytes(irisCsv()), { name: 'iris.csv' });
    expect(table.header).toEqual(['sepal.length', 'sepal.width', 'petal.length', 'petal.width', 'variety']);
    expect(table.featureNames).toEqual(['sepal.length', 'sepal.width', 'petal.length', 'petal.width']);
    expect(table.labelName).toBe('variety');
    expect(table.classNames).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(table.labels.length).toBe(150);
    expect(table.sampleShape).toEqual([4]);
    expect(Array.from(table.inputs.subarray(0, 4))).toEqual([5.1, 3.5, 1.4, 0.2].map(Math.fround)); // the first flower
    expect([table.labels[0], table.labels[50], table.labels[149]]).toEqual([0, 1, 2]);
    // the same rows without a header and quotes: the first line is data
    const plain = parseCsv(bytes(irisCsv({ quoted: false, header: false })), { name: 'iris.csv' });
    expect(plain.header).toBeNull();
    expect(plain.featureNames).toEqual(['column 1', 'column 2', 'column 3', 'column 4']);
    expect(Array.from(plain.inputs)).toEqual(Array.from(table.inputs));
  });
  it('whole-number labels are the class ids; other labels sorted by code point; BOM, CRLF, blank lines, "" in quotes', () => {
    const ids = parse('\ufeff1,2,0\r\n\r\n3,4,2\r\n  \n5,6,0\n');
    expect(ids.header).toBeNull();
    expect(Array.from(ids.labels)).toEqual([0, 2, 0]);
    expect(ids.classNames).toEqual(['0', '1', '2']);
    expect(Array.from(ids.inputs)).toEqual([1, 2, 3, 4, 5, 6]);
    const names = parse('x,kind\n1,"b ""big"""\n2,B\n3,a\n');
    expect(names.classNames).toEqual(['B', 'a', 'b "big"']);
    expect(Array.from(names.labels)).toEqual([2, 0, 1]);
  });
  it('the label column by header name or number (from 1); one that is not there is named', () => {
    const text = 'species,a,b\ncat,1,2\ndog,3,4\n';
    const byName = parse(text, { labelColumn: 'species' });
    expect(byName.featureNames).toEqual(['a', 'b']);
    expect(Array.from(byName.inputs)).toEqual([1, 2, 3, 4]);
    expect(Array.from(parse(text, { labelColumn: 1 }).labels)).toEqual([0, 1]);
    expect(Array.from(parse(text, { labelColumn: '1' }).labels)).toEqual([0, 1]);
    expect(() => parse(text, { labelColumn: 'kind' })).toThrow(/^t.csv: no column is named "kind"; the first line has "species", "a", "b"$/);
    expect(() => parse(text, { labelColumn: 4 })).toThrow(/^t.csv: label column 4 does not exist; the table has columns 1 to 3$/);
  });
  it('at most one header line: a second line of names is a bad cell', () => {
    expect(() => parse('a,b,label\nA,B,L\n1,2,x\n')).toThrow(/^t.csv, line 2, column 1 \(a\): "A" is not a number/);
  });
  it('refuses every bad feature cell, naming the line, the column and its name', () => {
    const cases: [string, RegExp][] = [
      ['NaN', /^t.csv, line 3, column 2 \(b\): "NaN" is not a number/],
      ['inf', /"inf" is not a number/],
      ['Infinity', /"Infinity" is not a number/],
      ['', /^t.csv, line 3, column 2 \(b\) is empty; every feature must be a number$/],
      ['1e999', /"1e999" is not a number/],
      ['3.5e38', /^t.csv, line 3, column 2 \(b\): "3.5e38" is past the range of a 32-bit float/],
      ['0x10', /"0x10" is not a number/],
      ['1,5', /^t.csv, line 3 has 4 columns, expected 3 as on line 1$/],
    ];
    for (const [cell, message] of cases) expect(() => parse(`a,b,y\n1,2,p\n3,${cell},q\n`)).toThrow(message);
    expect(() => parse('a,b,y\n1,2,\n')).toThrow(/^t.csv, line 2, column 3 \(y\): the label is empty$/);
    expect(() => parse('a,b,y\n1,"2,p\n')).toThrow(/^t.csv, line 2, column 2: a quoted cell is not closed on its line$/);
    expect(parse('a,b,y\n-1.5e2,+.25,p\n').inputs).toEqual(Float32Array.from([-150, 0.25]));
  });
  it('refuses what is not a table at once: too large, binary, not UTF-8, one column, a very long line, too many columns, no data', () => {
    expect(() => parseCsv(new Uint8Array(CSV_LIMITS.bytes + 1))).toThrow(/is 67,108,865 bytes, more than the limit of 67,108,864 bytes \(64 MiB\)/);
    expect(() => parseCsv(new Uint8Array([49, 44, 50, 0, 10]), { name: 'b.csv' })).toThrow(/^b.csv holds a zero byte at 3: a binary file, not a CSV table$/);
    expect(() => parseCsv(new Uint8Array([49, 44, 0xff, 10]), { name: 'l.csv' })).toThrow(/^l.csv is not UTF-8 text/);
    expect(() => parse('a;b;c\n1;2;x\n')).toThrow(/^t.csv, line 1 has 1 column; .* \(this file seems to use semicolons: save it with commas\)$/);
    expect(() => parse(`1,${'9'.repeat(70_000)},x\n`)).toThrow(/^t.csv, line 1 is longer than 65,536 characters/);
    expect(() => parse(`${'1,'.repeat(5000)}x\n`)).toThrow(/^t.csv, line 1 has more than 4096 columns$/);
    expect(() => parse('a,b,y\n\n')).toThrow(/^t.csv has a header line \("a", "b", "y"\) and no lines of data$/);
    expect(() => parse('\n\n')).toThrow(/^t.csv is empty/);
    // a million short lines after a wide first line are refused on the second line, not allocated
    expect(() => parse(`${'1,'.repeat(4000)}x\n${'1\n'.repeat(1_000_000)}`)).toThrow(/^t.csv, line 2 has 1 columns, expected 4001 as on line 1$/);
    // more than 1000 distinct string labels: probably not the label column
    expect(() => parse(Array.from({ length: 1002 }, (_, i) => `${i},c${i}`).join('\n'))).toThrow(/more than 1000 distinct labels \(is this the label column\?\)/);
  });
  it('refuses UTF-16 and lines ending in a lone carriage return, saying how to save the file (once "a binary file", once a header of "y\\r1")', () => {
    const utf16 = new Uint8Array([0xff, 0xfe, ...Array.from(new TextEncoder().encode('a,b,y\n1,2,0\n'), (b) => [b, 0]).flat()]);
    expect(() => parseCsv(utf16, { name: 'u.csv' })).toThrow(/^u.csv is UTF-16 text \(it starts with a UTF-16 byte-order mark\): save it as UTF-8 CSV$/);
    expect(() => parseCsv(utf16.subarray(2), { name: 'u.csv' })).toThrow(/^u.csv holds a zero byte at 1: a binary file, not a CSV table \(or UTF-16 text: save it as UTF-8 CSV\)$/);
    expect(() => parse('a,b,y\r1,2,0\r3,4,1\r')).toThrow(/^t.csv, line 1 holds a carriage return \(\\r\) inside it: lines must end in \\n or \\r\\n \(this file seems to end its lines in \\r alone/);
  });
  it('a model\'s feature count is checked on the first line, before the rest is read', () => {
    // line 2 would be refused as a bad line: the refusal on line 1 shows nothing after it was read
    expect(() => parse('a,b,c,y\n1,2,3,p\nbroken\n', { expectFeatures: 4 })).toThrow(/^t.csv has 3 feature columns \(4 on line 1, the label in column 4\); the model takes 4$/);
    expect(() => parse('1,2,3,4,5,6\nbroken\n', { features: 4 })).toThrow(/^t.csv has 5 feature columns \(6 on line 1, the label in column 6\); the model takes 4$/);
    expect(() => parse('x\n1,2\nbroken\n', { expectFeatures: 1 })).toThrow(/line 1 has 1 column/);
    expect(parse('a,b,y\n1,2,p\n', { expectFeatures: 2 }).sampleShape).toEqual([2]);
    // with a named label column the header's own position counts
    expect(() => parse('y,a\np,1\n', { expectFeatures: 2, labelColumn: 'y' })).toThrow(/^t.csv has 1 feature column \(2 on line 1, the label in column 1\); the model takes 2$/);
    // a test table held to its training table's columns names that table, not the model
    expect(() => parse('a,y\n1,p\nbroken\n', { expectFeatures: 2, sameAs: 'train.csv' }))
      .toThrow(/^t.csv has 1 feature column \(2 on line 1, the label in column 2\) but train.csv has 2: the two tables must have the same columns$/);
  });
  it('a model\'s feature count: a file with exactly that many columns has no labels (rows to predict)', () => {
    const rows = parse('1,2\n3,4\n', { features: 2 });
    expect(rows.labelled).toBe(false);
    expect(rows.labelName).toBeNull();
    expect(Array.from(rows.inputs)).toEqual([1, 2, 3, 4]);
    expect(parse('1,2,a\n3,4,b\n', { features: 2 }).labelled).toBe(true);
  });
});

describe('standardisation of a table', () => {
  it('standardize takes the mean and spread of the reference only; applyStandardization applies them', () => {
    // training features (1, 10), (3, 30): mean (2, 20), population spread (1, 10); a constant feature gets spread 1
    const train = { inputs: Float32Array.from([1, 10, 3, 30]), labels: Int32Array.from([0, 1]), sampleShape: [2], classes: 2 };
    const test = { inputs: Float32Array.from([5, 20]), labels: Int32Array.from([0]), sampleShape: [2], classes: 2 };
    const stats = standardize(train, train, test);
    expect(stats).toEqual({ mean: [2, 20], std: [1, 10] });
    expect(Array.from(train.inputs)).toEqual([-1, -1, 1, 1]);
    expect(Array.from(test.inputs)).toEqual([3, 0]); // (5 − 2) / 1, (20 − 20) / 10: the test part never moves the statistics
    const more = Float32Array.from([2, 40]);
    applyStandardization(more, stats);
    expect(Array.from(more)).toEqual([0, 2]);
    expect(() => applyStandardization(Float32Array.from([1, 2, 3]), stats)).toThrow(/2 means and 2 spreads for 3 values/);
  });
  it('csvInputOf reads a model file\'s table record and refuses a damaged one', () => {
    const record = { source: 'csv', features: ['a', 'b'], label: 'y', mean: [1, 2], std: [1, 0.5] };
    expect(csvInputOf(record, 2)).toEqual(record);
    expect(csvInputOf({ source: 'folder' }, 2)).toBeNull();
    expect(csvInputOf(undefined, 2)).toBeNull();
    expect(() => csvInputOf({ ...record, std: [1, 0] }, 2, 'm.json')).toThrow(/^m.json: its table record \(training.input\) is damaged/);
    expect(() => csvInputOf({ ...record, mean: [1, null] }, 2)).toThrow(/damaged/);
    expect(() => csvInputOf(record, 3)).toThrow(/expected 3 finite means/);
  });
});

describe('the playground\'s points (data/planar.ts): the same header rule', () => {
  it('one header line at most: a second line of words is a bad line, not another header', async () => {
    const { parsePointsCsv } = await import('../../core/data/planar.js');
    const classes = { labels: 'classes', classes: 2 } as const;
    expect(parsePointsCsv('x,y,label\n1,2,1\n', classes)).toEqual([{ x: 1, y: 2, label: 1 }]);
    expect(() => parsePointsCsv('x,y,label\nx,y,label\n1,2,1\n', classes)).toThrow(/CSV line 2: x "x" is not a number/);
  });
});

describe('firstCsvCells: what the page lists for choosing the label column', () => {
  it('gives the first line\'s cells as parseCsv splits them (quotes, BOM, CRLF, blank lines before), numbered as --label-column counts', () => {
    const text = irisCsv();
    expect(firstCsvCells(text)).toEqual(['sepal.length', 'sepal.width', 'petal.length', 'petal.width', 'variety']);
    expect(firstCsvCells(`\ufeff\r\n\n${text}`)).toEqual(['sepal.length', 'sepal.width', 'petal.length', 'petal.width', 'variety']);
    const row = irisCsv({ header: false, quoted: false }).split('\r\n')[0];
    expect(firstCsvCells(irisCsv({ header: false }))).toEqual(row.split(','));
    // the column a student picks from this list is the one parseCsv takes as the label
    const table3 = 'width,kind,height\n1.5,0,2\n2.5,1,3\n3.5,0,1\n';
    const cells = firstCsvCells(table3), picked = cells.indexOf('kind') + 1;
    const table = parseCsv(new TextEncoder().encode(table3), { labelColumn: picked });
    expect(picked).toBe(2);
    expect(table.labelName).toBe('kind');
    expect(table.featureNames).toEqual(['width', 'height']);
    expect(Array.from(table.inputs)).toEqual([1.5, 2, 2.5, 3, 3.5, 1]);
  });
  it('refuses a first line past CSV_LIMITS.lineChars and an unclosed quote, naming the file', () => {
    expect(() => firstCsvCells('1,'.repeat(CSV_LIMITS.lineChars), 'wide.csv')).toThrow(/^wide\.csv, line 1 is longer than 65,536 characters/);
    expect(() => firstCsvCells('"a,b\n1,2', 'open.csv')).toThrow(/^open\.csv, line 1, column 1: a quoted cell is not closed on its line/);
  });
});
