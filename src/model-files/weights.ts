// The weightsManifest and the weight shards beside model.json: validating the manifest and its
// paths, and the shards' sizes — each group's shards must hold exactly the bytes its weights need,
// checked on the files' sizes before a byte is read. Reading the shards: ./disk.ts (Node, confined
// to the model's folder as below) and ./in-memory.ts (only the files the user gave).
//
// Confinement: a model.json downloaded from the internet must not make nn-doctor read another of
// the user's files (its bytes would become weights and show in a report). A weight path is taken
// as TF.js' loaders take it, relative to model.json and URL-encoded, and both its written and its
// decoded form must be a plain relative path: no absolute path, no `..`, no backslash, no hidden
// (dot) file or folder, no NUL. Its real path (symlinks resolved) must lie inside the real path of
// model.json's folder, and it must be a regular file (no FIFO, device, folder). Error messages
// never give another file's size or content.
import type * as tf from '@tensorflow/tfjs';
import { own } from '../core/own.ts';
import { type Fail, fmtLimit, isObject, type Json } from './common.ts';
import { MODEL_LIMITS } from './limits.ts';

export interface ManifestGroup {
  paths: string[];
  weights: tf.io.WeightsManifestEntry[];
}

const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, complex64: 8 };
const QUANTIZED_BYTES: Record<string, number> = { uint8: 1, uint16: 2, float16: 2 };

export function readManifest(json: Json, fail: Fail): ManifestGroup[] {
  const manifest = json.weightsManifest;
  if (manifest === undefined) throw fail("no weightsManifest (the model's weight files are not listed)");
  if (!Array.isArray(manifest)) throw fail('malformed weightsManifest (expected an array)');
  const groups = manifest.map((g, i) => {
    if (!isObject(g) || !Array.isArray(g.paths) || !Array.isArray(g.weights)) {
      throw fail(`malformed weightsManifest (group ${i + 1} needs 'paths' and 'weights' arrays)`);
    }
    if (!g.paths.every((p) => typeof p === 'string')) {
      throw fail(`malformed weightsManifest (group ${i + 1}: paths must be strings)`);
    }
    for (const w of g.weights) {
      if (
        !isObject(w) ||
        typeof w.name !== 'string' ||
        !Array.isArray(w.shape) ||
        !w.shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0) ||
        typeof w.dtype !== 'string'
      ) {
        throw fail(`malformed weightsManifest (group ${i + 1}: ${JSON.stringify(w).slice(0, 80)})`);
      }
      if (w.quantization !== undefined && !isObject(w.quantization))
        throw fail(`malformed weightsManifest (weight '${w.name}': quantization must be an object)`);
    }
    return { paths: g.paths as string[], weights: g.weights as tf.io.WeightsManifestEntry[] };
  });
  checkDeclaredSizes(groups, fail);
  return groups;
}

/** Bytes a weight takes in a shard. String weights are refused: a Layers model has none. */
export function weightBytes(w: tf.io.WeightsManifestEntry, fail: Fail): number {
  const size = w.shape.reduce((a, b) => a * b, 1);
  if (w.quantization) {
    const q = own(QUANTIZED_BYTES, w.quantization.dtype);
    if (!q) throw fail(`weight '${w.name}' has unknown quantization dtype '${w.quantization.dtype}'`);
    return size * q;
  }
  if (w.dtype === 'string') {
    throw fail(
      `weight '${w.name}' has dtype string; a TF.js Layers model's weights are numeric (float32, int32, bool)`,
    );
  }
  const b = own(DTYPE_BYTES, w.dtype);
  if (!b) throw fail(`weight '${w.name}' has unknown dtype '${w.dtype}'`);
  return size * b;
}

/** The manifest's declared sizes against the limits, before any file is opened. */
function checkDeclaredSizes(groups: ManifestGroup[], fail: Fail): void {
  let bytes = 0;
  let params = 0;
  for (const g of groups) {
    for (const w of g.weights) {
      bytes += weightBytes(w, fail);
      if (w.group !== 'optimizer') params += w.shape.reduce((a, b) => a * b, 1);
    }
  }
  if (bytes > MODEL_LIMITS.maxWeightBytes) {
    throw fail(
      `weightsManifest declares ${bytes} bytes of weights; the limit is ${fmtLimit(MODEL_LIMITS.maxWeightBytes)} bytes`,
    );
  }
  if (params > MODEL_LIMITS.maxParams) {
    throw fail(
      `weightsManifest declares ${params} model parameters; the limit is ${fmtLimit(MODEL_LIMITS.maxParams)}`,
    );
  }
}

/** Why a weight path is not a plain relative path inside the model's folder, or null when it is. */
export function unsafePathReason(p: string): string | null {
  if (p === '') return 'is empty';
  if (p.includes('\0')) return 'contains a NUL byte';
  if (p.includes('\\')) return 'contains a backslash';
  if (p.startsWith('/') || /^[A-Za-z]:/.test(p)) return 'is an absolute path';
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(p)) return 'is a URL';
  const parts = p.split('/');
  if (parts.includes('..')) return "leads out of the model's folder (..)";
  if (parts.some((s) => s.startsWith('.') && s !== '.')) return 'names a hidden file or folder';
  return null;
}

/**
 * The forms a manifest's weight path may name a file by (as written, and URL-decoded: TF.js'
 * loaders take it as a URL relative to model.json), each a plain relative path, or a UsageError.
 */
export function weightPathForms(name: string, fail: Fail): string[] {
  const forms = [name];
  try {
    const decoded = decodeURIComponent(name);
    if (decoded !== name) forms.push(decoded);
  } catch {
    // not URI-encoded
  }
  // The decoded form first: `..%2F` is a `../` to TF.js' URL-based loaders.
  for (const form of [...forms].reverse()) {
    const why = unsafePathReason(form);
    if (why)
      throw fail(
        `weight path '${name}' (in weightsManifest) ${why}; weight files must lie in the model's folder`,
      );
  }
  return forms;
}

/** A group's shards must hold exactly the bytes its weights need: checked on sizes, before reading. */
export function checkGroupBytes(g: ManifestGroup, sizes: number[], fail: Fail): number {
  const have = sizes.reduce((a, s) => a + s, 0);
  const need = g.weights.reduce((a, w) => a + weightBytes(w, fail), 0);
  if (have !== need) {
    const files = g.paths.join(', ') || '(no files)';
    const one = g.paths.length === 1;
    throw fail(
      `weight file${one ? '' : 's'} ${files} hold${one ? 's' : ''} ${have < need ? 'fewer' : 'more'} bytes ` +
        `than weightsManifest expects (${need} bytes for ${g.weights.length} weights)`,
    );
  }
  return need;
}
