// The CLI at its edges, run as processes: hostile files are refused fast and in bounded memory (measured on the
// child with /usr/bin/time -v), signals and kill -9 never lose or corrupt --out, and bad flags are refused.
import { describe, it, expect, beforeAll } from 'vitest';
import { spawnSync, spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readdirSync, copyFileSync, readFileSync, mkdirSync, existsSync, lstatSync, symlinkSync, rmSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { loadDigits, saveModel, loadModel } from '../../core/node.js';
import { createPreset, modelToJSON, seeded } from '../../core/index.js';
import { craftPng } from '../io/png.js';
import { emptyNodes, sharedInitializer } from '../io/onnxHostileFiles.js';

const bin = new URL('../../bin/convlab.js', import.meta.url).pathname;
const directory = mkdtempSync(join(tmpdir(), 'convlab-hard-'));
const temporaries = (folder = directory) => readdirSync(folder).filter((f) => f.endsWith('.tmp'));

/** Run the CLI under /usr/bin/time -v: exit status, output, and the child's peak RSS (MB) and wall time (s). */
function measured(...args: string[]) {
  const result = spawnSync('/usr/bin/time', ['-v', 'node', bin, ...args], { encoding: 'utf8', timeout: 60_000 });
  const [childErr, report = ''] = result.stderr.split(/\tCommand being timed:/);
  const stderr = childErr.replace(/Command (exited with non-zero status \d+|terminated by signal \d+)\s*$/, '');
  const rss = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(report)?.[1]) / 1024;
  const [, m, s] = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:\d+:)?(\d+):([\d.]+)/.exec(report) ?? [];
  return { status: result.status, stdout: result.stdout, stderr: stderr.trim(), rssMB: rss, seconds: Number(m) * 60 + Number(s) };
}

let previous = '';   // a trained model file: every signal test starts from it and must never lose it
let previousText = '';
beforeAll(() => {
  previous = join(directory, 'previous.json');
  saveModel(previous, createPreset('mlp', { seed: 9 }), { note: 'the previous model' });
  previousText = readFileSync(previous, 'utf8');
  writeFileSync(join(directory, 'arch-pair.json'), JSON.stringify([{ type: 'dense', units: 2 }, { type: 'softmax' }]));
});

describe('hostile inputs are refused fast and in bounded memory (measured on the child)', () => {
  it('a 1-bit PNG declaring 20000×20000 (once 52 s and 3.2 GB)', () => {
    const bomb = join(directory, 'bomb.png');
    writeFileSync(bomb, craftPng(20000, 20000, 1, 0, 0, deflateSync(Buffer.alloc(2_000_000))));
    const r = measured('predict', '--model', previous, bomb);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^convlab predict: image .*bomb.png is 20000×20000 pixels; convlab reads images up to 4194304 pixels \(2048×2048\)/);
    expect(r.stderr.split('\n')).toHaveLength(1);
    expect(r.rssMB).toBeLessThan(300);
    expect(r.seconds).toBeLessThan(20);
  });
  it('an interlaced 28×28 PNG whose image data inflates to 300 MB (once 680 MB)', () => {
    const bomb = join(directory, 'interlaced.png');
    writeFileSync(bomb, craftPng(28, 28, 8, 6, 1, deflateSync(Buffer.alloc(300 * 1024 * 1024), { level: 9 })));
    const r = measured('predict', '--model', previous, bomb);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/inflates to more than the \d+ bytes a 28×28 PNG needs \(a decompression bomb\?\)$/);
    expect(r.rssMB).toBeLessThan(300);
  });
  it('a 150-byte model file declaring 10⁸ units (once 32 s and 2 GB)', () => {
    const tiny = join(directory, 'tiny.json');
    writeFileSync(tiny, JSON.stringify({ format: 'convlab-model', version: 1, inputShape: [784], layers: [{ type: 'dense', units: 100000000 }], weights: [] }));
    const r = measured('eval', '--model', tiny);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/describes an impossible network: .*more than the limit of 4194304$/);
    expect(r.rssMB).toBeLessThan(300);
  });
  it('a FIFO as --model does not hang; /dev/zero as --model or as the image is not read', () => {
    const fifo = join(directory, 'fifo.json');
    execFileSync('mkfifo', [fifo]);
    const r = measured('eval', '--model', fifo);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/model file .*fifo.json is a pipe, not a regular file/);
    expect(measured('eval', '--model', '/dev/zero').stderr).toMatch(/model file \/dev\/zero is a device, not a regular file/);
    const image = measured('predict', '--model', previous, '/dev/zero');
    expect(image.stderr).toMatch(/image \/dev\/zero is a device, not a regular file/);
    expect(image.rssMB).toBeLessThan(300);
  });
  it('a model with NaN weights is refused instead of predicting "-1 (NaN%)"', () => {
    const model = createPreset('mlp', { seed: 1 });
    model.params()[0].value.data.fill(NaN);
    const path = join(directory, 'nan.json');
    writeFileSync(path, modelToJSON(model));
    const r = measured('eval', '--model', path);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/holds a non-finite weight: layer 1 weights has NaN at index 0/);
  });
  it('a blank or fully transparent image says "no ink found" (once "1" at 19 %, exit 0)', () => {
    for (const [name, colour] of [['blank.png', 255], ['clear.png', 0]] as const) {
      const png = new PNG({ width: 40, height: 40 });
      png.data.fill(colour);
      const path = join(directory, name);
      writeFileSync(path, PNG.sync.write(png));
      const r = measured('predict', '--model', previous, path);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/^convlab predict: no ink found in .*\(a blank or uniform image: nothing to read\)$/);
    }
  });
});

