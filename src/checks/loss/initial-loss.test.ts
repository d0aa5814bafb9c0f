import type { Evidence, TaskEvidence } from '../../core/evidence.ts';
import { targetRange } from '../../probes/dataset-stats.ts';
import { dataset, evidence, mlpModel, regressionTask, task, training } from '../fixtures.ts';
import { testCheck } from '../testing.ts';
import check from './initial-loss.ts';

const LN10 = Math.log(10);

function classifier(initialLoss: number | undefined, over: Partial<TaskEvidence> = {}): Evidence {
  return evidence({ task: task(over), training: training({ initialLoss }), dataset: dataset() });
}

/** A regression whose output unit is a sigmoid, on targets of this mean and variance. */
function sigmoidRegressor(initialLoss: number, mean: number, variance: number, outputUnits = 1): Evidence {
  const std = Math.sqrt(variance);
  return evidence({
    task: regressionTask({ outputActivations: ['sigmoid'], outputUnits }),
    training: training({ initialLoss }),
    dataset: dataset({
      classCounts: null,
      targetVariance: variance,
      targetMeanSquare: variance + mean ** 2,
      targetScale: {
        output: 0,
        mean,
        std,
        min: mean - 2 * std,
        max: mean + 2 * std,
        rms: Math.sqrt(variance + mean ** 2),
      },
    }),
  });
}

function regressor(
  initialLoss: number,
  targetVariance: number | null,
  over: Partial<TaskEvidence> = {},
): Evidence {
  return evidence({
    task: regressionTask(over),
    training: training({ initialLoss }),
    dataset: dataset({ classCounts: null, targetVariance }),
  });
}

/** Three targets per record in [0.05, 0.3] (shares of ink), measured as the dataset probe does. */
const shares = Float32Array.from({ length: 300 }, (_, i) => 0.05 + (0.25 * ((i * 37) % 100)) / 100);
const shareRange = targetRange(shares, 100);
const shareMeanSquare = shares.reduce((a, b) => a + b * b, 0) / shares.length;
const shareMean = shares.reduce((a, b) => a + b, 0) / shares.length;
/** A fresh sigmoid outputs 0.5: its MSE is the targets' mean squared distance from 0.5. */
const fromHalf = shareMeanSquare - shareMean + 0.25;

function sigmoidShares(initialLoss: number): Evidence {
  return evidence({
    task: regressionTask({ outputActivations: ['sigmoid'], outputUnits: 3 }),
    training: training({ initialLoss }),
    dataset: dataset({
      classCounts: null,
      targetVariance: shareMeanSquare - shareMean ** 2,
      targetMeanSquare: shareMeanSquare,
      targetRange: shareRange,
    }),
  });
}

