// The training kernels as they were before the kernel work of issue 19 (copies of the replaced
// compositions), so that bench/wasm-cnn.ts can time the previous and the current kernels side by
// side in one run. `useKernels('previous' | 'current')` swaps the registered wasm kernels.
// (In bench/lib/: bench support only; nothing in src/ imports it.)
import { getKernel, type KernelConfig, registerKernel, unregisterKernel } from '@tensorflow/tfjs';
import { batchMatMulConfig } from './batch-mat-mul.ts';
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter.ts';

const PREVIOUS: readonly KernelConfig[] = [batchMatMulConfig, conv2DBackpropFilterConfig];

/** The current (registered by registerWasmTrainingKernels) configs, captured on first swap. */
const current = new Map<string, KernelConfig>();

function swapIn(config: KernelConfig, previous: boolean): void {
  const existing = getKernel(config.kernelName, 'wasm');
  if (existing == null) {
    throw new Error(`no wasm kernel '${config.kernelName}' registered: select the wasm backend first`);
  }
  if (!current.has(config.kernelName)) current.set(config.kernelName, existing);
  unregisterKernel(config.kernelName, 'wasm');
  // The current config goes back as it was (it carries registerWasmTrainingKernels' mark).
  const setupFunc = current.get(config.kernelName)?.setupFunc;
  registerKernel(previous ? { ...config, setupFunc: setupFunc ?? config.setupFunc } : config);
}

/** Registers the previous or the current versions of the kernels this work replaced. */
export function useKernels(which: 'previous' | 'current'): void {
  for (const config of PREVIOUS) {
    if (which === 'previous') {
      swapIn(config, true);
    } else {
      const saved = current.get(config.kernelName);
      if (saved != null) swapIn(saved, false);
    }
  }
}

/** Names of the kernels whose previous versions are kept here. */
export const PREVIOUS_KERNELS = PREVIOUS.map((c) => c.kernelName);