describe('hostile model files from other tools: refused by counting, in seconds and bounded memory (measured on the child)', () => {
  it.each([
    // a 10 MiB file of empty nodes: once decoded whole, 16.5 s and 941 MB before the refusal; 60 MiB: out of memory after 232 s at 4.8 GB
    ['10 MiB of empty ONNX nodes', () => emptyNodes(10), /has 5242880 operations, more than the limit of 512$/],
    ['60 MiB of empty ONNX nodes', () => emptyNodes(60), /has 31457280 operations, more than the limit of 512$/],
    // one initializer read by 512 Gemm nodes: once copied per use, 27 s and 2.2 GB (1024²), "Array buffer allocation failed" at 5 GB (2048²)
    ['one 1024×1024 initializer read by 512 Gemm nodes (4.2 MB)', () => sharedInitializer(1024, 512), /declares more than the limit of 16777216 parameters$/],
    ['one 2048×2048 initializer read by 512 Gemm nodes (16.8 MB)', () => sharedInitializer(2048, 512), /declares more than the limit of 16777216 parameters$/],
  ])('%s', (_, make, message) => {
    const file = join(directory, 'hostile.onnx');
    writeFileSync(file, make());
    const r = measured('eval', '--model', file);
    rmSync(file);
    expect(r.status).toBe(1);
    expect(r.stderr.split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^convlab: model file .*hostile.onnx /);
    expect(r.stderr).toMatch(message);
    expect(r.rssMB).toBeLessThan(250);
    expect(r.seconds).toBeLessThan(10);
  });
  it('a 9.8 MB TF.js model.json naming 300,000 weight files: refused by count in one short line (once seconds and a multi-MB message)', () => {
    const folder = mkdtempSync(join(directory, 'manifest-'));
    saveModel(join(folder, 'small.json'), createPreset('mlp', { seed: 3 }));
    const exported = spawnSync('node', [bin, 'export', '--model', join(folder, 'small.json'), '--format', 'tfjs', '--out', join(folder, 'model.json')], { encoding: 'utf8' });
    expect(exported.status, exported.stderr).toBe(0);
    const json = JSON.parse(readFileSync(join(folder, 'model.json'), 'utf8'));
    json.weightsManifest[0].paths = Array.from({ length: 300_000 }, (_, i) => `group1-shard${i}of300000.bin`);
    writeFileSync(join(folder, 'model.json'), JSON.stringify(json));
    const r = measured('eval', '--model', join(folder, 'model.json'));
    rmSync(folder, { recursive: true });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^convlab: model file .*model.json: the weights manifest lists 300005 groups, files and weights, more than the limit of 1024$/);
    expect(r.stderr.length).toBeLessThan(300);
    expect(r.rssMB).toBeLessThan(250);
    expect(r.seconds).toBeLessThan(10);
  });
});

