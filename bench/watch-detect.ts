// Time to detect: faults planted mid-run in a real `fit` of the MNIST MLP (wasm, real MNIST), with
// the watcher at its default schedule. For each: the onset step, the step and wall-clock time at
// which a finding was raised, and any finding raised before the onset (a false alarm).
//
//   npx tsx bench/watch-detect.ts [--onset 300]
//
// Faults: the learning rate raised 100× (Adam 1e-3 → 0.1) after step k; a batch of NaN images at
// step k; the first hidden layer's biases shifted to −100 after step k (every ReLU of it dies);
// validation loss turning up (512 training records, no plant: the onset is the step of the
// validation minimum, read off the finished curve; validation every 16 steps, as a user would
// pass validation.every for a run this short). Anchor: DeepDiagnosis's median time to detect, 13.7 s.
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import type { LiveFinding } from '../src/core/report.ts';
import { exampleModel } from '../src/example/mnist-mlp.ts';
import { selectBackend } from '../src/tfjs/backend.ts';
import { setLearningRate } from '../src/tfjs/clone.ts';
import {
  DEFAULT_ACTIVATIONS_EVERY,
  DEFAULT_EVERY,
  type WatchOptions,
  watch,
} from '../src/watch/tfjs/watcher.ts';
import { loadAverage, mnistTensors } from './lib/models.ts';

const { values } = parseArgs({ options: { onset: { type: 'string', default: '300' } } });
const K = Number(values.onset);
await selectBackend('wasm');
const BATCH = 64;
const { x, y } = mnistTensors(8192 + 1024);
const trainX = x.slice(0, 8192);
const trainY = y.slice(0, 8192);
const valX = x.slice(8192);
const valY = y.slice(8192);
const probe = { x: x.slice(0, 256), y: y.slice(0, 256) };

interface Scenario {
  name: string;
  steps: number;
  x?: tf.Tensor;
  y?: tf.Tensor;
  /** Fed with fitDataset instead of fit (the NaN batch is planted in the stream). */
  dataset?: () => tf.data.Dataset<tf.TensorContainer>;
  batch?: number;
  /** Applied after step k's update. */
  plant?: (model: tf.LayersModel) => void;
  watch?: Partial<WatchOptions>;
  /** Onset from the finished run (when nothing is planted). */
  onsetOf?: (w: ReturnType<typeof watch>) => number;
}

/** Batches of the training set in order, cycling, with a batch of NaN images at step K. */
function nanAtK(): tf.data.Dataset<tf.TensorContainer> {
  const batches = 8192 / BATCH;
  let step = 0;
  return tf.data.generator(function* () {
    for (;;) {
      const i = step % batches;
      const xs = trainX.slice(i * BATCH, BATCH);
      const ys = trainY.slice(i * BATCH, BATCH);
      yield { xs: step === K ? tf.fill(xs.shape, Number.NaN) : xs, ys };
      step++;
    }
  });
}

const SCENARIOS: Scenario[] = [
  {
    name: 'learning rate raised 100×',
    steps: K + 400,
    plant: (m) => setLearningRate(m.optimizer, 0.1),
  },
  { name: 'a NaN batch', steps: K + 100, dataset: nanAtK },
  {
    name: 'ReLUs killed by a bias shift',
    steps: K + 2 * DEFAULT_ACTIVATIONS_EVERY + 100,
    plant: (m) => {
      const layer = m.getLayer('hidden_1');
      const [kernel, bias] = layer.getWeights();
      layer.setWeights([kernel, tf.fill(bias.shape, -100)]);
    },
  },
  {
    name: 'validation loss turning up',
    steps: 1200,
    x: trainX.slice(0, 512),
    y: trainY.slice(0, 512),
    batch: 32,
    watch: { validation: { x: valX, y: valY, every: 16 } },
    onsetOf: (w) => {
      const v = w.evidence().training?.valLoss;
      if (!v) return -1;
      const i = v.values.indexOf(Math.min(...v.values));
      return v.steps[i];
    },
  },
];

console.log(
  `time to detect — MNIST MLP, fit, wasm; watcher defaults (every ${DEFAULT_EVERY}, activations every ${DEFAULT_ACTIVATIONS_EVERY}); load average ${loadAverage()}`,
);
console.log(
  `${'fault'.padEnd(30)} ${'onset'.padStart(6)} ${'found at'.padStart(9)} ${'Δ steps'.padStart(8)} ${'Δ wall'.padStart(8)}  ms/step  finding`,
);
for (const s of SCENARIOS) {
  const model = exampleModel();
  const batch = s.batch ?? BATCH;
  const xs = s.x ?? trainX;
  const ys = s.y ?? trainY;
  const perEpoch = Math.ceil(xs.shape[0] / batch);
  const findings: { f: LiveFinding; at: number }[] = [];
  const watcher = watch(model, { probe, ...s.watch, onFinding: (f) => findings.push({ f, at: Date.now() }) });
  let step = 0;
  let onsetWall = 0;
  const wallAt: number[] = [];
  class Planter extends tf.Callback {
    override async onBatchEnd(): Promise<void> {
      wallAt[step] = Date.now();
      if (step === K && s.plant) {
        s.plant(model);
        onsetWall = Date.now();
      }
      step++;
      if (step >= s.steps) model.stopTraining = true;
    }
  }
  const started = performance.now();
  const callbacks = [watcher.callback, new Planter()];
  if (s.dataset) {
    await model.fitDataset(s.dataset(), { epochs: 1, batchesPerEpoch: s.steps, verbose: 0, callbacks });
    onsetWall = wallAt[K - 1] ?? 0;
  } else {
    await model.fit(xs, ys, {
      epochs: Math.ceil(s.steps / perEpoch),
      batchSize: batch,
      shuffle: false,
      verbose: 0,
      callbacks,
    });
  }
  await watcher.stop();
  const msPerStep = (performance.now() - started) / step;
  const onset = s.onsetOf ? s.onsetOf(watcher) : K;
  if (!s.plant && !s.dataset) onsetWall = wallAt[onset] ?? 0;
  const early = findings.filter((h) => h.f.step < onset);
  const hit = findings.find((h) => h.f.step >= onset);
  const row = hit
    ? `${String(hit.f.step).padStart(9)} ${String(hit.f.step - onset).padStart(8)} ${`${((hit.at - onsetWall) / 1000).toFixed(2)} s`.padStart(8)}  ${msPerStep.toFixed(1).padStart(7)}  ${hit.f.id} (${hit.f.status}; first seen at step ${hit.f.firstSeenStep})`
    : `${'—'.padStart(9)} ${'—'.padStart(8)} ${'—'.padStart(8)}  ${msPerStep.toFixed(1).padStart(7)}  not detected in ${step} steps`;
  console.log(`${s.name.padEnd(30)} ${String(onset).padStart(6)} ${row}`);
  for (const h of early)
    console.log(`   before the onset: ${h.f.id} (${h.f.status}) at step ${h.f.step}: ${h.f.summary}`);
  for (const h of findings.filter((x) => x !== hit && !early.includes(x)))
    console.log(
      `   then: ${h.f.id} (${h.f.status}) at step ${h.f.step} (first seen at ${h.f.firstSeenStep})`,
    );
  model.dispose();
}
