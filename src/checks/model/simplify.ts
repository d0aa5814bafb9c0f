import { defineCheck } from '../../core/check.ts';

/** Three significant digits, trailing zeros dropped; exponent notation for tiny or huge values. */
const num = (x: number): string => {
  if (!Number.isFinite(x)) return String(x);
  if (x !== 0 && (Math.abs(x) < 1e-3 || Math.abs(x) >= 1e6)) return x.toExponential(2).replace(/\.?0+e/, 'e');
  return String(Number(x.toPrecision(3)));
};

export default defineCheck({
  id: 'model/simplify',
  section: 'model',
  title: 'A deliberately simple model does not learn clearly better',
  why: 'When Flatten → Dense 64 relu → output beats your model on the same data and budget, the extra complexity (depth, init, normalization) is getting in the way of learning.',
  needs: ['simplified'],
  plot: 'control-curve',
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
      meaning: 'fail when the simple model’s final loss is below this fraction of yours',
      source: 'checklist',
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
    const measured = { ratio, userFinalLoss, simpleFinalLoss, userHiddenLayers, steps: simplified.steps };
    if (userHiddenLayers <= t.maxSimpleLayers) return { status: 'skip', measured, reason: 'already-simple' };
    if (!Number.isFinite(userFinalLoss) && Number.isFinite(simpleFinalLoss)) {
      return { status: 'fail', measured, reason: 'user-non-finite' };
    }
    if (simpleFinalLoss < t.failRatio * userFinalLoss) return { status: 'fail', measured };
    if (simpleFinalLoss < t.warnRatio * userFinalLoss) return { status: 'warn', measured };
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
    const summary =
      reason === 'user-non-finite'
        ? `After ${simplified.steps} steps your model's loss is ${simplified.userFinalLoss} while the simple model reaches ${num(simplified.simpleFinalLoss)}.`
        : `After ${simplified.steps} steps the simple model's loss is ${num(simplified.simpleFinalLoss)} vs ${num(simplified.userFinalLoss)} for yours, ${num(ratio * 100)}% of it (warn < ${num(t.warnRatio * 100)}%, fail < ${num(t.failRatio * 100)}%).`;
    if (status === 'pass') return { summary, remedy: null };
    return {
      summary,
      remedy: `Start from the simple model (Flatten → Dense 64 relu → your output layer), which learns on this data, and add your ${simplified.userHiddenLayers} hidden layers back one or two at a time, re-checking the loss after each; when the loss stalls, look at what the last addition brought: initialization for its depth (He for ReLU; see model/init-deep), missing batch normalization or residual connections, or a learning rate too high for the deeper model.`,
    };
  },
});