describe('hostile tables (--data csv:FILE) are refused fast, in one line naming the file, in bounded memory', () => {
  it('a 63 MB table of 4,095 feature columns for a 4-input model is refused on its first line (once read whole: 12 s and 484 MB)', () => {
    const file = join(directory, 'wide.csv'), line = `${'1,'.repeat(4095)}0\n`;
    writeFileSync(file, line.repeat(Math.floor((63 * 1048576) / line.length)));
    const r = measured('train', '--model', 'iris', '--data', `csv:${file}`, '--epochs', '1');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^convlab: --data csv: .*wide.csv has 4,095 feature columns \(4,096 on line 1, the label in column 4096\); the model takes 4$/);
    expect(r.rssMB).toBeLessThan(300);
    rmSync(file); // 63 MB: not left in the temporary folder
  });
  it('csv:TRAIN,TEST with a 63 MB test table of 4,095 feature columns is refused on the test table\'s first line (once read whole: 4.4 s and 484 MB)', () => {
    const train = join(directory, 'narrow-train.csv'), test = join(directory, 'wide-test.csv'), line = `${'1,'.repeat(4095)}0\n`;
    writeFileSync(train, 'a,b,y\n' + Array.from({ length: 20 }, (_, n) => `${n},${n % 3},${n % 2 ? 'p' : 'q'}`).join('\n') + '\n');
    writeFileSync(test, line.repeat(Math.floor((63 * 1048576) / line.length)));
    const out = join(directory, 'never-pair.json');
    const r = measured('train', '--model', join(directory, 'arch-pair.json'), '--data', `csv:${train},${test}`, '--epochs', '1', '--out', out);
    rmSync(test);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^convlab: --data csv: .*wide-test.csv has 4,095 feature columns \(4,096 on line 1, the label in column 4096\) but .*narrow-train.csv has 2: the two tables must have the same columns$/);
    expect(r.rssMB).toBeLessThan(300);
    expect(r.seconds).toBeLessThan(10);
    expect(existsSync(out)).toBe(false);
    // a pipe or a device as the test table: refused as the training table would be, before training
    const fifo = join(directory, 'fifo-test.csv');
    execFileSync('mkfifo', [fifo]);
    for (const [file, message] of [[fifo, /CSV file .*fifo-test.csv is a pipe, not a regular file$/], ['/dev/zero', /CSV file \/dev\/zero is a device, not a regular file$/]] as const) {
      const refused = measured('train', '--model', join(directory, 'arch-pair.json'), '--data', `csv:${train},${file}`, '--epochs', '1', '--out', out);
      expect(refused.status).toBe(1);
      expect(refused.stderr).toMatch(message);
      expect(refused.stdout).not.toMatch(/epoch 1/);
      expect(existsSync(out)).toBe(false);
    }
  });
  it('a table of 1,000,000 rows in 1,000 classes, one of them 500,000 rows, trains (once "Maximum call stack size exceeded"; once 262 s in the split)', () => {
    const file = join(directory, 'million.csv'), model = join(directory, 'thousand.json');
    writeFileSync(file, Array.from({ length: 1_000_000 }, (_, n) => `${n % 7},${n % 2 === 0 ? 'c0' : `c${1 + (n % 999)}`}`).join('\n'));
    writeFileSync(model, JSON.stringify([{ type: 'dense', units: 1000 }, { type: 'softmax' }]));
    const r = measured('train', '--model', model, '--data', `csv:${file}`, '--epochs', '1', '--limit', '10');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/10 training rows, 10 test .* label column column 2 with 1000 classes/);
    expect(r.rssMB).toBeLessThan(400);
    rmSync(file);
  });
  it('too few rows to split, one class, a pseudo-file, a FIFO, /dev/zero and a sparse 65 MiB file: one line each, nothing written', () => {
    const out = join(directory, 'never-table.json'), arch = join(directory, 'arch2.json');
    writeFileSync(arch, JSON.stringify([{ type: 'dense', units: 2 }, { type: 'softmax' }]));
    const table = (name: string, text: string) => { const file = join(directory, name); writeFileSync(file, text); return file; };
    const fifo = join(directory, 'fifo.csv'), sparse = join(directory, 'sparse.csv');
    execFileSync('mkfifo', [fifo]);
    writeFileSync(sparse, ''); execFileSync('truncate', ['-s', '65M', sparse]);
    const cases: [string, RegExp][] = [
      [table('two.csv', 'a,b,y\n1,2,p\n3,4,q\n'), /two.csv: 2 rows cannot be split 0.8\/0.2 per class \(a class keeps round\(0.2 × its samples\) for testing: 3 or more give one\)$/],
      [table('one-class.csv', 'a,b,y\n1,2,p\n3,4,p\n5,6,p\n'), /^convlab train: every training sample of --data csv:.*one-class.csv is of one class \(p\): a classifier needs at least 2 \(is the label column the right one\? --label-column NAME\|N\)$/],
      ['/proc/self/status', /CSV file \/proc\/self\/status holds more than the 0 bytes its size says \(a file still being written, or not a file on disk\)/],
      [fifo, /CSV file .*fifo.csv is a pipe, not a regular file$/],
      ['/dev/zero', /CSV file \/dev\/zero is a device, not a regular file$/],
      [sparse, /CSV file .*sparse.csv is 68157440 bytes, more than the limit of 67108864 bytes \(64 MiB\)$/],
    ];
    for (const [file, message] of cases) {
      const r = measured('train', '--model', arch, '--data', `csv:${file}`, '--epochs', '1', '--out', out);
      expect(r.status).toBe(1);
      expect(r.stderr.split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
      expect(r.rssMB).toBeLessThan(200);
      expect(existsSync(out)).toBe(false);
      expect(temporaries()).toEqual([]);
    }
  });
  it('predict --data prints class names from a table escaped (once the terminal acted on \\x1b[31m)', () => {
    const file = join(directory, 'colours.csv'), model = join(directory, 'colours.json'), arch = join(directory, 'arch-colours.json');
    writeFileSync(arch, JSON.stringify([{ type: 'dense', units: 2 }, { type: 'softmax' }]));
    writeFileSync(file, 'a,y\n' + Array.from({ length: 20 }, (_, n) => `${n % 2},${n % 2 ? 'plain' : '\u001b[31mred\u009b2J'}`).join('\n'));
    expect(measured('train', '--model', arch, '--data', `csv:${file}`, '--epochs', '1', '--out', model).status).toBe(0);
    const r = spawnSync('node', [bin, 'predict', '--model', model, '--data', `csv:${file}`, '--limit', '2'], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(r.stdout).toContain('\\x1b[31mred\\x9b2J');
  });
});

