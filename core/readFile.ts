// core/readFile.ts (Node only): the one rule for reading a file the user names — a regular file only, up to a size
// cap — used by the data loaders (data/node.ts) and the model files (io/) alike, so it sits below both.
import { openSync, closeSync, readSync, fstatSync, constants } from 'node:fs';

/** A regular file's bytes, at most `maxBytes` of them. A FIFO, device, socket or folder is refused at once
 *  (opened without blocking, checked with fstat before any read); a larger file is refused before it is read. */
export function readRegularFile(path: string, maxBytes: number, what = 'file'): Uint8Array {
  let fd: number;
  try { fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0)); } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(code === 'ENOENT' ? `${what} ${path} does not exist` : `cannot read ${what} ${path}: ${(error as Error).message}`);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) {
      throw new Error(`${what} ${path} is ${kindOf(stat)}, not a regular file`);
    }
    const limit = `more than the limit of ${maxBytes} bytes (${(maxBytes / 1048576).toFixed(0)} MiB)`;
    if (stat.size > maxBytes) throw new Error(`${what} ${path} is ${stat.size} bytes, ${limit}`);
    // read to the end, one byte past the size fstat gave: a file that holds more (still being written, or a
    // pseudo-file such as /proc/self/status, whose size says 0) is refused, never returned cut short
    const buffer = Buffer.allocUnsafe(stat.size + 1);
    let length = 0;
    while (length < buffer.length) {
      const got = readSync(fd, buffer, length, buffer.length - length, null);
      if (got === 0) break;
      length += got;
    }
    if (length > stat.size) {
      throw new Error(`${what} ${path} holds more than the ${stat.size} bytes its size says (a file still being written, or not a file on disk): convlab reads only files at rest`);
    }
    return buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

/** What a non-regular file is, in words ('a folder', 'a pipe', 'a device', …). */
/** What a path that is not a regular file is, in words. */
/** The file kinds a Stats answers (written out, so the package's public types need no Node typings). */
type FileKinds = Record<'isDirectory' | 'isFIFO' | 'isCharacterDevice' | 'isBlockDevice' | 'isSocket' | 'isSymbolicLink', () => boolean>;
export function kindOf(stat: FileKinds): string {
  return stat.isDirectory() ? 'a folder' : stat.isFIFO() ? 'a pipe' : stat.isCharacterDevice() || stat.isBlockDevice() ? 'a device'
    : stat.isSocket() ? 'a socket' : stat.isSymbolicLink() ? 'a symbolic link' : 'not a regular file';
}