testCheck(check, {
  valid: [
    {
      name: 'sigmoid regression outputs start at 0.5, not 0: MSE from 0.5 expected',
      evidence: sigmoidShares(fromHalf * 1.05),
      status: 'pass',
      measured: { expectedLoss: fromHalf, ratio: 1.05 },
    },
    {
      name: 'categorical cross-entropy with no class count known',
      evidence: classifier(LN10, { classes: null }),
      status: 'skip',
      reason: 'unknown-classes',
    },
    {
      name: '10 classes start at ln 10',
      evidence: classifier(LN10),
      status: 'pass',
      measured: { initialLoss: LN10, expectedLoss: LN10, ratio: 1 },
    },
    {
      name: '10 classes, 13% above ln 10',
      evidence: classifier(2.6),
      status: 'pass',
      measured: { ratio: 2.6 / LN10 },
    },
    {
      name: 'one sigmoid unit starts at ln 2',
      evidence: classifier(0.7, { classes: 2, loss: 'binary_crossentropy', outputActivations: ['sigmoid'] }),
      status: 'pass',
      measured: { expectedLoss: Math.LN2, ratio: 0.7 / Math.LN2 },
    },
    {
      name: 'regression MSE near the target variance',
      evidence: regressor(4.4, 4),
      status: 'pass',
      measured: { expectedLoss: 4, ratio: 1.1 },
    },
    {
      name: 'initial loss not recorded (TensorBoard log)',
      evidence: classifier(undefined),
      status: 'skip',
      reason: 'no-initial-loss',
    },
    {
      name: 'regression MAE has no chance reference',
      evidence: regressor(1, 4, { loss: 'mean_absolute_error' }),
      status: 'skip',
      reason: 'unsupported-loss',
    },
    {
      name: 'regression without a target variance',
      evidence: regressor(1, null),
      status: 'skip',
      reason: 'no-target-variance',
    },
    {
      name: 'uncentered targets (digits 0–9): a fresh model scores variance + mean²',
      evidence: evidence({
        task: regressionTask(),
        training: training({ initialLoss: 28.5 }),
        dataset: dataset({ classCounts: null, targetVariance: 8.25, targetMeanSquare: 8.25 + 4.5 ** 2 }),
      }),
      status: 'pass',
      measured: { expectedLoss: 8.25 + 4.5 ** 2 },
    },
    {
      // Measured on the healthy zoo's rates in (0, 1) (test/e2e/zoo/setups-f.ts): 0.0863 at the
      // start, where the mean squared target (0.343) would read it as 4× too low.
      name: 'sigmoid output on targets in (0, 1): a fresh model starts near 0.5, scores variance + (mean − 0.5)²',
      evidence: sigmoidRegressor(0.0863, 0.507, 0.0853),
      status: 'pass',
      measured: { expectedLoss: 0.0853 + 0.007 ** 2 },
    },
    {
      // Targets a sigmoid cannot reach: loss/output-mismatch's and inputs/target-scale's finding;
      // the start itself is where such a model starts.
      name: 'sigmoid output on unscaled targets (mean 50): starts where it must, at (50 − 0.5)² + variance',
      evidence: sigmoidRegressor(2480, 50, 4),
      status: 'pass',
      measured: { expectedLoss: 4 + 49.5 ** 2 },
    },
    {
      name: 'sigmoid output, several targets: their means are not known one by one',
      evidence: sigmoidRegressor(0.09, 0.5, 0.08, 3),
      status: 'skip',
      reason: 'no-target-mean',
    },
    {
      name: 'regression without dataset evidence',
      evidence: evidence({ task: regressionTask(), training: training({ initialLoss: 1 }) }),
      status: 'skip',
      reason: 'no-target-variance',
    },
  ],
  invalid: [
    {
      name: 'a fresh head on a frozen pretrained base starts at 2.5× ln 10: a warn, it trains away',
      evidence: (() => {
        const model = mlpModel();
        const frozen = model.layers.map((l) => ({ ...l, trainable: l.name === 'output' }));
        return { ...classifier(2.5 * LN10), model: { ...model, layers: frozen } };
      })(),
      status: 'warn',
      reason: 'frozen-base',
      measured: { ratio: 2.5, frozenParams: 784 * 128 + 128 + 128 * 64 + 64 },
    },
    {
      name: '10 classes, 39% above ln 10',
      evidence: classifier(3.2),
      status: 'warn',
      reason: 'too-high',
      measured: { ratio: 3.2 / LN10 },
    },
    {
      name: '10 classes, 30% below ln 10',
      evidence: classifier(1.6),
      status: 'warn',
      reason: 'too-low',
      measured: { ratio: 1.6 / LN10 },
    },
    {
      name: 'confidently wrong start: 4× ln 10',
      evidence: classifier(4 * LN10),
      status: 'fail',
      reason: 'too-high',
      measured: { initialLoss: 4 * LN10, ratio: 4 },
    },
    {
      name: 'far below chance: 0.5 vs ln 10',
      evidence: classifier(0.5),
      status: 'fail',
      reason: 'too-low',
      measured: { ratio: 0.5 / LN10 },
    },
    {
      name: 'non-finite initial loss',
      evidence: classifier(Number.POSITIVE_INFINITY),
      status: 'fail',
      reason: 'non-finite',
      measured: { ratio: Number.POSITIVE_INFINITY },
    },
    {
      name: 'sigmoid regression starting 3× further from the targets than 0.5 is',
      evidence: sigmoidShares(fromHalf * 3),
      status: 'fail',
      reason: 'too-high',
      measured: { expectedLoss: fromHalf, ratio: 3 },
    },
    {
      name: 'unscaled regression targets: MSE 100× the variance',
      evidence: regressor(100, 1),
      status: 'fail',
      reason: 'too-high',
      measured: { ratio: 100 },
    },
    {
      // Saturated at 0 or 1 from the start (an oversized last layer): each record scores
      // (y − 0 or 1)², about variance + 0.25. Read against the mean squared target (0.33) this
      // looked like chance; against 0.5 it is 4× too high.
      name: 'sigmoid output saturated from the start on targets in (0, 1): 4× its chance MSE',
      evidence: sigmoidRegressor(0.33, 0.5, 0.08),
      status: 'fail',
      reason: 'too-high',
      measured: { expectedLoss: 0.08, ratio: 0.33 / 0.08 },
    },
    {
      name: 'override: stricter tolerance',
      evidence: classifier(2.6),
      thresholds: { warnTolerance: 0.1 },
      status: 'warn',
      reason: 'too-high',
      measured: { ratio: 2.6 / LN10 },
    },
  ],
});
