// bench/torch.ts: PyTorch (CPU) as a peer, through bench/torch_peer.py in a child process. Where `import torch`
// fails, every PyTorch figure is a message saying how to install it; the rest of the bench runs as before.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const TORCH_INSTALL = 'PyTorch not found: `apt-get install -y python3-torch libopenblas0-pthread` (Debian) or `pip install torch`';

let python: string | null | undefined;
/** The Python that has torch (Debian's python3-torch lives in /usr/bin/python3, which another python3 may shadow). */
export function torchPython(): string | null {
  if (python !== undefined) return python;
  python = null;
  for (const candidate of ['python3', '/usr/bin/python3']) {
    if (spawnSync(candidate, ['-c', 'import torch'], { stdio: 'ignore', env: torchEnv() }).status === 0) { python = candidate; break; }
  }
  return python;
}

/** The environment PyTorch runs in: this machine's OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE settings are for numpy's
 *  OpenBLAS elsewhere and slow torch's down, so they are unset for the child only. */
function torchEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE; delete env.OPENBLAS_L2_SIZE;
  return env;
}

export type TorchJob = { id: string; kind: 'net' | 'conv' | 'gemm' | 'accuracy' } & Record<string, unknown>;
export type TorchResults = Record<string, Record<string, unknown>>;

/** Run `jobs` in one PyTorch process on `threads` threads; a string says why there are no figures. */
export function runTorch(jobs: TorchJob[], threads: number): TorchResults | string {
  const py = torchPython();
  if (!py) return TORCH_INSTALL;
  const dir = mkdtempSync(join(tmpdir(), 'convlab-torch-'));
  try {
    const specFile = join(dir, 'spec.json');
    writeFileSync(specFile, JSON.stringify({ threads, jobs }));
    const script = fileURLToPath(new URL('./torch_peer.py', import.meta.url));
    const result = spawnSync(py, [script, specFile], { encoding: 'utf8', env: torchEnv(), maxBuffer: 1 << 24 });
    if (result.status !== 0) return `PyTorch failed: ${result.stderr.trim().split('\n').pop()?.slice(0, 80)}`;
    return JSON.parse(result.stdout.trim().split('\n').pop()!) as TorchResults;
  } finally { rmSync(dir, { recursive: true, force: true }); }
}

/** A temporary folder for data files handed to PyTorch; removed by the returned function. */
export function scratch(): { dir: string; write(name: string, data: ArrayBufferView): string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'convlab-torch-data-'));
  return {
    dir,
    write(name, data) { const file = join(dir, name); writeFileSync(file, new Uint8Array(data.buffer, data.byteOffset, data.byteLength)); return file; },
    remove() { rmSync(dir, { recursive: true, force: true }); },
  };
}
