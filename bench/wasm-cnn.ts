// LeNet-style MNIST CNN training throughput on the wasm backend (with nn-doctor's training kernels,
// src/tfjs/wasm-kernels) against the pure-JS cpu backend, measured side by side in one process, plus
// how much of the machine's plain wasm matmul rate a whole training step achieves.
//
//   npx tsx bench/wasm-cnn.ts [--batch 32] [--steps 20] [--repeats 3] [--cpu-batch B] [--cpu-steps 1]
//                             [--optimizer adam|sgd]
//
// Model: conv 32 5×5 same relu → maxpool 2 → conv 64 3×3 same relu → maxpool 2 → flatten →
// dense 512 relu → dense 10 softmax; categorical cross-entropy; MNIST training images.
// FLOPs of a training step are counted as 3× the forward FLOPs of the conv and dense layers (the
// usual convention: backward ≈ 2× forward; here it slightly overcounts, as the first layer's input
// gradient is never computed). The matmul reference is a 1024³ float32 matmul on the same backend,
// measured right before each training repeat, so each percentage compares figures taken moments apart.
// The machine is shared: compare figures from one run, and look at the spread across repeats.
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { loadMnist } from '../src/data/mnist.ts';
import { selectBackend } from '../src/tfjs/backend.ts';
import { lenet } from './lib/models.ts';

const { values } = parseArgs({
  options: {
    batch: { type: 'string', default: '32' },
    steps: { type: 'string', default: '20' },
    repeats: { type: 'string', default: '3' },
    'cpu-batch': { type: 'string' },
    'cpu-steps': { type: 'string', default: '1' },
    optimizer: { type: 'string', default: 'adam' },
  },
});
const batch = Number(values.batch);
const steps = Number(values.steps);
const repeats = Number(values.repeats);
const cpuBatch = Number(values['cpu-batch'] ?? values.batch);
const cpuSteps = Number(values['cpu-steps']);
const optimizerName = values.optimizer === 'sgd' ? 'sgd' : 'adam';

function compile(model: tf.LayersModel): void {
  const optimizer = optimizerName === 'sgd' ? tf.train.sgd(0.01) : tf.train.adam(1e-3);
  model.compile({ optimizer, loss: 'categoricalCrossentropy' });
}

/** Forward FLOPs of one sample through the conv and dense layers (multiply + add = 2). */
function forwardFlops(model: tf.LayersModel): number {
  let flops = 0;
  for (const layer of model.layers) {
    const kind = layer.getClassName();
    if (kind === 'Conv2D') {
      const [kh, kw, cin, cout] = layer.getWeights()[0].shape;
      const [, oh, ow] = layer.outputShape as number[];
      flops += 2 * oh * ow * cout * kh * kw * cin;
    } else if (kind === 'Dense') {
      const [inputs, units] = layer.getWeights()[0].shape;
      flops += 2 * inputs * units;
    }
  }
  return flops;
}

const mnist = loadMnist('train', Math.max(batch, cpuBatch) * 4);
function batchAt(i: number, size: number): { x: tf.Tensor; y: tf.Tensor } {
  const records = mnist.xShape[0];
  const start = ((i * size) % (records - size + 1)) | 0;
  const x = tf.tensor4d(mnist.x.subarray(start * 784, (start + size) * 784), [size, 28, 28, 1]);
  const labels = tf.tensor1d(Array.from(mnist.y.subarray(start, start + size)), 'int32');
  const y = tf.oneHot(labels, 10).toFloat();
  labels.dispose();
  return { x, y };
}

/** Samples per second over `count` steps of `size` (after the caller's warm-up). */
async function trainRate(
  model: tf.LayersModel,
  size: number,
  count: number,
  offset: number,
): Promise<number> {
  const batches = Array.from({ length: Math.min(count, 4) }, (_, i) => batchAt(offset + i, size));
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    const { x, y } = batches[i % batches.length];
    await model.trainOnBatch(x, y);
  }
  const seconds = (performance.now() - t0) / 1000;
  for (const b of batches) tf.dispose([b.x, b.y]);
  return (size * count) / seconds;
}

