/**
 * Conv2DBackpropFilter for the wasm backend (missing upstream: tfjs#8474).
 *
 * The filter gradient of a convolution is itself a convolution, with the roles of batch and channels
 * swapped: dW[kh, kw, ci, co] = Σ_{b, oh, ow} x[b, oh·s + kh·d − pad, ow·s + kw·d − pad, ci] · dy[b, oh, ow, co].
 * Read x as a batch of `Cin` single-"pixel-channel" images laid out (Cin, H, W, B) and dy as a filter
 * (OH, OW, B, Cout): a convolution with stride d and dilation s gives (Cin, KH, KW, Cout). So the whole
 * kernel is two transposes, one XNNPACK convolution (the wasm backend's fast, SIMD path) and a small
 * transpose of the result — no JavaScript loops over the data.
 *
 * That convolution has only Cin·KH·KW output rows. Where they are few (a first layer on grey or RGB
 * images: 25 for LeNet's 5×5 on one channel) XNNPACK runs it at a fraction of its rate, and the
 * gradient is instead one product dW = colᵀ · dy over the B·OH·OW positions, with colᵀ (the im2col
 * matrix, transposed) gathered in one pass in JavaScript over the wasm heap: measured 2.3× faster on
 * LeNet's first layer, and slower than the convolution where Cin·KH·KW is in the hundreds.
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
} from './wasm-ops.ts';

/** Up to this many rows (Cin·KH·KW) of the filter gradient, im2col and one product beat the convolution. */
const MAX_IM2COL_ROWS = 64;

/** Most elements of the im2col matrix that the product route may allocate (64 MB of float32). */
const MAX_IM2COL_ELEMENTS = 1 << 24;

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
  const rows = g.inChannels * g.filterHeight * g.filterWidth;
  const positions = g.batch * g.outHeight * g.outWidth;
  if (rows <= MAX_IM2COL_ROWS && rows * positions <= MAX_IM2COL_ELEMENTS) {
    const colT = im2colTransposed(s, x, g); // (KH·KW·Cin, B·OH·OW)
    const product = s.run(
      'BatchMatMul',
      { a: colT, b: s.reshape(dy, [positions, g.outChannels]) },
      {
        transposeA: false,
        transposeB: false,
      },
    );
    return s.reshape(product, filterShape);
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

/**
 * colT[(kh·KW + kw)·Cin + ci, (b·OH + oh)·OW + ow] = x[b, oh·sh + kh·dh − padTop, ow·sw + kw·dw − padLeft, ci],
 * 0 where that falls in the padding. Read from x transposed to (Cin, B, H, W), so that each output
 * row of OW values comes from one input row.
 */
function im2colTransposed(s: WasmScope, x: TensorInfo, g: ConvGeometry): TensorInfo {
  const { batch, inHeight: h, inWidth: w, inChannels: cin, outHeight: oh, outWidth: ow } = g;
  const xT = cin === 1 ? s.reshape(x, [1, batch, h, w]) : s.transpose(x, [3, 0, 1, 2]);
  const backend = s.backend;
  // Allocate first: a heap growth would detach views taken earlier.
  const out = s.own(backend.makeOutput([g.filterHeight * g.filterWidth * cin, batch * oh * ow], 'float32'));
  const col = backend.typedArrayFromHeap(out) as Float32Array;
  const src = backend.typedArrayFromHeap(xT) as Float32Array;
  const sh = g.strideHeight;
  const sw = g.strideWidth;
  let o = 0;
  for (let kh = 0; kh < g.filterHeight; kh++) {
    for (let kw = 0; kw < g.filterWidth; kw++) {
      const shift = kw * g.dilationWidth - g.padLeft; // input column of output column 0
      // Output columns whose input column lies inside the image: [q0, q1).
      const q0 = Math.min(ow, Math.max(0, Math.ceil(-shift / sw)));
      const q1 = Math.max(q0, Math.min(ow, Math.ceil((w - shift) / sw)));
      for (let plane = 0; plane < cin * batch; plane++) {
        const planeBase = plane * h * w;
        for (let r = 0; r < oh; r++) {
          const ih = r * sh + kh * g.dilationHeight - g.padTop;
          if (ih < 0 || ih >= h) {
            col.fill(0, o, o + ow);
          } else {
            const row = planeBase + ih * w + shift;
            for (let q = 0; q < q0; q++) col[o + q] = 0;
            for (let q = q0; q < q1; q++) col[o + q] = src[row + q * sw];
            for (let q = q1; q < ow; q++) col[o + q] = 0;
          }
          o += ow;
        }
      }
    }
  }
  return out;
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
