// The weightsManifest and the weight shards beside model.json: validating the manifest, reading the
// shards, and checking each group's shards hold exactly the bytes its weights need.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { type Fail, firstLine, isObject, type Json } from './common.ts';

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
  return manifest.map((g, i) => {
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
        !w.shape.every((d) => Number.isInteger(d) && (d as number) >= 0) ||
        typeof w.dtype !== 'string'
      ) {
        throw fail(`malformed weightsManifest (group ${i + 1}: ${JSON.stringify(w).slice(0, 80)})`);
      }
    }
    return { paths: g.paths as string[], weights: g.weights as tf.io.WeightsManifestEntry[] };
  });
}

/** Bytes a weight takes in a shard, or null when it cannot be known from the manifest (strings). */
function weightBytes(w: tf.io.WeightsManifestEntry, fail: Fail): number | null {
  const size = w.shape.reduce((a, b) => a * b, 1);
  if (w.quantization) {
    const q = QUANTIZED_BYTES[w.quantization.dtype];
    if (!q) throw fail(`weight '${w.name}' has unknown quantization dtype '${w.quantization.dtype}'`);
    return size * q;
  }
  if (w.dtype === 'string') return null;
  const b = DTYPE_BYTES[w.dtype];
  if (!b) throw fail(`weight '${w.name}' has unknown dtype '${w.dtype}'`);
  return size * b;
}

function readShard(dir: string, name: string, fail: Fail): Uint8Array {
  const candidates = [name];
  try {
    const decoded = decodeURIComponent(name);
    if (decoded !== name) candidates.push(decoded);
  } catch {
    // not URI-encoded
  }
  for (const c of candidates) {
    try {
      return readFileSync(resolve(dir, c));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') throw fail(`cannot read weight file ${name} (${firstLine(err)})`);
    }
  }
  throw fail(`weight file ${name} (listed in weightsManifest) not found beside model.json`);
}

/** Reads every group's shards into one buffer, in manifest order, with the specs that describe it. */
export function readWeights(
  dir: string,
  groups: ManifestGroup[],
  fail: Fail,
): { specs: tf.io.WeightsManifestEntry[]; data: ArrayBuffer } {
  const parts: Uint8Array[] = [];
  for (const g of groups) {
    const shards = g.paths.map((p) => readShard(dir, p, fail));
    const have = shards.reduce((a, s) => a + s.length, 0);
    const sizes = g.weights.map((w) => weightBytes(w, fail));
    if (sizes.every((s) => s !== null)) {
      const need = (sizes as number[]).reduce((a, b) => a + b, 0);
      if (have !== need) {
        const files = g.paths.join(', ') || '(no files)';
        throw fail(
          `weight file${g.paths.length === 1 ? '' : 's'} ${files} hold${g.paths.length === 1 ? 's' : ''} ${have} bytes ` +
            `but weightsManifest expects ${need} bytes (${g.weights.length} weights)`,
        );
      }
    }
    parts.push(...shards);
  }
  const total = parts.reduce((a, p) => a + p.length, 0);
  const data = new Uint8Array(total);
  let off = 0;
  for (const p of parts) {
    data.set(p, off);
    off += p.length;
  }
  return { specs: groups.flatMap((g) => g.weights), data: data.buffer };
}
