// Wall time of the full checkup of the built-in example (MNIST MLP, ~235k params), total and
// per probe, next to plain model.fit throughput on the same machine and backend in the same run
// (the machine is shared and noisy: compare figures from one run only).
// With --jobs 1,2 the checkups run with each worker count in turn, side by side in one run; with
// --model cnn it checks the small CNN (test/e2e/small-cnn.ts) instead of the MLP.
// Usage: npx tsx bench/checkup.ts [--runs N] [--backend wasm|cpu|tensorflow] [--jobs N,M,…] [--model mlp|cnn]
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { exampleData, exampleModel } from '../src/example/mnist-mlp.ts';
import { checkup } from '../src/node/checkup.ts';
import { selectBackend } from '../src/tfjs/backend.ts';
import { smallCnn } from '../test/e2e/small-cnn.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    backend: { type: 'string' },
    jobs: { type: 'string' },
    model: { type: 'string', default: 'mlp' },
  },
});
const jobsList = values.jobs
  ? values.jobs.split(',').map((j) => (j === 'auto' ? undefined : Number(j)))
  : [undefined];
const userModel = values.model === 'cnn' ? () => smallCnn() : () => exampleModel();
const runs = Number(values.runs);
const backend = await selectBackend(values.backend);
const data = exampleData();

async function fitThroughput(): Promise<number> {
  const model = exampleModel();
  const n = 6400;
  const x = tf.tensor(data.x.subarray(0, n * 784), [n, 28, 28, 1]);
  const y = tf.oneHot(tf.tensor1d(Array.from(data.y.subarray(0, n)), 'int32'), 10);
  await model.fit(x.slice(0, 640), y.slice(0, 640), { batchSize: 64, epochs: 1, verbose: 0 }); // warm-up
  const t0 = performance.now();
  await model.fit(x, y, { batchSize: 64, epochs: 1, verbose: 0 });
  const seconds = (performance.now() - t0) / 1000;
  tf.dispose([x, y]);
  model.dispose();
  return n / seconds;
}

const totals = new Map<number | undefined, number[]>();
const probes = new Map<number | undefined, Record<string, number[]>>();
for (let i = 0; i < runs; i++) {
  for (const jobs of jobsList) {
    const report = await checkup({ model: userModel(), data, ...(jobs ? { jobs } : {}) });
    totals.set(jobs, [...(totals.get(jobs) ?? []), report.timings.totalMs]);
    const byProbe = probes.get(jobs) ?? {};
    for (const [name, ms] of Object.entries(report.timings.probes)) {
      byProbe[name] ??= [];
      byProbe[name].push(ms);
    }
    probes.set(jobs, byProbe);
    if (report.verdict === 'fail') console.warn('warning: the checked model failed a check');
  }
}
const fitRate = await fitThroughput();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

console.log(`backend: ${backend}; runs: ${runs}; node ${process.version}`);
console.log(`plain model.fit on the same MLP: ${fitRate.toFixed(0)} samples/s (batch 64)`);
for (const jobs of jobsList) {
  const t = totals.get(jobs) ?? [];
  console.log(
    `full checkup of the ${values.model} (jobs ${jobs ?? 'default'}): median ${(median(t) / 1000).toFixed(2)} s  (runs: ${t.map((x) => (x / 1000).toFixed(2)).join(', ')} s)`,
  );
  console.log(`target: <= 10 s -> ratio to target ${(median(t) / 10000).toFixed(2)}`);
  for (const [name, ms] of Object.entries(probes.get(jobs) ?? {}))
    console.log(`  ${name.padEnd(18)} ${(median(ms) / 1000).toFixed(2)} s`);
}
