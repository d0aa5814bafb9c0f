// LeNet-style MNIST CNN training throughput on the wasm backend with nn-doctor's training kernels
// (src/tfjs/wasm-kernels), side by side in one run with: the previous versions of the kernels this
// work replaced (bench/lib/previous-kernels), PyTorch on the CPU with 1 and 2 threads (Debian's
// python3-torch, bench/pytorch-lenet.py, skipped when it is not installed), and the pure-JS cpu
// backend; plus how much of the machine's plain wasm matmul rate a whole training step achieves.
// Each repeat times matmul, previous kernels, current kernels and PyTorch one after the other, so
// that each ratio compares figures taken moments apart.
//
//   npx tsx bench/wasm-cnn.ts [--batch 32] [--steps 20] [--repeats 3] [--cpu-batch B] [--cpu-steps 1]
//                             [--optimizer adam|sgd] [--profile] [--no-torch] [--no-cpu]
//
// --profile adds the per-kernel time of a step (tf.profile), previous and current kernels.
//
// Model: conv 32 5×5 same relu → maxpool 2 → conv 64 3×3 same relu → maxpool 2 → flatten →
// dense 512 relu → dense 10 softmax; categorical cross-entropy; MNIST training images.
// FLOPs of a training step are counted as 3× the forward FLOPs of the conv and dense layers (the
// usual convention: backward ≈ 2× forward; here it slightly overcounts, as the first layer's input
// gradient is never computed). The matmul reference is a 1024³ float32 matmul on the same backend,
// measured right before each training repeat, so each percentage compares figures taken moments apart.
// The machine is shared: compare figures from one run, and look at the spread across repeats.
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { loadMnist } from '../src/data/mnist.ts';
import { selectBackend } from '../src/tfjs/backend.ts';
import { type KernelTime, mergeProfiles, profileStep } from './lib/kernel-profile.ts';
import { lenet, loadAverage } from './lib/models.ts';
import { PREVIOUS_KERNELS, useKernels } from './lib/previous-kernels/index.ts';

const { values } = parseArgs({
  options: {
    batch: { type: 'string', default: '32' },
    steps: { type: 'string', default: '20' },
    repeats: { type: 'string', default: '3' },
    'cpu-batch': { type: 'string' },
    'cpu-steps': { type: 'string', default: '1' },
    optimizer: { type: 'string', default: 'adam' },
    profile: { type: 'boolean', default: false },
    'no-torch': { type: 'boolean', default: false },
    'no-cpu': { type: 'boolean', default: false },
    clock: { type: 'string', default: 'wall' },
  },
});
const batch = Number(values.batch);
const steps = Number(values.steps);
const repeats = Number(values.repeats);
const cpuBatch = Number(values['cpu-batch'] ?? values.batch);
const cpuSteps = Number(values['cpu-steps']);
const optimizerName = values.optimizer === 'sgd' ? 'sgd' : 'adam';
// 'cpu': time by this process's CPU time (user + system), which a loaded machine distorts far less
// than wall time; PyTorch then reports CPU time too (summed over its threads).
const clock = values.clock === 'cpu' ? 'cpu' : 'wall';
const now =
  clock === 'cpu'
    ? () => process.cpuUsage().user / 1000 + process.cpuUsage().system / 1000
    : () => performance.now();

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
  const t0 = now();
  for (let i = 0; i < count; i++) {
    const { x, y } = batches[i % batches.length];
    await model.trainOnBatch(x, y);
  }
  const seconds = (now() - t0) / 1000;
  for (const b of batches) tf.dispose([b.x, b.y]);
  return (size * count) / seconds;
}

function matmulRate(): number {
  const n = 1024;
  const a = tf.randomNormal([n, n]);
  const b = tf.randomNormal([n, n]);
  tf.matMul(a, b).dispose(); // warm-up (XNNPACK packs b once)
  const reps = 5;
  const t0 = now();
  for (let i = 0; i < reps; i++) {
    const c = tf.matMul(a, b);
    c.dataSync();
    c.dispose();
  }
  const seconds = (now() - t0) / 1000;
  tf.dispose([a, b]);
  return (2 * n ** 3 * reps) / seconds / 1e9;
}

