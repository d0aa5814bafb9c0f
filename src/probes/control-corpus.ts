// The synthetic control corpus: records of the model's own input and output shape whose labels
// any sane setup of that shape learns quickly. (Real MNIST is used instead when the model's
// shapes fit it; see control.ts.)
//
// - Continuous inputs: standard-normal noise plus, per record, a pattern of ±1 offsets over a few
//   contiguous regions of the record (bands of an image, blocks of a feature vector), per channel.
//   A class (or a label that is on) adds its own pattern; regression targets are a fixed
//   projection of random region offsets. Region means are what dense layers, convolutions with
//   pooling and recurrent layers all pick up; a dense random linear teacher over 784 noise
//   features was not learnable by a healthy sigmoid MLP in the budget (61% of chance after 80
//   steps) and is not used.
// - Token inputs (an Embedding first): sequences of filler words from the model's vocabulary
//   with a few keywords of the record's class (or of each label that is on) at random places.
//   A teacher scoring every word of a large vocabulary is not learnable from 3,000 records.
//   Id 0 is left out: it is usually padding.
import { createRng, gaussian } from '../core/random.ts';
import type { TrainingData } from '../tfjs/trainer.ts';

export interface CorpusSpec {
  featureShape: number[];
  kind: 'classification' | 'regression';
  /** Classes (single-label), labels (multi-label) or outputs (regression). */
  outputs: number;
  multiLabel: boolean;
  /** Values per target record: 1 for class ids or a single unit, else one-hot/multi-hot/regression width. */
  targetWidth: number;
  /** Vocabulary size when the model reads token ids, else null. */
  vocabulary: number | null;
  /** A reconstruction task: targets are the inputs (`inputs`) or continuous in [0, 1]. */
  reconstruction?: 'inputs' | 'continuous' | null;
  /** The model's output activation (regression): the corpus's targets lie where it can reach. */
  outputActivation?: string | null;
}

const REGIONS = 8;
/**
 * Keywords per class/label group, and the share of a record's positions they take (at least 3):
 * dense enough that a recurrent layer reading 100 tokens meets one early and often. At 3 per
 * 100-token record an Embedding+LSTM needed 320+ steps to learn the control; pooling models
 * learn either way.
 */
const KEYWORDS = 4;
const KEYWORD_SHARE = 0.2;
const MIN_KEYWORDS_PER_RECORD = 3;

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** Labels: a class per record (balanced), or a 0/1 per label (each on with probability ½). */
function drawLabels(spec: CorpusSpec, n: number, rng: () => number): Float32Array {
  if (spec.multiLabel) return Float32Array.from({ length: n * spec.outputs }, () => (rng() < 0.5 ? 1 : 0));
  return Float32Array.from({ length: n }, () => Math.floor(rng() * spec.outputs));
}

/** Targets in the layout the model's loss reads. */
function targetsOf(spec: CorpusSpec, labels: Float32Array, n: number): Float32Array {
  if (spec.multiLabel || spec.targetWidth === 1) return labels;
  const t = new Float32Array(n * spec.targetWidth);
  for (let r = 0; r < n; r++) t[r * spec.targetWidth + labels[r]] = 1;
  return t;
}

function standardize(values: Float32Array, width: number): void {
  const n = values.length / width;
  for (let k = 0; k < width; k++) {
    let s = 0;
    let s2 = 0;
    for (let r = 0; r < n; r++) {
      s += values[r * width + k];
      s2 += values[r * width + k] ** 2;
    }
    const mean = s / n;
    const std = Math.sqrt(Math.max(1e-12, s2 / n - mean * mean));
    for (let r = 0; r < n; r++) values[r * width + k] = (values[r * width + k] - mean) / std;
  }
}

/**
 * Standardized regression targets moved into the range the model's output can produce: a ReLU
 * output cannot reach the half of them below 0, a sigmoid nothing outside (0, 1). A monotone map
 * of a learnable target is as learnable; without it a healthy ReLU-output regressor stays at
 * chance on the control corpus for a reason that is the corpus's, not the model's.
 */
