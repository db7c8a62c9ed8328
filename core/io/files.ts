// core/io/files.ts (Node only): reading and writing files safely. Reads accept regular files only, up to a size
// cap; a write goes to an exclusively created temporary file, fsynced, renamed over the target, then the folder fsynced.
// A write replaces only what is its own to replace: nothing, or a regular file. A folder, FIFO, device, socket or a
// symbolic link at the target is refused (a link is never followed nor replaced: give the file's own path).
import { openSync, closeSync, writeSync, fsyncSync, lstatSync, statSync, renameSync, rmSync, readdirSync, readlinkSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { kindOf } from '../readFile.js';

export { readRegularFile } from '../readFile.js';


/**
 * Throw a clear error unless `path` is absent or a regular file: the only things a save may replace. The rule for
 * symbolic links: refused, whatever they point to (following one would write where the link's owner chose, and
 * replacing it would destroy the link); the message names the link's target so the user can give that path.
 * Checked with lstat, so nothing at the path is opened, followed or blocked on.
 */
export function checkTarget(path: string, what = 'output file'): void {
  let stat: Stats;
  try { stat = lstatSync(path); } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new Error(`${what} ${path} cannot be checked: ${(error as Error).message}`);
  }
  if (stat.isFile()) return;
  if (stat.isSymbolicLink()) {
    let target = '?';
    try { target = readlinkSync(path); } catch { /* raced away; still refused */ }
    throw new Error(`${what} ${path} is a symbolic link (to ${target}); convlab replaces only regular files, so give the file's own path`);
  }
  throw new Error(`${what} ${path} is ${kindOf(stat)}; give a file name`);
}

/** Temporary files of ours: `.NAME.PID-RANDOM.tmp` beside NAME. */
function temporaryPattern(name: string): RegExp {
  return new RegExp(`^\\.${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(\\d+)-[0-9a-f]{12}\\.tmp$`);
}

/** Write `data` to `path` atomically and durably: an exclusively created temporary file (never an existing file or a
 *  planted link), written, fsynced, renamed over `path`, then the folder fsynced so the rename survives a crash.
 *  Only an absent path or a regular file is replaced (checkTarget, before writing and again just before the rename).
 *  Temporary files of ours left by dead processes (kill -9, power loss) are removed first. */
export function writeFileAtomic(path: string, data: string | Uint8Array, what = 'output file'): void {
  checkTarget(path, what);
  const folder = dirname(path), name = basename(path);
  removeStaleTemporaries(folder, name);
  const temporary = join(folder, `.${name}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(temporary, 'wx', 0o644); // O_CREAT | O_EXCL: fails on anything already there, links included
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at, bytes.length - at);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temporary, { force: true });
    throw error;
  }
  closeSync(fd);
  try { checkTarget(path, what); renameSync(temporary, path); } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
  fsyncFolder(folder);
}

/** Throw a clear error unless a file can be written at `path` (its folder exists, is writable, and `path` is absent or
 *  a regular file, checkTarget): checked by creating and removing a temporary file there, so a read-only file system
 *  is caught too. */
export function checkWritable(path: string, what = 'output file'): void {
  const folder = dirname(path);
  let folderStat;
  try { folderStat = statSync(folder); } catch {
    throw new Error(`${what} ${path}: the folder ${folder} does not exist`);
  }
  if (!folderStat.isDirectory()) throw new Error(`${what} ${path}: ${folder} is not a folder`);
  checkTarget(path, what);
  const probe = join(folder, `.${basename(path)}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
  try { closeSync(openSync(probe, 'wx', 0o644)); } catch (error) {
    throw new Error(`${what} ${path} cannot be written: ${(error as Error).message}`);
  }
  rmSync(probe, { force: true });
}

function removeStaleTemporaries(folder: string, name: string): void {
  const pattern = temporaryPattern(name);
  let entries: string[];
  try { entries = readdirSync(folder); } catch { return; }
  for (const entry of entries) {
    const match = pattern.exec(entry);
    if (!match || processAlive(Number(match[1]))) continue;
    try { if (lstatSync(join(folder, entry)).isFile()) rmSync(join(folder, entry), { force: true }); } catch { /* gone already */ }
  }
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try { process.kill(pid, 0); return true; } catch (error) { return (error as NodeJS.ErrnoException).code === 'EPERM'; }
}

function fsyncFolder(folder: string): void {
  let fd: number;
  try { fd = openSync(folder, 'r'); } catch { return; } // some platforms cannot open a folder; the rename is done
  try { fsyncSync(fd); } catch { /* EINVAL/EISDIR where folders cannot be fsynced */ } finally { closeSync(fd); }
}
