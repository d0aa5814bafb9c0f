import { defineCheck } from '../../core/check.ts';

/** Three significant digits, trailing zeros dropped; exponent notation for tiny or huge values. */
const num = (x: number): string => {
  if (!Number.isFinite(x)) return String(x);
  if (x !== 0 && (Math.abs(x) < 1e-3 || Math.abs(x) >= 1e6)) return x.toExponential(2).replace(/\.?0+e/, 'e');
  return String(Number(x.toPrecision(3)));
};

export default defineCheck({
  id: 'inputs/standard-corpus',
  section: 'inputs',
  title: 'The same setup learns a known-learnable control corpus',
  why: 'If the same architecture and training code cannot learn a corpus that is known to be learnable, the fault is in the model or training code, not in your data.',
  needs: ['control'],
  plot: 'control-curve',
  thresholds: {
    maxLossRatio: {
      value: 0.5,
      meaning:
        'the control counts as learned when its final loss is at most this fraction of the chance loss',
      source: 'checklist',
    },
  },
  evaluate({ control }, t) {
    const lossRatio = control.chanceLoss > 0 ? control.finalLoss / control.chanceLoss : Number.NaN;
    const measured = {
      corpus: control.corpus,
      finalLoss: control.finalLoss,
      chanceLoss: control.chanceLoss,
      lossRatio,
      finalAccuracy: control.finalAccuracy,
      chanceAccuracy: control.chanceAccuracy,
      steps: control.steps,
    };
    // NaN/Inf final loss compares false: not learned.
    const learned = control.finalLoss <= t.maxLossRatio * control.chanceLoss;
    return learned ? { status: 'pass', measured } : { status: 'fail', measured, reason: 'not-learned' };
  },
  explain({ status, measured }, { control }, t) {
    const corpus =
      control.corpus === 'mnist' ? 'MNIST' : 'a synthetic learnable corpus of your input/output shape';
    const accuracy =
      control.finalAccuracy !== null && control.chanceAccuracy !== null
        ? `; held-out accuracy ${num(control.finalAccuracy * 100)}% vs ${num(control.chanceAccuracy * 100)}% by chance`
        : '';
    const summary = `On ${corpus}, final loss ${num(control.finalLoss)} is ${num(Number(measured.lossRatio) * 100)}% of the chance loss ${num(control.chanceLoss)} after ${control.steps} steps (learned ≤ ${num(t.maxLossRatio * 100)}%)${accuracy}.`;
    if (status === 'pass') return { summary, remedy: null };
    return {
      summary,
      remedy: `The same architecture and training setup do not learn ${corpus} either, so the fault is in the model or training code, not in your data: check that the output activation matches the loss (see loss/output-mismatch), that the learning rate is in a working range (see loss/learning-rate), that every layer gets gradient (see other/gradient-flow) and that weights are randomly initialized (see model/init-shallow); if still stuck, swap in a small known-good model (Flatten → Dense 64 relu → output) and add your layers back one at a time.`,
    };
  },
});