export function intoOutputRange(
  values: Float32Array,
  width: number,
  activation: string | null | undefined,
): void {
  const act = (activation ?? '').toLowerCase();
  if (act === 'relu' || act === 'softplus' || act === 'elu' || act === 'selu') {
    let min = Number.POSITIVE_INFINITY;
    for (const v of values) min = Math.min(min, v);
    for (let i = 0; i < values.length; i++) values[i] -= min;
  } else if (act === 'sigmoid' || act === 'hard_sigmoid' || act === 'hardsigmoid') {
    for (let i = 0; i < values.length; i++) values[i] = 1 / (1 + Math.exp(-values[i]));
  } else if (act === 'tanh' || act === 'softsign') {
    for (let i = 0; i < values.length; i++) values[i] = Math.tanh(values[i]);
  } else if (act === 'softmax' && width > 1) {
    for (let r = 0; r < values.length / width; r++) {
      const row = values.subarray(r * width, (r + 1) * width);
      let max = Number.NEGATIVE_INFINITY;
      for (const v of row) max = Math.max(max, v);
      let sum = 0;
      for (let k = 0; k < width; k++) sum += row[k] = Math.exp(row[k] - max);
      for (let k = 0; k < width; k++) row[k] /= sum;
    }
  }
}

function continuousCorpus(spec: CorpusSpec, n: number, rng: () => number): TrainingData {
  const shape = spec.featureShape;
  const f = size(shape);
  const channels = shape.length >= 2 ? shape[shape.length - 1] : 1;
  const positions = f / channels;
  const regions = Math.min(REGIONS, positions);
  const regionOf = (p: number) => Math.min(regions - 1, Math.floor((p * regions) / positions));
  const cells = regions * channels;
  // One ±1 pattern over (region, channel) cells per class/label; regression: a latent per cell.
  const groups = spec.kind === 'classification' ? spec.outputs : 0;
  const patterns = Array.from({ length: groups }, () =>
    Float32Array.from({ length: cells }, () => (rng() < 0.5 ? -1 : 1)),
  );
  const labels = spec.kind === 'classification' ? drawLabels(spec, n, rng) : null;
  const projection = Float32Array.from({ length: cells * spec.outputs }, () => gaussian(rng));
  const regression = spec.kind === 'regression' ? new Float32Array(n * spec.outputs) : null;
  const x = new Float32Array(n * f);
  const offsets = new Float32Array(cells);
  for (let r = 0; r < n; r++) {
    offsets.fill(0);
    if (labels && spec.multiLabel) {
      for (let l = 0; l < spec.outputs; l++)
        if (labels[r * spec.outputs + l]) for (let c = 0; c < cells; c++) offsets[c] += patterns[l][c];
    } else if (labels) {
      offsets.set(patterns[labels[r]]);
    } else if (regression) {
      for (let c = 0; c < cells; c++) offsets[c] = gaussian(rng);
      for (let k = 0; k < spec.outputs; k++) {
        let y = 0;
        for (let c = 0; c < cells; c++) y += offsets[c] * projection[c * spec.outputs + k];
        regression[r * spec.outputs + k] = y;
      }
    }
    for (let p = 0; p < positions; p++) {
      const cellBase = regionOf(p) * channels;
      for (let ch = 0; ch < channels; ch++)
        x[r * f + p * channels + ch] = gaussian(rng) + offsets[cellBase + ch];
    }
  }
  if (regression) {
    standardize(regression, spec.outputs);
    intoOutputRange(regression, spec.outputs, spec.outputActivation);
  }
  return {
    x,
    featureShape: shape,
    targets: regression ?? targetsOf(spec, labels as Float32Array, n),
    targetShape: [spec.targetWidth],
    classIds: labels && !spec.multiLabel ? Int32Array.from(labels) : null,
    multiLabel: spec.multiLabel,
  };
}

