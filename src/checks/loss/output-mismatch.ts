import { defineCheck } from '../../core/check.ts';
import type { TargetRange } from '../../core/evidence.ts';
import { AT_START } from '../../core/live.ts';
import { normalizeActivation, normalizeLossName } from '../../core/names.ts';
import { fmt, pct } from '../../shared/format.ts';

const CATEGORICAL = new Set(['categorical_crossentropy', 'sparse_categorical_crossentropy']);
const SQUASHING = new Set(['softmax', 'sigmoid']);

/**
 * The values a bounded output activation can produce, and the share of regression target values
 * it cannot reach. Linear, ELU-family and unknown outputs are not judged.
 */
const OUTPUT_RANGES: Record<string, { words: string; outside: (r: TargetRange) => number }> = {
  relu: { words: '[0, ∞)', outside: (r) => r.belowZero },
  softplus: { words: '(0, ∞)', outside: (r) => r.belowZero },
  exponential: { words: '(0, ∞)', outside: (r) => r.belowZero },
  sigmoid: { words: '(0, 1)', outside: (r) => r.belowZero + r.aboveOne },
  hard_sigmoid: { words: '[0, 1]', outside: (r) => r.belowZero + r.aboveOne },
  softmax: { words: '(0, 1), summing to 1 per record', outside: (r) => r.belowZero + r.aboveOne },
  tanh: { words: '(−1, 1)', outside: (r) => r.outsideUnit },
  softsign: { words: '(−1, 1)', outside: (r) => r.outsideUnit },
};

/** Whether the regression targets fit the output's range, else the finding with its numbers. */
function judgeTargetRange(
  last: string,
  units: number | null,
  range: TargetRange,
  t: { warnShare: number; failShare: number },
) {
  const bounds = OUTPUT_RANGES[last];
  if (!bounds) return null;
  const outside = bounds.outside(range);
  // A softmax over several outputs also forces each record's outputs to sum to 1.
  const sumOff = last === 'softmax' && (units ?? range.outputs) > 1 ? range.rowSumOffOne : 0;
  const measured = {
    outputRange: bounds.words,
    targetMin: range.min,
    targetMax: range.max,
    outsideShare: outside,
    ...(last === 'softmax'
      ? { rowSumMin: range.rowSumMin, rowSumMax: range.rowSumMax, rowSumOffShare: sumOff }
      : {}),
  };
  const share = Math.max(outside, sumOff);
  const reason = sumOff > outside ? ('softmax-sum' as const) : ('target-out-of-range' as const);
  if (share >= t.failShare) return { status: 'fail' as const, measured, reason };
  if (share > t.warnShare) return { status: 'warn' as const, measured, reason };
  return { status: 'pass' as const, measured };
}