describe('train --out', () => {
  it('is checked before training: a missing folder, a folder, a read-only file system', () => {
    mkdirSync(join(directory, 'afolder'));
    for (const [out, message] of [[join(directory, 'absent', 'm.json'), /--out .*: the folder .*absent does not exist/],
      [join(directory, 'afolder'), /--out .*afolder is a folder; give a file name/], ['/proc/m.json', /--out \/proc\/m.json cannot be written/]] as const) {
      const r = measured('train', '--model', 'mlp', '--epochs', '1', '--out', out);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).not.toMatch(/epoch 1/);
      expect(r.seconds).toBeLessThan(10);
    }
  });
  it('--batch beyond the CLI limit is refused; within it a batch of 1024 stays under 500 MB on two threads', () => {
    const refused = measured('train', '--batch', '40000');
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/--batch must be an integer ≥ 1 and ≤ 1024, got '40000'/);
    const r = measured('train', '--model', 'cnn', '--epochs', '1', '--batch', '1024', '--threads', '2', '--json');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout.trim().split('\n').pop()!).threads).toBe(2);
    expect(r.rssMB).toBeLessThan(500);
  });
  it('a learning rate of 1e6 is reported as divergence: exit 3, --out unchanged (once "completed", exit 0)', () => {
    const out = join(directory, 'diverged.json');
    copyFileSync(previous, out);
    const r = measured('train', '--model', 'mlp', '--epochs', '2', '--lr', '1e6', '--optimizer', 'adam', '--out', out);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/training diverged at epoch 1: .*no model was written \(.*diverged.json is unchanged\)$/);
    expect(readFileSync(out, 'utf8')).toBe(previousText);
  });
});

