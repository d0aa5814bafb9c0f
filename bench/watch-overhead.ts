// Overhead of watching a TF.js run: `model.fit` with and without the watcher, side by side in one
// process, interleaved (each repeat runs every configuration once, in a rotated order, on a fresh
// model with the same seed), on the MNIST MLP and LeNet (wasm backend, real MNIST).
//
//   npx tsx bench/watch-overhead.ts [--repeats 3] [--steps 512] [--lenet-steps 96] [--models mlp,lenet]
//
// Configurations (Cockpit's columns): no watcher; the watcher at its defaults (gradients/updates
// every DEFAULT_EVERY steps, activations of a 256-record probe batch every DEFAULT_ACTIVATIONS_EVERY,
// the loss of every step); everything every 16 steps; everything every step. Ratios are time per
// step over the unwatched run of the same repeat: median and range over repeats. On a shared
// machine they are noisy; the "own time" column is steadier: the time the watcher itself spent on
// the training thread (its hooks, device reductions, probe passes and check evaluations, measured
// inside it) as a share of the unwatched run's time. The activation
// probe's cost per call is measured apart, and its share at the default schedule computed, since a
// short run sees the default probe only once or twice.
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { median } from '../src/core/stats.ts';
import { selectBackend } from '../src/tfjs/backend.ts';
import {
  DEFAULT_ACTIVATIONS_EVERY,
  DEFAULT_EVERY,
  type WatchOptions,
  watch,
} from '../src/watch/tfjs/watcher.ts';
import { loadAverage, MODELS, mnistTensors } from './lib/models.ts';

const { values } = parseArgs({
  options: {
    repeats: { type: 'string', default: '3' },
    steps: { type: 'string', default: '512' },
    'lenet-steps': { type: 'string', default: '96' },
    batch: { type: 'string', default: '64' },
    'lenet-batch': { type: 'string', default: '32' },
    models: { type: 'string', default: 'mlp,lenet' },
  },
});
const repeats = Number(values.repeats);
await selectBackend('wasm');

type Config = { name: string; options: ((probe: tf.Tensor) => WatchOptions) | null };
const CONFIGS: Config[] = [
  { name: 'no watcher', options: null },
  {
    name: `watcher, defaults (every ${DEFAULT_EVERY} / ${DEFAULT_ACTIVATIONS_EVERY})`,
    options: (probe) => ({ probe }),
  },
  { name: 'every 16 steps', options: (probe) => ({ probe, every: 16, activationsEvery: 16 }) },
  { name: 'every step', options: (probe) => ({ probe, every: 1, activationsEvery: 1 }) },
];

async function timeFit(
  make: () => tf.LayersModel,
  x: tf.Tensor,
  y: tf.Tensor,
  batch: number,
  config: Config,
  probe: tf.Tensor,
) {
  const model = make();
  const started = performance.now();
  const watcher = config.options ? watch(model, config.options(probe)) : null;
  await model.fit(x, y, {
    epochs: 1,
    batchSize: batch,
    shuffle: false,
    verbose: 0,
    callbacks: watcher ? [watcher.callback] : [],
  });
  if (watcher) await watcher.stop();
  const ms = performance.now() - started;
  const cost = watcher?.cost;
  model.dispose();
  return { ms, cost };
}

function probeCost(make: () => tf.LayersModel, probe: tf.Tensor, stepMs: number): string {
  const model = make();
  const w = watch(model, { probe, every: 1_000_000, activationsEvery: 1 });
  const calls = 10;
  const started = performance.now();
  for (let i = 0; i < calls; i++) w.step(0);
  const perCall = (performance.now() - started) / calls;
  void w.stop();
  model.dispose();
  const share = perCall / (DEFAULT_ACTIVATIONS_EVERY * stepMs);
  return `activation probe (256 records): ${perCall.toFixed(1)} ms per call = ${(100 * share).toFixed(2)}% of the steps between two probes at the default schedule`;
}

console.log(
  `watch overhead — wasm backend, ${repeats} interleaved repeats, load average ${loadAverage()} at start`,
);
const chosen = values.models.split(',');
for (const [label, make] of Object.entries(MODELS)) {
  const isLenet = label === 'LeNet';
  if (!chosen.includes(isLenet ? 'lenet' : 'mlp')) continue;
  const steps = Number(isLenet ? values['lenet-steps'] : values.steps);
  const batch = Number(isLenet ? values['lenet-batch'] : values.batch);
  const { x, y } = mnistTensors(steps * batch);
  const probe = x.slice(0, 256);
  // Warm-up: kernels compiled, caches filled.
  await timeFit(make, x.slice(0, 4 * batch), y.slice(0, 4 * batch), batch, CONFIGS[1], probe);
  const times = new Map<string, number[]>(CONFIGS.map((c) => [c.name, []]));
  const own = new Map<string, number[]>(CONFIGS.map((c) => [c.name, []]));
  const ratios = new Map<string, number[]>(CONFIGS.map((c) => [c.name, []]));
  for (let r = 0; r < repeats; r++) {
    const order = CONFIGS.map((_, i) => CONFIGS[(i + r) % CONFIGS.length]);
    const perStep = new Map<string, number>();
    const ownMs = new Map<string, number>();
    for (const config of order) {
      const { ms, cost } = await timeFit(make, x, y, batch, config, probe);
      perStep.set(config.name, ms / steps);
      ownMs.set(config.name, cost ? cost.hookMs + cost.evaluationMs : 0);
      times.get(config.name)?.push(ms / steps);
    }
    const plain = perStep.get('no watcher') as number;
    for (const c of CONFIGS) {
      ratios.get(c.name)?.push((perStep.get(c.name) as number) / plain);
      own.get(c.name)?.push((ownMs.get(c.name) as number) / (plain * steps));
    }
  }
  console.log(`\n${label}: ${steps} steps of batch ${batch} per run (load average now ${loadAverage()})`);
  console.log(
    `${'configuration'.padEnd(40)} ${'ms/step'.padStart(9)} ${'ratio'.padStart(7)}   range over repeats`,
  );
  for (const c of CONFIGS) {
    const t = median(times.get(c.name) ?? []);
    const rs = ratios.get(c.name) ?? [];
    console.log(
      `${c.name.padEnd(40)} ${t.toFixed(2).padStart(9)} ${median(rs).toFixed(3).padStart(6)}×   ${`${Math.min(...rs).toFixed(3)}–${Math.max(...rs).toFixed(3)}`.padEnd(18)} ${(100 * median(own.get(c.name) ?? [])).toFixed(2)}%`,
    );
  }
  console.log(probeCost(make, probe, median(times.get('no watcher') ?? [])));
  tf.dispose([x, y, probe]);
}
