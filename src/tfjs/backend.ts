/**
 * Picks the TF.js backend every probe runs on.
 *
 * Default order: '@tensorflow/tfjs-node' ('tensorflow') when it is installed and loads — an optional
 * dependency this project never requires — else 'wasm' (SIMD, with the training kernels of
 * ./wasm-kernels registered so CNNs and Embedding layers train), else the pure-JS 'cpu'.
 * `--backend NAME` (the `requested` argument) overrides the order.
 */
import * as tf from '@tensorflow/tfjs';
import { UsageError } from '../core/errors.ts';

export const BACKEND_NAMES = ['tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

/** Kept in a variable so that neither TypeScript nor a bundler tries to resolve the optional package. */
const TFJS_NODE = '@tensorflow/tfjs-node';

const availability = new Map<BackendName, Promise<boolean>>();

function isBackendName(name: string): name is BackendName {
  return (BACKEND_NAMES as readonly string[]).includes(name);
}

async function loadTensorflow(): Promise<boolean> {
  try {
    await import(TFJS_NODE);
  } catch {
    return false;
  }
  return tf.findBackendFactory('tensorflow') != null;
}

async function loadWasm(): Promise<boolean> {
  try {
    const { registerWasmTrainingKernels } = await import('./wasm-kernels/index.ts');
    registerWasmTrainingKernels();
  } catch {
    return false;
  }
  return tf.findBackendFactory('wasm') != null;
}

/** Whether the backend's package is present (loaded once per process; does not switch backends). */
function loadable(name: BackendName): Promise<boolean> {
  let result = availability.get(name);
  if (result == null) {
    result = name === 'tensorflow' ? loadTensorflow() : name === 'wasm' ? loadWasm() : Promise.resolve(true);
    availability.set(name, result);
  }
  return result;
}

/** Makes `name` the active backend; false when it cannot start. */
async function activate(name: BackendName): Promise<boolean> {
  if (!(await loadable(name))) return false;
  if (tf.engine().backendName === name) return true;
  try {
    return await tf.setBackend(name);
  } catch {
    return false;
  }
}

function unavailable(name: string, why: string): UsageError {
  return new UsageError(
    `--backend ${name}: ${why}. Valid names: ${BACKEND_NAMES.join(', ')} ` +
      `('tensorflow' needs @tensorflow/tfjs-node installed).`,
  );
}

/**
 * Activates the requested backend ('tensorflow' | 'wasm' | 'cpu'), or the best available one when
 * none is requested, and returns the name of the backend in effect. Idempotent.
 * Throws `UsageError` for an unknown name or a requested backend that cannot start.
 */
export async function selectBackend(requested?: string): Promise<string> {
  if (requested != null) {
    const name = requested.trim().toLowerCase();
    if (!isBackendName(name)) throw unavailable(requested, 'unknown backend');
    if (!(await activate(name))) {
      throw unavailable(
        name,
        name === 'tensorflow'
          ? '@tensorflow/tfjs-node is not installed or failed to load'
          : 'it failed to start',
      );
    }
    return name;
  }
  for (const name of BACKEND_NAMES) {
    if (await activate(name)) return name;
  }
  throw new Error('No TF.js backend could start (tried tensorflow, wasm, cpu).');
}
