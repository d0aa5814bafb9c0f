import { defineCheck } from '../../core/check.ts';
import type { ControlEvidence } from '../../core/evidence.ts';
import { NEEDS_EXPERIMENT } from '../../core/live.ts';
import { fmt, pct } from '../helpers.ts';

/**
 * Share of the chance loss the run removed per 100 steps over its last stretch (between its last
 * two held-out evaluations): the learning rate a slow setup shows. Null without evaluations.
 */
export function progressPer100Steps(control: ControlEvidence): number | null {
  const points = control.checkpoints ?? [];
  if (points.length < 2 || !(control.chanceLoss > 0)) return null;
  const a = points[points.length - 2];
  const b = points[points.length - 1];
  if (b.step <= a.step || !Number.isFinite(a.loss) || !Number.isFinite(b.loss)) return null;
  return ((a.loss - b.loss) / control.chanceLoss) * (100 / (b.step - a.step));
}

export default defineCheck({
  id: 'inputs/standard-corpus',
  section: 'inputs',
  title: 'The same setup learns a known-learnable control corpus',
  why: 'If the same architecture and training code cannot learn a corpus that is known to be learnable, the fault is in the model or training code, not in your data.',
  needs: ['control'],
  plot: { id: 'control-curve', lines: {} },
  reasons: ['non-finite', 'slow', 'not-learned'],
  // Among causes (core/diagnosis.ts): the setup can't learn even a known corpus: see the causes
  // above
  causeRank: 180,
  live: NEEDS_EXPERIMENT,
  thresholds: {
    maxLossRatio: {
      value: 0.5,
      meaning:
        'the control counts as learned when its final held-out loss is at most this fraction of the chance loss',
      source: 'checklist',
    },
    minDrop: {
      value: 0.1,
      meaning:
        'fail only when the run, given up to 4× its base steps while it progressed, removed less than this fraction of the chance loss (it cannot learn) — unless Adam 1e-3 learns the control with the same architecture and the run removed at least a tenth of this (slow optimizer settings: warn); a run between this and learned is slow: warn',
      source: 'nn-doctor calibration: slow-but-learning setups (SGD 0.01, recurrent layers) must not fail',
    },
  },
  evaluate({ control }, t) {
    const lossRatio = control.chanceLoss > 0 ? control.finalLoss / control.chanceLoss : Number.NaN;
    const reference = control.reference;
    const measured = {
      corpus: control.corpus,
      finalLoss: control.finalLoss,
      chanceLoss: control.chanceLoss,
      lossRatio,
      finalAccuracy: control.finalAccuracy,
      chanceAccuracy: control.chanceAccuracy,
      steps: control.steps,
      learnedAtStep: control.learnedAtStep ?? null,
      progressPer100Steps: progressPer100Steps(control),
      referenceLearnedAtStep: reference ? reference.learnedAtStep : null,
      referenceLossRatio:
        reference && control.chanceLoss > 0 ? reference.finalLoss / control.chanceLoss : null,
    };
    // NaN/Inf final loss compares false: not learned.
    if (control.finalLoss <= t.maxLossRatio * control.chanceLoss) return { status: 'pass', measured };
    if (!Number.isFinite(control.finalLoss)) return { status: 'fail', measured, reason: 'non-finite' };
    if (lossRatio <= 1 - t.minDrop) return { status: 'warn', measured, reason: 'slow' };
    // Below minDrop, yet the same architecture learns the control with Adam at 1e-3 and the
    // setup's own held-out loss did fall: the optimizer settings are slow, the setup not broken.
    const fell = (control.initialLoss - control.finalLoss) / control.chanceLoss >= t.minDrop / 10;
    if (reference?.learnedAtStep != null && fell) return { status: 'warn', measured, reason: 'slow' };
    return { status: 'fail', measured, reason: 'not-learned' };
  },
  explain({ status, measured, reason }, { control }, t) {
    const corpus =
      control.corpus === 'mnist' ? 'MNIST' : 'a synthetic learnable corpus of your input/output shape';
    const accuracy =
      control.finalAccuracy !== null && control.chanceAccuracy !== null
        ? `; held-out accuracy ${pct(control.finalAccuracy)} vs ${pct(control.chanceAccuracy)} by chance`
        : '';
    const when =
      control.learnedAtStep !== undefined && control.learnedAtStep !== null
        ? `after ${control.learnedAtStep} steps`
        : `after ${control.steps} steps${control.maxSteps && control.steps < control.maxSteps ? ` (stopped: no more progress; cap ${control.maxSteps})` : control.maxSteps ? ` (the cap)` : ''}`;
    const summary = `On ${corpus}, held-out loss ${fmt(control.finalLoss)} is ${fmt(Number(measured.lossRatio) * 100)}% of the chance loss ${fmt(control.chanceLoss)} ${when} (learned ≤ ${fmt(t.maxLossRatio * 100)}%, fail above ${fmt((1 - t.minDrop) * 100)}%)${accuracy}.`;
    if (status === 'pass') return { summary, remedy: null };
    const ref = control.reference;
    const refWords = ref
      ? ref.learnedAtStep !== null
        ? ` The same architecture with Adam at 1e-3 learned it in ${ref.learnedAtStep} steps, so the architecture is fine: the optimizer settings hold it back.`
        : ` The same architecture with Adam at 1e-3 did not learn it either (${fmt((ref.finalLoss / control.chanceLoss) * 100)}% of chance after ${ref.steps} steps).`
      : '';
    if (reason === 'slow') {
      const rate = measured.progressPer100Steps;
      return {
        summary: `${summary} ${
          rate !== null && Number(rate) <= 0
            ? 'It learned part of it, then stopped improving (its held-out loss rose at the end)'
            : `It is learning, slowly${rate !== null ? `: ${pct(Number(rate))} of the chance loss per 100 steps at the end` : ''}`
        }.${refWords}`,
        remedy: `The setup learns the control, only slowly: ${ref && ref.learnedAtStep !== null ? 'a higher learning rate or an adaptive optimizer (Adam) would speed it up' : 'expect to need more steps than usual; a higher learning rate (see loss/learning-rate) or normalization layers may speed it up'}. Nothing here says the model or training code is broken.`,
      };
    }
    return {
      summary: `${summary}${refWords}`,
      remedy:
        ref && ref.learnedAtStep !== null
          ? 'The architecture learns the control with Adam at 1e-3 but not with your optimizer settings: fix the optimizer or its learning rate first (loss/learning-rate reports a working learning rate).'
          : `The same architecture and training setup do not learn ${corpus} either, so the fault is in the model or training code, not in your data: check that the output activation matches the loss (see loss/output-mismatch), that the learning rate is in a working range (see loss/learning-rate), that every layer gets gradient (see other/gradient-flow) and that weights are randomly initialized (see model/init-shallow); if still stuck, swap in a small known-good model (Flatten → Dense 64 relu → output) and add your layers back one at a time.`,
    };
  },
  causes: {
    effects: ['inputs/label-signal', 'model/simplify'],
    generic: () =>
      'a setup that cannot learn a known-learnable corpus learns nothing from these labels either',
  },
});
