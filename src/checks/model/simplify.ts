import { noCauses } from '../../core/causes.ts';
import { defineCheck } from '../../core/check.ts';
import { NEEDS_EXPERIMENT } from '../../core/live.ts';
import { fmt as num } from '../../shared/format.ts';

export default defineCheck({
  id: 'model/simplify',
  section: 'model',
  title: 'A deliberately simple model does not learn clearly better',
  why: 'When Flatten → Dense 64 relu → output beats your model on the same data and budget, the extra complexity (depth, init, normalization) is getting in the way of learning.',
  needs: ['simplified'],
  plot: { id: 'control-curve', lines: {} },
  reasons: ['already-simple', 'user-non-finite', 'slower'],
  causeRank: 190,
  live: NEEDS_EXPERIMENT,
  thresholds: {
    maxSimpleLayers: {
      value: 2,
      meaning: 'skip when the model has at most this many hidden layers (it is already simple)',
      source: 'checklist',
    },
    warnRatio: {
      value: 0.8,
      meaning: 'warn when the simple model’s final loss is below this fraction of yours',
      source: 'checklist',
    },
    failRatio: {
      value: 0.5,
      meaning:
        'fail when the simple model’s final loss is below this fraction of yours and yours did not learn (see minUserDrop)',
      source: 'checklist',
    },
    minUserDrop: {
      value: 0.1,
      meaning:
        'your model counts as learning when its loss fell by at least this fraction during the run; a learning model that the simple one beats gets a warn (slower), not a fail',
      source: 'nn-doctor calibration: deep BN and dropout networks learn slower in 100 steps but train well',
    },
  },
  evaluate({ simplified }, t) {
    const { userFinalLoss, simpleFinalLoss, userHiddenLayers } = simplified;
    const ratio =
      userFinalLoss > 0
        ? simpleFinalLoss / userFinalLoss
        : simpleFinalLoss > 0
          ? Number.POSITIVE_INFINITY
          : 1;
    const initial = simplified.userInitialLoss;
    const userDrop =
      initial !== undefined && initial > 0 && Number.isFinite(userFinalLoss)
        ? 1 - userFinalLoss / initial
        : null;
    const measured = {
      ratio,
      userFinalLoss,
      simpleFinalLoss,
      userDrop,
      userHiddenLayers,
      steps: simplified.steps,
      compared: simplified.compared ?? 'training curves',
    };
    if (userHiddenLayers <= t.maxSimpleLayers) return { status: 'skip', measured, reason: 'already-simple' };
    if (!Number.isFinite(userFinalLoss) && Number.isFinite(simpleFinalLoss)) {
      return { status: 'fail', measured, reason: 'user-non-finite' };
    }
    if (simpleFinalLoss < t.failRatio * userFinalLoss) {
      // Far better, but yours learns too: slower, not broken.
      if (userDrop !== null && userDrop >= t.minUserDrop)
        return { status: 'warn', measured, reason: 'slower' };
      return { status: 'fail', measured };
    }
    if (simpleFinalLoss < t.warnRatio * userFinalLoss) return { status: 'warn', measured, reason: 'slower' };
    return { status: 'pass', measured };
  },
  explain({ status, measured, reason }, { simplified }, t) {
    if (reason === 'already-simple') {
      return {
        summary: `The model has ${simplified.userHiddenLayers} hidden layer${simplified.userHiddenLayers === 1 ? '' : 's'} (≤ ${t.maxSimpleLayers}): it is already simple.`,
        remedy: null,
      };
    }
    const ratio = Number(measured.ratio);
    const how =
      simplified.compared === 'inference' ? ' (both in inference mode on the same training records)' : '';
    const learned =
      measured.userDrop !== null
        ? ` Yours went from ${num(Number(simplified.userInitialLoss))} to ${num(simplified.userFinalLoss)} (${num(Number(measured.userDrop) * 100)}% lower; it learns when ≥ ${num(t.minUserDrop * 100)}%).`
        : '';
    const summary =
      reason === 'user-non-finite'
        ? `After ${simplified.steps} steps your model's loss is ${simplified.userFinalLoss} while the simple model reaches ${num(simplified.simpleFinalLoss)}.`
        : `After ${simplified.steps} steps the simple model's loss is ${num(simplified.simpleFinalLoss)} vs ${num(simplified.userFinalLoss)} for yours${how}, ${num(ratio * 100)}% of it (warn < ${num(t.warnRatio * 100)}%, fail < ${num(t.failRatio * 100)}% when yours does not learn).${learned}`;
    if (status === 'pass') return { summary, remedy: null };
    if (reason === 'slower') {
      return {
        summary,
        remedy: `Your model learns, more slowly than Flatten → Dense 64 relu → output on this budget: the extra depth may not pay off on this data. Compare both after full training; if the simple one stays better, drop layers; if yours is meant to be deep, check its initialization (He for ReLU; see model/init-deep), normalization and learning rate.`,
      };
    }
    return {
      summary,
      remedy: `Start from the simple model (Flatten → Dense 64 relu → your output layer), which learns on this data, and add your ${simplified.userHiddenLayers} hidden layers back one or two at a time, re-checking the loss after each; when the loss stalls, look at what the last addition brought: initialization for its depth (He for ReLU; see model/init-deep), missing batch normalization or residual connections, or a learning rate too high for the deeper model.`,
    };
  },
  causes: noCauses,
});
