/**
 * DepthwiseConv2dNativeBackpropInput for the wasm backend (missing upstream).
 *
 * dx[b, h, w, c] = Σ_{kh, kw, m} dy[b, oh, ow, c·M + m] · W[kh, kw, c, m] where h = oh·s + kh·d − pad: a
 * depthwise convolution of dy (spread with s − 1 zeros for stride s) with the spatially flipped filter,
 * read as C·M channels of multiplier 1, followed (for M > 1) by a native sum over the multiplier.
 */
import type {
  DepthwiseConv2dNativeBackpropInputAttrs,
  DepthwiseConv2dNativeBackpropInputInputs,
  KernelConfig,
  KernelFunc,
  TensorInfo,
} from '@tensorflow/tfjs';
import { assertFloat32, type BackendWasm, convGeometry, sizeOf, withScope } from './wasm-ops.ts';

export function depthwiseConv2dNativeBackpropInput(args: {
  inputs: DepthwiseConv2dNativeBackpropInputInputs;
  backend: BackendWasm;
  attrs: DepthwiseConv2dNativeBackpropInputAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const dy = inputs.dy as TensorInfo;
  const filter = inputs.filter as TensorInfo;
  const { strides, dilations, pad, dimRoundingMode, inputShape } = attrs;
  assertFloat32('DepthwiseConv2dNativeBackpropInput', dy, filter);
  const g = convGeometry(inputShape, filter.shape, strides, dilations ?? 1, pad, dimRoundingMode, true);
  const [kh, kw, channels, multiplier] = filter.shape;
  return withScope(backend, (s) => {
    if (sizeOf(dy.shape) === 0 || sizeOf(filter.shape) === 0) {
      return s.run('Fill', {}, { shape: [...inputShape], value: 0, dtype: 'float32' });
    }
    const flipped = s.reshape(s.reverse(filter, [0, 1]), [kh, kw, channels * multiplier, 1]);
    const spread = s.insertZeros(dy, g.strideHeight, g.strideWidth);
    const padTop = (kh - 1) * g.dilationHeight - g.padTop;
    const padLeft = (kw - 1) * g.dilationWidth - g.padLeft;
    const padBottom = g.inHeight + g.padTop - spread.shape[1];
    const padRight = g.inWidth + g.padLeft - spread.shape[2];
    const cropped = s.cropForPadding(spread, [
      [padTop, padBottom],
      [padLeft, padRight],
    ]);
    const dx = s.depthwiseConv2d(
      cropped.x,
      flipped,
      [1, 1],
      [g.dilationHeight, g.dilationWidth],
      cropped.pads,
    ); // (B, H, W, C·M)
    if (multiplier === 1) return dx;
    const split = s.reshape(dx, [g.batch, g.inHeight, g.inWidth, channels, multiplier]);
    return s.sum(split, [4]);
  });
}

export const depthwiseConv2dNativeBackpropInputConfig: KernelConfig = {
  kernelName: 'DepthwiseConv2dNativeBackpropInput',
  backendName: 'wasm',
  kernelFunc: depthwiseConv2dNativeBackpropInput as unknown as KernelFunc,
};
