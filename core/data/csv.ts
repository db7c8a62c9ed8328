// core/data/csv.ts: a table (the Week-3 lab's Iris CSV and the like) as a labelled data set, browser-safe (bytes in).
//   - Comma-separated, UTF-8 (a byte-order mark is dropped), lines ending in \n or \r\n; blank lines are skipped.
//     A cell may be quoted ("5.1", "Iris ""setosa""") as RFC 4180 writes it, but not across lines.
//   - At most one header line: the first line is a header when one of its feature cells is not a number (or when
//     the label column is given by name); from then on every feature cell must be a number, so a second line of
//     names is refused as a bad cell, naming its line and column.
//   - The label column is the last one unless named (a header name, or a column number counted from 1).
//   - Labels: when every label is a whole number 0, 1, 2, … those are the class ids; otherwise the distinct labels,
//     sorted by code point, are the class names and their positions the ids (Setosa 0, Versicolor 1, Virginica 2).
//   - Features are decimal numbers (digits, one point, an optional exponent); an empty cell, NaN, Infinity, a number
//     past float32's range or any other text is refused, naming the line, the column and the cell.
//   - Every size is checked as it is met, before anything large is allocated (CSV_LIMITS).
import { type Dataset, ownSplit, relabelByName, standardize, applyStandardization } from './dataset.js';

export const CSV_LIMITS = {
  /** Bytes of one file. */
  bytes: 64 * 1024 * 1024,
  /** Characters of one line. */
  lineChars: 65_536,
  /** Columns of one line. */
  columns: 4096,
  /** Data lines. */
  rows: 1_000_000,
  /** Distinct labels. */
  classes: 1000,
} as const;

export interface TableOptions {
  /** The file's name, for messages. */
  name?: string;
  /** The label column: a header name, or a column number counted from 1 (default: the last column). */
  labelColumn?: string | number;
  /** The number of features a model takes: a file with exactly that many columns has no labels (to predict); any
   *  other count of feature columns is refused on the first line. */
  features?: number;
  /** The number of features a model being trained takes: any other count is refused on the first line, before the
   *  rest of the file is read (the rows always carry labels). */
  expectFeatures?: number;
  /** With expectFeatures: the table whose feature count it is (a test table is held to its training table's columns on
   *  its first line, so a wide test table is not read on); the message then names that table instead of the model. */
  sameAs?: string;
}

export interface CsvTable extends Dataset {
  /** The header's cells, or null when the first line is data. */
  header: string[] | null;
  /** The feature columns' names (the header's, or 'column N'). */
  featureNames: string[];
  /** The label column's name (or 'column N'); null when the file has no labels (every label is then 0). */
  labelName: string | null;
  /** Whether the rows carry labels. */
  labelled: boolean;
  classNames: string[];
}

/** A decimal number as a table cell may write it: a sign, digits with one point, an optional exponent (no hex, no
 *  Infinity/NaN, no thousands separators). The playground's points (data/planar.ts) use it too. */
export const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const FLOAT32_MAX = 3.4028234663852886e38;

/** A cell for a message: at most 40 characters, on one line. */
const excerpt = (cell: string) => JSON.stringify(cell.length > 40 ? `${cell.slice(0, 40)}…` : cell);

/** The cells of one line: split at commas outside double quotes; quotes around a cell are removed, "" inside is ". */
export function splitCsvLine(line: string, where: string): string[] {
  const cells: string[] = [];
  let at = 0;
  for (;;) {
    if (cells.length >= CSV_LIMITS.columns) throw new RangeError(`${where} has more than ${CSV_LIMITS.columns} columns`);
    let start = at;
    while (line[start] === ' ' || line[start] === '\t') start++;
    if (line[start] === '"') {
      let cell = '', i = start + 1;
      for (;;) {
        const quote = line.indexOf('"', i);
        if (quote < 0) throw new RangeError(`${where}, column ${cells.length + 1}: a quoted cell is not closed on its line`);
        cell += line.slice(i, quote);
        if (line[quote + 1] === '"') { cell += '"'; i = quote + 2; continue; }
        i = quote + 1;
        break;
      }
      while (line[i] === ' ' || line[i] === '\t') i++;
      if (i < line.length && line[i] !== ',') throw new RangeError(`${where}, column ${cells.length + 1}: text after a quoted cell`);
      cells.push(cell);
      if (i >= line.length) return cells;
      at = i + 1;
    } else {
      const comma = line.indexOf(',', at);
      cells.push((comma < 0 ? line.slice(at) : line.slice(at, comma)).trim());
      if (comma < 0) return cells;
      at = comma + 1;
    }
  }
}

