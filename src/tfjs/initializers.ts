// Initializers for the clones the checkup builds.
//
// TF.js's Orthogonal initializer (the default recurrent kernel of LSTM and GRU) runs a QR
// decomposition as hundreds of small tensor ops: measured here on wasm, 2.6 s for an LSTM of 128
// units, 22 s for 256, 122 s for 512 — per build. A clone that receives the user's weights has no
// use for initial values at all, and a re-initialized clone gets its orthogonal matrices from the
// same construction in plain JavaScript (below: 4 s for 512 units, 29 s for 1,024).
import { createRng, gaussian } from '../core/random.ts';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A copy of a topology (pythonic keys) with every initializer replaced by zeros. */
export function zeroInitializers(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(zeroInitializers);
  if (!isObject(v)) return v;
  return Object.fromEntries(
    Object.entries(v).map(([k, x]) => [
      k,
      k.endsWith('_initializer') && x != null ? { class_name: 'Zeros', config: {} } : zeroInitializers(x),
    ]),
  );
}

/** An Orthogonal initializer taken out of a topology, to be applied after the build. */
export interface OrthogonalSpec {
  /** Name of the layer whose config held it (a wrapped layer's own name, e.g. `lstm_1`). */
  layer: string;
  /** Name of the weight it initializes: `kernel`, `recurrent_kernel`, `embeddings`, … */
  weight: string;
  gain: number;
  seed: number;
}

/** `recurrent_initializer` → `recurrent_kernel`; `kernel_initializer` → `kernel`. */
function weightOf(key: string): string {
  const base = key.replace(/_initializer$/, '');
  return ['recurrent', 'depthwise', 'pointwise'].includes(base) ? `${base}_kernel` : base;
}

/**
 * Replaces every Orthogonal initializer of a topology (in place) by zeros and returns what it
 * replaced, so that `orthogonalValues` can fill those weights after a fast build. `seedOf` gives
 * the seed of an initializer that has none.
 */
export function takeOrthogonalInitializers(node: unknown, seedOf: () => number): OrthogonalSpec[] {
  const found: OrthogonalSpec[] = [];
  const walk = (v: unknown, layer: string | null) => {
    if (Array.isArray(v)) {
      for (const item of v) walk(item, layer);
      return;
    }
    if (!isObject(v)) return;
    const config = isObject(v.config) ? v.config : null;
    const here =
      typeof v.class_name === 'string' && config && typeof config.name === 'string' ? config.name : layer;
    for (const [key, value] of Object.entries(v)) {
      if (key.endsWith('_initializer') && isObject(value) && value.class_name === 'Orthogonal' && here) {
        const cfg = isObject(value.config) ? value.config : {};
        found.push({
          layer: here,
          weight: weightOf(key),
          gain: typeof cfg.gain === 'number' ? cfg.gain : 1,
          seed: typeof cfg.seed === 'number' ? cfg.seed : seedOf(),
        });
        v[key] = { class_name: 'Zeros', config: {} };
      } else walk(value, here);
    }
  };
  walk(node, null);
  return found;
}

/** Whether a variable's name (`bidirectional/forward_lstm_1/recurrent_kernel`) is `spec`'s weight. */
export function isWeightOf(variableName: string, spec: OrthogonalSpec): boolean {
  const parts = variableName.split('/');
  if (parts[parts.length - 1].replace(/_\d+$/, '') !== spec.weight) return false;
  return parts
    .slice(0, -1)
    .some((p) => p === spec.layer || p === `forward_${spec.layer}` || p === `backward_${spec.layer}`);
}

/**
 * A random orthogonal matrix of `shape` (the last axis against all the others flattened), as
 * TF.js's and Keras's Orthogonal initializer make it: a Gaussian matrix in its tall orientation
 * [n, k] with orthonormalized columns (Gram–Schmidt, twice per column, in float64 — QR's Q with a
 * positive diagonal of R: the same Haar-distributed result), transposed back when wide, times `gain`.
 * Plain loops over contiguous columns: measured faster here than blocking the projections into
 * matrix products on the wasm backend.
 */
export function orthogonalValues(shape: number[], gain: number, seed: number): Float32Array {
  const cols = shape[shape.length - 1];
  const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1);
  const n = Math.max(rows, cols); // length of each column of the tall matrix
  const k = Math.min(rows, cols); // its number of columns
  const rng = createRng(seed);
  const q = new Float64Array(n * k); // column-major: column j is q[j*n .. j*n+n)
  for (let i = 0; i < q.length; i++) q[i] = gaussian(rng);
  for (let j = 0; j < k; j++) {
    const v = j * n;
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i < j; i++) {
        const u = i * n;
        let dot = 0;
        for (let t = 0; t < n; t++) dot += q[u + t] * q[v + t];
        for (let t = 0; t < n; t++) q[v + t] -= dot * q[u + t];
      }
    }
    let norm = 0;
    for (let t = 0; t < n; t++) norm += q[v + t] * q[v + t];
    norm = Math.sqrt(norm);
    for (let t = 0; t < n; t++) q[v + t] /= norm;
  }
  // Row-major [rows, cols]: tall (rows ≥ cols) → element (r, c) is column c at r; wide → transposed.
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) out[r * cols + c] = gain * (rows >= cols ? q[c * n + r] : q[r * n + c]);
  return out;
}
