/**
 * Picks the TF.js backend every probe runs on.
 *
 * The CLI (`selectBackend`): TensorFlow's native library ('tensorflow', from
 * '@tensorflow/tfjs-node-gpu' or '@tensorflow/tfjs-node') when one of them is installed and loads —
 * optional packages this project never requires, loaded only when resolvable — else 'wasm' (SIMD,
 * with the training kernels of ./wasm-kernels registered so CNNs and Embedding layers train), else
 * the pure-JS 'cpu'.
 * `--backend NAME` (the `requested` argument) overrides the order.
 *
 * The library (`backendForCall`): the caller's active backend, never switched; or, when a checkup
 * names one, that backend for the call and the caller's restored afterwards.
 */
import * as tf from '@tensorflow/tfjs';
import { UsageError } from '../core/errors.ts';

export const BACKEND_NAMES = ['tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

/**
 * The packages that bring the 'tensorflow' backend, the GPU build first (it also runs on the CPU).
 * Kept in a variable so that neither TypeScript nor a bundler tries to resolve these optional packages.
 */
export const TENSORFLOW_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;

const availability = new Map<BackendName, Promise<boolean>>();
/** Why 'tensorflow' cannot start, for the usage error (set when loading it failed). */
let tensorflowProblem = `neither ${TENSORFLOW_PACKAGES.join(' nor ')} is installed (npm install @tensorflow/tfjs-node)`;

function isBackendName(name: string): name is BackendName {
  return (BACKEND_NAMES as readonly string[]).includes(name);
}

/**
 * Node's module API, named in a variable: this file is part of the browser-safe library, and a
 * bundler for the browser must not try to resolve a Node built-in (in a page the import fails and
 * 'tensorflow' is simply not available).
 */
const NODE_MODULE = 'node:module';
type NodeModuleApi = { createRequire(url: string): { resolve(id: string): string } };

/** Whether `pkg` resolves from here (installed), without loading it. */
async function resolvable(pkg: string): Promise<boolean> {
  try {
    const { createRequire } = (await import(/* @vite-ignore */ NODE_MODULE)) as NodeModuleApi;
    createRequire(import.meta.url).resolve(pkg);
    return true;
  } catch {
    return false;
  }
}

async function loadTensorflow(): Promise<boolean> {
  const installed: string[] = [];
  for (const pkg of TENSORFLOW_PACKAGES) if (await resolvable(pkg)) installed.push(pkg);
  const problems: string[] = [];
  for (const pkg of installed) {
    try {
      await import(pkg);
    } catch (err) {
      // An installed package that does not load: its native library is missing or does not fit.
      const first = (err instanceof Error ? err.message : String(err)).split('\n')[0].slice(0, 200);
      problems.push(`${pkg} is installed but failed to load (${first})`);
      continue;
    }
    if (tf.findBackendFactory('tensorflow') != null) return true;
    // It loaded, but registered its backend with its own copy of TF.js, not the one nn-doctor runs on.
    problems.push(
      `${pkg} loaded but registered no backend with this @tensorflow/tfjs (${tf.version_core}): install the ${pkg} version that matches it`,
    );
  }
  if (problems.length) tensorflowProblem = problems.join('; ');
  return false;
}

async function loadWasm(): Promise<boolean> {
  try {
    await import('@tensorflow/tfjs-backend-wasm');
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

function unavailable(where: string, name: string, why: string): UsageError {
  // The names only help when the name was the problem; 'tensorflow' says what to install instead.
  const valid =
    name === 'tensorflow'
      ? ''
      : ` Valid names: ${BACKEND_NAMES.join(', ')} ('tensorflow' needs @tensorflow/tfjs-node or @tensorflow/tfjs-node-gpu installed).`;
  return new UsageError(`${where} ${name}: ${why}.${valid}`);
}

function backendName(requested: string, where: string): BackendName {
  const name = requested.trim().toLowerCase();
  if (!isBackendName(name)) throw unavailable(where, requested, 'unknown backend');
  return name;
}

/**
 * Activates the requested backend ('tensorflow' | 'wasm' | 'cpu'), or the best available one when
 * none is requested, and returns the name of the backend in effect. Idempotent.
 * Throws `UsageError` for an unknown name or a requested backend that cannot start.
 */
export async function selectBackend(requested?: string, where = '--backend'): Promise<string> {
  if (requested != null) {
    const name = backendName(requested, where);
    if (!(await activate(name))) {
      throw unavailable(where, name, name === 'tensorflow' ? tensorflowProblem : 'it failed to start');
    }
    return name;
  }
  for (const name of BACKEND_NAMES) {
    if (await activate(name)) return name;
  }
  throw new Error('No TF.js backend could start (tried tensorflow, wasm, cpu).');
}

/** A backend switched for library calls: which, the caller's to restore, how many calls hold it. */
let held: { name: BackendName; previous: string; calls: number; ready: Promise<unknown> } | null = null;

export interface BackendLease {
  /** The backend the call runs on. */
  name: string;
  /** Puts the caller's backend back (when this call switched it and no other call still holds it). */
  restore(): Promise<void>;
}

/**
 * The backend a library call runs on. Without `requested`: the caller's active backend, never
 * switched (on 'wasm', nn-doctor's training kernels are registered: they add the gradient kernels
 * wasm lacks and replace four slow ones with numerically checked equivalents). With `requested`:
 * that backend until `restore()`, which switches back to the caller's. TF.js has one active backend
 * per process, so calls that run at the same time must not ask for different ones.
 */
export async function backendForCall(requested?: string, where = 'options.backend'): Promise<BackendLease> {
  const name = requested == null ? null : backendName(requested, where);
  await tf.ready();
  // From here to `held = lease` nothing awaits: concurrent calls see each other's lease.
  if (name !== null && held !== null) {
    if (held.name !== name) {
      throw new UsageError(
        `${where} ${name}: another checkup is running on '${held.name}' (TF.js has one active backend per process)`,
      );
    }
    const lease = held;
    lease.calls++;
    try {
      await lease.ready;
    } catch (err) {
      lease.calls--;
      throw err;
    }
    return { name, restore: () => release(lease) };
  }
  const current = tf.getBackend();
  if (name === null || name === current) {
    if (current === 'wasm') await loadable('wasm');
    return { name: current, restore: async () => {} };
  }
  const lease = { name, previous: current, calls: 1, ready: selectBackend(name, where) };
  held = lease;
  try {
    await lease.ready;
  } catch (err) {
    held = null;
    throw err;
  }
  return { name, restore: () => release(lease) };
}

async function release(lease: NonNullable<typeof held>): Promise<void> {
  if (--lease.calls > 0) return;
  if (held === lease) held = null;
  if (tf.getBackend() === lease.name) await tf.setBackend(lease.previous);
}
