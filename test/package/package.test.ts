// The npm package as a user gets it: `npm pack`, installed into an empty project with no network (its dependencies
// packed from this repository's node_modules, an empty npm cache), then imported as ESM with types and run as a CLI.
// Needs dist/ (npm run build:lib, which `npm test` runs first).
import { describe, it, expect, beforeAll } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, readdirSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';

const repository = new URL('../..', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'convlab-package-'));
const project = join(work, 'project');
const npm = (args: string[], cwd: string) => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
let packed: string[] = [];

beforeAll(() => {
  expect(existsSync(join(repository, 'dist/core/index.js')), 'dist/ is missing: run npm run build:lib').toBe(true);
  const tarball = join(work, npm(['pack', '--ignore-scripts', '--silent', '--pack-destination', work], repository).trim().split('\n').pop()!);
  packed = JSON.parse(npm(['pack', '--ignore-scripts', '--dry-run', '--json'], repository))[0].files.map((f: { path: string }) => f.path);
  // the production dependency tree, packed from node_modules: the install below cannot reach a registry
  const dependencies = npm(['ls', '--omit=dev', '--all', '--parseable'], repository).trim().split('\n').slice(1);
  mkdirSync(join(work, 'deps'));
  npm(['pack', '--ignore-scripts', '--silent', '--pack-destination', join(work, 'deps'), ...new Set(dependencies)], repository);
  // a dependency's own copy of another version (node_modules/A/node_modules/B) is given to A through an override;
  // the rest are installed at the top
  const tarballOf = (path: string) => {
    const { name, version } = JSON.parse(readFileSync(join(path, 'package.json'), 'utf8'));
    return `${name.replace(/^@/, '').replace('/', '-')}-${version}.tgz`;
  };
  const overrides: Record<string, Record<string, string>> = {};
  const nestedTarballs = new Set<string>();
  for (const path of new Set(dependencies)) {
    const nested = /node_modules\/((?:@[^/]+\/)?[^/]+)\/node_modules\/((?:@[^/]+\/)?[^/]+)$/.exec(path);
    if (!nested) continue;
    const file = tarballOf(path);
    nestedTarballs.add(file);
    (overrides[nested[1]] ??= {})[nested[2]] = `file:${join(work, 'deps', file)}`;
  }
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'uses-convlab', version: '1.0.0', private: true, type: 'module', overrides }));
  npm(['install', '--offline', '--no-audit', '--no-fund', '--cache', join(work, 'cache'), tarball,
    ...readdirSync(join(work, 'deps')).filter((f) => !nestedTarballs.has(f)).map((f) => join(work, 'deps', f))], project);
}, 300_000);

describe('the npm package from its tarball', () => {
  it('holds the built library, the CLI and the sources, and no tests or app', () => {
    expect(packed).toContain('dist/core/index.js');
    expect(packed).toContain('dist/core/index.d.ts');
    expect(packed).toContain('dist/core/node.d.ts');
    expect(packed).toContain('bin/convlab.js');
    expect(packed.filter((p) => /^(test|viz|exercises|bench)\//.test(p))).toEqual([]);
  });

  it('imports convlab and convlab/node as ESM and runs them', () => {
    writeFileSync(join(project, 'run.mjs'), `
      import { createPreset, modelToOnnx, modelFromOnnx, modelToTfjs, fromData } from 'convlab';
      import { loadDigits, loadModel, saveTfjs } from 'convlab/node';
      const model = createPreset('cnn', { seed: 2 });
      const back = modelFromOnnx(modelToOnnx(model));
      const { test } = loadDigits();
      const x = fromData(test.inputs.slice(0, 784 * 3), [3, 1, 28, 28]);
      const same = Array.from(model.predict(x).data).every((p, i) => p === back.predict(x).data[i]);
      const written = saveTfjs('tf', back);
      const loaded = loadModel(written.modelJson);
      console.log(JSON.stringify({ digits: test.labels.length, same, format: loaded.format, layers: modelToTfjs(loaded.model).modelJson.modelTopology.config.layers.length }));
    `);
    const out = JSON.parse(execFileSync('node', ['run.mjs'], { cwd: project, encoding: 'utf8' }).trim());
    expect(out).toEqual({ digits: 2000, same: true, format: 'tfjs', layers: 9 });
  });

  it('type-checks a TypeScript user of both entry points (tsc, strict, NodeNext)', () => {
    writeFileSync(join(project, 'check.ts'), `
      import { createPreset, modelToOnnx, modelFromFiles, type Sequential, type Tensor, type LoadedModel } from 'convlab';
      import { loadDigits, loadModel, saveOnnx } from 'convlab/node';
      const model: Sequential = createPreset('mlp', { seed: 2 });
      const bytes: Uint8Array = modelToOnnx(model);
      const opened: LoadedModel = modelFromFiles([{ name: 'm.onnx', bytes }]);
      const { test } = loadDigits();
      const labels: Int32Array = test.labels;
      const shape: number[] = (opened.model.params()[0].value as Tensor).shape;
      saveOnnx('m.onnx', model);
      export const summary: string = loadModel('m.onnx').model.summary() + labels.length + shape.length;
      // @ts-expect-error: a layer config needs its fields
      createPreset('mlp').configs.push({ type: 'dense' });
    `);
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, noEmit: true, types: [] }, files: ['check.ts'] }));
    const tsc = join(repository, 'node_modules/typescript/bin/tsc');
    const result = spawnSync('node', [tsc, '-p', '.'], { cwd: project, encoding: 'utf8' });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('runs `npx convlab train --epochs 1` and exports the result', () => {
    const trained = spawnSync('npx', ['--offline', 'convlab', 'train', '--model', 'mlp', '--epochs', '1', '--json', '--out', 'mlp.json'], { cwd: project, encoding: 'utf8' });
    expect(trained.status, trained.stderr).toBe(0);
    const result = JSON.parse(trained.stdout.trim().split('\n').pop()!);
    expect(result).toMatchObject({ model: 'mlp', epochs: 1 });
    expect(result.testAccuracy).toBeGreaterThan(0.8);
    const exported = spawnSync('npx', ['--offline', 'convlab', 'export', '--model', 'mlp.json', '--format', 'onnx', '--out', 'mlp.onnx'], { cwd: project, encoding: 'utf8' });
    expect(exported.status, exported.stderr).toBe(0);
    const evaluated = spawnSync('npx', ['--offline', 'convlab', 'eval', '--model', 'mlp.onnx', '--json'], { cwd: project, encoding: 'utf8' });
    expect(JSON.parse(evaluated.stdout.trim().split('\n').pop()!).testAccuracy).toBe(result.testAccuracy);
  });
});

describe('the root entry point stays browser-safe', () => {
  it('imports no Node module, directly or through convlab\'s own files', () => {
    const seen = new Set<string>(), nodeImports: string[] = [];
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const [, spec] of readFileSync(file, 'utf8').matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]/g)) {
        if (spec.startsWith('.')) visit(join(dirname(file), spec));
        else if (spec.startsWith('node:') || ['fs', 'path', 'os', 'child_process', 'worker_threads', 'module', 'url'].includes(spec)) nodeImports.push(`${file}: ${spec}`);
      }
    };
    visit(join(repository, 'dist/core/index.js'));
    expect(seen.size).toBeGreaterThan(20);
    expect(nodeImports).toEqual([]);
  });
});
