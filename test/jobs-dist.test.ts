// Worker threads from the compiled code (what the published package runs): the worker entry is
// dist's worker.js beside pool.js, loaded without tsx. An experiment run in a worker gives the
// outcome it gives in the caller's thread, and checkups with jobs 1 and 2 give the same report.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const out = join(root, 'test-artifacts', 'dist-jobs');

const SCRIPT = `
import * as tf from '@tensorflow/tfjs';
const dist = ${JSON.stringify(out)};
const { checkup } = await import(dist + '/index.js');
const { WorkerPool, workersAvailable } = await import(dist + '/experiments/pool.js');
const { prepareCheckup } = await import(dist + '/experiments/setup.js');
const { experimentNamed } = await import(dist + '/experiments/catalogue.js');
const { runHere } = await import(dist + '/experiments/gather.js');
await tf.setBackend('cpu');
const model = tf.sequential({
  layers: [
    tf.layers.dense({ inputShape: [6], units: 16, activation: 'relu', kernelInitializer: tf.initializers.heNormal({ seed: 1 }) }),
    tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
  ],
});
model.compile({ optimizer: tf.train.adam(0.01), loss: 'sparseCategoricalCrossentropy' });
const x = tf.randomNormal([300, 6], 0, 1, 'float32', 3);
const y = x.slice([0, 0], [-1, 3]).argMax(1);
const budget = { trainSteps: 20, overfitSteps: 20, overfitRecords: 20, controlSteps: 10, sweepSteps: 15, heldOutRecords: 60 };
const setup = await prepareCheckup({ model, data: { x, y }, budget });
const inputs = { options: { classBalanceRatio: 3 }, outcomes: {} };
const pool = new WorkerPool(1, 'cpu');
const progress = [];
const inWorker = await pool.run(experimentNamed('lrSweep'), { ...setup.ctx, progress: (d, t) => progress.push(d + '/' + t) }, inputs);
const workers = pool.workers.length;
await pool.close();
const here = await runHere(experimentNamed('lrSweep'), setup.ctx, inputs);
setup.dispose();
const stable = (r) => JSON.stringify({ ...r, createdAt: 0, timings: 0, checks: r.checks.map((c) => ({ ...c, durationMs: 0 })) });
const one = await checkup({ model, data: { x, y }, budget, seed: 3, jobs: 1 });
const two = await checkup({ model, data: { x, y }, budget, seed: 3, jobs: 2 });
console.log(JSON.stringify({
  available: workersAvailable(),
  workers,
  progressed: progress.length,
  sameOutcome: JSON.stringify(inWorker) === JSON.stringify(here),
  measured: inWorker.value?.lrs?.length ?? 0,
  sameReports: stable(one) === stable(two),
  errors: two.checks.filter((c) => c.status === 'error').map((c) => c.id),
  backend: tf.getBackend(),
}));
`;

describe('experiments in worker threads from the compiled dist/', () => {
  beforeAll(() => {
    rmSync(out, { recursive: true, force: true });
    const tsc = spawnSync(
      process.execPath,
      [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', out],
      {
        cwd: root,
        encoding: 'utf8',
      },
    );
    if (tsc.status !== 0) throw new Error(`build failed: ${tsc.stdout}${tsc.stderr}`);
  }, 600_000);

  it('runs an experiment in a worker with the outcome of the caller’s thread; jobs 1 and 2 agree', () => {
    mkdirSync(join(root, 'test-artifacts'), { recursive: true });
    const script = join(root, 'test-artifacts', 'jobs-dist.mjs');
    writeFileSync(script, SCRIPT);
    const run = spawnSync(process.execPath, [script], { cwd: root, encoding: 'utf8', timeout: 280_000 });
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout.trim().split('\n').pop() as string);
    expect(result).toEqual({
      available: true,
      workers: 1,
      progressed: result.progressed,
      sameOutcome: true,
      measured: result.measured,
      sameReports: true,
      errors: [],
      backend: 'cpu',
    });
    expect(result.progressed).toBeGreaterThan(0);
    expect(result.measured).toBeGreaterThan(0);
  }, 300_000);
});
