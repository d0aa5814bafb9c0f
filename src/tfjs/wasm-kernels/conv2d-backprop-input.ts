/**
 * Conv2DBackpropInput for the wasm backend — a replacement. Upstream ships a native kernel, but it is
 * a scalar loop (measured ≈ 1.6 GFLOP/s on LeNet's second layer, ~10× slower than the forward
 * convolution) and it dominated a CNN training step. The input gradient is a convolution of dy with the
 * filter flipped in space and transposed in channels, run on XNNPACK.
 *
 * For stride s > 1 (same in both directions) the gradient is split into its s² output phases
 * (sub-pixel decomposition): phase (ph, pw) of dx only sees the filter taps ≡ (ph, pw) mod s, so one
 * stride-1 convolution of dy with a rearranged filter of ⌈K/s⌉² taps and s²·Cin output channels yields
 * all phases at once, and a transpose interleaves them (a depth-to-space) — about the work of the
 * forward pass instead of the s² times more that spreading dy with zeros costs. Unequal strides use
 * the zeros.
 */
import type {
  Conv2DBackpropInputAttrs,
  Conv2DBackpropInputInputs,
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
} from './wasm-ops.ts';

/** NHWC input gradient; `dy` (B, OH, OW, Cout), `filter` (KH, KW, Cin, Cout) → (B, H, W, Cin). */
export function conv2dInputGradNHWC(
  s: WasmScope,
  dy: TensorInfo,
  filter: TensorInfo,
  g: ConvGeometry,
): TensorInfo {
  const outShape = [g.batch, g.inHeight, g.inWidth, g.inChannels];
  if (sizeOf(dy.shape) === 0 || sizeOf(filter.shape) === 0) {
    return s.run('Fill', {}, { shape: outShape, value: 0, dtype: 'float32' });
  }
  if (
    g.strideHeight > 1 &&
    g.strideHeight === g.strideWidth &&
    g.dilationHeight === 1 &&
    g.dilationWidth === 1
  ) {
    return inputGradByPhases(s, dy, filter, g);
  }
  const flipped = s.transpose(s.reverse(filter, [0, 1]), [0, 1, 3, 2]); // (KH, KW, Cout, Cin)
  const spread = s.insertZeros(dy, g.strideHeight, g.strideWidth);
  const rows = spread.shape[1];
  const cols = spread.shape[2];
  const padTop = (g.filterHeight - 1) * g.dilationHeight - g.padTop;
  const padLeft = (g.filterWidth - 1) * g.dilationWidth - g.padLeft;
  const padBottom = g.inHeight + g.padTop - rows;
  const padRight = g.inWidth + g.padLeft - cols;
  const cropped = s.cropForPadding(spread, [
    [padTop, padBottom],
    [padLeft, padRight],
  ]);
  return s.conv2d(cropped.x, flipped, [1, 1], [g.dilationHeight, g.dilationWidth], cropped.pads);
}

/** Strided input gradient as one convolution over the s² output phases plus a DepthToSpace. */
function inputGradByPhases(s: WasmScope, dy: TensorInfo, filter: TensorInfo, g: ConvGeometry): TensorInfo {
  const stride = g.strideHeight;
  const [kh, kw, cin, cout] = filter.shape;
  const jh = Math.ceil(kh / stride);
  const jw = Math.ceil(kw / stride);
  // W[j·s + ph, i·s + pw, ci, co] → phaseFilter[Jh−1−j, Jw−1−i, co, (ph·s + pw)·Cin + ci] (0 past K).
  const padded = s.pad(filter, [
    [0, jh * stride - kh],
    [0, jw * stride - kw],
    [0, 0],
    [0, 0],
  ]);
  const split = s.reverse(s.reshape(padded, [jh, stride, jw, stride, cin, cout]), [0, 2]);
  const phaseFilter = s.reshape(s.transpose(split, [0, 2, 5, 1, 3, 4]), [
    jh,
    jw,
    cout,
    stride * stride * cin,
  ]);
  // Phase rows u = 0..U−1 cover dx rows u·s + ph − padTop; U·s must reach past inHeight + padTop.
  const rows = Math.ceil((g.inHeight + g.padTop) / stride);
  const cols = Math.ceil((g.inWidth + g.padLeft) / stride);
  const cropped = s.cropForPadding(dy, [
    [jh - 1, rows - g.outHeight],
    [jw - 1, cols - g.outWidth],
  ]);
  const phases = s.conv2d(cropped.x, phaseFilter, [1, 1], [1, 1], cropped.pads); // (B, U, V, s²·Cin)
  // Interleave (depth-to-space) by a 6-D transpose: the native DepthToSpace kernel measured ~10× slower.
  const [b, u, v] = phases.shape;
  const split6 = s.reshape(phases, [b, u, v, stride, stride, cin]);
  const interleaved = s.reshape(s.transpose(split6, [0, 1, 3, 2, 4, 5]), [b, u * stride, v * stride, cin]);
  return s.slice(interleaved, [0, g.padTop, g.padLeft, 0], [g.batch, g.inHeight, g.inWidth, cin]);
}

export function conv2DBackpropInput(args: {
  inputs: Conv2DBackpropInputInputs;
  backend: BackendWasm;
  attrs: Conv2DBackpropInputAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const dy = inputs.dy as TensorInfo;
  const filter = inputs.filter as TensorInfo;
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs;
  assertFloat32('Conv2DBackpropInput', dy, filter);
  const nchw = dataFormat === 'NCHW';
  const g = convGeometry(inputShape, filter.shape, strides, 1, pad, dimRoundingMode, false, dataFormat);
  return withScope(backend, (s) => {
    const dyN = nchw ? s.transpose(dy, [0, 2, 3, 1]) : dy;
    const dx = conv2dInputGradNHWC(s, dyN, filter, g);
    return nchw ? s.transpose(dx, [0, 3, 1, 2]) : dx;
  });
}

export const conv2DBackpropInputConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropInput',
  backendName: 'wasm',
  kernelFunc: conv2DBackpropInput as unknown as KernelFunc,
};