function tokenCorpus(spec: CorpusSpec, n: number, rng: () => number): TrainingData {
  const length = size(spec.featureShape);
  const vocabulary = spec.vocabulary as number;
  // Regression: two keyword groups per output, the target their count difference.
  const groups = spec.kind === 'classification' ? spec.outputs : 2 * spec.outputs;
  const perGroup = Math.max(1, Math.min(KEYWORDS, Math.floor((vocabulary - 1) / (groups + 1))));
  const keyword = (g: number) => 1 + g * perGroup + Math.floor(rng() * perGroup);
  const fillerFrom = 1 + groups * perGroup;
  const filler = () =>
    fillerFrom < vocabulary ? fillerFrom + Math.floor(rng() * (vocabulary - fillerFrom)) : 0;
  const perRecord = Math.min(length, Math.max(MIN_KEYWORDS_PER_RECORD, Math.round(KEYWORD_SHARE * length)));
  const labels = spec.kind === 'classification' ? drawLabels(spec, n, rng) : null;
  const regression = spec.kind === 'regression' ? new Float32Array(n * spec.outputs) : null;
  const x = new Float32Array(n * length);
  for (let r = 0; r < n; r++) {
    const row = x.subarray(r * length, r * length + length);
    for (let i = 0; i < length; i++) row[i] = filler();
    const place = (g: number, count: number) => {
      for (let k = 0; k < count; k++) row[Math.floor(rng() * length)] = keyword(g);
    };
    if (labels && spec.multiLabel) {
      for (let l = 0; l < spec.outputs; l++)
        if (labels[r * spec.outputs + l]) place(l, Math.max(1, Math.round(perRecord / 2)));
    } else if (labels) {
      place(labels[r], perRecord);
    } else if (regression) {
      for (let k = 0; k < spec.outputs; k++) {
        const plus = Math.floor(rng() * (perRecord + 1));
        const minus = Math.floor(rng() * (perRecord + 1));
        place(2 * k, plus);
        place(2 * k + 1, minus);
        regression[r * spec.outputs + k] = plus - minus;
      }
    }
  }
  if (regression) {
    // Targets from the keywords that survived (a later keyword may overwrite an earlier one).
    regression.fill(0);
    for (let r = 0; r < n; r++)
      for (let i = 0; i < length; i++) {
        const v = x[r * length + i];
        if (v >= 1 && v < fillerFrom) {
          const g = Math.floor((v - 1) / perGroup);
          regression[r * spec.outputs + (g >> 1)] += g % 2 === 0 ? 1 : -1;
        }
      }
    standardize(regression, spec.outputs);
    intoOutputRange(regression, spec.outputs, spec.outputActivation);
  }
  return {
    x,
    featureShape: spec.featureShape,
    targets: regression ?? targetsOf(spec, labels as Float32Array, n),
    targetShape: [spec.targetWidth],
    classIds: labels && !spec.multiLabel ? Int32Array.from(labels) : null,
    multiLabel: spec.multiLabel,
  };
}

/**
 * Reconstruction: each record is a pattern of on/off regions (per channel) with values 0 or 1,
 * the kind of image a bottleneck learns to reproduce; the targets are the record itself, or
 * (another width) the region values laid out over the outputs. Targets stay in [0, 1], so a
 * sigmoid output under binary cross-entropy can reach them and the loss floor is 0.
 */
function reconstructionCorpus(spec: CorpusSpec, n: number, rng: () => number): TrainingData {
  const shape = spec.featureShape;
  const f = size(shape);
  const channels = shape.length >= 2 ? shape[shape.length - 1] : 1;
  const positions = f / channels;
  const regions = Math.min(REGIONS, positions);
  const regionOf = (p: number, count: number) => Math.min(regions - 1, Math.floor((p * regions) / count));
  const x = new Float32Array(n * f);
  const width = spec.targetWidth;
  const targets = spec.reconstruction === 'inputs' && width === f ? x : new Float32Array(n * width);
  const bits = new Float32Array(regions * channels);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < bits.length; c++) bits[c] = rng() < 0.5 ? 1 : 0;
    for (let p = 0; p < positions; p++)
      for (let ch = 0; ch < channels; ch++)
        x[r * f + p * channels + ch] = bits[regionOf(p, positions) * channels + ch];
    if (targets !== x) for (let k = 0; k < width; k++) targets[r * width + k] = bits[regionOf(k, width)];
  }
  return { x, featureShape: shape, targets, targetShape: [width], classIds: null, multiLabel: false };
}

/** `n` records of a learnable synthetic task of the model's input and output shape. */
export function syntheticCorpus(spec: CorpusSpec, n: number, seed: number): TrainingData {
  const rng = createRng(seed);
  if (spec.vocabulary) return tokenCorpus(spec, n, rng);
  return spec.reconstruction ? reconstructionCorpus(spec, n, rng) : continuousCorpus(spec, n, rng);
}
