// Recognizing what a model file is: Keras HDF5 / .keras (loaded by keras/load-keras.ts), or JSON,
// and JSON that is not a Layers model.json (graph models, bare Keras configs), so the error says
// what the file is.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { UsageError } from '../core/errors.ts';
import { readRegularFile } from '../data/read-file.ts';
import { type Fail, firstLine, isObject, type Json } from './common.ts';

export type ModelFileKind = 'hdf5' | 'zip' | 'json';

/** Largest model file read into memory (a Keras file is read whole; HDF5 needs random access). */
export const MAX_MODEL_FILE_BYTES = 1024 * 1024 * 1024;

/**
 * What a model file is, from its first bytes, not its name (`.keras` files saved by TF 2.10/2.11
 * are HDF5): HDF5 (Keras `.h5` / old `.keras`), zip (Keras 3 `.keras`), or anything else (read as
 * model.json).
 */
export function sniffModelFile(file: string, fail: Fail): ModelFileKind {
  let head: Buffer;
  let fd: number | undefined;
  try {
    // O_NONBLOCK: a FIFO with no writer must not hang the open (it is refused below).
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
    if (!fstatSync(fd).isFile()) throw fail('is not a regular file (a FIFO, device or socket); give a file');
    head = Buffer.alloc(8);
    readSync(fd, head, 0, 8, 0);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw fail(code === 'EACCES' ? 'permission denied' : `cannot read the file (${firstLine(err)})`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  if (head.subarray(0, 8).equals(Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'hdf5';
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return 'zip';
  return 'json';
}

/** Reads a whole Keras file after checking its size. */
export function readModelBytes(file: string, fail: Fail): Uint8Array {
  return readRegularFile(file, MAX_MODEL_FILE_BYTES, fail);
}

/** Throws when parsed JSON is a graph model, or a Keras model config without weights. */
export function rejectOtherModelJson(json: Json, fail: Fail): void {
  const topology = json.modelTopology;
  if (json.format === 'graph-model' || (isObject(topology) && 'node' in topology)) {
    throw fail(
      'is a TF.js graph model (converted from a SavedModel); nn-doctor needs a Layers model (model.save / Keras converter)',
    );
  }
  if (!isObject(topology) && 'class_name' in json && 'config' in json) {
    throw fail(
      'holds only a Keras model config (model.to_json()), no weights; pass the file model.save() wrote (.keras or .h5)',
    );
  }
}
