// Model files on disk (Node): finding model.json, recognizing a file by its first bytes, reading a
// Keras file whole, and the weight shards beside model.json, confined to its folder: a weight path
// must be a plain relative path (./weights.ts), its real path (symlinks resolved) must lie inside
// the real path of model.json's folder, and it must be a regular file (no FIFO, device, folder).
// Error messages never give another file's size or content.
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { UsageError } from '../core/errors.ts';
import { readExactly, readRegularFile } from '../data/read-file.ts';
import { type Fail, firstLine, type Json } from './common.ts';
import { MAX_MODEL_FILE_BYTES, type ModelFileKind, modelKindOf } from './formats.ts';
import { MODEL_LIMITS } from './limits.ts';
import { parseModelJson } from './model-json.ts';
import { checkGroupBytes, type ManifestGroup, weightPathForms } from './weights.ts';

/** What a model file is, from its first bytes (./formats.ts); a FIFO or device is refused unread. */
export function sniffModelFile(file: string, fail: Fail): ModelFileKind {
  const head = new Uint8Array(8);
  let fd: number | undefined;
  try {
    // O_NONBLOCK: a FIFO with no writer must not hang the open (it is refused below).
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
    if (!fstatSync(fd).isFile()) throw fail('is not a regular file (a FIFO, device or socket); give a file');
    readSync(fd, head, 0, 8, 0);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw fail(code === 'EACCES' ? 'permission denied' : `cannot read the file (${firstLine(err)})`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  return modelKindOf(head);
}

/** Reads a whole Keras file after checking its size. */
export function readModelBytes(file: string, fail: Fail): Uint8Array {
  return readRegularFile(file, MAX_MODEL_FILE_BYTES, fail);
}

/** Resolves the path to model.json (a directory holding one is accepted) or throws. */
export function resolveModelJson(path: string, fail: Fail): string {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw fail(code === 'ENOENT' ? 'file not found' : `cannot read the file (${firstLine(err)})`);
  }
  if (!st.isDirectory()) return resolve(path);
  const inside = join(path, 'model.json');
  try {
    if (statSync(inside).isFile()) return resolve(inside);
  } catch {
    // fall through
  }
  throw fail('is a directory without a model.json; pass the model.json file');
}

/** Reads model.json (a regular file, within the size limit) as a JSON object with a modelTopology, or throws. */
export function readModelJson(file: string, fail: Fail): Json {
  return parseModelJson(readRegularFile(file, MODEL_LIMITS.maxModelJsonBytes, fail), fail);
}

function realDir(dir: string, fail: Fail): string {
  try {
    return realpathSync(dir);
  } catch (err) {
    throw fail(`cannot read the model's folder (${firstLine(err)})`);
  }
}

/**
 * The real path of a shard the manifest lists, confined to the model's folder (see ./weights.ts), or a UsageError. `realRoot` is the real path of model.json's folder.
 */
export function resolveShard(realRoot: string, name: string, fail: Fail): string {
  for (const form of weightPathForms(name, fail)) {
    let real: string;
    try {
      real = realpathSync(resolve(realRoot, form));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw fail(`cannot read weight file ${name} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    const rel = relative(realRoot, real);
    if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || rel.startsWith(sep))
      throw fail(`weight path '${name}' (in weightsManifest) is a link that leads out of the model's folder`);
    return real;
  }
  throw fail(`weight file ${name} (listed in weightsManifest) not found beside model.json`);
}

/** The files a model.json's manifest lists, confined; for checking outputs against the inputs. */
export function shardPaths(dir: string, groups: ManifestGroup[], fail: Fail): string[] {
  const root = realDir(dir, fail);
  return groups.flatMap((g) => g.paths.map((p) => resolveShard(root, p, fail)));
}

interface OpenShard {
  fd: number;
  size: number;
}

function openShard(path: string, name: string, fail: Fail): OpenShard {
  let fd: number;
  try {
    // O_NOFOLLOW: `path` is a real path; a symlink appearing there since is not followed.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  } catch (err) {
    throw fail(`cannot read weight file ${name} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const st = fstatSync(fd);
  if (!st.isFile()) {
    closeSync(fd);
    throw fail(`weight file ${name} is not a regular file (a folder, FIFO or device)`);
  }
  return { fd, size: st.size };
}

/** Reads every group's shards into one buffer, in manifest order, with the specs that describe it. */
export function readWeights(
  dir: string,
  groups: ManifestGroup[],
  fail: Fail,
): { specs: tf.io.WeightsManifestEntry[]; data: ArrayBuffer } {
  const root = realDir(dir, fail);
  const opened: OpenShard[][] = [];
  try {
    // Every shard is opened and its size compared with the manifest before any is read.
    let total = 0;
    for (const g of groups) {
      const shards: OpenShard[] = [];
      opened.push(shards);
      for (const p of g.paths) shards.push(openShard(resolveShard(root, p, fail), p, fail));
      total += checkGroupBytes(
        g,
        shards.map((s) => s.size),
        fail,
      );
    }
    const data = new Uint8Array(total);
    let off = 0;
    groups.forEach((g, gi) => {
      opened[gi].forEach((s, i) => {
        readExactly(s.fd, s.size, (problem) => fail(`weight file ${g.paths[i]}: ${problem}`), data, off);
        off += s.size;
      });
    });
    return { specs: groups.flatMap((g) => g.weights), data: data.buffer };
  } finally {
    for (const s of opened.flat()) closeSync(s.fd);
  }
}
