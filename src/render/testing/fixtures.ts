// Hand-made, realistic evidence for renderer tests, the browser test and the bench.
//
// - `healthyEvidence()`: an MNIST MLP (Flatten → Dense 128 relu → Dense 64 relu → Dense 10 softmax,
//   Adam 1e-3) with every evidence key filled: 100 instrumented steps with per-variable telemetry,
//   activations at start and end, a 60-point LR sweep, overfit-50, control corpus, simplified model,
//   rebalancing A/B and the label-signal run.
// - `faultyEvidence()`: the same data read as raw 0–255 pixels with a class missing, a model with an
//   oversized and a zero-initialized kernel, a tanh layer, heavy L2, SGD at a learning rate that
//   blows up (loss turns NaN at step 58) and a first layer that receives no gradient.
// - `plantHostileNames()`: renames layers and the data source to markup that would execute if a
//   renderer forgot to escape it.
//
// Series come from a seeded generator, so every run builds the same report.

import type {
  ActivationStats,
  BiasStats,
  Evidence,
  KernelStats,
  LayerInfo,
  Series,
  WeightTelemetry,
} from '../../core/evidence.ts';
import { createRng as rng } from '../../core/random.ts';
import type { AppliedFix, RemedyArm } from '../../core/remedies.ts';
import type { Report } from '../../core/report.ts';
import { buildReport } from '../../registry.ts';

/** Roughly normal noise: the sum of three uniforms, centred, std ≈ 0.5. */
function noise(rand: () => number): number {
  return rand() + rand() + rand() - 1.5;
}

const range = (n: number, start = 0, stride = 1): number[] =>
  Array.from({ length: n }, (_, i) => start + i * stride);

function seriesOf(steps: number[], f: (step: number, i: number) => number): Series {
  return { steps, values: steps.map(f) };
}

const LN10 = Math.log(10);

interface DenseSpec {
  name: string;
  units: number;
  activation: string;
}

function mlpLayers(specs: DenseSpec[]): LayerInfo[] {
  const layers: LayerInfo[] = [
    {
      name: 'flatten',
      className: 'Flatten',
      activation: null,
      outputShape: [null, 784],
      params: 0,
      trainable: true,
      depth: 0,
    },
  ];
  let fanIn = 784;
  for (const s of specs) {
    layers.push({
      name: s.name,
      className: 'Dense',
      activation: s.activation,
      outputShape: [null, s.units],
      params: fanIn * s.units + s.units,
      trainable: true,
      depth: layers.length,
    });
    fanIn = s.units;
  }
  return layers;
}

function expectedStd(fanIn: number, fanOut: number, activation: string): number {
  return activation === 'relu' ? Math.sqrt(2 / fanIn) : Math.sqrt(2 / (fanIn + fanOut));
}

function kernelsOf(specs: DenseSpec[], stds: (number | null)[], initializers: string[]): KernelStats[] {
  let fanIn = 784;
  return specs.map((s, depth) => {
    const fanOut = s.units;
    const expected = expectedStd(fanIn, fanOut, s.activation);
    const std = stds[depth] ?? Math.sqrt(2 / (fanIn + fanOut));
    const k: KernelStats = {
      layer: s.name,
      weight: `${s.name}/kernel`,
      depth,
      shape: [fanIn, fanOut],
      fanIn,
      fanOut,
      mean: std === 0 ? 0 : std * 0.004,
      std,
      variance: std * std,
      initializer: initializers[depth] ?? 'GlorotUniform',
      expectedStd: expected,
      identicalUnits: std === 0,
    };
    fanIn = fanOut;
    return k;
  });
}

function biasesOf(specs: DenseSpec[]): BiasStats[] {
  return specs.map((s) => ({ layer: s.name, weight: `${s.name}/bias`, mean: 0, min: 0, max: 0 }));
}

// ---------------------------------------------------------------------------------------------
// Healthy

const HEALTHY_SPECS: DenseSpec[] = [
  { name: 'dense_1', units: 128, activation: 'relu' },
  { name: 'dense_2', units: 64, activation: 'relu' },
  { name: 'dense_3', units: 10, activation: 'softmax' },
];

