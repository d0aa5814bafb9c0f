/**
 * Test helpers: run the same computation on the cpu and wasm backends from identical data and
 * compare. Used by the *.test.ts files next to it only.
 */
import * as tf from '@tensorflow/tfjs';
import { createRng } from '../../core/random.ts';
import { selectBackend } from '../backend.ts';

/** Seeded uniform [0, 1): the project's one PRNG (mulberry32). */
export const rng = createRng;

/** `size` values uniform in [-1, 1) from `seed`. */
export function randomValues(size: number, seed: number): Float32Array {
  const next = rng(seed);
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = next() * 2 - 1;
  return out;
}

export type HostTensor = { values: Float32Array | Int32Array; shape: number[]; dtype: 'float32' | 'int32' };

export function host(
  values: Float32Array | Int32Array | number[],
  shape: number[],
  dtype: 'float32' | 'int32' = 'float32',
): HostTensor {
  const typed =
    values instanceof Float32Array || values instanceof Int32Array
      ? values
      : dtype === 'int32'
        ? Int32Array.from(values)
        : Float32Array.from(values);
  return { values: typed, shape, dtype };
}

export function randomHost(shape: number[], seed: number): HostTensor {
  return host(randomValues(tf.util.sizeFromShape(shape), seed), shape);
}

export async function useBackend(name: 'cpu' | 'wasm'): Promise<void> {
  const active = await selectBackend(name);
  if (active !== name) throw new Error(`expected backend ${name}, got ${active}`);
}

export type KernelResult = { values: Float32Array | Int32Array; shape: number[] };

/** Runs one kernel on `backend` with tensors made from `inputs`; returns its first output. */
export async function runKernelOn(
  backend: 'cpu' | 'wasm',
  kernelName: string,
  inputs: Record<string, HostTensor>,
  attrs: Record<string, unknown>,
): Promise<KernelResult> {
  await useBackend(backend);
  return tf.tidy(() => {
    const tensors: Record<string, tf.Tensor> = {};
    for (const [name, t] of Object.entries(inputs)) tensors[name] = tf.tensor(t.values, t.shape, t.dtype);
    const out = tf.engine().runKernel(kernelName, tensors, attrs as tf.NamedAttrMap) as
      | tf.Tensor
      | tf.Tensor[];
    const first = Array.isArray(out) ? out[0] : out;
    return { values: first.dataSync() as Float32Array | Int32Array, shape: first.shape };
  });
}

/** max |a − b| / max(1, max |b|): float32 error relative to the magnitude of the reference. */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) return Number.POSITIVE_INFINITY;
  let maxDiff = 0;
  let maxRef = 1;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i];
    const d = Math.abs(actual[i] - e);
    if (!(d <= maxDiff)) maxDiff = Number.isNaN(d) ? Number.POSITIVE_INFINITY : d;
    maxRef = Math.max(maxRef, Math.abs(e));
  }
  return maxDiff / maxRef;
}

/** Runs `kernelName` on cpu and wasm; returns both results and their relative error. */
export async function compareKernel(
  kernelName: string,
  inputs: Record<string, HostTensor>,
  attrs: Record<string, unknown>,
): Promise<{ cpu: KernelResult; wasm: KernelResult; error: number }> {
  const cpu = await runKernelOn('cpu', kernelName, inputs, attrs);
  const wasm = await runKernelOn('wasm', kernelName, inputs, attrs);
  const sameShape = cpu.shape.length === wasm.shape.length && cpu.shape.every((d, i) => d === wasm.shape[i]);
  return { cpu, wasm, error: sameShape ? relativeError(wasm.values, cpu.values) : Number.POSITIVE_INFINITY };
}

/** Float32 tolerance for these comparisons (relative to the largest reference value). */
export const TOLERANCE = 1e-5;
