// A worker thread that runs experiments: its own TF.js engine on the caller's backend (wasm with
// nn-doctor's training kernels, or cpu), fed units of work (unit.ts): experiments, and the seeds'
// runs of the fix experiments' arms. One at a time;
// progress and the outcome go back as messages.
import './worker-console.ts';
import { parentPort, workerData } from 'node:worker_threads';
import { UsageError } from '../core/errors.ts';
import { mnistControl } from '../data/mnist.ts';
import { runArmSeed } from '../probes/remedy-run.ts';
import { selectBackend } from '../tfjs/backend.ts';
import { experimentNamed } from './catalogue.ts';
import type { FromWorker, ToWorker } from './pool.ts';
import { contextOf } from './unit.ts';

const port = parentPort;
if (!port) throw new Error('experiments/worker.ts runs as a worker thread');
const ready = selectBackend((workerData as { backend: string }).backend);
// The pool sends experiments to a started worker first (the caller's thread takes those no worker
// is ready for); a failed start is reported with the first request instead.
ready.then(
  () => port.postMessage({ type: 'ready' } satisfies FromWorker),
  () => {},
);

const post = (message: FromWorker) => port.postMessage(message);

port.on('message', async (message: ToWorker) => {
  const { id } = message;
  let stage: 'unit' | 'run' = 'unit';
  try {
    await ready;
    const { ctx, dispose } = await contextOf(message.unit, (done, total) =>
      post({ type: 'progress', id, done, total }),
    );
    stage = 'run';
    try {
      // The worker runs for the Node entry, whose control corpus is MNIST when installed.
      const nodeCtx = { ...ctx, mnist: mnistControl };
      if (message.type === 'arm')
        post({ type: 'arm-done', id, result: await runArmSeed(nodeCtx, message.ids) });
      else
        post({ type: 'done', id, outcome: await experimentNamed(message.name).run(nodeCtx, message.inputs) });
    } finally {
      dispose();
    }
  } catch (err) {
    post({
      type: 'error',
      id,
      // 'unit': this thread could not rebuild the work (a custom layer or optimizer registered only
      // in the caller's thread); the caller runs the experiment itself.
      stage,
      usage: err instanceof UsageError,
      message: err instanceof Error ? err.message : String(err),
    });
  }
});
