/**
 * BatchMatMul for the wasm backend — a wrapper around the native kernel. Upstream sends only
 * non-transposed, batch-1 products to XNNPACK; everything else (every dense-layer gradient:
 * dW = xᵀ·dy, dx = dy·Wᵀ) takes a scalar loop that measured ≈ 1 GFLOP/s against ≈ 12 on the fast path.
 * Here a transposed operand is materialised with the native Transpose (memory traffic only) and the
 * product goes to the fast path, computing either op(A)·op(B) or (op(B)ᵀ·op(A)ᵀ)ᵀ, whichever moves
 * fewer elements, counting XNNPACK's packing of the right operand (even a plain product x·W with
 * fresh weights runs flipped: packing W cost more than the product). Batched products with enough
 * work per matrix run as a loop of fast 2-D products.
 */
import {
  type BatchMatMulAttrs,
  type BatchMatMulInputs,
  broadcast_util,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs';
import { type BackendWasm, sizeOf, type WasmScope, withScope } from './wasm-ops.ts';

/** Below this many multiply-adds per matrix a batched product stays on the native kernel. */
const MIN_WORK_PER_MATRIX = 1 << 15;

function native(s: WasmScope, a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean) {
  return s.runUpstream('BatchMatMul', { a, b }, { transposeA, transposeB });
}

/**
 * What packing a right operand costs, in element moves of a native transpose: XNNPACK repacks the
 * right operand of every product whose tensor it has not seen (upstream caches the packed operand by
 * tensor id, and passes it with XNN_FLAG_TRANSPOSE_WEIGHTS, a strided gather). Measured on LeNet's
 * dense layer (3136×512, fresh weights every training step): packing ≈ 3× a transpose of the same
 * matrix and ≈ 4× the product itself at batch 32, so a training step's forward product runs faster
 * as (Wᵀ·xᵀ)ᵀ, where only the small xᵀ is packed.
 */
const PACK_COST = 3;

/**
 * Tensors already offered as a right operand. Upstream keeps the packed form of a right operand until
 * its tensor is disposed, so a tensor used again (the same weights over evaluation batches) is packed
 * once for all the products to come: from its second use on, it costs no packing here. Weak: entries
 * go with the tensors.
 */
const offered = new WeakSet<object>();

/** Packing cost of `t` (K×N) as the right operand, and notes that it was offered. */
function packCost(t: TensorInfo, k: number, n: number): number {
  const reused = offered.has(t.dataId);
  offered.add(t.dataId);
  return reused ? 0 : PACK_COST * k * n;
}

/**
 * One 2-D product on the fast (non-transposed) native path; a (M×K or K×M), b (K×N or N×K).
 * Computes op(A)·op(B) directly or as (op(B)ᵀ·op(A)ᵀ)ᵀ, whichever moves fewer elements in transposes
 * and packing (the multiply-adds are the same either way).
 */
function product2d(s: WasmScope, a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean) {
  const m = transposeA ? a.shape[1] : a.shape[0];
  const k = transposeA ? a.shape[0] : a.shape[1];
  const n = transposeB ? b.shape[0] : b.shape[1];
  // The right operand is packed from b itself only when it needs no transpose first.
  const direct = (transposeA ? m * k : 0) + (transposeB ? k * n + PACK_COST * k * n : packCost(b, k, n));
  // Flipped, the right operand is op(A)ᵀ: a itself when transposeA (then maybe packed before).
  const flipped =
    (transposeB ? 0 : k * n) + (transposeA ? packCost(a, k, m) : m * k + PACK_COST * k * m) + m * n;
  if (direct <= flipped) {
    const a2 = transposeA ? s.transpose(a, [1, 0]) : a;
    const b2 = transposeB ? s.transpose(b, [1, 0]) : b;
    return native(s, a2, b2, false, false);
  }
  // C = (op(B)ᵀ · op(A)ᵀ)ᵀ
  const bt = transposeB ? b : s.transpose(b, [1, 0]); // N×K
  const at = transposeA ? a : s.transpose(a, [1, 0]); // K×M
  return s.transpose(native(s, bt, at, false, false), [1, 0]);
}

export function batchMatMul(args: {
  inputs: BatchMatMulInputs;
  backend: BackendWasm;
  attrs: BatchMatMulAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const a = inputs.a as TensorInfo;
  const b = inputs.b as TensorInfo;
  const transposeA = Boolean(attrs.transposeA);
  const transposeB = Boolean(attrs.transposeB);
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length < 2 || b.shape.length < 2) {
    return withScope(backend, (s) => native(s, a, b, transposeA, transposeB));
  }
  const ra = a.shape.length;
  const rb = b.shape.length;
  const [a0, a1] = a.shape.slice(ra - 2);
  const [b0, b1] = b.shape.slice(rb - 2);
  const m = transposeA ? a1 : a0;
  const k = transposeA ? a0 : a1;
  const n = transposeB ? b0 : b1;
  if (k !== (transposeB ? b1 : b0)) {
    // Let the native kernel report the shape mismatch in its usual words.
    return withScope(backend, (s) => native(s, a, b, transposeA, transposeB));
  }
  const outerA = a.shape.slice(0, ra - 2);
  const outerB = b.shape.slice(0, rb - 2);
  const batchA = sizeOf(outerA);
  const batchB = sizeOf(outerB);
  const outShape = [...broadcast_util.assertAndGetBroadcastShape(outerA, outerB), m, n];
  const batch = Math.max(batchA, batchB);
  const simpleBroadcast = batchA === batchB || batchA === 1 || batchB === 1;
  if (batch === 1) {
    return withScope(backend, (s) => {
      const c = product2d(s, s.reshape(a, [a0, a1]), s.reshape(b, [b0, b1]), transposeA, transposeB);
      return s.reshape(c, outShape);
    });
  }
  if (!simpleBroadcast || m * n * k < MIN_WORK_PER_MATRIX || batch === 0 || m * n === 0) {
    return withScope(backend, (s) => native(s, a, b, transposeA, transposeB));
  }
  return withScope(backend, (s) => {
    const a3 = s.reshape(a, [batchA, a0, a1]);
    const b3 = s.reshape(b, [batchB, b0, b1]);
    const parts: TensorInfo[] = [];
    for (let i = 0; i < batch; i++) {
      const ai = s.reshape(s.slice(a3, [batchA === 1 ? 0 : i, 0, 0], [1, a0, a1]), [a0, a1]);
      const bi = s.reshape(s.slice(b3, [batchB === 1 ? 0 : i, 0, 0], [1, b0, b1]), [b0, b1]);
      parts.push(s.reshape(product2d(s, ai, bi, transposeA, transposeB), [1, m, n]));
    }
    const joined = s.run('Concat', parts as unknown as Record<string, TensorInfo>, { axis: 0 });
    return s.reshape(joined, outShape);
  });
}

export const batchMatMulConfig: KernelConfig = {
  kernelName: 'BatchMatMul',
  backendName: 'wasm',
  kernelFunc: batchMatMul as unknown as KernelFunc,
};