const fmt = (v: number, digits = 1) => v.toFixed(digits);

/** Per-kernel time of a training step (mean of 5 profiled steps), against the matmul rate. */
async function printProfile(model: tf.LayersModel, matmulGflops: number): Promise<void> {
  const total = new Map<string, KernelTime>();
  const runs = 5;
  const b = batchAt(0, batch);
  for (let i = 0; i < runs; i++) mergeProfiles(total, await profileStep(() => model.trainOnBatch(b.x, b.y)));
  tf.dispose([b.x, b.y]);
  const rows = [...total.values()].sort((p, q) => q.ms - p.ms);
  const stepMs = rows.reduce((sum, r) => sum + r.ms, 0) / runs;
  console.log(
    `\nper-kernel time of one step (batch ${batch}, mean of ${runs} profiled steps): ${fmt(stepMs)} ms in kernels`,
  );
  for (const r of rows.slice(0, 16)) {
    const ms = r.ms / runs;
    const rate =
      r.gflop > 0
        ? ` ${fmt(r.gflop / (r.ms / 1000), 2)} GFLOP/s = ${fmt((100 * r.gflop) / (r.ms / 1000) / matmulGflops)}% of matmul`
        : '';
    console.log(
      `  ${fmt(ms, 2).padStart(7)} ms ${fmt((100 * ms) / stepMs).padStart(5)}%  ${r.name} ${r.shapes} ×${r.calls / runs}${rate}`,
    );
  }
}
const median = (xs: number[]) => {
  const s = [...xs].sort((p, q) => p - q);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** PyTorch's LeNet samples/s by thread count, or null when python3-torch is not installed. */
function torchRates(): Record<string, number> | null {
  if (values['no-torch']) return null;
  const script = new URL('./pytorch-lenet.py', import.meta.url).pathname;
  const args = [
    script,
    '--batch',
    `${batch}`,
    '--steps',
    `${steps}`,
    '--optimizer',
    optimizerName,
    '--clock',
    clock,
  ];
  const run = spawnSync('/usr/bin/python3', args, { encoding: 'utf8' });
  if (run.status !== 0) {
    if (torchProblem === '') torchProblem = (run.stderr || String(run.error)).trim().split('\n').pop() ?? '';
    return null;
  }
  return JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}').rates ?? null;
}
let torchProblem = '';

// ---- wasm ----
const wasmBackend = await selectBackend('wasm');
if (clock === 'cpu') {
  // tf.profile's kernel times come from the backend's `time`: make them CPU time as well.
  const backend = tf.backend() as unknown as { time: (f: () => void) => Promise<{ kernelMs: number }> };
  backend.time = async (f) => {
    const t0 = now();
    f();
    return { kernelMs: now() - t0 };
  };
}
const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
const model = lenet(0);
compile(model);
const initialWeights = model.getWeights().map((w) => w.clone());
const trainFlops = 3 * forwardFlops(model);
console.log(
  `LeNet MNIST CNN, batch ${batch}, ${optimizerName}; backend ${wasmBackend} (SIMD ${simd ? 'on' : 'off'}); ` +
    `training step ≈ ${fmt(trainFlops / 1e6, 2)} MFLOP/sample (3 × forward); load ${loadAverage()}; ` +
    `timed by ${clock === 'cpu' ? 'CPU time (PyTorch: CPU time summed over its threads)' : 'wall time'}`,
);
console.log(`previous kernels: the versions of ${PREVIOUS_KERNELS.join(', ')} before issue 19's kernel work`);
for (const which of ['previous', 'current'] as const) {
  useKernels(which);
  const warm = batchAt(0, batch);
  for (let i = 0; i < 3; i++) await model.trainOnBatch(warm.x, warm.y);
  tf.dispose([warm.x, warm.y]);
}
const matmul: number[] = [];
const rates = { previous: [] as number[], current: [] as number[] };
const torch: Record<string, number[]> = {};
const share = (rate: number, m: number) => (100 * rate * trainFlops) / 1e9 / m;
for (let r = 0; r < repeats; r++) {
  const m = matmulRate();
  matmul.push(m);
  for (const which of ['previous', 'current'] as const) {
    useKernels(which);
    rates[which].push(await trainRate(model, batch, steps, r * steps));
  }
  const t = torchRates();
  for (const [threads, rate] of Object.entries(t ?? {})) {
    torch[threads] = [...(torch[threads] ?? []), rate];
  }
  const [p, c] = [rates.previous[r], rates.current[r]];
  console.log(
    `  repeat ${r + 1}: matmul 1024³ ${fmt(m)} GFLOP/s | previous ${fmt(p)} samples/s (${fmt(share(p, m))}%) | ` +
      `current ${fmt(c)} samples/s (${fmt(share(c, m))}%) = ${fmt(c / p, 2)}× previous` +
      (t
        ? ` | PyTorch ${Object.entries(t)
            .map(([k, v]) => `${k} thread(s) ${fmt(v)}`)
            .join(', ')} samples/s`
        : ''),
  );
}
useKernels('current');
if (values.profile) {
  for (const which of ['previous', 'current'] as const) {
    useKernels(which);
    console.log(`\n${which} kernels:`);
    await printProfile(model, median(matmul));
  }
  useKernels('current');
}
model.dispose();

