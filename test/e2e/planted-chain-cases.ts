// Planted faults whose findings form a causal chain (issue 20, classes 3 and 10), on an
// architecture and data the other planted cases do not use: deep tabular MLPs on a synthetic
// 12-class task of 24 features (Gaussian clusters on a non-linear manifold). Each fault has a healthy twin (the same
// architecture and data, set up right) that must get no fail. No test framework here, so a bench
// or a probe script can import the cases.
import * as tf from '@tensorflow/tfjs';
import type { Dataset } from '../../src/core/dataset.ts';
import { createRng, gaussian } from '../../src/core/random.ts';

export interface ChainCase {
  name: string;
  model: () => tf.LayersModel;
  data: () => Dataset;
  /** The primary cause (either, when several are acceptable); null for a healthy twin (no fail). */
  primary: string[] | null;
  /** Causal links the diagnosis must report: [cause, effect]. */
  chain?: [string, string][];
  /** Findings that, when present, must be reported as symptoms (they defer to the primary cause). */
  symptoms?: string[];
}

const FEATURES = 24;
const CLASSES = 12;

let cached: Dataset | null = null;
/** 3,000 records: class centres on a random 24-dimensional unit-variance layout, tanh-warped. */
export function tabular(): Dataset {
  if (cached) return cached;
  const rng = createRng(20);
  const centres = Array.from({ length: CLASSES }, () =>
    Array.from({ length: FEATURES }, () => gaussian(rng)),
  );
  const n = 3000;
  const x = new Float32Array(n * FEATURES);
  const y = new Float32Array(n);
  for (let r = 0; r < n; r++) {
    const k = r % CLASSES;
    y[r] = k;
    for (let f = 0; f < FEATURES; f++)
      x[r * FEATURES + f] = Math.tanh(centres[k][f] + 0.9 * gaussian(rng)) * 1.5 + 0.1 * gaussian(rng);
  }
  cached = { x, xShape: [n, FEATURES], y, yShape: [n], source: 'synthetic 12-class tabular (24 features)' };
  return cached;
}

interface MlpOptions {
  depth: number;
  units: number;
  kernel: (layer: number) => ReturnType<typeof tf.initializers.heNormal>;
  optimizer: () => tf.Optimizer;
}

function mlp(o: MlpOptions): tf.LayersModel {
  const model = tf.sequential();
  for (let i = 0; i < o.depth; i++)
    model.add(
      tf.layers.dense({
        units: o.units,
        activation: 'relu',
        kernelInitializer: o.kernel(i),
        ...(i === 0 ? { inputShape: [FEATURES] } : {}),
      }),
    );
  model.add(
    tf.layers.dense({
      units: CLASSES,
      activation: 'softmax',
      kernelInitializer: tf.initializers.glorotUniform({ seed: 99 }),
    }),
  );
  model.compile({ optimizer: o.optimizer(), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

const he = (i: number) => tf.initializers.heNormal({ seed: 10 + i });
const adam = () => tf.train.adam(1e-3);

export const CHAIN_CASES: ChainCase[] = [
  {
    name: 'a 4-layer ReLU MLP with weights ~N(0, 5²), 17–25× their fan-based (He) scale',
    model: () =>
      mlp({
        depth: 4,
        units: 48,
        kernel: (i) => tf.initializers.randomNormal({ mean: 0, stddev: 5, seed: 30 + i }),
        optimizer: adam,
      }),
    data: tabular,
    primary: ['model/init-shallow'],
    symptoms: ['other/gradient-flow', 'loss/initial-loss', 'model/init-deep'],
  },
  {
    name: 'healthy twin: the same 4-layer MLP at He initialization',
    model: () => mlp({ depth: 4, units: 48, kernel: he, optimizer: adam }),
    data: tabular,
    primary: null,
  },
  {
    name: 'a 10-layer ReLU MLP whose activations grow ~1.7× per layer (variance scale 6)',
    model: () =>
      mlp({
        depth: 10,
        units: 64,
        kernel: (i) =>
          tf.initializers.varianceScaling({ scale: 6, mode: 'fanIn', distribution: 'normal', seed: 50 + i }),
        optimizer: adam,
      }),
    data: tabular,
    primary: ['model/init-deep', 'model/init-shallow'],
    symptoms: ['other/gradient-flow', 'loss/initial-loss'],
  },
  {
    name: 'healthy twin: the same 10-layer MLP at He initialization',
    model: () => mlp({ depth: 10, units: 64, kernel: he, optimizer: adam }),
    data: tabular,
    primary: null,
  },
  {
    name: 'a 3-layer ReLU MLP trained with SGD at 20 (diverges)',
    model: () => mlp({ depth: 3, units: 48, kernel: he, optimizer: () => tf.train.sgd(20) }),
    data: tabular,
    primary: ['loss/learning-rate'],
    symptoms: ['other/update-ratio'],
  },
  {
    name: 'healthy twin: the same 3-layer MLP with SGD at 0.1',
    model: () => mlp({ depth: 3, units: 48, kernel: he, optimizer: () => tf.train.sgd(0.1) }),
    data: tabular,
    primary: null,
  },
];
