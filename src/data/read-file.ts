// Reading a user's file by path (Node only): read-only, regular files only, the size checked
// before reading a byte. The readers themselves work on bytes (browser-safe, ./common.ts).
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { firstLine, inputError, MAX_INPUT_FILE_BYTES } from './common.ts';

/**
 * Reads a user's file read-only, refusing what is not a regular file before reading a byte: a FIFO
 * (which would block forever), a device such as /dev/zero (which never ends), a socket. `maxBytes`
 * is checked against the file's size before reading. Missing files, folders and permissions give
 * a UsageError naming `where`.
 */
export function readInputFile(path: string, where: string, maxBytes = MAX_INPUT_FILE_BYTES): Uint8Array {
  return readRegularFile(path, maxBytes, (problem) => inputError(where, problem));
}

/** readInputFile with the error built by `problem` (model files name the file their own way). */
export function readRegularFile(
  path: string,
  maxBytes: number,
  problem: (what: string) => Error,
): Uint8Array {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting for one.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw problem('file not found');
    if (code === 'EISDIR') throw problem('is a directory, expected a file');
    if (code === 'EACCES' || code === 'EPERM') throw problem('permission denied');
    throw problem(`cannot read the file (${firstLine(err)})`);
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw problem('is a directory, expected a file');
    if (!st.isFile()) throw problem('is not a regular file (a FIFO, device or socket); give a file');
    if (st.size > maxBytes)
      throw problem(`is ${st.size} bytes; the limit for this input is ${maxBytes} bytes`);
    return readExactly(fd, st.size, problem);
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads `size` bytes from the start of `fd` into `target` at `offset` (a new buffer by default); a
 * file that shrinks meanwhile is an error. `problem` turns a problem into the error to throw.
 */
export function readExactly(
  fd: number,
  size: number,
  problem: (what: string) => Error,
  target: Uint8Array = new Uint8Array(size),
  offset = 0,
): Uint8Array {
  let done = 0;
  while (done < size) {
    let n: number;
    try {
      n = readSync(fd, target, offset + done, size - done, done);
    } catch (err) {
      throw problem(`cannot read the file (${firstLine(err)})`);
    }
    if (n === 0) throw problem('the file changed (got shorter) while being read');
    done += n;
  }
  return target;
}