function healthyTelemetry(steps: number[], rand: () => number): WeightTelemetry[] {
  const out: WeightTelemetry[] = [];
  const kernels = kernelsOf(HEALTHY_SPECS, [], []);
  kernels.forEach((k, depth) => {
    const n = k.fanIn * k.fanOut;
    const norm0 = k.std * Math.sqrt(n);
    // Deeper layers see larger per-weight gradients in a small MLP; all decay as the loss falls.
    const g0 = [0.9, 0.7, 0.55][depth];
    const gradNorm = steps.map((s) => g0 * (0.45 + 0.55 * Math.exp(-s / 35)) * (1 + 0.15 * noise(rand)));
    const updateRatio = steps.map(
      (s) => [4e-3, 6e-3, 1.1e-2][depth] * (0.5 + 0.5 * Math.exp(-s / 60)) * (1 + 0.2 * noise(rand)),
    );
    const weightNorm = steps.map((s) => norm0 * (1 + 0.0008 * s));
    out.push({
      layer: k.layer,
      weight: k.weight,
      kind: 'kernel',
      depth,
      steps,
      gradNorm,
      updateRatio,
      weightNorm,
      weightStd: weightNorm.map((w) => w / Math.sqrt(n)),
    });
    const units = k.fanOut;
    out.push({
      layer: k.layer,
      weight: `${k.layer}/bias`,
      kind: 'bias',
      depth,
      steps,
      gradNorm: steps.map((s) => 0.3 * g0 * (0.4 + 0.6 * Math.exp(-s / 30)) * (1 + 0.2 * noise(rand))),
      updateRatio: steps.map((s) => (s === 0 ? Number.POSITIVE_INFINITY : 0.08 / Math.sqrt(s + 1))),
      weightNorm: steps.map((s) => (s === 0 ? 0 : 1e-3 * Math.sqrt(units) * Math.sqrt(s))),
    });
  });
  return out;
}

function histogram(
  rand: () => number,
  scale: number,
  deadFraction: number,
): { edges: number[]; counts: number[] } {
  const edges = range(21, 0, scale / 10);
  const counts = edges
    .slice(0, -1)
    .map((_, i) => Math.round(4000 * Math.exp(-i / 3) * (1 + 0.1 * noise(rand))));
  counts[0] += Math.round(8000 * (0.45 + deadFraction));
  return { edges, counts };
}

function healthyActivations(rand: () => number, phase: 'start' | 'end'): ActivationStats[] {
  const end = phase === 'end';
  return [
    {
      layer: 'dense_1',
      activation: 'relu',
      depth: 0,
      units: 128,
      records: 256,
      mean: end ? 0.62 : 0.41,
      std: end ? 0.88 : 0.58,
      fractionDead: end ? 0.031 : 0.008,
      fractionSaturated: 0,
      histogram: histogram(rand, end ? 4 : 3, end ? 0.03 : 0.01),
    },
    {
      layer: 'dense_2',
      activation: 'relu',
      depth: 1,
      units: 64,
      records: 256,
      mean: end ? 0.71 : 0.36,
      std: end ? 1.02 : 0.52,
      fractionDead: end ? 0.047 : 0.016,
      fractionSaturated: 0,
      histogram: histogram(rand, end ? 5 : 3, end ? 0.05 : 0.02),
    },
    {
      layer: 'dense_3',
      activation: 'softmax',
      depth: 2,
      units: 10,
      records: 256,
      mean: 0.1,
      std: end ? 0.24 : 0.031,
      fractionDead: 0,
      fractionSaturated: 0,
    },
  ];
}

/** LR range test over 60 log-spaced rates from 1e-6 to 1: flat, falling, then diverging. */
function lrSweep(
  rand: () => number,
  opts: { configuredLr: number; bestLogLr: number; divergeLogLr: number; start: number; min: number },
) {
  const lrs = range(60).map((i) => 10 ** (-6 + (6 * i) / 59));
  const losses = lrs.map((lr) => {
    const x = Math.log10(lr);
    const fall = 1 / (1 + Math.exp(-(x - (opts.bestLogLr - 1)) * 2.2));
    let loss = opts.start - (opts.start - opts.min) * fall;
    if (x > opts.divergeLogLr - 0.3) loss *= Math.exp((x - (opts.divergeLogLr - 0.3)) * 6);
    if (x > opts.divergeLogLr + 0.45) return Number.POSITIVE_INFINITY;
    return loss * (1 + 0.01 * noise(rand));
  });
  const finite = losses.filter(Number.isFinite);
  const minLoss = Math.min(...finite);
  const diverged = lrs.find((_, i) => !Number.isFinite(losses[i]) || losses[i] > 4 * minLoss) ?? null;
  return {
    lrs,
    losses,
    startLoss: opts.start,
    configuredLr: opts.configuredLr,
    suggestedLr: diverged === null ? null : diverged / 10,
    minLoss,
    divergedAtLr: diverged,
  };
}

