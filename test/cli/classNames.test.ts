// Class names come from the user's files (folder names, stored in the model file): eval and predict print them
// with terminal control characters escaped, as every other name from a file (core/printable.ts). Before: a class
// folder named "a\x1b[31mred" coloured eval's and predict's terminal.
import { describe, it, expect, afterAll } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { PNG } from 'pngjs';

const bin = join(import.meta.dirname, '..', '..', 'bin', 'convlab.js');
const run = (...args: string[]) => spawnSync('node', [bin, ...args], { encoding: 'utf8' });
const folder = mkdtempSync(join(tmpdir(), 'convlab-names-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function png(value: number): Buffer {
  const p = new PNG({ width: 28, height: 28 });
  p.data.fill(value);
  for (let i = 3; i < p.data.length; i += 4) p.data[i] = 255;
  return PNG.sync.write(p);
}

describe('class names from a folder reach the terminal escaped', () => {
  it('eval and predict print "a\\x1b[31mred", never the escape itself; prototype names (__proto__, constructor) are plain classes', () => {
    const data = join(folder, 'pictures');
    for (const name of ['__proto__', 'constructor', 'a\u001b[31mred\u001b[0m']) {
      mkdirSync(join(data, name), { recursive: true });
      for (let i = 0; i < 5; i++) writeFileSync(join(data, name, `${i}.png`), png(i * 50));
    }
    const model = join(folder, 'model.json');
    const trained = run('train', '--model', 'lab-mlp-relu', '--data', `folder:${data}`, '--epochs', '1', '--out', model);
    expect(trained.status, trained.stderr).toBe(0);
    const evaluated = run('eval', '--model', model, '--data', `folder:${data}`);
    expect(evaluated.status, evaluated.stderr).toBe(0);
    writeFileSync(join(folder, 'one.png'), png(200));
    const predicted = run('predict', '--model', model, join(folder, 'one.png'));
    expect(predicted.status, predicted.stderr).toBe(0);
    for (const out of [trained.stdout + trained.stderr, evaluated.stdout, predicted.stdout]) expect(out).not.toContain('\u001b');
    expect(evaluated.stdout).toMatch(/a\\x1b\[31mred\\x1b\[0m +\d/);
    expect(evaluated.stdout).toMatch(/__proto__ +\d/);
    expect(predicted.stdout).toMatch(/a\\x1b\[31mred\\x1b\[0m █*/);
  });
});