/** The cells of a table's first non-empty line (its header, or its first row), read from the start of the file: what a
 *  page lists for choosing the label column (`labelColumn`, counted from 1) before parseCsv reads the rest. At most
 *  CSV_LIMITS.lineChars characters are looked at. */
export function firstCsvCells(start: string, name = 'CSV file'): string[] {
  let text = start.charCodeAt(0) === 0xfeff ? start.slice(1) : start;
  text = text.replace(/^(\s*\n)+/, '');
  const end = text.indexOf('\n');
  if (end < 0 ? text.length > CSV_LIMITS.lineChars : end > CSV_LIMITS.lineChars) {
    throw new RangeError(`${name}, line 1 is longer than ${CSV_LIMITS.lineChars.toLocaleString('en')} characters: not a table of features, or not split into lines`);
  }
  const line = end < 0 ? text : text.slice(0, text[end - 1] === '\r' ? end - 1 : end);
  return splitCsvLine(line, `${name}, line 1`);
}

/** A feature cell as a number, or a RangeError naming the line, the column and the cell. */
function numberOf(cell: string, where: string): number {
  if (cell === '') throw new RangeError(`${where} is empty; every feature must be a number`);
  const value = DECIMAL.test(cell) ? Number(cell) : Number.NaN;
  if (!Number.isFinite(value)) throw new RangeError(`${where}: ${excerpt(cell)} is not a number (decimal digits, an optional point and exponent)`);
  if (Math.abs(value) > FLOAT32_MAX) throw new RangeError(`${where}: ${excerpt(cell)} is past the range of a 32-bit float (±3.4e38)`);
  return value;
}

const isNumber = (cell: string) => DECIMAL.test(cell) && Number.isFinite(Number(cell));

