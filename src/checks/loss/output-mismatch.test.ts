import type { Evidence, TaskEvidence } from '../../core/evidence.ts';
import { createRng, gaussian } from '../../core/random.ts';
import { targetRange } from '../../probes/dataset-stats.ts';
import { dataset, evidence, regressionTask, task } from '../fixtures.ts';
import { testCheck } from '../testing.ts';
import check from './output-mismatch.ts';

/**
 * A regression setup whose output layer ends in `activation` (over `units` outputs), trained on
 * 500 records of targets drawn by `draw(record, output)`, measured as the dataset probe does.
 */
function regressionOn(
  activation: string,
  units: number,
  draw: (rng: () => number, r: number, k: number) => number,
) {
  const rng = createRng(units * 31 + activation.length);
  const records = 500;
  const y = new Float32Array(records * units);
  for (let r = 0; r < records; r++) for (let k = 0; k < units; k++) y[r * units + k] = draw(rng, r, k);
  return evidence({
    task: regressionTask({ outputActivations: [activation], outputUnits: units }),
    dataset: dataset({ classCounts: null, targetVariance: 1, targetRange: targetRange(y, records) }),
  });
}

/** Shares of a whole: 4 parts per record, 1/10 to 4/10, rotating with the record; they sum to 1. */
const shares = (_rng: () => number, r: number, k: number) => (1 + ((r + k) % 4)) / 10;

function withTask(over: Partial<TaskEvidence>, regression = false): Evidence {
  return evidence({ task: regression ? regressionTask(over) : task(over) });
}

