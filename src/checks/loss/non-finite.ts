import { fmt } from '../../checks/helpers.ts';
import { noCauses } from '../../core/causes.ts';
import { defineCheck } from '../../core/check.ts';
import type { Series } from '../../core/evidence.ts';
import { immediate } from '../../core/live.ts';
import { minOf } from '../../shared/array.ts';
import { clipCode, frameworkOf, nonFiniteCode } from '../remedy-code.ts';

/** Step of the first non-finite value, the last finite value before it, and how many there are. */
function scan(series: Series | undefined): { step: number | null; lastFinite: number | null; count: number } {
  let step: number | null = null;
  let lastFinite: number | null = null;
  let count = 0;
  if (!series) return { step, lastFinite, count };
  for (let i = 0; i < series.values.length; i++) {
    const v = series.values[i];
    if (Number.isFinite(v)) {
      if (step === null) lastFinite = v;
      continue;
    }
    count++;
    if (step === null) step = series.steps[i] ?? i;
  }
  return { step, lastFinite, count };
}

export default defineCheck({
  id: 'loss/non-finite',
  section: 'loss',
  title: 'Loss stays finite',
  why: 'Once the loss is NaN or Infinity every gradient is too, the weights are destroyed and training cannot recover.',
  needs: ['training'],
  plot: { id: 'loss-curve', lines: {} },
  reasons: ['no-loss'],
  causeRank: 140,
  live: immediate('a non-finite value is a fact: raised at once'),
  thresholds: {},
  evaluate({ training }) {
    const total = scan(training.loss);
    const data = scan(training.dataLoss);
    const steps = [training.nonFiniteStep, total.step, data.step].filter((s): s is number => s !== null);
    const firstStep = steps.length ? minOf(steps) : null;
    const measured = {
      firstStep,
      nonFiniteValues: total.count + data.count,
      lastFiniteLoss: total.lastFinite ?? data.lastFinite,
      points: training.loss.values.length,
    };
    if (firstStep !== null) return { status: 'fail', measured };
    if (measured.points === 0) return { status: 'skip', measured, reason: 'no-loss' };
    return { status: 'pass', measured };
  },
  explain({ status, measured, reason }, evidence) {
    if (reason === 'no-loss')
      return {
        summary:
          "No loss values were recorded; log the training loss every step (e.g. `writer.add_scalar('loss', loss, step)`).",
        remedy: null,
      };
    if (status === 'pass')
      return {
        summary: `All ${measured.points} recorded loss values are finite (fail on any NaN/Inf).`,
        remedy: null,
      };
    const before =
      measured.lastFiniteLoss === null ? '' : ` (last finite loss ${fmt(Number(measured.lastFiniteLoss))})`;
    return {
      summary: `The loss became NaN/Inf at step ${measured.firstStep}${before}; expected finite values throughout.`,
      remedy: `Check the data for NaN/Inf (${nonFiniteCode(frameworkOf(evidence))}); lower the learning rate and clip the gradients (${clipCode(frameworkOf(evidence))}); in a custom loss clip probabilities away from 0 before taking the log.`,
      details:
        measured.lastFiniteLoss !== null && Number(measured.lastFiniteLoss) > 1e3
          ? 'The loss was already very large before turning non-finite: training diverged (see loss/learning-rate and other/exploding-gradients).'
          : undefined,
    };
  },
  causes: noCauses,
});