function matmulRate(): number {
  const n = 1024;
  const a = tf.randomNormal([n, n]);
  const b = tf.randomNormal([n, n]);
  tf.matMul(a, b).dispose(); // warm-up (XNNPACK packs b once)
  const reps = 5;
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) {
    const c = tf.matMul(a, b);
    c.dataSync();
    c.dispose();
  }
  const seconds = (performance.now() - t0) / 1000;
  tf.dispose([a, b]);
  return (2 * n ** 3 * reps) / seconds / 1e9;
}

const fmt = (v: number, digits = 1) => v.toFixed(digits);
const median = (xs: number[]) => {
  const s = [...xs].sort((p, q) => p - q);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// ---- wasm ----
const wasmBackend = await selectBackend('wasm');
const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
const model = lenet(0);
compile(model);
const initialWeights = model.getWeights().map((w) => w.clone());
const trainFlops = 3 * forwardFlops(model);
console.log(
  `LeNet MNIST CNN, batch ${batch}, ${optimizerName}; backend ${wasmBackend} (SIMD ${simd ? 'on' : 'off'}); ` +
    `training step ≈ ${fmt(trainFlops / 1e6, 2)} MFLOP/sample (3 × forward)`,
);
{
  const warm = batchAt(0, batch);
  for (let i = 0; i < 3; i++) await model.trainOnBatch(warm.x, warm.y);
  tf.dispose([warm.x, warm.y]);
}
const matmul: number[] = [];
const wasmRates: number[] = [];
for (let r = 0; r < repeats; r++) {
  const m = matmulRate();
  const rate = await trainRate(model, batch, steps, r * steps);
  matmul.push(m);
  wasmRates.push(rate);
  const achieved = (rate * trainFlops) / 1e9;
  console.log(
    `  repeat ${r + 1}: matmul 1024³ ${fmt(m)} GFLOP/s | wasm training ${fmt(rate)} samples/s = ` +
      `${fmt(achieved, 2)} GFLOP/s = ${fmt((100 * achieved) / m)}% of matmul`,
  );
}
model.dispose();

// ---- cpu ----
await selectBackend('cpu');
const cpuModel = lenet(0);
cpuModel.setWeights(initialWeights);
compile(cpuModel);
{
  const warm = batchAt(0, 2);
  await cpuModel.trainOnBatch(warm.x, warm.y); // JIT warm-up on a tiny batch
  tf.dispose([warm.x, warm.y]);
}
console.log(`  cpu: timing ${cpuSteps} step(s) of batch ${cpuBatch} (slow) ...`);
const cpuRate = await trainRate(cpuModel, cpuBatch, cpuSteps, 0);
cpuModel.dispose();
tf.dispose(initialWeights);

// ---- summary ----
const wasmMedian = median(wasmRates);
const percents = wasmRates.map((rate, i) => (100 * rate * trainFlops) / 1e9 / matmul[i]);
console.log('');
console.log(
  `matmul 1024³ (wasm):       ${matmul.map((m) => fmt(m)).join(', ')} GFLOP/s (median ${fmt(median(matmul))})`,
);
console.log(
  `wasm training:             ${wasmRates.map((v) => fmt(v)).join(', ')} samples/s (median ${fmt(wasmMedian)}), ` +
    `${fmt((wasmMedian * trainFlops) / 1e9, 2)} GFLOP/s`,
);
console.log(
  `training / matmul rate:    ${percents.map((p) => `${fmt(p)}%`).join(', ')} (median ${fmt(median(percents))}%; target ≥ 30%)`,
);
console.log(
  `cpu training:              ${fmt(cpuRate, 3)} samples/s (batch ${cpuBatch}, ${cpuSteps} step(s))`,
);
console.log(`wasm / cpu:                ${fmt(wasmMedian / cpuRate)}× (target ≥ 50×)`);