export default defineCheck({
  id: 'loss/output-mismatch',
  section: 'loss',
  title: 'Output activation matches the loss',
  why: 'TF.js cross-entropy losses expect probabilities: on a linear output the loss is meaningless, and a softmax applied twice squashes every prediction toward uniform so the gradient nearly vanishes.',
  needs: ['task'],
  uses: ['dataset'],
  plot: { id: 'loss-curve', lines: {} },
  reasons: [
    'softmax-one-unit',
    'double-softmax',
    'double-sigmoid',
    'no-softmax',
    'softmax-binary',
    'no-sigmoid',
    'mse-classification',
    'target-out-of-range',
    'softmax-sum',
  ],
  // Among causes (core/diagnosis.ts): the loss is computed on the wrong kind of output
  causeRank: 20,
  live: AT_START,
  thresholds: {
    warnShare: {
      value: 0.01,
      meaning:
        'regression: warn when more than this share of the target values lie outside what the output activation can produce (or of the records’ target sums are off 1 under a softmax)',
      source: 'nn-doctor: an output that cannot reach a target leaves that error in the loss for good',
    },
    failShare: {
      value: 0.05,
      meaning: 'regression: fail at this share of target values (or record sums) the output cannot produce',
      source: 'nn-doctor: standardized targets under a ReLU output put half the values out of reach',
    },
  },
  evaluate({ task, dataset }, t) {
    const loss = normalizeLossName(task.loss);
    const acts = task.outputActivations.map((a) => normalizeActivation(a));
    const last = acts.at(-1) ?? 'linear';
    const units = task.outputUnits ?? null;
    const measured = {
      loss,
      outputActivations: acts.join(',') || 'linear',
      classes: task.classes,
      outputUnits: units,
    };
    // Softmax over one unit is exp(z)/exp(z) = 1 whatever the input: the output never moves and
    // no gradient flows back, under any loss.
    if (last === 'softmax' && units === 1) return { status: 'fail', measured, reason: 'softmax-one-unit' };
    const repeated = acts.findIndex((a, i) => SQUASHING.has(a) && acts[i + 1] === a);
    if (repeated >= 0)
      return {
        status: 'fail',
        measured,
        reason: acts[repeated] === 'softmax' ? 'double-softmax' : 'double-sigmoid',
      };
    if (CATEGORICAL.has(loss)) {
      return last === 'softmax'
        ? { status: 'pass', measured }
        : { status: 'fail', measured, reason: 'no-softmax' };
    }
    if (loss === 'binary_crossentropy') {
      if (last === 'sigmoid') return { status: 'pass', measured };
      if (last === 'softmax' && (units ?? task.classes) === 2)
        return { status: 'warn', measured, reason: 'softmax-binary' };
      return { status: 'fail', measured, reason: 'no-sigmoid' };
    }
    if (loss === 'mean_squared_error' && task.kind === 'classification' && SQUASHING.has(last)) {
      return { status: 'warn', measured, reason: 'mse-classification' };
    }
    const range = dataset?.targetRange;
    if (task.kind === 'regression' && range) {
      const judged = judgeTargetRange(last, units, range, t);
      if (judged) return { ...judged, measured: { ...measured, ...judged.measured } };
    }
    return { status: 'pass', measured };
  },
  explain({ status, measured, reason }, evidence, t) {
    const loss = String(measured.loss);
    const acts = String(measured.outputActivations);
    const fromLogits =
      evidence.source === 'tensorboard'
        ? 'If your framework computes this loss from logits (PyTorch CrossEntropyLoss, Keras from_logits=True), a linear output is correct and this finding does not apply.'
        : undefined;
    switch (reason) {
      case 'softmax-one-unit':
        return {
          summary: `The output is a softmax over 1 unit under ${loss}: softmax normalizes across units, so with one unit it is exactly 1 for every record and nothing can be learned.`,
          remedy:
            loss === 'binary_crossentropy'
              ? 'Use activation "sigmoid" on the 1-unit output layer for binary labels 0/1 (or 2 softmax units with categorical_crossentropy).'
              : 'Give the output layer one unit per class with softmax, or a single sigmoid unit with binary_crossentropy for a yes/no label.',
        };
      case 'double-softmax':
        return {
          summary: `Softmax is applied twice at the output (${acts}) under ${loss}; expected exactly one.`,
          remedy:
            'Remove one softmax: keep activation "softmax" on the last Dense layer and drop the extra Activation("softmax") layer (or vice versa); the second softmax flattens predictions toward 1/classes.',
        };
      case 'double-sigmoid':
        return {
          summary: `Sigmoid is applied twice at the output (${acts}) under ${loss}; expected exactly one, outputs are confined to (0.5, 0.73).`,
          remedy: 'Remove the second sigmoid: keep one activation "sigmoid" on the last layer.',
        };
      case 'no-softmax':
        return {
          summary: `${loss} is used with a "${acts.split(',').at(-1)}" output; it expects softmax probabilities.`,
          remedy:
            'Set activation: "softmax" on the last Dense layer (units = number of classes); TF.js compile() losses take probabilities, not logits.',
          details: fromLogits,
        };
      case 'no-sigmoid':
        return {
          summary: `binary_crossentropy is used with a "${acts.split(',').at(-1)}" output over ${measured.classes ?? '?'} units; it expects independent sigmoid probabilities.`,
          remedy:
            'Set activation: "sigmoid" on the last Dense layer (1 unit for binary, one unit per label for multi-label); for mutually exclusive classes use softmax with categorical_crossentropy instead.',
          details: fromLogits,
        };
      case 'softmax-binary':
        return {
          summary:
            'binary_crossentropy is used with a 2-unit softmax output; it works but is the categorical setup under the binary loss.',
          remedy:
            'Either use one sigmoid unit with binary_crossentropy (labels 0/1), or keep the 2-unit softmax and switch to categorical_crossentropy (one-hot labels).',
        };
      case 'target-out-of-range': {
        const share = Number(measured.outsideShare);
        return {
          summary: `The regression targets range from ${fmt(Number(measured.targetMin))} to ${fmt(Number(measured.targetMax))}, but the "${acts.split(',').at(-1)}" output only produces ${measured.outputRange}: ${pct(share, 1)} of the target values are out of its reach (warn > ${pct(t.warnShare, 0)}, fail ≥ ${pct(t.failShare, 0)}).`,
          remedy:
            'Use a linear output (no activation on the last Dense layer) for an unbounded regression target, or rescale the targets into the output’s range (and back for predictions).',
        };
      }
      case 'softmax-sum':
        return {
          summary: `A softmax output over ${measured.outputUnits ?? '?'} units always sums to 1, but the records’ targets sum to between ${fmt(Number(measured.rowSumMin))} and ${fmt(Number(measured.rowSumMax))}: ${pct(Number(measured.rowSumOffShare), 1)} of the records are off 1 (warn > ${pct(t.warnShare, 0)}, fail ≥ ${pct(t.failShare, 0)}).`,
          remedy:
            'Use a linear output (no activation) for independent regression targets, or sigmoid units for independent targets in [0, 1]; keep softmax only for targets that are shares of a whole.',
        };
      case 'mse-classification':
        return {
          summary: `mean_squared_error on a ${acts.split(',').at(-1)} classification output: its gradient vanishes when the output saturates, expected a cross-entropy loss.`,
          remedy:
            'Use categorical_crossentropy (softmax output, one-hot labels), sparse_categorical_crossentropy (integer labels) or binary_crossentropy (sigmoid output).',
        };
    }
    const reach =
      measured.outputRange !== undefined
        ? ` and reaches the regression targets (${fmt(Number(measured.targetMin))} to ${fmt(Number(measured.targetMax))} within ${measured.outputRange})`
        : '';
    return {
      summary: `Output activation (${acts}) is consistent with the ${loss} loss${reach}.`,
      remedy: status === 'pass' ? null : 'Match the output activation to the loss.',
    };
  },
  causes: {
    effects: [
      'loss/initial-loss',
      'loss/learning-rate',
      'inputs/overfit-small',
      'inputs/standard-corpus',
      'inputs/label-signal',
      'other/gradient-flow',
      'other/update-ratio',
      'loss/steep-drop',
      'model/simplify',
      'activations/dead-relu',
    ],
    generic: (c) =>
      c.measured.outputUnits === 1 && String(c.measured.outputActivations).endsWith('softmax')
        ? 'a softmax over one unit outputs exactly 1 for every record, so the loss cannot change and no gradient flows back'
        : c.measured.outputRange !== undefined
          ? // Regression: the output cannot reach the targets (the measured target range).
            `the ${String(c.measured.outputActivations).split(',').at(-1)} output only produces ${c.measured.outputRange}, but the targets range from ${fmt(Number(c.measured.targetMin))} to ${fmt(Number(c.measured.targetMax))}: the error on the targets out of its reach never goes away`
          : `the output activation (${c.measured.outputActivations}) does not fit the ${c.measured.loss} loss: the loss is computed on the wrong kind of output`,
  },
});
