/**
 * A small toolkit for writing wasm kernels as compositions of kernels the wasm backend already runs
 * natively (XNNPACK convolutions and matmuls, transposes, pads, slices, reductions).
 *
 * Kernels here work on `TensorInfo`s, below the engine: nothing is recorded on a gradient tape and
 * nothing is tracked by `tf.tidy`. A `WasmScope` keeps every intermediate it creates and frees them
 * all in `dispose()`, except the one result handed back with `keep()`, which the engine then owns.
 */

import {
  backend_util,
  type DataType,
  getKernel,
  type KernelConfig,
  type KernelFunc,
  type NamedAttrMap,
  type NamedTensorInfoMap,
  type TensorInfo,
  util,
} from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

export type { BackendWasm };

/** Upstream kernels that a replacement here wraps, captured before the replacement is registered. */
const upstream = new Map<string, KernelFunc>();

export function setUpstreamKernel(kernelName: string, kernelFunc: KernelFunc): void {
  upstream.set(kernelName, kernelFunc);
}

export function upstreamKernel(kernelName: string): KernelFunc {
  const kernelFunc = upstream.get(kernelName);
  if (kernelFunc == null) {
    throw new Error(`wasm training kernels: the upstream wasm kernel '${kernelName}' was not captured.`);
  }
  return kernelFunc;
}

function kernelFuncFor(kernelName: string): KernelFunc {
  const config: KernelConfig | undefined = getKernel(kernelName, 'wasm');
  if (config == null) {
    throw new Error(`wasm training kernels: kernel '${kernelName}' is not registered for backend 'wasm'.`);
  }
  return config.kernelFunc;
}

export type Pair = [number, number];

export class WasmScope {
  private readonly owned: TensorInfo[] = [];

  constructor(readonly backend: BackendWasm) {}

  /** Runs a registered wasm kernel and owns its outputs; returns the first. */
  run(kernelName: string, inputs: NamedTensorInfoMap, attrs: NamedAttrMap = {}): TensorInfo {
    return this.first(kernelName, kernelFuncFor(kernelName)({ inputs, attrs, backend: this.backend }));
  }

  private first(kernelName: string, out: TensorInfo | TensorInfo[]): TensorInfo {
    const all = Array.isArray(out) ? out : [out];
    if (all.length === 0) throw new Error(`wasm training kernels: kernel '${kernelName}' returned nothing.`);
    this.owned.push(...all);
    return all[0];
  }

  /** Takes ownership of an info created outside `run` (freed by `dispose` unless kept). */
  own(info: TensorInfo): TensorInfo {
    this.owned.push(info);
    return info;
  }

  /** Runs the upstream wasm kernel that a replacement wraps, and owns its output. */
  runUpstream(kernelName: string, inputs: NamedTensorInfoMap, attrs: NamedAttrMap = {}): TensorInfo {
    return this.first(kernelName, upstreamKernel(kernelName)({ inputs, attrs, backend: this.backend }));
  }

  /** Hands `info` to the caller (it will not be freed by `dispose`). */
  keep(info: TensorInfo): TensorInfo {
    const i = this.owned.lastIndexOf(info);
    if (i >= 0) {
      this.owned.splice(i, 1);
    } else {
      // Not created here (an input passed through): the caller needs its own reference.
      this.backend.incRef(info.dataId);
    }
    return info;
  }

  /** Frees every intermediate created in this scope and not kept. */
  dispose(): void {
    for (const info of this.owned) this.backend.disposeData(info.dataId);
    this.owned.length = 0;
  }

  reshape(x: TensorInfo, shape: number[]): TensorInfo {
    if (shape.length === x.shape.length && shape.every((d, i) => d === x.shape[i])) return x;
    return this.run('Reshape', { x }, { shape });
  }

  transpose(x: TensorInfo, perm: number[]): TensorInfo {
    if (perm.every((p, i) => p === i)) return x;
    return this.run('Transpose', { x }, { perm });
  }

  /** Constant (zero by default) padding; `paddings[i] = [before, after]`, both ≥ 0. */
  pad(x: TensorInfo, paddings: Pair[], constantValue = 0): TensorInfo {
    if (paddings.every(([a, b]) => a === 0 && b === 0)) return x;
    return this.run('PadV2', { x }, { paddings, constantValue });
  }

  slice(x: TensorInfo, begin: number[], size: number[]): TensorInfo {
    if (begin.every((b) => b === 0) && size.every((s, i) => s === x.shape[i])) return x;
    return this.run('Slice', { x }, { begin, size });
  }

  reverse(x: TensorInfo, dims: number[]): TensorInfo {
    const axes = dims.filter((d) => x.shape[d] > 1);
    if (axes.length === 0) return x;
    return this.run('Reverse', { x }, { dims: axes });
  }

  sum(x: TensorInfo, axis: number[]): TensorInfo {
    const axes = axis.filter((a) => x.shape[a] !== 1);
    if (axes.length === 0) {
      return this.reshape(
        x,
        x.shape.filter((_, i) => !axis.includes(i)),
      );
    }
    const out = this.run('Sum', { x }, { axis: axes, keepDims: false });
    return this.reshape(
      out,
      x.shape.filter((_, i) => !axis.includes(i)),
    );
  }

