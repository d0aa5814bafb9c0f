/**
 * AvgPoolGrad for the wasm backend — a replacement, in JavaScript over the wasm heap.
 *
 * Upstream's native kernel shares MaxPoolGrad's per-pixel re-scan and measured ~2× slower than the
 * forward pass of a whole CNN layer. The gradient of an average pool spreads dy / (fh·fw) over each
 * window (the cpu backend's convention, padding included in the divisor), one pass over dy here.
 */
import {
  type AvgPoolGradAttrs,
  type AvgPoolGradInputs,
  backend_util,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs';
import type { BackendWasm } from './wasm-ops.ts';

export function avgPoolGrad(args: {
  inputs: AvgPoolGradInputs;
  backend: BackendWasm;
  attrs: AvgPoolGradAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const dy = inputs.dy as TensorInfo;
  const x = inputs.input as TensorInfo;
  const { filterSize, strides, pad } = attrs;
  if (dy.dtype !== 'float32') {
    throw new Error(`AvgPoolGrad on wasm supports float32 tensors only, got ${dy.dtype}.`);
  }
  const info = backend_util.computePool2DInfo(
    x.shape as [number, number, number, number],
    filterSize,
    strides,
    1,
    pad,
  );
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth } = info;
  const { strideHeight, strideWidth, filterHeight, filterWidth } = info;
  const padTop = info.padInfo.top;
  const padLeft = info.padInfo.left;
  const scale = 1 / (filterHeight * filterWidth);

  const out = backend.makeOutput([...x.shape], 'float32');
  const dx = backend.typedArrayFromHeap(out) as Float32Array;
  const dys = backend.typedArrayFromHeap(dy) as Float32Array;
  dx.fill(0);

  const share = new Float32Array(channels);
  for (let b = 0; b < batchSize; b++) {
    for (let oh = 0; oh < outHeight; oh++) {
      const r0 = oh * strideHeight - padTop;
      const rMin = Math.max(r0, 0);
      const rMax = Math.min(r0 + filterHeight, inHeight);
      for (let ow = 0; ow < outWidth; ow++) {
        const c0 = ow * strideWidth - padLeft;
        const cMin = Math.max(c0, 0);
        const cMax = Math.min(c0 + filterWidth, inWidth);
        const dyBase = ((b * outHeight + oh) * outWidth + ow) * channels;
        for (let c = 0; c < channels; c++) share[c] = dys[dyBase + c] * scale;
        for (let r = rMin; r < rMax; r++) {
          for (let q = cMin; q < cMax; q++) {
            const base = ((b * inHeight + r) * inWidth + q) * channels;
            for (let c = 0; c < channels; c++) dx[base + c] += share[c];
          }
        }
      }
    }
  }
  return out;
}

export const avgPoolGradConfig: KernelConfig = {
  kernelName: 'AvgPoolGrad',
  backendName: 'wasm',
  kernelFunc: avgPoolGrad as unknown as KernelFunc,
};