/** A CSV file's bytes → features [rows, features] as floats and one class id per row; see the top of this file. */
export function parseCsv(bytes: Uint8Array, options: TableOptions = {}): CsvTable {
  const name = options.name ?? 'CSV file';
  if (bytes.length > CSV_LIMITS.bytes) {
    throw new RangeError(`${name} is ${bytes.length.toLocaleString('en')} bytes, more than the limit of ${CSV_LIMITS.bytes.toLocaleString('en')} bytes (${CSV_LIMITS.bytes / 1048576} MiB)`);
  }
  const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  if (utf16) throw new RangeError(`${name} is UTF-16 text (it starts with a UTF-16 byte-order mark): save it as UTF-8 CSV`);
  if (bytes.indexOf(0) >= 0) {
    const at = bytes.indexOf(0);
    throw new RangeError(`${name} holds a zero byte at ${at}: a binary file, not a CSV table${at <= 1 ? ' (or UTF-16 text: save it as UTF-8 CSV)' : ''}`);
  }
  let text: string;
  try { text = new TextDecoder('utf-8', { fatal: true }).decode(bytes); } catch {
    throw new RangeError(`${name} is not UTF-8 text: save it as UTF-8 CSV`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // one pass over the lines: each is checked for length and cells, and its numbers kept, before the next is read
  // (only one line's cells exist at a time; the features grow in a buffer doubled as needed)
  let columns = -1, label = -1, features = 0, header: string[] | null = null, names: string[] = [], firstLine = 0;
  let inputs = new Float32Array(1024), rows = 0;
  const labelCells: string[] = [], lines: number[] = [];
  for (let start = 0, lineNo = 1; start < text.length; lineNo++) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    if (end - start > CSV_LIMITS.lineChars + 1) {
      throw new RangeError(`${name}, line ${lineNo} is longer than ${CSV_LIMITS.lineChars.toLocaleString('en')} characters: not a table of features, or not split into lines`);
    }
    const line = text.slice(start, text[end - 1] === '\r' ? end - 1 : end);
    start = end + 1;
    if (line.trim() === '') continue;
    const where = `${name}, line ${lineNo}`;
    if (line.includes('\r')) {
      throw new RangeError(`${where} holds a carriage return (\\r) inside it: lines must end in \\n or \\r\\n (this file seems to end its lines in \\r alone, ` +
        'as old Mac programs did: save it with Unix or Windows line ends)');
    }
    const cells = splitCsvLine(line, where);
    if (columns < 0) {
      // the first line decides the columns, the label column and whether it is a header
      columns = cells.length; firstLine = lineNo;
      if (columns < 2) {
        const other = [';', '\t'].find((c) => line.includes(c));
        throw new RangeError(`${where} has 1 column; a table needs at least one feature and a label, separated by commas` +
          (other ? ` (this file seems to use ${other === ';' ? 'semicolons' : 'tabs'}: save it with commas)` : ''));
      }
      const labelled = options.features === undefined || columns !== options.features;
      if (!labelled && options.labelColumn !== undefined) {
        throw new RangeError(`${name} has ${columns} columns, as many as the model's features: no room for the label column ${options.labelColumn}`);
      }
      label = labelled ? columns - 1 : -1;
      const named = typeof options.labelColumn === 'string' && !/^\d+$/.test(options.labelColumn);
      if (options.labelColumn !== undefined && !named) {
        const n = Number(options.labelColumn);
        if (!(Number.isInteger(n) && n >= 1 && n <= columns)) throw new RangeError(`${name}: label column ${options.labelColumn} does not exist; the table has columns 1 to ${columns}`);
        label = n - 1;
      }
      if (named) {
        label = cells.indexOf(options.labelColumn as string);
        if (label < 0) {
          throw new RangeError(`${name}: no column is named ${excerpt(options.labelColumn as string)}; the first line has ${cells.slice(0, 20).map(excerpt).join(', ')}${cells.length > 20 ? ', …' : ''}`);
        }
      }
      features = columns - (label >= 0 ? 1 : 0);
      const expected = options.expectFeatures ?? options.features;
      if (expected !== undefined && features !== expected) {
        throw new RangeError(`${name} has ${features.toLocaleString('en')} feature column${features === 1 ? '' : 's'} (${columns.toLocaleString('en')} on line ${lineNo}` +
          `${label >= 0 ? `, the label in column ${label + 1}` : ''})` + (options.sameAs !== undefined && options.expectFeatures !== undefined
            ? ` but ${options.sameAs} has ${expected.toLocaleString('en')}: the two tables must have the same columns` : `; the model takes ${expected.toLocaleString('en')}`));
      }
      if (named || cells.some((cell, i) => i !== label && !isNumber(cell))) {
        header = cells;
        names = cells.map((cell, i) => cell || `column ${i + 1}`);
        continue;
      }
      names = cells.map((_, i) => `column ${i + 1}`);
    } else if (cells.length !== columns) {
      throw new RangeError(`${where} has ${cells.length} columns, expected ${columns} as on line ${firstLine}`);
    }
    if (rows >= CSV_LIMITS.rows) throw new RangeError(`${name} has more than ${CSV_LIMITS.rows.toLocaleString('en')} lines of data`);
    if ((rows + 1) * features > inputs.length) {
      const grown = new Float32Array(Math.max(inputs.length * 2, (rows + 1) * features));
      grown.set(inputs); inputs = grown;
    }
    let f = 0;
    for (let c = 0; c < columns; c++) {
      if (c === label) { labelCells.push(cells[c]); continue; }
      inputs[rows * features + f++] = numberOf(cells[c], `${name}, line ${lineNo}, column ${c + 1} (${names[c]})`);
    }
    lines.push(lineNo);
    rows++;
  }
  if (columns < 0) throw new RangeError(`${name} is empty: no lines of data`);
  if (rows === 0) throw new RangeError(`${name} has a header line (${header!.slice(0, 5).map(excerpt).join(', ')}${header!.length > 5 ? ', …' : ''}) and no lines of data`);
  inputs = inputs.slice(0, rows * features);
  // labels: whole numbers are class ids, anything else a sorted list of names
  let classNames: string[], labels: Int32Array;
  if (label < 0) {
    classNames = [];
    labels = new Int32Array(rows);
  } else {
    const empty = labelCells.findIndex((cell) => cell === '');
    if (empty >= 0) throw new RangeError(`${name}, line ${lines[empty]}, column ${label + 1} (${names[label]}): the label is empty`);
    if (labelCells.every((cell) => /^\d+$/.test(cell))) {
      const ids = labelCells.map(Number), classes = ids.reduce((m, v) => Math.max(m, v), 0) + 1;
      if (classes > CSV_LIMITS.classes) {
        const at = ids.findIndex((v) => v >= CSV_LIMITS.classes);
        throw new RangeError(`${name}, line ${lines[at]}, column ${label + 1} (${names[label]}): label ${ids[at]}; class ids must be below ${CSV_LIMITS.classes}`);
      }
      classNames = Array.from({ length: classes }, (_, i) => String(i));
      labels = Int32Array.from(ids);
    } else {
      const distinct = new Set<string>();
      for (let r = 0; r < labelCells.length; r++) {
        distinct.add(labelCells[r]);
        if (distinct.size > CSV_LIMITS.classes) {
          throw new RangeError(`${name}, line ${lines[r]}, column ${label + 1} (${names[label]}): more than ${CSV_LIMITS.classes} distinct labels (is this the label column?)`);
        }
      }
      classNames = [...distinct].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      const id = new Map(classNames.map((n, i) => [n, i]));
      labels = Int32Array.from(labelCells, (cell) => id.get(cell)!);
    }
  }
  return {
    inputs, labels, sampleShape: [features], classes: Math.max(1, classNames.length), classNames,
    header, featureNames: names.filter((_, i) => i !== label), labelName: label >= 0 ? names[label] : null, labelled: label >= 0,
  };
}

/** What a model file stores of a table (training.input): the feature names, the label's, and the standardisation
 *  computed on the training part. */
export interface CsvInput { source: 'csv'; features: string[]; label: string | null; mean: number[]; std: number[] }

/** training.input of a model file, checked: a table's record whose mean and std fit `features` values, or null when
 *  the model was not trained on a table; a damaged record is a RangeError naming what is wrong. */
export function csvInputOf(input: unknown, features: number, name = 'the model file'): CsvInput | null {
  if (!input || typeof input !== 'object' || (input as { source?: unknown }).source !== 'csv') return null;
  const { mean, std, features: names } = input as Partial<CsvInput>;
  const numbers = (v: unknown, positive: boolean) => Array.isArray(v) && v.length === features && v.every((x) => typeof x === 'number' && Number.isFinite(x) && (!positive || x > 0));
  if (!numbers(mean, false) || !numbers(std, true) || !Array.isArray(names)) {
    throw new RangeError(`${name}: its table record (training.input) is damaged: expected ${features} finite means, ${features} positive spreads and the feature names`);
  }
  return input as CsvInput;
}

/** A table's training and test sets, standardised: `test` is the user's own test table (its feature columns those of
 *  `train`, by number and, when both have a header, by name; its labels matched to train's classes by name), or null
 *  for a seeded 80/20 split per class (ownSplit). The statistics are the training part's, or `stored` (a model
 *  trained on a table: eval and a continued training see the numbers it was trained on). Names are for messages. */
export function tableSets(train: CsvTable, test: CsvTable | null, names: { train: string; test?: string }, stored: CsvInput | null = null):
  { train: Dataset; test: Dataset; input: CsvInput } {
  const testName = names.test ?? 'the test table';
  if (test) {
    if (!test.labelled) throw new RangeError(`${testName} has no label column: a test table needs its labels, as ${names.train} has them`);
    const [f, g] = [train.sampleShape[0], test.sampleShape[0]];
    if (f !== g) throw new RangeError(`${testName} has ${g} feature column${g === 1 ? '' : 's'} but ${names.train} has ${f}: the two tables must have the same columns`);
    if (train.header && test.header) {
      const at = train.featureNames.findIndex((n, i) => n !== test.featureNames[i]);
      if (at >= 0) throw new RangeError(`${testName}: feature ${at + 1} is ${excerpt(test.featureNames[at])} but in ${names.train} it is ${excerpt(train.featureNames[at])}`);
      if (train.labelName !== test.labelName) throw new RangeError(`${testName}: its label column is ${excerpt(test.labelName ?? '')} but in ${names.train} it is ${excerpt(train.labelName ?? '')}`);
    }
  }
  const parts = ownSplit<Dataset>(train, test ? relabelByName<Dataset>(test, train.classNames, testName) : null, { name: names.train, what: 'row' });
  // the split's sets are copies (subset); the user's own tables are copied here, so standardising leaves them as parsed
  if (test) { parts.train = { ...parts.train, inputs: parts.train.inputs.slice() }; parts.test = { ...parts.test, inputs: parts.test.inputs.slice() }; }
  let statistics: { mean: number[]; std: number[] };
  if (stored) {
    statistics = { mean: stored.mean, std: stored.std };
    applyStandardization(parts.train.inputs, statistics); applyStandardization(parts.test.inputs, statistics);
  } else statistics = standardize(parts.train, parts.train, parts.test);
  return { ...parts, input: { source: 'csv', features: train.featureNames, label: train.labelName, mean: statistics.mean, std: statistics.std } };
}