/** Start `train --out` over a copy of the previous model; resolves when the child has printed `ready`. */
function startTraining(out: string, args: string[] = [], ready = /epoch 1\//) {
  copyFileSync(previous, out);
  const child = spawn('node', [bin, 'train', '--model', 'mlp', '--epochs', '30', '--out', out, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '', stderr = '';
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  const started = new Promise<void>((resolve) => child.stdout.on('data', (chunk) => { stdout += chunk; if (ready.test(stdout)) resolve(); }));
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  return { child, started, closed, output: () => ({ stdout, stderr }) };
}

describe('signals during train --out never lose or corrupt the model', () => {
  it.each([['SIGTERM', 143], ['SIGHUP', 129], ['SIGINT', 130]] as const)('%s stops after the current batch, writes --out, exits %i', async (signal, code) => {
    const out = join(directory, `${signal}.json`);
    const run = startTraining(out);
    await run.started;
    run.child.kill(signal);
    const { code: exit } = await run.closed;
    expect(exit).toBe(code);
    expect(run.output().stderr).toMatch(new RegExp(`${signal} received; stopping after the current batch and writing`));
    expect(run.output().stdout).toMatch(/interrupted; stopped after the current batch[\s\S]*model written to/);
    const { training } = loadModel(out);
    expect(training).toMatchObject({ stopped: 'cancelled' });
    expect(temporaries()).toEqual([]);
  });
  it('SIGINT ×15 (through evaluation and the save) still writes a whole --out and exits 130', async () => {
    const out = join(directory, 'many.json');
    const run = startTraining(out);
    await run.started;
    for (let i = 0; i < 15; i++) { run.child.kill('SIGINT'); await new Promise((r) => setTimeout(r, 40)); }
    const { code, signal } = await run.closed;
    // 130, or, when a later SIGINT lands while Node tears down after the save (its handlers are gone by then),
    // killed by SIGINT (a shell shows 130 too): either way only after the model was written
    if (code !== 130) {
      expect(signal).toBe('SIGINT');
      expect(run.output().stdout).toMatch(/model written to/);
    }
    expect(loadModel(out).training).toMatchObject({ stopped: 'cancelled' });
    expect(temporaries()).toEqual([]);
  });
  it('SIGTERM before training starts (while the digits load) still ends with a whole --out', async () => {
    const out = join(directory, 'early.json');
    const run = startTraining(out, [], /convlab train: mlp/);
    await run.started;
    run.child.kill('SIGTERM');
    expect((await run.closed).code).toBe(143);
    expect(loadModel(out).training).toMatchObject({ stopped: 'cancelled' });
  });
  it('kill -9 at random moments leaves the previous or the new model, whole; stale temporaries go with the next save', async () => {
    const random = seeded(11);
    const out = join(directory, 'killed.json');
    for (let trial = 0; trial < 6; trial++) {
      const run = startTraining(out, [], /convlab train/);
      await run.started;
      await new Promise((r) => setTimeout(r, random.uniform(0, 2500)));
      run.child.kill('SIGKILL');
      expect((await run.closed).signal).toBe('SIGKILL');
      const text = readFileSync(out, 'utf8');
      expect(text === previousText || loadModel(out).model.parameterCount === 79510).toBe(true);
      expect(loadModel(out).model.parameterCount).toBe(79510);
    }
    saveModel(join(directory, 'killed.json'), createPreset('mlp')); // removes any temporary a kill left mid-write
    expect(temporaries()).toEqual([]);
  });
});

describe('saves never destroy what is not theirs: --out and --history replace only nothing or a regular file', () => {
  /** A folder holding a FIFO, a device node of our own (like /dev/null: char 1,3), a link to a regular file and a folder. */
  function hostileTargets() {
    const folder = mkdtempSync(join(tmpdir(), 'convlab-targets-'));
    const at = { fifo: join(folder, 'fifo.json'), device: join(folder, 'null.json'), link: join(folder, 'link.json'), sub: join(folder, 'sub.json') };
    execFileSync('mkfifo', [at.fifo]);
    execFileSync('mknod', [at.device, 'c', '1', '3']);
    writeFileSync(join(folder, 'theirs.json'), 'theirs');
    symlinkSync(join(folder, 'theirs.json'), at.link);
    mkdirSync(at.sub);
    const unchanged = () => {
      expect(lstatSync(at.fifo).isFIFO()).toBe(true);
      expect(lstatSync(at.device).isCharacterDevice()).toBe(true);
      expect(lstatSync(at.link).isSymbolicLink()).toBe(true);
      expect(readFileSync(join(folder, 'theirs.json'), 'utf8')).toBe('theirs');
      expect(lstatSync(at.sub).isDirectory()).toBe(true);
      expect(readdirSync(folder).sort()).toEqual(['fifo.json', 'link.json', 'null.json', 'sub.json', 'theirs.json']);
    };
    return { folder, at, unchanged };
  }
  const refusals = [['fifo', /is a pipe; give a file name/], ['device', /is a device; give a file name/],
    ['link', /is a symbolic link \(to .*theirs.json\); convlab replaces only regular files/]] as const;
  it('train --out and --history: a FIFO, a device, a link are refused before training (once replaced, exit 0)', () => {
    const { at, unchanged } = hostileTargets();
    for (const [kind, message] of refusals) {
      for (const flag of ['--out', '--history']) {
        const r = measured('train', '--model', 'mlp', '--epochs', '1', '--limit', '100', flag, at[kind]);
        expect(r.status).toBe(1);
        expect(r.stderr).toMatch(new RegExp(`^convlab train: ${flag} .*${kind === 'device' ? 'null' : kind}.json ${message.source}`));
        expect(r.stdout).not.toMatch(/epoch 1/);
      }
    }
    unchanged();
  });
  it('export --out (onnx, tfjs and convlab): a FIFO, a device, a link are refused; nothing is written', () => {
    const { at, unchanged } = hostileTargets();
    for (const [kind, message] of refusals) {
      for (const format of ['onnx', 'tfjs', 'convlab']) {
        const r = spawnSync('node', [bin, 'export', '--model', previous, '--format', format, '--out', at[kind]], { encoding: 'utf8', timeout: 30_000 });
        expect(r.status).toBe(1);
        expect(r.stderr).toMatch(new RegExp(`^convlab: export: --out .*${message.source}`));
      }
    }
    unchanged();
  });
  it('--history in a folder that cannot be written (/proc) is refused before training (once: trained, then lost the model)', () => {
    const out = join(directory, 'history-proc.json');
    const r = measured('train', '--model', 'mlp', '--epochs', '1', '--limit', '100', '--out', out, '--history', '/proc/h.csv');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^convlab train: --history \/proc\/h.csv cannot be written/);
    expect(r.stdout).not.toMatch(/epoch 1/);
  });
  it('a --history that becomes a FIFO during training is refused, and the model is still saved (exit 1, not 0)', async () => {
    const out = join(directory, 'kept.json'), history = join(directory, 'planted.csv');
    const run = startTraining(out, ['--history', history]);
    await run.started;
    execFileSync('mkfifo', [history]);
    run.child.kill('SIGTERM');
    const { code } = await run.closed;
    expect(code).toBe(1);
    expect(run.output().stdout).toMatch(/model written to .*kept.json/);
    expect(run.output().stderr).toMatch(/convlab train: the history was not written: --history .*planted.csv is a pipe; give a file name \(the model is saved in .*kept.json\)/);
    expect(loadModel(out).training).toMatchObject({ stopped: 'cancelled' });
    expect(lstatSync(history).isFIFO()).toBe(true);
  });
  it('an --out that becomes a FIFO during training: the trained model is kept in the temporary folder, and the path said', async () => {
    const out = join(directory, 'turned.json');
    const run = startTraining(out);
    await run.started;
    execFileSync('rm', [out]); execFileSync('mkfifo', [out]);
    run.child.kill('SIGTERM');
    expect((await run.closed).code).toBe(1);
    const rescued = /the trained model is kept in (\S+\.json)/.exec(run.output().stderr)?.[1];
    expect(run.output().stderr).toMatch(/the model was not written: --out .*turned.json is a pipe; give a file name/);
    expect(loadModel(rescued!).model.parameterCount).toBe(79510);
    rmSync(rescued!);
    expect(lstatSync(out).isFIFO()).toBe(true);
  });
});

describe('--batch follows the model\'s memory per sample', () => {
  it('the lab CNN at --batch 1024 (once 1.69 GB) is refused before the data load, naming its cap', () => {
    const r = measured('train', '--model', 'lab-cnn', '--batch', '1024', '--epochs', '1');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^convlab train: --batch 1024 is too large for lab-cnn: its training buffers take about 2\.35 MB a sample, so at most --batch 217 \(512 MiB a batch\)$/);
    expect(r.stdout).toBe('');
    expect(r.rssMB).toBeLessThan(200);
  });
  it('at its cap the lab CNN trains a batch within the budget (measured on the child)', () => {
    const r = measured('train', '--model', 'lab-cnn', '--batch', '217', '--limit', '217', '--epochs', '1', '--threads', '1', '--json');
    expect(r.status).toBe(0);
    expect(r.rssMB).toBeLessThan(900);
  });
});

