// bench/splitcalls.ts: operations split across both cores (kernel threads), one thread against two, quiet or with a load
// generator on the other core, for before/after comparisons of core/parallel/kernelThreads.ts.
//   node --import tsx bench/splitcalls.ts [rounds] [--load=0.3] [--what=conv,convres,cnn,mlp,gemm] [--chunk=W] [--base=DIR]
// Each round measures every workload on one thread, then on two (kernel threads started for the round and closed after),
// so the two are interleaved. conv: the bench's conv-fwd (the cnn's two convolutions on a batch of 64, conv3dInto, the mean
// of 20 calls after 2), GFLOP/s, with each convolution's own figure (conv.A = 64×1×28×28 * 8×1×5×5, conv.B = 64×8×12×12 *
// 16×8×5×5); convres: the same convolutions as a conv layer runs them (conv3dForwardKernel on resident arrays: input,
// kernels and output in the kernels' memory, nothing copied in or out); cnn / mlp: predict over the 2,000 test digits (chunks of 256), samples/s, the mean of 5
// calls after 2 (the bench takes the mean too); gemm: 1024³ 'NN', GFLOP/s, the mean of 5 calls.
// --base=DIR: another checkout of convlab (e.g. `git archive` of an earlier commit, with its wasmBinary.ts built) loaded
// into the same process; every round then measures both, alternating (before/after on the same machine moment).
// --load=D: a child process busy for D of every 10 ms (sleeping the rest) for the whole run: another process taking a
// core part of the time, as on this shared machine. --chunk=W: chunks of about W multiply-adds (setChunkWork).
// Prints each figure per round, the two-thread ÷ one-thread ratios, and their median and minimum.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const option = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const rounds = Number(args.find((a) => /^\d+$/.test(a)) ?? 3);
const load = Number(option('load') ?? 0);
const what = (option('what') ?? 'conv,convres,cnn,mlp,gemm').split(',');
if (!(load >= 0 && load < 1)) throw new RangeError(`splitcalls: --load must be in [0, 1), got ${load}`);

function mean(run: () => void, calls: number, warmup = 2): number {
  for (let i = 0; i < warmup; i++) run();
  const start = performance.now();
  for (let i = 0; i < calls; i++) run();
  return (performance.now() - start) / 1000 / calls;
}

/** One checkout's workloads: its own modules (kernels, models, threads), the same data and seeds. */
async function build(root: string) {
  const url = (path: string) => pathToFileURL(resolve(root, path)).href;
  const node = await import(url('core/node.ts')), kernels = await import(url('core/kernels/wasm.ts'));
  const chunk = option('chunk');
  if (chunk && kernels.setChunkWork) kernels.setChunkWork(Number(chunk));
  const random = node.seeded(3);
  const rand = (shape: number[]) => node.fromData(Float32Array.from({ length: shape.reduce((a, b) => a * b) }, () => random.uniform(-1, 1)), shape);
  const resident = (data: Float32Array) => { const r = kernels.residentArray(data.length); r.set(data); return r; };
  const convCases = [{ x: rand([64, 1, 28, 28]), w: rand([8, 1, 5, 5]) }, { x: rand([64, 8, 12, 12]), w: rand([16, 8, 5, 5]) }].map(({ x, w }) => {
    const y = node.conv3d(x, w), [N, K, Ho, Wo] = y.shape, [, C, kh, kw] = w.shape;
    return { x, w, y, N, K, Ho, Wo, C, kh, kw, g: node.conv3dGeometry('splitcalls', x, w, {}), xr: resident(x.data), wr: resident(w.data), yr: resident(y.data) };
  });
  const { test } = node.loadDigits();
  const digits = node.fromData(test.inputs, [test.labels.length, 1, 28, 28]);
  const models = { cnn: node.createPreset('cnn', { seed: 1 }), mlp: node.createPreset('mlp', { seed: 1 }) };
  const n = 1024, a = Float32Array.from({ length: n * n }, () => random.uniform(-1, 1)), b = a.slice().reverse(), c = new Float32Array(n * n);
  const measure = (): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const name of ['conv', 'convres'] as const) {
      if (!what.includes(name)) continue;
      let flops = 0, time = 0;
      for (const [i, c] of convCases.entries()) {
        const f = 2 * c.N * c.K * c.C * c.kh * c.kw * c.Ho * c.Wo;
        const t = name === 'conv' ? mean(() => node.conv3dInto(c.y, c.x, c.w), 20)
          : mean(() => node.conv3dForwardKernel(c.yr, c.xr, c.wr, null, c.g), 20);
        out[`${name}.${'AB'[i]}`] = f / t / 1e9;
        flops += f; time += t;
      }
      out[name] = flops / time / 1e9;
    }
    for (const name of ['cnn', 'mlp'] as const) {
      if (what.includes(name)) out[name] = test.labels.length / mean(() => models[name].predict(digits), 5);
    }
    if (what.includes('gemm')) out.gemm = (2 * n ** 3) / mean(() => kernels.wasmGemm('NN', n, n, n, a, 0, b, 0, c, 0, false), 5, 1) / 1e9;
    return out;
  };
  return { measure, startKernelThreads: node.startKernelThreads as () => Promise<{ close(): void }> };
}

async function main(): Promise<void> {
  const here = resolve(new URL('..', import.meta.url).pathname), base = option('base');
  const builds = [{ name: 'this', ...(await build(here)) }, ...(base ? [{ name: 'base', ...(await build(base)) }] : [])];
  const burner = load > 0 ? spawn(process.execPath, ['-e',
    `const busy = ${10 * load}; for (;;) { const t = performance.now(); while (performance.now() - t < busy); ` +
    `Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ${10 - 10 * load}); }`], { stdio: 'ignore' }) : null;
  try {
    // figures[build][threads - 1][workload] per round
    const figures = builds.map(() => [{}, {}] as Record<string, number[]>[]);
    for (let r = 0; r < rounds; r++) {
      for (const [i, b] of (r % 2 ? [...builds.entries()].reverse() : [...builds.entries()])) {
        for (const threads of [1, 2] as const) {
          const split = threads === 2 ? await b.startKernelThreads() : null;
          try {
            for (const [k, v] of Object.entries(b.measure())) (figures[i][threads - 1][k] ??= []).push(v);
          } finally { split?.close(); }
        }
      }
    }
    const show = (v: number) => (v >= 1000 ? Math.round(v).toString() : v.toFixed(1));
    const median = (v: number[]) => { const s = [...v].sort((x, y) => x - y); return (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2; };
    console.log(`splitcalls: ${rounds} rounds${load ? `, load ${load}` : ''}${option('chunk') ? `, chunks of ${option('chunk')}` : ''}`);
    for (const [i, b] of builds.entries()) {
      for (const k of Object.keys(figures[i][0])) {
        const [one, two] = figures[i].map((f) => f[k]), ratios = two.map((v, j) => v / one[j]);
        console.log(`${b.name} ${k.padEnd(9)} 1 thread ${one.map(show).join(' ')} (median ${show(median(one))}) | 2 threads ${two.map(show).join(' ')} ` +
          `(median ${show(median(two))}) | 2/1 ${ratios.map((v) => v.toFixed(2)).join(' ')} (median ${median(ratios).toFixed(2)}, min ${Math.min(...ratios).toFixed(2)})`);
      }
    }
  } finally { burner?.kill(); }
}

await main();
