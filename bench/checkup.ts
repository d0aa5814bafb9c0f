// Wall time of the full checkup of the built-in example (MNIST MLP, ~235k params), total and
// per probe, next to plain model.fit throughput on the same machine and backend in the same run
// (the machine is shared and noisy: compare figures from one run only).
// Usage: npx tsx bench/checkup.ts [--runs N] [--backend wasm|cpu|tensorflow]
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { checkup } from '../src/checkup.ts';
import { exampleData, exampleModel } from '../src/example/mnist-mlp.ts';
import { selectBackend } from '../src/tfjs/backend.ts';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '3' }, backend: { type: 'string' } },
});
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

const totals: number[] = [];
const probes: Record<string, number[]> = {};
for (let i = 0; i < runs; i++) {
  const report = await checkup({ model: exampleModel(), data });
  totals.push(report.timings.totalMs);
  for (const [name, ms] of Object.entries(report.timings.probes)) {
    probes[name] ??= [];
    probes[name].push(ms);
  }
  if (report.verdict === 'fail') console.warn('warning: the built-in example failed a check');
}
const fitRate = await fitThroughput();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

console.log(`backend: ${backend}; runs: ${runs}; node ${process.version}`);
console.log(`plain model.fit on the same MLP: ${fitRate.toFixed(0)} samples/s (batch 64)`);
console.log(
  `full checkup: median ${(median(totals) / 1000).toFixed(2)} s  (runs: ${totals.map((t) => (t / 1000).toFixed(2)).join(', ')} s)`,
);
console.log(`target: <= 10 s -> ratio to target ${(median(totals) / 10000).toFixed(2)}`);
for (const [name, ms] of Object.entries(probes))
  console.log(`  ${name.padEnd(18)} ${(median(ms) / 1000).toFixed(2)} s`);
