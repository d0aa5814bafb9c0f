import { defineCheck } from '../../core/check.ts';
import { AT_START } from '../../core/live.ts';
import { normalizeActivation, normalizeLossName } from '../../core/names.ts';

const CATEGORICAL = new Set(['categorical_crossentropy', 'sparse_categorical_crossentropy']);
const SQUASHING = new Set(['softmax', 'sigmoid']);

export default defineCheck({
  id: 'loss/output-mismatch',
  section: 'loss',
  title: 'Output activation matches the loss',
  why: 'TF.js cross-entropy losses expect probabilities: on a linear output the loss is meaningless, and a softmax applied twice squashes every prediction toward uniform so the gradient nearly vanishes.',
  needs: ['task'],
  plot: { id: 'loss-curve', lines: {} },
  reasons: [
    'softmax-one-unit',
    'double-softmax',
    'double-sigmoid',
    'no-softmax',
    'softmax-binary',
    'no-sigmoid',
    'mse-classification',
  ],
  // Among causes (core/diagnosis.ts): the loss is computed on the wrong kind of output
  causeRank: 20,
  live: AT_START,
  thresholds: {},
  evaluate({ task }) {
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
    return { status: 'pass', measured };
  },
  explain({ status, measured, reason }, evidence) {
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
      case 'mse-classification':
        return {
          summary: `mean_squared_error on a ${acts.split(',').at(-1)} classification output: its gradient vanishes when the output saturates, expected a cross-entropy loss.`,
          remedy:
            'Use categorical_crossentropy (softmax output, one-hot labels), sparse_categorical_crossentropy (integer labels) or binary_crossentropy (sigmoid output).',
        };
    }
    return {
      summary: `Output activation (${acts}) is consistent with the ${loss} loss.`,
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
        : `the output activation (${c.measured.outputActivations}) does not fit the ${c.measured.loss} loss: the loss is computed on the wrong kind of output`,
  },
});