  cast(x: TensorInfo, dtype: DataType): TensorInfo {
    if (x.dtype === dtype) return x;
    return this.run('Cast', { x }, { dtype });
  }

  /** NHWC convolution with explicit, non-negative paddings `[[top, bottom], [left, right]]`. */
  conv2d(x: TensorInfo, filter: TensorInfo, strides: Pair, dilations: Pair, pads: [Pair, Pair]): TensorInfo {
    return this.run('Conv2D', { x, filter }, {
      strides,
      dilations,
      pad: [[0, 0], pads[0], pads[1], [0, 0]],
      dataFormat: 'NHWC',
      dimRoundingMode: undefined,
    } as unknown as NamedAttrMap);
  }

  /** NHWC depthwise convolution with explicit, non-negative paddings. */
  depthwiseConv2d(
    x: TensorInfo,
    filter: TensorInfo,
    strides: Pair,
    dilations: Pair,
    pads: [Pair, Pair],
  ): TensorInfo {
    return this.run('DepthwiseConv2dNative', { x, filter }, {
      strides,
      dilations,
      pad: [[0, 0], pads[0], pads[1], [0, 0]],
      dataFormat: 'NHWC',
      dimRoundingMode: undefined,
    } as unknown as NamedAttrMap);
  }

  /**
   * Crops a tensor along the spatial axes 1 and 2 (NHWC) where a padding came out negative, and
   * returns the non-negative paddings that remain.
   */
  cropForPadding(x: TensorInfo, pads: [Pair, Pair]): { x: TensorInfo; pads: [Pair, Pair] } {
    const begin = [0, 0, 0, 0];
    const size = [...x.shape];
    const out: [Pair, Pair] = [
      [0, 0],
      [0, 0],
    ];
    for (let axis = 0; axis < 2; axis++) {
      const [before, after] = pads[axis];
      const dim = axis + 1;
      if (before < 0) {
        begin[dim] = -before;
        size[dim] += before;
      }
      if (after < 0) size[dim] += after;
      out[axis] = [Math.max(before, 0), Math.max(after, 0)];
    }
    if (size[1] <= 0 || size[2] <= 0) {
      throw new Error(`wasm training kernels: padding crops away the whole input (shape ${x.shape}).`);
    }
    return { x: this.slice(x, begin, size), pads: out };
  }

  /**
   * Inserts `stride - 1` zeros after every row / column of an NHWC tensor (a "dilated" gradient, as
   * a transposed strided convolution needs), by a reshape, a zero pad and a reshape back: all native.
   * The result has `rows * strideH` rows and `cols * strideW` columns (trailing zeros included).
   */
  insertZeros(x: TensorInfo, strideH: number, strideW: number): TensorInfo {
    if (strideH === 1 && strideW === 1) return x;
    const [b, h, w, c] = x.shape;
    const six = this.reshape(x, [b, h, 1, w, 1, c]);
    const padded = this.pad(six, [
      [0, 0],
      [0, 0],
      [0, strideH - 1],
      [0, 0],
      [0, strideW - 1],
      [0, 0],
    ]);
    return this.reshape(padded, [b, h * strideH, w * strideW, c]);
  }
}

/** Runs `body` in a fresh scope; the returned info survives, every other intermediate is freed. */
export function withScope(backend: BackendWasm, body: (scope: WasmScope) => TensorInfo): TensorInfo {
  const scope = new WasmScope(backend);
  try {
    return scope.keep(body(scope));
  } finally {
    scope.dispose();
  }
}

export type ConvGeometry = {
  batch: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  outChannels: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  dilationHeight: number;
  dilationWidth: number;
  padTop: number;
  padBottom: number;
  padLeft: number;
  padRight: number;
};

/**
 * The geometry of a 2-D convolution, always described in NHWC terms (`dataFormat` only says how
 * `inShape` is laid out), from the same `computeConv2DInfo` the cpu backend uses.
 */
export function convGeometry(
  inShape: number[],
  filterShape: number[],
  strides: number | number[],
  dilations: number | number[],
  pad: unknown,
  dimRoundingMode: 'floor' | 'round' | 'ceil' | undefined,
  depthwise: boolean,
  dataFormat: 'NHWC' | 'NCHW' = 'NHWC',
): ConvGeometry {
  const info = backend_util.computeConv2DInfo(
    inShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    strides as [number, number],
    dilations as [number, number],
    pad as 'same',
    dimRoundingMode,
    depthwise,
    backend_util.convertConv2DDataFormat(dataFormat),
  );
  return {
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    inChannels: info.inChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    outChannels: info.outChannels,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    dilationHeight: info.dilationHeight,
    dilationWidth: info.dilationWidth,
    padTop: info.padInfo.top,
    padBottom: info.padInfo.bottom,
    padLeft: info.padInfo.left,
    padRight: info.padInfo.right,
  };
}

export function assertFloat32(kernelName: string, ...infos: TensorInfo[]): void {
  for (const info of infos) {
    if (info.dtype !== 'float32') {
      throw new Error(`${kernelName} on wasm supports float32 tensors only, got ${info.dtype}.`);
    }
  }
}

export function sizeOf(shape: number[]): number {
  return util.sizeFromShape(shape);
}
