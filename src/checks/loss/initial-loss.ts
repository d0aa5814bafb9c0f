import { fmt } from '../../checks/helpers.ts';
import { noCauses } from '../../core/causes.ts';
import { defineCheck } from '../../core/check.ts';
import { AT_START } from '../../core/live.ts';
import { normalizeActivation, normalizeLossName } from '../../core/names.ts';

const CATEGORICAL = new Set(['categorical_crossentropy', 'sparse_categorical_crossentropy']);

/** Where a freshly initialized output sits: 0.5 for a sigmoid, 1/units for a softmax, else ≈ 0. */
function freshOutput(activation: string | undefined, units: number | undefined): number {
  const act = normalizeActivation(activation ?? 'linear');
  if (act === 'sigmoid') return 0.5;
  if (act === 'softmax' && units && units > 1) return 1 / units;
  return 0;
}

/** What `evaluate` may give as its reason (declared below as `reasons`). */
const REASONS = [
  'no-initial-loss',
  'unknown-classes',
  'no-target-variance',
  'no-target-mean',
  'unsupported-loss',
  'non-finite',
  'too-high',
  'too-low',
  'frozen-base',
] as const;

export default defineCheck({
  id: 'loss/initial-loss',
  section: 'loss',
  title: 'Initial loss matches chance',
  why: 'A freshly initialized model should predict at chance: cross-entropy ≈ ln(classes), MSE ≈ target variance. A different starting loss points to a badly scaled output layer, wrong labels or a miscounted number of classes.',
  needs: ['training', 'task'],
  uses: ['dataset', 'model', 'checkpoint'],
  atInitialization: true,
  plot: { id: 'loss-curve', lines: {} },
  reasons: REASONS,
  // Among causes (core/diagnosis.ts): a symptom of output scale / init
  causeRank: 110,
  live: AT_START,
  thresholds: {
    warnTolerance: {
      value: 0.25,
      meaning: 'warn when initial/expected loss differs from 1 by more than this fraction',
      source: 'checklist',
    },
    failFactor: {
      value: 2,
      meaning: 'fail when initial/expected loss exceeds this factor, or is below its inverse',
      source: 'checklist; TheDeepChecker |L0 − ln C| check',
    },
  },
  evaluate({ training, task, dataset, model }, t) {
    const initialLoss = training.initialLoss;
    if (initialLoss === undefined) return { status: 'skip', measured: {}, reason: 'no-initial-loss' };
    const loss = normalizeLossName(task.loss);
    let expectedLoss: number;
    let expectedAs: string;
    if (loss === 'binary_crossentropy') {
      expectedLoss = Math.LN2;
      expectedAs = 'ln 2';
    } else if (CATEGORICAL.has(loss)) {
      if (!task.classes || task.classes < 2)
        return { status: 'skip', measured: { loss }, reason: 'unknown-classes' };
      expectedLoss = Math.log(task.classes);
      expectedAs = `ln ${task.classes}`;
    } else if (loss === 'mean_squared_error' && task.kind === 'regression') {
      const variance = dataset?.targetVariance;
      if (variance === null || variance === undefined || !(variance > 0)) {
        return { status: 'skip', measured: { loss }, reason: 'no-target-variance' };
      }
      // A fresh network outputs ≈ 0, so it scores the mean squared target: the target variance
      // for centered targets, plus mean² for the rest (their scale is inputs/target-scale's finding).
      const meanSquare = dataset?.targetMeanSquare;
      const uncentered =
        meanSquare !== null && meanSquare !== undefined && meanSquare > variance * (1 + 1e-6);
      expectedLoss = uncentered ? meanSquare : variance;
      expectedAs = uncentered ? 'mean squared target (variance + mean²)' : 'target variance';
      // A fresh sigmoid output sits at 0.5 and a softmax at 1/units, not at 0: the expected MSE
      // is the targets' mean squared distance from that value, E[t²] − 2c·E[t] + c².
      const fresh = freshOutput(task.outputActivations.at(-1), task.outputUnits);
      // The targets' mean over every output (targetRange); for one output, its own target scale's.
      const targetMean =
        dataset?.targetRange?.mean ??
        ((task.outputUnits ?? 1) === 1 ? dataset?.targetScale?.mean : undefined);
      if (fresh !== 0) {
        if (targetMean === undefined || meanSquare === null || meanSquare === undefined)
          return { status: 'skip', measured: { loss }, reason: 'no-target-mean' };
        expectedLoss = meanSquare - 2 * fresh * targetMean + fresh * fresh;
        expectedAs = `mean squared distance of the targets from ${fmt(fresh)} (a fresh ${task.outputActivations.at(-1)} output)`;
      }
    } else {
      return { status: 'skip', measured: { loss }, reason: 'unsupported-loss' };
    }
    const ratio = initialLoss / expectedLoss;
    const measured = { initialLoss, expectedLoss, ratio, expectedAs, loss };
    if (!Number.isFinite(initialLoss)) return { status: 'fail', measured, reason: 'non-finite' };
    // Under a frozen (pretrained) base only the head starts fresh, on features whose scale the
    // base sets: a start off chance there trains away and is no fault of the setup — a warn.
    const frozenParams = (model?.layers ?? []).reduce((n, l) => n + (l.trainable ? 0 : l.params), 0);
    const offBy = ratio > t.failFactor || ratio < 1 / t.failFactor;
    if (offBy && frozenParams > 0)
      return { status: 'warn', measured: { ...measured, frozenParams }, reason: 'frozen-base' };
    if (ratio > t.failFactor) return { status: 'fail', measured, reason: 'too-high' };
    if (ratio < 1 / t.failFactor) return { status: 'fail', measured, reason: 'too-low' };
    if (Math.abs(ratio - 1) > t.warnTolerance)
      return { status: 'warn', measured, reason: ratio > 1 ? 'too-high' : 'too-low' };
    return { status: 'pass', measured };
  },
  explain({ status, measured, reason }, { task, model, checkpoint }, t) {
    const judgedOn =
      model?.weightsFrom === 'reinitialized-clone' && checkpoint
        ? `Your trained checkpoint itself scores ${fmt(checkpoint.loss)} on ${checkpoint.records} of your records.`
        : undefined;
    switch (reason) {
      case 'no-initial-loss':
        return {
          summary: 'The loss before the first update was not recorded, so it cannot be compared with chance.',
          remedy: null,
        };
      case 'unknown-classes':
        return {
          summary:
            'The number of classes is unknown, so the chance-level cross-entropy ln(classes) cannot be computed.',
          remedy: null,
        };
      case 'no-target-variance':
        return {
          summary: 'The regression target variance is unknown, so the chance-level MSE cannot be computed.',
          remedy: null,
        };
      case 'no-target-mean':
        return {
          summary:
            "A fresh sigmoid output starts near 0.5; the chance-level MSE needs each output's target mean, known here for a single output only.",
          remedy: null,
        };
      case 'unsupported-loss':
        return {
          summary: `No chance-level reference is defined for the ${measured.loss} loss (only cross-entropy and regression MSE are judged).`,
          remedy: null,
        };
    }
    const ratio = Number(measured.ratio);
    const summary = `Initial loss (before any update, inference mode) is ${fmt(Number(measured.initialLoss))} vs expected ${measured.expectedAs} = ${fmt(Number(measured.expectedLoss))}, ratio ${fmt(ratio)} (warn beyond ±${t.warnTolerance * 100}%, fail beyond ×${t.failFactor} either way).`;
    if (status === 'pass') return { summary, remedy: null, details: judgedOn };
    if (reason === 'non-finite') {
      return {
        summary: `Initial loss is ${measured.initialLoss} before any update (expected ${measured.expectedAs} = ${fmt(Number(measured.expectedLoss))}).`,
        remedy:
          'Check the inputs and labels for NaN/Inf (inputs/non-finite) and that the output activation yields valid probabilities (loss/output-mismatch); a log(0) in a custom loss also gives Infinity.',
      };
    }
    if (reason === 'frozen-base') {
      return {
        summary: `${summary} Only the layers that train start fresh here: ${Number(measured.frozenParams).toLocaleString('en-US')} parameters are frozen, and the head starts on the scale of their features.`,
        details: judgedOn,
        remedy:
          'Training moves a fresh head off this start; to begin at chance, normalize the frozen features before the head (batchNormalization or layerNormalization) or initialize the head’s output layer smaller.',
      };
    }
    if (task.kind === 'regression') {
      return {
        summary,
        details: judgedOn,
        remedy:
          reason === 'too-high'
            ? 'Standardize the regression targets (subtract the mean, divide by the std) or initialize the output bias to the target mean; check the output layer is linear and its weights not oversized.'
            : 'The model starts suspiciously close to the targets: check that targets are not leaked into the inputs and that the target variance was computed on the same targets the loss sees.',
      };
    }
    return {
      summary,
      details: judgedOn,
      remedy:
        reason === 'too-high'
          ? 'The initial predictions are confidently wrong: shrink the output layer init (glorotUniform, zero bias), normalize the inputs, and check that the label encoding matches the loss (one-hot for categorical_crossentropy, integers for sparse).'
          : `The model starts better than chance: check the number of classes (${task.classes ?? '?'} assumed), that labels are not leaked into the inputs, and that weights were not already trained.`,
    };
  },
  causes: noCauses,
});
