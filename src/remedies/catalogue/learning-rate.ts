// Learning-rate fixes: the LR range test's suggestion, or one decade down or up from the
// configured rate (the log steps an engineer tries first).

import type { CheckResult } from '../../core/report.ts';
import { fmt } from '../../shared/format.ts';
import type { Fix, FixContext, Params, Setup } from '../types.ts';
import { measured, round2 } from './shared.ts';

function setLearningRate(setup: Setup, params: Params) {
  const to = Number(params.learningRate);
  return { changes: { edits: [], reinitialized: [], learningRate: { from: setup.learningRate, to } } };
}

const describeLr = (changes: { learningRate?: { from: number | null; to: number } }) =>
  `learning rate ${changes.learningRate?.from === null || changes.learningRate?.from === undefined ? '(default)' : fmt(changes.learningRate.from)} → ${fmt(changes.learningRate?.to)}`;

/** The learning-rate check found the loss diverging or the rate past the range test's best. */
function tooHigh(finding: CheckResult): boolean {
  const trend = finding.measured.trend;
  if (finding.id === 'loss/learning-rate') {
    const configured = measured(finding, 'configuredLr');
    const best = measured(finding, 'sweepBestLr');
    return trend === 'diverged' || (Number.isFinite(best) && configured >= best);
  }
  if (finding.id === 'other/update-ratio')
    return measured(finding, 'maxMedian') > (finding.thresholds.warnAbove ?? Number.POSITIVE_INFINITY);
  if (finding.id === 'activations/dead-relu' || finding.id === 'activations/saturation')
    return finding.measured.worstSnapshot === 'end';
  return ['other/exploding-gradients', 'loss/non-finite', 'loss/overfitting'].includes(finding.id);
}

/** The loss stays flat or falls slowly at the configured rate. */
function tooLow(finding: CheckResult): boolean {
  if (finding.id === 'loss/learning-rate') return finding.measured.trend !== 'diverged' && !tooHigh(finding);
  if (finding.id === 'other/update-ratio')
    return measured(finding, 'minMedian') < (finding.thresholds.failBelow ?? 0);
  return ['inputs/overfit-small', 'inputs/standard-corpus', 'loss/steep-drop'].includes(finding.id);
}

const suggested = (ctx: FixContext): number | null => {
  const s = ctx.lrSweep?.suggestedLr;
  return typeof s === 'number' && Number.isFinite(s) && s > 0 ? s : null;
};

export const lrRangeTest = {
  id: 'lr-range-test',
  title: "Use the LR range test's learning rate",
  family: 'learning-rate',
  addresses: [
    'loss/learning-rate',
    'other/exploding-gradients',
    'loss/non-finite',
    'other/update-ratio',
    'activations/dead-relu',
    'inputs/overfit-small',
    'inputs/standard-corpus',
  ],
  applies(ctx) {
    const lr = suggested(ctx);
    if (lr === null) return 'the LR range test did not run or found no working rate';
    const now = ctx.setup.learningRate;
    return now !== null && Math.abs(Math.log10(lr / now)) < Math.log10(2)
      ? 'the range test suggests about the configured rate'
      : null;
  },
  suits: (finding) => finding.id !== 'activations/dead-relu' || tooHigh(finding),
  params: (ctx) => ({ learningRate: round2(suggested(ctx) ?? Number.NaN) }),
  apply: (_topology, params, setup) => setLearningRate(setup, params),
  describe: describeLr,
} as const satisfies Fix;

export const lrDown = {
  id: 'lr-down',
  title: 'Lower the learning rate 10×',
  family: 'learning-rate',
  addresses: [
    'loss/learning-rate',
    'other/exploding-gradients',
    'loss/non-finite',
    'other/update-ratio',
    'activations/dead-relu',
    'activations/saturation',
  ],
  applies: (ctx) => (ctx.setup.learningRate === null ? 'the learning rate is unknown' : null),
  suits: tooHigh,
  params: (ctx) => ({ learningRate: round2((ctx.setup.learningRate ?? Number.NaN) / 10) }),
  apply: (_topology, params, setup) => setLearningRate(setup, params),
  describe: describeLr,
} as const satisfies Fix;

export const lrUp = {
  id: 'lr-up',
  title: 'Raise the learning rate 10×',
  family: 'learning-rate',
  addresses: [
    'loss/learning-rate',
    'other/update-ratio',
    'inputs/overfit-small',
    'inputs/standard-corpus',
    'loss/steep-drop',
  ],
  applies: (ctx) => (ctx.setup.learningRate === null ? 'the learning rate is unknown' : null),
  suits: tooLow,
  params: (ctx) => ({ learningRate: round2((ctx.setup.learningRate ?? Number.NaN) * 10) }),
  apply: (_topology, params, setup) => setLearningRate(setup, params),
  describe: describeLr,
} as const satisfies Fix;