describe('names from files are shown, never acted on by the terminal', () => {
  it('an escape sequence in a layer type is printed as \\x1b (once written raw: it could clear the screen, retitle the window)', () => {
    const file = join(directory, 'escape.json');
    writeFileSync(file, JSON.stringify({ format: 'convlab-model', version: 1, inputShape: [784], weights: [],
      layers: [{ type: '\u001b]0;pwned\u0007\u001b[2Jevil\u202e' }] }));
    const r = spawnSync('node', [bin, 'eval', '--model', file], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
    expect(r.stderr).toContain('\\x1b]0;pwned\\x07\\x1b[2Jevil\\u202e');
  });
});

describe('command-line details', () => {
  it('no command prints the help to stderr and exits 2 (once 0)', () => {
    const r = spawnSync('node', [bin], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/Usage: convlab/);
  });
  it.each([
    [['--seed', ''], /--seed must be an integer ≥ 0, got ''/],
    [['--seed', '1e30'], /--seed must be an integer ≥ 0, got '1e30'/],
    [['--seed', '99999999999999999999'], /--seed must be an integer ≥ 0, got '99999999999999999999'/],
    [['--threads', '0x2'], /--threads must be 1 or 2, got '0x2'/],
    [['--epochs', '2.0'], /--epochs must be an integer ≥ 1 and ≤ 10000, got '2.0'/],
    [['--lr', '0x10'], /--lr must be a positive decimal number, got '0x10'/],
    [['--lr', 'Infinity'], /--lr must be a positive decimal number, got 'Infinity'/],
    [['--limit', '0x10'], /--limit must be an integer ≥ 1, got '0x10'/],        // once accepted as 16
    [['--limit', '1e3'], /--limit must be an integer ≥ 1, got '1e3'/],          // once accepted as 1000
    [['--limit', ' 20'], /--limit must be an integer ≥ 1, got ' 20'/],
  ])('train %j is refused', (flags, message) => {
    const r = spawnSync('node', [bin, 'train', ...flags], { encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });
  it('predict refuses a model of another input layout of the same size', () => {
    const path = join(directory, 'layout.json');
    saveModel(path, new (createPreset('mlp').constructor as typeof import('../../core/index.js').Sequential)({ inputShape: [28, 1, 28], layers: [{ type: 'flatten' }, { type: 'dense', units: 10 }] }));
    const { test } = loadDigits();
    const png = new PNG({ width: 28, height: 28 });
    for (let p = 0; p < 784; p++) { const v = Math.round(255 * test.inputs[p]); png.data.set([v, v, v, 255], p * 4); }
    writeFileSync(join(directory, 'digit.png'), PNG.sync.write(png));
    const r = spawnSync('node', [bin, 'predict', '--model', path, join(directory, 'digit.png')], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/the model takes \[28,1,28\]; an image can feed a 28×28 digit model/);
    expect(existsSync(path)).toBe(true);
  });
});
