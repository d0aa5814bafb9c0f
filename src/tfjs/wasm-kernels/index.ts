/**
 * Training kernels the wasm backend lacks (or runs slowly), registered with `registerKernel`:
 *
 * - Conv2DBackpropFilter, DepthwiseConv2dNativeBackpropFilter, DepthwiseConv2dNativeBackpropInput,
 *   UnsortedSegmentSum: missing upstream, so Conv2D / DepthwiseConv2D / SeparableConv2D / Embedding
 *   layers could not train on wasm at all.
 * - Conv2DBackpropInput and BatchMatMul (transposed / batched): present upstream but on scalar
 *   loops for the shapes training produces (≈ 1–1.6 GFLOP/s); replaced by compositions that run on
 *   XNNPACK.
 * - MaxPoolGrad, AvgPoolGrad: present upstream but very slow (and MaxPoolGrad wrong for windows
 *   without a positive value); replaced by single passes in JavaScript over the wasm heap, which
 *   measured faster than any composition of native kernels.
 *
 * Everything else composes native wasm kernels (see wasm-ops.ts). `registerWasmTrainingKernels()` is
 * idempotent. Load '@tensorflow/tfjs-backend-wasm' first (../backend.ts does): this module does not
 * import it, because a bundler hoists a static import of an external package to the top of the
 * bundle, and the wasm backend, registered at start-up, would become the caller's default backend.
 */
import { getKernel, type KernelConfig, registerKernel, unregisterKernel } from '@tensorflow/tfjs';
import { avgPoolGradConfig } from './avg-pool-grad.ts';
import { batchMatMulConfig } from './batch-mat-mul.ts';
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter.ts';
import { conv2DBackpropInputConfig } from './conv2d-backprop-input.ts';
import { depthwiseConv2dNativeBackpropFilterConfig } from './depthwise-conv2d-backprop-filter.ts';
import { depthwiseConv2dNativeBackpropInputConfig } from './depthwise-conv2d-backprop-input.ts';
import { maxPoolGradConfig } from './max-pool-grad.ts';
import { unsortedSegmentSumConfig } from './unsorted-segment-sum.ts';
import { setUpstreamKernel } from './wasm-ops.ts';

/** Marks configs registered here, across module instances (a second copy of this file sees it too). */
const MARK = Symbol.for('nn-doctor.wasm-training-kernel');

const CONFIGS: readonly KernelConfig[] = [
  conv2DBackpropFilterConfig,
  conv2DBackpropInputConfig,
  depthwiseConv2dNativeBackpropFilterConfig,
  depthwiseConv2dNativeBackpropInputConfig,
  unsortedSegmentSumConfig,
  batchMatMulConfig,
  maxPoolGradConfig,
  avgPoolGradConfig,
];

/** Replacements that delegate some inputs to the upstream kernel they replace. */
const WRAPS_UPSTREAM = new Set(['BatchMatMul']);

/** Kernel names this module registers for 'wasm'. */
export const WASM_TRAINING_KERNELS: readonly string[] = CONFIGS.map((c) => c.kernelName);

function isOurs(config: KernelConfig | undefined): boolean {
  return config != null && (config as unknown as Record<symbol, unknown>)[MARK] === true;
}

/** Registers the training kernels for 'wasm'. Safe to call any number of times, before or after the backend starts. */
export function registerWasmTrainingKernels(): void {
  for (const config of CONFIGS) {
    const existing = getKernel(config.kernelName, 'wasm');
    if (isOurs(existing)) continue;
    if (existing != null) {
      setUpstreamKernel(config.kernelName, existing.kernelFunc);
      unregisterKernel(config.kernelName, 'wasm');
    } else if (WRAPS_UPSTREAM.has(config.kernelName)) {
      throw new Error(
        `registerWasmTrainingKernels: the wasm backend has no '${config.kernelName}' kernel to wrap.`,
      );
    }
    // Keep the upstream setup (it binds the native functions) in case the backend starts later.
    const registered = { ...config, setupFunc: existing?.setupFunc ?? config.setupFunc };
    Object.defineProperty(registered, MARK, { value: true });
    registerKernel(registered);
  }
}

export { avgPoolGrad } from './avg-pool-grad.ts';
export { batchMatMul } from './batch-mat-mul.ts';
export { conv2DBackpropFilter } from './conv2d-backprop-filter.ts';
export { conv2DBackpropInput } from './conv2d-backprop-input.ts';
export { depthwiseConv2dNativeBackpropFilter } from './depthwise-conv2d-backprop-filter.ts';
export { depthwiseConv2dNativeBackpropInput } from './depthwise-conv2d-backprop-input.ts';
export { maxPoolGrad } from './max-pool-grad.ts';
export { unsortedSegmentSum } from './unsorted-segment-sum.ts';