export function healthyEvidence(): Evidence {
  const rand = rng(20240611);
  const steps = range(100);
  const dataLoss = seriesOf(
    steps,
    (s) => 0.3 + (LN10 - 0.3) * Math.exp(-s / 24) + 0.05 * noise(rand) * Math.exp(-s / 200),
  );
  const regLoss = seriesOf(steps, (s) => 0.0042 + 0.00001 * s);
  const loss: Series = { steps, values: steps.map((_, i) => dataLoss.values[i] + regLoss.values[i]) };
  const valSteps = range(10, 9, 10);
  const layers = mlpLayers(HEALTHY_SPECS);
  const params = layers.reduce((sum, l) => sum + l.params, 0);
  const overfitSteps = range(200);
  const controlSteps = range(150);
  const simplifiedSteps = range(100);
  return {
    source: 'tfjs',
    task: {
      kind: 'classification',
      classes: 10,
      loss: 'categorical_crossentropy',
      outputActivations: ['softmax'],
      labelEncoding: 'one-hot',
      optimizer: 'adam',
      learningRate: 1e-3,
      batchSize: 32,
    },
    dataset: {
      source: 'mnist',
      records: 1000,
      featureShape: [28, 28, 1],
      features: 784,
      mean: 0.1307,
      std: 0.3081,
      min: 0,
      max: 1,
      meanAbsFeatureMean: 0.1307,
      nonFiniteFeatures: 0,
      nonFiniteLabels: 0,
      classCounts: [97, 116, 99, 103, 98, 87, 100, 108, 93, 99],
      targetVariance: null,
    },
    model: {
      name: 'mnist_mlp',
      params,
      trainableParams: params,
      layers,
      hiddenLayers: 2,
      hasBatchNorm: false,
      family: null,
      freshInit: true,
      kernels: kernelsOf(HEALTHY_SPECS, [0.0497, 0.1014, 0.1681], ['HeNormal', 'HeNormal', 'GlorotUniform']),
      biases: biasesOf(HEALTHY_SPECS),
      regularization: ['dense_1.kernel: l2(0.0001)', 'dense_2.kernel: l2(0.0001)'],
    },
    training: {
      optimizer: 'adam',
      learningRate: 1e-3,
      batchSize: 32,
      loss,
      dataLoss,
      regLoss,
      accuracy: seriesOf(steps, (s) => 0.1 + 0.8 * (1 - Math.exp(-s / 22)) + 0.02 * noise(rand)),
      valLoss: seriesOf(valSteps, (s) => 0.36 + (LN10 - 0.36) * Math.exp(-s / 24) + 0.02 * noise(rand)),
      initialLoss: 2.3117,
      nonFiniteStep: null,
      gradNorm: seriesOf(steps, (s) => 1.4 * (0.45 + 0.55 * Math.exp(-s / 35)) * (1 + 0.12 * noise(rand))),
      weights: healthyTelemetry(steps, rand),
      noGradient: [],
      activations: { start: healthyActivations(rand, 'start'), end: healthyActivations(rand, 'end') },
    },
    overfit: {
      records: 50,
      steps: 200,
      loss: seriesOf(
        overfitSteps,
        (s) => 2.31 * Math.exp(-s / 22) + 0.0015 + 0.01 * Math.exp(-s / 40) * noise(rand),
      ),
      initialLoss: 2.31,
      finalLoss: 0.0019,
      finalAccuracy: 1,
      removed: ['dense_1 kernel l2(0.0001)', 'dense_2 kernel l2(0.0001)'],
    },
    control: {
      corpus: 'mnist',
      steps: 150,
      loss: seriesOf(controlSteps, (s) => 0.28 + (LN10 - 0.28) * Math.exp(-s / 28) + 0.04 * noise(rand)),
      initialLoss: 2.308,
      finalLoss: 0.29,
      chanceLoss: LN10,
      finalAccuracy: 0.912,
      chanceAccuracy: 0.1,
    },
    lrSweep: lrSweep(rand, { configuredLr: 1e-3, bestLogLr: -2, divergeLogLr: -0.7, start: 2.31, min: 0.62 }),
    simplified: {
      userHiddenLayers: 2,
      steps: 100,
      userLoss: seriesOf(
        simplifiedSteps,
        (s) => 0.31 + (LN10 - 0.31) * Math.exp(-s / 24) + 0.03 * noise(rand),
      ),
      simpleLoss: seriesOf(
        simplifiedSteps,
        (s) => 0.38 + (LN10 - 0.38) * Math.exp(-s / 27) + 0.03 * noise(rand),
      ),
      userFinalLoss: 0.33,
      simpleFinalLoss: 0.4,
    },
    rebalancing: {
      minorityClasses: [5],
      steps: 100,
      plain: {
        recall: [0.95, 0.97, 0.86, 0.88, 0.9, 0.82, 0.93, 0.9, 0.83, 0.86],
        minorityRecall: 0.82,
        accuracy: 0.89,
      },
      weighted: {
        recall: [0.95, 0.96, 0.86, 0.87, 0.9, 0.83, 0.93, 0.9, 0.83, 0.86],
        minorityRecall: 0.83,
        accuracy: 0.889,
      },
      oversampled: {
        recall: [0.95, 0.96, 0.85, 0.88, 0.9, 0.83, 0.92, 0.9, 0.83, 0.86],
        minorityRecall: 0.83,
        accuracy: 0.888,
      },
    },
    labelSignal: {
      steps: 100,
      real: { heldOutLoss: 0.41, heldOutAccuracy: 0.88 },
      shuffled: { heldOutLoss: 2.34, heldOutAccuracy: 0.1 },
      chanceLoss: LN10,
      chanceAccuracy: 0.1,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Faulty

const FAULTY_SPECS: DenseSpec[] = [
  { name: 'dense_1', units: 128, activation: 'relu' },
  { name: 'dense_2', units: 64, activation: 'tanh' },
  { name: 'dense_3', units: 10, activation: 'softmax' },
];

/** First step whose loss is NaN in the faulty run. */
export const FAULTY_NAN_STEP = 58;

export function faultyEvidence(): Evidence {
  const rand = rng(7);
  const steps = range(100);
  const nan = FAULTY_NAN_STEP;
  const blowUp = (s: number) => (s < 30 ? 1 : 2 ** ((s - 30) / 4));
  const dataLoss = seriesOf(steps, (s) =>
    s >= nan ? Number.NaN : (2.9 + 0.4 * noise(rand)) * blowUp(s) ** 0.5,
  );
  const regLoss = seriesOf(steps, (s) => (s >= nan ? Number.NaN : 46.8 * (1 - 0.002 * s) * blowUp(s) ** 0.3));
  const loss: Series = { steps, values: steps.map((_, i) => dataLoss.values[i] + regLoss.values[i]) };
  const layers = mlpLayers(FAULTY_SPECS);
  const params = layers.reduce((sum, l) => sum + l.params, 0);
  const kernels = kernelsOf(FAULTY_SPECS, [1.0, 0, null], ['RandomNormal', 'Zeros', 'GlorotUniform']);
  const weights: WeightTelemetry[] = kernels.flatMap((k, depth): WeightTelemetry[] => {
    const n = k.fanIn * k.fanOut;
    const noGrad = depth === 0;
    const g = (s: number): number | null => {
      if (noGrad) return s % 2 === 0 ? null : 0;
      if (s >= nan) return Number.NaN;
      return (depth === 1 ? 0.02 : 3.5) * blowUp(s) * (1 + 0.2 * noise(rand));
    };
    const w0 = k.std * Math.sqrt(n);
    return [
      {
        layer: k.layer,
        weight: k.weight,
        kind: 'kernel',
        depth,
        steps,
        gradNorm: steps.map(g),
        updateRatio: steps.map((s) => {
          if (noGrad) return 0;
          if (depth === 1) return s === 0 ? Number.POSITIVE_INFINITY : 0.6 / Math.sqrt(s);
          return s >= nan ? Number.NaN : 0.3 * blowUp(s) * (1 + 0.2 * noise(rand));
        }),
        weightNorm: steps.map((s) => (depth === 1 ? 0.01 * s : w0 * (1 + 0.01 * s))),
        weightStd: steps.map((s) =>
          depth === 1 ? (0.01 * s) / Math.sqrt(n) : (w0 * (1 + 0.01 * s)) / Math.sqrt(n),
        ),
      },
    ];
  });
  const act = (phase: 'start' | 'end'): ActivationStats[] => [
    {
      layer: 'dense_1',
      activation: 'relu',
      depth: 0,
      units: 128,
      records: 256,
      mean: phase === 'start' ? 310 : 12,
      std: phase === 'start' ? 480 : 95,
      fractionDead: phase === 'start' ? 0.46 : 0.91,
      fractionSaturated: 0,
    },
    {
      layer: 'dense_2',
      activation: 'tanh',
      depth: 1,
      units: 64,
      records: 256,
      mean: 0,
      std: phase === 'start' ? 0 : 0.98,
      fractionDead: 0,
      fractionSaturated: phase === 'start' ? 0 : 0.86,
    },
    {
      layer: 'dense_3',
      activation: 'softmax',
      depth: 2,
      units: 10,
      records: 256,
      mean: 0.1,
      std: phase === 'start' ? 0 : 0.3,
      fractionDead: 0,
      fractionSaturated: 0,
    },
  ];
  const counts = [452, 203, 118, 86, 51, 38, 27, 15, 10, 0];
  return {
    source: 'tfjs',
    task: {
      kind: 'classification',
      classes: 10,
      loss: 'categorical_crossentropy',
      outputActivations: ['softmax'],
      labelEncoding: 'one-hot',
      optimizer: 'sgd',
      learningRate: 0.5,
      batchSize: 8,
    },
    dataset: {
      source: 'data/train.npz',
      records: counts.reduce((a, b) => a + b, 0),
      featureShape: [784],
      features: 784,
      mean: 33.32,
      std: 78.57,
      min: 0,
      max: 255,
      meanAbsFeatureMean: 33.32,
      nonFiniteFeatures: 0,
      nonFiniteLabels: 0,
      classCounts: counts,
      targetVariance: null,
    },
    model: {
      name: 'my_model',
      params,
      trainableParams: params,
      layers,
      hiddenLayers: 2,
      hasBatchNorm: false,
      family: null,
      freshInit: false,
      kernels,
      biases: biasesOf(FAULTY_SPECS),
      regularization: ['dense_1.kernel: l2(1)', 'dropout: 0.5'],
    },
    training: {
      optimizer: 'sgd',
      learningRate: 0.5,
      batchSize: 8,
      loss,
      dataLoss,
      regLoss,
      accuracy: seriesOf(steps, (s) => (s >= nan ? Number.NaN : 0.45 + 0.02 * noise(rand))),
      initialLoss: 9.7,
      nonFiniteStep: nan,
      gradNorm: seriesOf(steps, (s) => (s >= nan ? Number.NaN : 4.2 * blowUp(s) * (1 + 0.2 * noise(rand)))),
      weights,
      noGradient: ['dense_1/kernel'],
      activations: { start: act('start'), end: act('end') },
    },
    overfit: {
      records: 50,
      steps: 200,
      loss: seriesOf(range(200), (s) => 9.6 - 1.1 * (1 - Math.exp(-s / 40)) + 0.3 * noise(rand)),
      initialLoss: 9.6,
      finalLoss: 8.4,
      finalAccuracy: 0.34,
      removed: ['dense_1 kernel l2(1)', 'dropout (rate 0.5)'],
    },
    control: {
      corpus: 'mnist',
      steps: 150,
      loss: seriesOf(range(150), (s) => 2.31 - 0.05 * (1 - Math.exp(-s / 50)) + 0.03 * noise(rand)),
      initialLoss: 2.31,
      finalLoss: 2.26,
      chanceLoss: LN10,
      finalAccuracy: 0.14,
      chanceAccuracy: 0.1,
    },
    lrSweep: lrSweep(rand, { configuredLr: 0.5, bestLogLr: -3, divergeLogLr: -1.7, start: 9.7, min: 3.1 }),
    simplified: {
      userHiddenLayers: 2,
      steps: 100,
      userLoss: seriesOf(range(100), (s) => 9.5 - 0.5 * (1 - Math.exp(-s / 30)) + 0.2 * noise(rand)),
      simpleLoss: seriesOf(range(100), (s) => 0.9 + 1.4 * Math.exp(-s / 25) + 0.05 * noise(rand)),
      userFinalLoss: 9.0,
      simpleFinalLoss: 0.95,
    },
    rebalancing: {
      minorityClasses: [6, 7, 8],
      steps: 100,
      plain: {
        recall: [0.99, 0.8, 0.6, 0.5, 0.3, 0.2, 0.1, 0.05, 0, 0],
        minorityRecall: 0.05,
        accuracy: 0.71,
      },
      weighted: {
        recall: [0.9, 0.8, 0.7, 0.6, 0.5, 0.45, 0.4, 0.3, 0.25, 0],
        minorityRecall: 0.32,
        accuracy: 0.68,
      },
      oversampled: {
        recall: [0.92, 0.8, 0.7, 0.6, 0.5, 0.42, 0.38, 0.31, 0.2, 0],
        minorityRecall: 0.3,
        accuracy: 0.69,
      },
    },
    labelSignal: {
      steps: 100,
      real: { heldOutLoss: 2.25, heldOutAccuracy: 0.22 },
      shuffled: { heldOutLoss: 2.3, heldOutAccuracy: 0.2 },
      chanceLoss: LN10,
      chanceAccuracy: 0.1,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Hostile strings

/** Global that the planted markup sets if it ever executes. */
export const PWNED_GLOBAL = '__nnDoctorPwned';

/** Markup planted in names: a script element, an attribute break-out, an img onerror handler. */
export const HOSTILE = {
  script: `<script>window.${PWNED_GLOBAL}='script'</script>`,
  attribute: `"onerror="window.${PWNED_GLOBAL}='attr'`,
  img: `<img src=x onerror="window.${PWNED_GLOBAL}='img'">`,
} as const;

/**
 * Renames the first two kernel layers and the data source to hostile strings, everywhere the
 * evidence names them (layers, kernels, biases, telemetry, activations, no-gradient list).
 */
export function plantHostileNames(evidence: Evidence): Evidence {
  const renames = new Map<string, string>([
    ['dense_1', `dense_1${HOSTILE.script}`],
    ['dense_2', `dense_2${HOSTILE.attribute}${HOSTILE.img}`],
  ]);
  const rename = (name: string): string => renames.get(name) ?? name;
  const renameVar = (v: string): string => {
    const [layer, ...rest] = v.split('/');
    return [rename(layer), ...rest].join('/');
  };
  const e: Evidence = structuredClone(evidence);
  if (e.dataset) e.dataset.source = `data/${HOSTILE.img}${HOSTILE.attribute}.npz`;
  if (e.model) {
    e.model.name = `model${HOSTILE.script}`;
    for (const l of e.model.layers) l.name = rename(l.name);
    for (const k of e.model.kernels) {
      k.layer = rename(k.layer);
      k.weight = renameVar(k.weight);
    }
    for (const b of e.model.biases) {
      b.layer = rename(b.layer);
      b.weight = renameVar(b.weight);
    }
    e.model.regularization = e.model.regularization.map(renameVar);
  }
  if (e.training) {
    for (const w of e.training.weights) {
      w.layer = rename(w.layer);
      w.weight = renameVar(w.weight);
    }
    e.training.noGradient = e.training.noGradient.map(renameVar);
    for (const a of [...(e.training.activations?.start ?? []), ...(e.training.activations?.end ?? [])]) {
      a.layer = rename(a.layer);
    }
  }
  return e;
}

// ---------------------------------------------------------------------------------------------
// Reports

const CREATED_AT = new Date('2025-06-11T09:30:00Z');

const PROBE_TIMINGS = {
  dataset: 41,
  model: 12,
  training: 4810,
  overfit: 3120,
  control: 5230,
  lrSweep: 2950,
  simplified: 2210,
  rebalancing: 1980,
  labelSignal: 2400,
};

function reportOf(evidence: Evidence, settings: Record<string, unknown>): Report {
  const report = buildReport({
    evidence,
    settings,
    backend: 'cpu',
    probeTimings: PROBE_TIMINGS,
    createdAt: CREATED_AT,
  });
  report.timings.totalMs = Object.values(PROBE_TIMINGS).reduce((a, b) => a + b, 0) + 180;
  return report;
}

/** The healthy MNIST MLP, as `buildReport` makes it from `healthyEvidence()` with today's checks. */
export function healthyReport(): Report {
  return reportOf(healthyEvidence(), { seed: 42, lr: 1e-3, batchSize: 32, data: 'mnist', model: null });
}

/** The faulty model, with hostile layer names and data source planted. */
export function faultyReport(): Report {
  return reportOf(plantHostileNames(faultyEvidence()), {
    seed: 42,
    lr: 0.5,
    batchSize: 8,
    data: `data/${HOSTILE.img}.npz`,
    model: 'models/my_model/model.json',
  });
}

/**
 * A run nothing could judge: the training probe failed, so every check that needs its evidence
 * errors and the rest skip — the verdict is `inconclusive`, never `pass`.
 */
export function inconclusiveReport(): Report {
  const evidence: Evidence = {
    source: 'tfjs',
    unavailable: {
      training: { status: 'error', reason: 'the instrumented training run failed: out of memory' },
      model: { status: 'error', reason: 'the model could not be read' },
    },
  };
  return reportOf(evidence, { seed: 42, data: 'mnist', model: null });
}

/** A report as read back from JSON: NaN and ±Infinity have become null. */
export function viaJson(report: Report): Report {
  return JSON.parse(JSON.stringify(report)) as Report;
}

/** The faulty model with fix experiments: a re-initialization verified, a learning-rate change not. */
export function remediesReport(): Report {
  const evidence = plantHostileNames(faultyEvidence());
  const layer = evidence.model?.layers?.[1]?.name ?? 'dense_1';
  const reinit: AppliedFix = {
    id: 'reinit-fan',
    params: {},
    changes: {
      edits: [
        {
          kind: 'set',
          layer,
          className: 'Dense',
          field: 'kernel_initializer',
          from: { class_name: 'Zeros', config: {} },
          to: {
            class_name: 'VarianceScaling',
            config: { scale: 2, mode: 'fan_in', distribution: 'normal', seed: null },
          },
        },
      ],
      reinitialized: [layer],
    },
  };
  const lrDown: AppliedFix = {
    id: 'lr-down',
    params: { learningRate: 0.05 },
    changes: { edits: [], reinitialized: [], learningRate: { from: 0.5, to: 0.05 } },
  };
  const arm = (fixes: AppliedFix[], scores: number[]): RemedyArm => ({
    fixes,
    runs: scores.map((score, i) => ({
      seed: i,
      initSeed: 100 + i,
      score,
      loss: 2.3 * (1 - score),
      accuracy: score,
      curve: { steps: [9, 19, 29, 39], values: [0.1, score / 3, score / 2, score] },
      nonFinite: false,
    })),
  });
  evidence.remedies = {
    metric: 'balanced-accuracy',
    seeds: 3,
    steps: 40,
    heldOut: 500,
    findings: ['model/init-shallow'],
    ended: 'resolved',
    stages: [
      {
        base: [],
        baseline: arm([], [0.1, 0.1, 0.11]),
        random: [arm([lrDown], [0.12]), arm([reinit], [0.85]), arm([lrDown], [0.1])],
        candidates: [
          {
            finding: 'loss/learning-rate',
            arm: arm([lrDown], [0.1, 0.12, 0.11]),
            stillFailing: ['model/init-shallow'],
          },
          { finding: 'model/init-shallow', arm: arm([reinit], [0.88, 0.9, 0.89]), stillFailing: [] },
        ],
      },
    ],
  };
  return reportOf(evidence, {
    seed: 42,
    lr: 0.5,
    batchSize: 8,
    data: 'mnist',
    model: 'models/my_model/model.json',
  });
}
