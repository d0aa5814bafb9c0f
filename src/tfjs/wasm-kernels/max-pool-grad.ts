/**
 * MaxPoolGrad for the wasm backend — a replacement, in JavaScript over the wasm heap.
 *
 * Upstream's native kernel was the slowest part of a LeNet training step (≈ 155 ms of ≈ 600 ms at
 * batch 64: for each input pixel it re-scans every window) and it disagrees with the cpu backend and
 * TensorFlow: it seeds the running max with FLT_MIN, so windows with no positive value send their
 * gradient to element 0 of the tensor, and ties go to the last maximum instead of the first.
 * Compositions of native kernels measured 24–90 ms (6-D transposes, ArgMax and broadcast multiplies
 * are slow on wasm), so this kernel is one pass in JavaScript over zero-copy views of the heap: per
 * window, per channel, the first maximum (scan order, −∞ seed, NaN never wins, like the cpu backend)
 * receives dy, with a branch-light special case for 2×2 windows of stride 2.
 */
import {
  backend_util,
  type KernelConfig,
  type KernelFunc,
  type MaxPoolGradAttrs,
  type MaxPoolGradInputs,
  type TensorInfo,
} from '@tensorflow/tfjs';
import type { BackendWasm } from './wasm-ops.ts';

export function maxPoolGrad(args: {
  inputs: MaxPoolGradInputs;
  backend: BackendWasm;
  attrs: MaxPoolGradAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const dy = inputs.dy as TensorInfo;
  const x = inputs.input as TensorInfo;
  const { filterSize, strides, pad, dimRoundingMode } = attrs;
  if (x.dtype !== 'float32' || dy.dtype !== 'float32') {
    throw new Error(`MaxPoolGrad on wasm supports float32 tensors only, got ${x.dtype}.`);
  }
  const info = backend_util.computePool2DInfo(
    x.shape as [number, number, number, number],
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth } = info;
  const { strideHeight, strideWidth, filterHeight, filterWidth } = info;
  const padTop = info.padInfo.top;
  const padLeft = info.padInfo.left;

  // Allocate first: a heap growth would detach views taken earlier.
  const out = backend.makeOutput([...x.shape], 'float32');
  const dx = backend.typedArrayFromHeap(out) as Float32Array;
  const xs = backend.typedArrayFromHeap(x) as Float32Array;
  const dys = backend.typedArrayFromHeap(dy) as Float32Array;

  const tiles =
    strideHeight === filterHeight &&
    strideWidth === filterWidth &&
    padTop === 0 &&
    padLeft === 0 &&
    outHeight * filterHeight <= inHeight &&
    outWidth * filterWidth <= inWidth;
  if (tiles && filterHeight === 2 && filterWidth === 2) {
    tiles2x2(xs, dys, dx, batchSize, inHeight, inWidth, channels, outHeight, outWidth);
    return out;
  }

  dx.fill(0);
  const best = new Float32Array(channels);
  const where = new Int32Array(channels);
  for (let b = 0; b < batchSize; b++) {
    for (let oh = 0; oh < outHeight; oh++) {
      const r0 = oh * strideHeight - padTop;
      const rMin = Math.max(r0, 0);
      const rMax = Math.min(r0 + filterHeight, inHeight);
      for (let ow = 0; ow < outWidth; ow++) {
        const c0 = ow * strideWidth - padLeft;
        const cMin = Math.max(c0, 0);
        const cMax = Math.min(c0 + filterWidth, inWidth);
        best.fill(Number.NEGATIVE_INFINITY);
        where.fill(-1);
        for (let r = rMin; r < rMax; r++) {
          for (let q = cMin; q < cMax; q++) {
            const base = ((b * inHeight + r) * inWidth + q) * channels;
            for (let c = 0; c < channels; c++) {
              const v = xs[base + c];
              if (v > best[c]) {
                best[c] = v;
                where[c] = base + c;
              }
            }
          }
        }
        const dyBase = ((b * outHeight + oh) * outWidth + ow) * channels;
        for (let c = 0; c < channels; c++) {
          const p = where[c];
          if (p >= 0) dx[p] += dys[dyBase + c];
        }
      }
    }
  }
  return out;
}

export const maxPoolGradConfig: KernelConfig = {
  kernelName: 'MaxPoolGrad',
  backendName: 'wasm',
  kernelFunc: maxPoolGrad as unknown as KernelFunc,
};

/**
 * The common Keras case (pool 2, stride 2, no padding): windows tile the input, so every dx element
 * is written exactly once (no zero fill, no accumulation). Rows / columns left over by an odd size
 * get zeros.
 */
function tiles2x2(
  xs: Float32Array,
  dys: Float32Array,
  dx: Float32Array,
  batchSize: number,
  inHeight: number,
  inWidth: number,
  channels: number,
  outHeight: number,
  outWidth: number,
): void {
  const rowStride = inWidth * channels;
  for (let b = 0; b < batchSize; b++) {
    const imageBase = b * inHeight * rowStride;
    for (let oh = 0; oh < outHeight; oh++) {
      const top = imageBase + 2 * oh * rowStride;
      for (let ow = 0; ow < outWidth; ow++) {
        const p00 = top + 2 * ow * channels;
        const p01 = p00 + channels;
        const p10 = p00 + rowStride;
        const p11 = p10 + channels;
        const dyBase = ((b * outHeight + oh) * outWidth + ow) * channels;
        for (let c = 0; c < channels; c++) {
          // First maximum in scan order; −∞ seed, so NaN never wins (as on the cpu backend).
          let best = Number.NEGATIVE_INFINITY;
          let k = -1;
          const v00 = xs[p00 + c];
          const v01 = xs[p01 + c];
          const v10 = xs[p10 + c];
          const v11 = xs[p11 + c];
          if (v00 > best) {
            best = v00;
            k = 0;
          }
          if (v01 > best) {
            best = v01;
            k = 1;
          }
          if (v10 > best) {
            best = v10;
            k = 2;
          }
          if (v11 > best) k = 3;
          const g = dys[dyBase + c];
          dx[p00 + c] = k === 0 ? g : 0;
          dx[p01 + c] = k === 1 ? g : 0;
          dx[p10 + c] = k === 2 ? g : 0;
          dx[p11 + c] = k === 3 ? g : 0;
        }
      }
    }
    // Rows and columns no window covers (odd sizes) receive no gradient.
    if (2 * outHeight < inHeight)
      dx.fill(0, imageBase + 2 * outHeight * rowStride, imageBase + inHeight * rowStride);
    if (2 * outWidth < inWidth) {
      for (let r = 0; r < 2 * outHeight; r++) {
        const rowBase = imageBase + r * rowStride;
        dx.fill(0, rowBase + 2 * outWidth * channels, rowBase + rowStride);
      }
    }
  }
}