testCheck(check, {
  valid: [
    {
      name: 'softmax under categorical cross-entropy',
      evidence: withTask({}),
      status: 'pass',
      measured: { loss: 'categorical_crossentropy', outputActivations: 'softmax' },
    },
    {
      name: 'softmax under sparse categorical cross-entropy',
      evidence: withTask({ loss: 'sparse_categorical_crossentropy', labelEncoding: 'integer' }),
      status: 'pass',
    },
    {
      name: 'camelCase loss name as TF.js spells it',
      evidence: withTask({ loss: 'categoricalCrossentropy' }),
      status: 'pass',
      measured: { loss: 'categorical_crossentropy' },
    },
    {
      name: 'one sigmoid unit under binary cross-entropy',
      evidence: withTask({ classes: 2, loss: 'binary_crossentropy', outputActivations: ['sigmoid'] }),
      status: 'pass',
    },
    {
      name: 'multi-label sigmoids under binary cross-entropy',
      evidence: withTask({ classes: 5, loss: 'binary_crossentropy', outputActivations: ['sigmoid'] }),
      status: 'pass',
    },
    {
      name: 'linear output under MSE for regression',
      evidence: withTask({}, true),
      status: 'pass',
      measured: { loss: 'mean_squared_error', outputActivations: 'linear' },
    },
    {
      name: 'sigmoid output under MSE for regression of a [0,1] target',
      evidence: withTask({ outputActivations: ['sigmoid'] }, true),
      status: 'pass',
    },
    {
      name: 'MAE alias on a linear regression output',
      evidence: withTask({ loss: 'mae' }, true),
      status: 'pass',
    },
    {
      name: 'ReLU output on positive prices (10 to 510)',
      evidence: regressionOn('relu', 1, (rng) => 10 + 500 * rng()),
      status: 'pass',
      measured: { outputRange: '[0, ∞)', outsideShare: 0 },
    },
    {
      name: 'sigmoid output on rates in [0, 1]',
      evidence: regressionOn('sigmoid', 2, (rng) => rng()),
      status: 'pass',
      measured: { outputRange: '(0, 1)', outsideShare: 0 },
    },
    {
      name: 'tanh output on targets in (−0.9, 0.9)',
      evidence: regressionOn('tanh', 1, (rng) => 1.8 * rng() - 0.9),
      status: 'pass',
      measured: { outsideShare: 0 },
    },
    {
      name: 'ReLU output, 0.4% of the targets slightly negative (under the warn share)',
      evidence: regressionOn('relu', 1, (rng, r) => (r % 250 === 0 ? -0.01 : 1 + rng())),
      status: 'pass',
      measured: { outsideShare: 0.004 },
    },
    {
      // Compositional data: four shares of a whole. The parts do not sum to 1 exactly; rescale.
      name: 'softmax over 4 outputs on shares of a whole (compositional data)',
      evidence: regressionOn('softmax', 4, shares),
      status: 'pass',
      measured: { outputRange: '(0, 1), summing to 1 per record' },
    },
    {
      name: 'softmax over 4 outputs on shares rounded to two decimals (sums 0.98–1.02)',
      evidence: regressionOn(
        'softmax',
        4,
        (_rng, r, k) =>
          Math.round(((1 + ((r + k) % 4)) / 10 + (k === 0 ? ((r % 5) - 2) / 100 : 0)) * 100) / 100,
      ),
      status: 'pass',
      measured: { rowSumOffShare: 0 },
    },
    {
      name: 'linear output on standardized targets is not judged',
      evidence: regressionOn('linear', 1, (rng) => gaussian(rng)),
      status: 'pass',
    },
  ],
  invalid: [
    {
      name: 'ReLU output on standardized targets: about half are negative',
      evidence: regressionOn('relu', 1, (rng) => gaussian(rng)),
      status: 'fail',
      reason: 'target-out-of-range',
      measured: { outputRange: '[0, ∞)', outputActivations: 'relu' },
    },
    {
      name: 'sigmoid output on scores from 0 to 5',
      evidence: regressionOn('sigmoid', 1, (rng) => 5 * rng()),
      status: 'fail',
      reason: 'target-out-of-range',
      measured: { outputRange: '(0, 1)' },
    },
    {
      name: 'tanh output on standardized targets: a third beyond ±1',
      evidence: regressionOn('tanh', 3, (rng) => gaussian(rng)),
      status: 'fail',
      reason: 'target-out-of-range',
    },
    {
      name: 'softmax over 3 independent targets in [0, 1]: sums from about 0 to 3',
      evidence: regressionOn('softmax', 3, (rng) => rng()),
      status: 'fail',
      reason: 'softmax-sum',
      measured: { outsideShare: 0, outputUnits: 3 },
    },
    {
      name: 'ReLU output with 3% negative targets: a warning',
      evidence: regressionOn('relu', 1, (rng, r) => (r % 100 < 3 ? -1 : rng())),
      status: 'warn',
      reason: 'target-out-of-range',
      measured: { outsideShare: 0.03, targetMin: -1 },
    },
    {
      name: 'a one-unit softmax under binary cross-entropy: always exactly 1',
      evidence: withTask({
        classes: 2,
        loss: 'binary_crossentropy',
        outputActivations: ['softmax'],
        outputUnits: 1,
      }),
      status: 'fail',
      reason: 'softmax-one-unit',
      measured: { outputUnits: 1 },
    },
    {
      name: 'a one-unit softmax under categorical cross-entropy',
      evidence: withTask({ classes: 2, outputUnits: 1 }),
      status: 'fail',
      reason: 'softmax-one-unit',
    },
    {
      name: 'linear output under categorical cross-entropy',
      evidence: withTask({ outputActivations: ['linear'] }),
      status: 'fail',
      reason: 'no-softmax',
      measured: { loss: 'categorical_crossentropy', outputActivations: 'linear' },
    },
    {
      name: 'no output activation at all under sparse categorical cross-entropy',
      evidence: withTask({ loss: 'sparse_categorical_crossentropy', outputActivations: [] }),
      status: 'fail',
      reason: 'no-softmax',
      measured: { outputActivations: 'linear' },
    },
    {
      name: 'sigmoid output under categorical cross-entropy',
      evidence: withTask({ outputActivations: ['sigmoid'] }),
      status: 'fail',
      reason: 'no-softmax',
    },
    {
      name: 'softmax applied twice',
      evidence: withTask({ outputActivations: ['softmax', 'softmax'] }),
      status: 'fail',
      reason: 'double-softmax',
      measured: { outputActivations: 'softmax,softmax' },
    },
    {
      name: 'sigmoid applied twice',
      evidence: withTask({
        classes: 2,
        loss: 'binary_crossentropy',
        outputActivations: ['sigmoid', 'sigmoid'],
      }),
      status: 'fail',
      reason: 'double-sigmoid',
    },
    {
      name: 'linear output under binary cross-entropy',
      evidence: withTask({ classes: 2, loss: 'binary_crossentropy', outputActivations: ['linear'] }),
      status: 'fail',
      reason: 'no-sigmoid',
    },
    {
      name: 'softmax over 10 units under binary cross-entropy',
      evidence: withTask({ loss: 'binary_crossentropy' }),
      status: 'fail',
      reason: 'no-sigmoid',
    },
    {
      name: 'softmax over 2 units under binary cross-entropy',
      evidence: withTask({ classes: 2, loss: 'binary_crossentropy' }),
      status: 'warn',
      reason: 'softmax-binary',
      measured: { loss: 'binary_crossentropy', outputActivations: 'softmax', classes: 2 },
    },
    {
      name: 'MSE on a softmax classifier',
      evidence: withTask({ loss: 'meanSquaredError' }),
      status: 'warn',
      reason: 'mse-classification',
      measured: { loss: 'mean_squared_error' },
    },
  ],
});