// ---- cpu ----
let cpuRate = Number.NaN;
if (!values['no-cpu']) {
  await selectBackend('cpu');
  const cpuModel = lenet(0);
  cpuModel.setWeights(initialWeights);
  compile(cpuModel);
  const warm = batchAt(0, 2);
  await cpuModel.trainOnBatch(warm.x, warm.y); // JIT warm-up on a tiny batch
  tf.dispose([warm.x, warm.y]);
  console.log(`  cpu: timing ${cpuSteps} step(s) of batch ${cpuBatch} (slow) ...`);
  cpuRate = await trainRate(cpuModel, cpuBatch, cpuSteps, 0);
  cpuModel.dispose();
}
tf.dispose(initialWeights);

// ---- summary ----
const med = { previous: median(rates.previous), current: median(rates.current) };
const percents = (which: 'previous' | 'current') => rates[which].map((rate, i) => share(rate, matmul[i]));
console.log('');
console.log(`load average at the end: ${loadAverage()}`);
console.log(
  `matmul 1024³ (wasm):        ${matmul.map((m) => fmt(m)).join(', ')} GFLOP/s (median ${fmt(median(matmul))})`,
);
for (const which of ['previous', 'current'] as const) {
  const p = percents(which);
  console.log(
    `wasm, ${which} kernels:`.padEnd(28) +
      `${rates[which].map((v) => fmt(v)).join(', ')} samples/s (median ${fmt(med[which])}) = ` +
      `${p.map((x) => `${fmt(x)}%`).join(', ')} of matmul (median ${fmt(median(p))}%)`,
  );
}
const ratios = rates.current.map((c, i) => c / rates.previous[i]);
console.log(
  `current / previous:         ${ratios.map((x) => `${fmt(x, 2)}×`).join(', ')} (median ${fmt(median(ratios), 2)}×)`,
);
console.log(`training / matmul target:   ≥ 60% (issue 19)`);
if (Object.keys(torch).length > 0) {
  for (const [threads, list] of Object.entries(torch)) {
    const ratio = list.map((v, i) => rates.current[i] / v);
    console.log(
      `PyTorch ${threads} thread(s):`.padEnd(28) +
        `${list.map((v) => fmt(v)).join(', ')} samples/s (median ${fmt(median(list))}); ` +
        `wasm current / PyTorch ${ratio.map((x) => `${fmt(x, 2)}×`).join(', ')} (median ${fmt(median(ratio), 2)}×; target ≥ 2×)`,
    );
  }
} else {
  console.log(`PyTorch: not measured (${values['no-torch'] ? '--no-torch' : torchProblem || 'no result'})`);
}
if (!values['no-cpu']) {
  console.log(
    `cpu training:               ${fmt(cpuRate, 3)} samples/s (batch ${cpuBatch}, ${cpuSteps} step(s))`,
  );
  console.log(`wasm current / cpu:         ${fmt(med.current / cpuRate)}× (target ≥ 50×)`);
}
