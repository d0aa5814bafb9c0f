/**
 * Conv2DBackpropFilter for the wasm backend (missing upstream: tfjs#8474).
 *
 * The filter gradient of a convolution is itself a convolution, with the roles of batch and channels
 * swapped: dW[kh, kw, ci, co] = Σ_{b, oh, ow} x[b, oh·s + kh·d − pad, ow·s + kw·d − pad, ci] · dy[b, oh, ow, co].
 * Read x as a batch of `Cin` single-"pixel-channel" images laid out (Cin, H, W, B) and dy as a filter
 * (OH, OW, B, Cout): a convolution with stride d and dilation s gives (Cin, KH, KW, Cout). So the whole
 * kernel is two transposes, one XNNPACK convolution (the wasm backend's fast, SIMD path) and a small
 * transpose of the result — no JavaScript loops over the data.
 */
import type {
  Conv2DBackpropFilterAttrs,
  Conv2DBackpropFilterInputs,
  KernelConfig,
  KernelFunc,
  TensorInfo,
} from '@tensorflow/tfjs';
import {
  assertFloat32,
  type BackendWasm,
  type ConvGeometry,
  convGeometry,
  sizeOf,
  type WasmScope,
  withScope,
} from '../../../src/tfjs/wasm-kernels/wasm-ops.ts';

/** NHWC filter gradient; `x` (B, H, W, Cin), `dy` (B, OH, OW, Cout) → (KH, KW, Cin, Cout). */
export function conv2dFilterGradNHWC(
  s: WasmScope,
  x: TensorInfo,
  dy: TensorInfo,
  g: ConvGeometry,
): TensorInfo {
  const filterShape = [g.filterHeight, g.filterWidth, g.inChannels, g.outChannels];
  if (sizeOf(dy.shape) === 0 || sizeOf(x.shape) === 0) {
    return s.run('Fill', {}, { shape: filterShape, value: 0, dtype: 'float32' });
  }
  const xT = s.transpose(x, [3, 1, 2, 0]); // (Cin, H, W, B)
  const dyT = s.transpose(dy, [1, 2, 0, 3]); // (OH, OW, B, Cout): the "filter"
  // Output rows of the swapped convolution must number exactly KH: the bottom padding follows.
  const spanH = (g.outHeight - 1) * g.strideHeight + 1;
  const spanW = (g.outWidth - 1) * g.strideWidth + 1;
  const padBottom = (g.filterHeight - 1) * g.dilationHeight + spanH - g.inHeight - g.padTop;
  const padRight = (g.filterWidth - 1) * g.dilationWidth + spanW - g.inWidth - g.padLeft;
  const cropped = s.cropForPadding(xT, [
    [g.padTop, padBottom],
    [g.padLeft, padRight],
  ]);
  const r = s.conv2d(
    cropped.x,
    dyT,
    [g.dilationHeight, g.dilationWidth],
    [g.strideHeight, g.strideWidth],
    cropped.pads,
  ); // (Cin, KH, KW, Cout)
  return s.transpose(r, [1, 2, 0, 3]);
}

export function conv2DBackpropFilter(args: {
  inputs: Conv2DBackpropFilterInputs;
  backend: BackendWasm;
  attrs: Conv2DBackpropFilterAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs.x as TensorInfo;
  const dy = inputs.dy as TensorInfo;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs;
  assertFloat32('Conv2DBackpropFilter', x, dy);
  const nchw = dataFormat === 'NCHW';
  const g = convGeometry(x.shape, filterShape, strides, 1, pad, dimRoundingMode, false, dataFormat);
  return withScope(backend, (s) => {
    const xN = nchw ? s.transpose(x, [0, 2, 3, 1]) : x;
    const dyN = nchw ? s.transpose(dy, [0, 2, 3, 1]) : dy;
    return conv2dFilterGradNHWC(s, xN, dyN, g);
  });
}

export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter as unknown as KernelFunc,
};
