// Causal links between findings: when one thing is wrong, several checks fire, and an engineer
// reads them as one cause and its symptoms. Each link says which finding can cause which, and
// when the measured numbers tie them together; it returns the sentence that says why (with the
// numbers), or null when the evidence does not support the link.
//
// A finding that fails explains the findings it links to. A finding that only warns explains
// others only through a link whose condition reads measured evidence: a learning rate that is
// merely high does not explain a failing overfit test, but one that sits past the range test's
// best LR explains ReLUs that were alive at the start and dead at the end of the run.

import { fmt, pct as fmtPct } from '../shared/format.ts';
import type { CheckId } from './check.ts';
import type { CheckResult } from './report.ts';

export interface CausalLink {
  cause: CheckId;
  effect: CheckId;
  /** Why the effect follows from the cause, with the measured numbers. */
  because: string;
}

type Because = (cause: CheckResult, effect: CheckResult) => string | null;

interface LinkRule {
  cause: CheckId;
  effects: CheckId[];
  /** When it returns a sentence, the link holds even when the cause only warns. */
  measured?: Because;
  /** The sentence for a failing cause (defaults to the cause's own summary). */
  generic?: Because;
  /** The link holds only where `measured` gives a sentence, also for a failing cause. */
  measuredOnly?: boolean;
}

const num = (x: unknown): number => (typeof x === 'number' ? x : Number.NaN);
const pct = (x: unknown): string => fmtPct(num(x), 0);
/** A measured value in a sentence; what is not a finite number is written as it is. */
const sig = (x: unknown): string => (Number.isFinite(num(x)) ? fmt(num(x)) : String(x));
const firstSentence = (s: string) => s.split(/(?<=\.)\s/)[0].replace(/\.$/, '');

/** The learning rate is too high or diverges (or leaves the loss flat while another LR works). */
const lrReason = (r: CheckResult) => r.measured.trend;
const lrTooHigh = (r: CheckResult) =>
  lrReason(r) === 'diverged' ||
  (r.status === 'warn' &&
    r.measured.sweepBestLr !== undefined &&
    r.measured.configuredLr !== null &&
    num(r.measured.configuredLr) >= num(r.measured.sweepBestLr));
const lrWords = (r: CheckResult) =>
  r.measured.configuredLr === null || r.measured.configuredLr === undefined
    ? 'the configured LR'
    : `LR ${sig(r.measured.configuredLr)}`;

/** Units dead or saturated at the end of the run, not at its start: they died during training. */
function diedDuringRun(effect: CheckResult): { start: number; end: number; layer: string } | null {
  const { startFraction, endFraction, worstLayer, worstSnapshot } = effect.measured;
  if (worstSnapshot !== 'end' || typeof endFraction !== 'number') return null;
  const start = typeof startFraction === 'number' ? startFraction : 0;
  return endFraction >= start + 0.2 ? { start, end: endFraction, layer: String(worstLayer) } : null;
}

const RULES: LinkRule[] = [
  {
    cause: 'inputs/non-finite',
    effects: [
      'loss/non-finite',
      'other/exploding-gradients',
      'loss/learning-rate',
      'loss/initial-loss',
      'inputs/overfit-small',
      'inputs/label-signal',
      'inputs/target-scale',
      'other/gradient-flow',
      'other/update-ratio',
      'inputs/mean-centering',
    ],
    generic: (c) =>
      `NaN/Inf values in the data make every loss and gradient that touches them NaN (${firstSentence(c.summary)})`,
  },
  {
    cause: 'inputs/target-scale',
    effects: [
      'loss/initial-loss',
      'loss/learning-rate',
      'inputs/overfit-small',
      'inputs/label-signal',
      'other/exploding-gradients',
      'loss/non-finite',
      'other/update-ratio',
      'activations/dead-relu',
      'loss/steep-drop',
    ],
    generic: (c) =>
      c.measured.rms !== undefined
        ? `the regression targets have mean ${sig(c.measured.mean)} and root mean square ${sig(c.measured.rms)}, far beyond the order-1 outputs a network starts with: the squared error and its gradients are on that scale`
        : firstSentence(c.summary),
  },
  {
    cause: 'loss/output-mismatch',
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
  {
    cause: 'model/init-shallow',
    effects: [
      'other/gradient-flow',
      'activations/dead-relu',
      'activations/saturation',
      'loss/initial-loss',
      'model/init-deep',
      'other/weight-variance',
      'inputs/overfit-small',
      'inputs/standard-corpus',
      'inputs/label-signal',
      'loss/learning-rate',
      'other/update-ratio',
      'loss/steep-drop',
      'model/simplify',
    ],
    generic: (c) =>
      `the initial weights are the problem (${firstSentence(c.summary)}): identical or zero units get identical or no gradients`,
  },
  {
    cause: 'inputs/mean-centering',
    effects: [
      'activations/saturation',
      'activations/dead-relu',
      'other/exploding-gradients',
      'loss/learning-rate',
      'loss/initial-loss',
      'inputs/overfit-small',
      'inputs/label-signal',
      'loss/non-finite',
      'other/update-ratio',
      'loss/steep-drop',
    ],
    generic: (c) =>
      `unscaled inputs (${firstSentence(c.summary)}) push pre-activations and gradients far off their working range`,
  },
  {
    cause: 'loss/regularization',
    effects: [
      'loss/learning-rate',
      'inputs/label-signal',
      'inputs/standard-corpus',
      'model/simplify',
      'other/update-ratio',
    ],
    generic: (c) =>
      `the regularization penalty, not the data, is what training minimizes (${firstSentence(c.summary)})`,
  },
  {
    cause: 'loss/learning-rate',
    effects: [
      'activations/dead-relu',
      'activations/saturation',
      'other/exploding-gradients',
      'loss/non-finite',
      'inputs/overfit-small',
      'inputs/standard-corpus',
      'inputs/label-signal',
      'other/update-ratio',
      'loss/steep-drop',
      'loss/overfitting',
      'model/simplify',
    ],
    measured: (c, e) => {
      const lr = lrWords(c);
      if ((e.id === 'activations/dead-relu' || e.id === 'activations/saturation') && lrTooHigh(c)) {
        const died = diedDuringRun(e);
        if (!died) return null;
        const what = e.id === 'activations/dead-relu' ? 'dead' : 'saturated';
        return `the units of ${died.layer} were ${pct(died.start)} ${what} at the start of the run and ${pct(died.end)} at its end: they were ${what === 'dead' ? 'killed' : 'saturated'} by updates at ${lr}${c.measured.sweepBestLr !== undefined && c.measured.sweepBestLr !== null ? `, at or past the range test's best LR ${sig(c.measured.sweepBestLr)}` : ''}`;
      }
      if ((e.id === 'inputs/overfit-small' || e.id === 'loss/overfitting') && lrTooHigh(c)) {
        if (
          e.id === 'inputs/overfit-small' &&
          !(num(e.measured.lossRatio) > 1 || !Number.isFinite(num(e.measured.finalLoss)))
        )
          return null;
        return e.id === 'inputs/overfit-small'
          ? `the 50-record run's loss rose from ${sig(e.measured.initialLoss)} to ${sig(e.measured.finalLoss)} at ${lr}: updates overshoot`
          : `the validation loss turned up while training at ${lr}, close to divergence`;
      }
      if (
        e.id === 'inputs/standard-corpus' &&
        c.status !== 'pass' &&
        typeof e.measured.referenceLearnedAtStep === 'number'
      )
        return `the same architecture learned the control corpus in ${e.measured.referenceLearnedAtStep} steps with Adam at 1e-3 but not at ${lr}: the optimizer setting, not the architecture, holds it back`;
      return null;
    },
    generic: (c) =>
      `at ${lrWords(c)} ${lrReason(c) === 'diverged' ? 'training diverges' : lrReason(c) === 'flat' ? 'the loss barely moves' : 'updates overshoot'}${c.measured.suggestedLr !== null && c.measured.suggestedLr !== undefined ? ` while the range test finds a working LR at ${sig(c.measured.suggestedLr)}` : ''}`,
  },
  {
    // A rate that blew training up saturates units and gates (an LSTM's sigmoids and tanhs): the
    // early layers' gradient then vanishes as its consequence. Only a failing, diverged LR: a
    // flat loss beside a vanishing gradient is the gradient's doing.
    cause: 'loss/learning-rate',
    effects: ['other/gradient-flow'],
    measuredOnly: true,
    measured: (c) =>
      c.status === 'fail' && lrReason(c) === 'diverged'
        ? `training diverged at ${lrWords(c)}: updates that large saturate the units and gates, so the gradient reaching the early layers vanishes`
        : null,
  },
  {
    cause: 'activations/saturation',
    effects: [
      'other/gradient-flow',
      'loss/learning-rate',
      'inputs/overfit-small',
      'inputs/standard-corpus',
      'inputs/label-signal',
      'loss/steep-drop',
      'model/init-deep',
      'model/simplify',
    ],
    generic: (c) => `saturated units pass almost no gradient (${firstSentence(c.summary)})`,
  },
  {
    cause: 'activations/dead-relu',
    effects: [
      'other/gradient-flow',
      'loss/learning-rate',
      'inputs/overfit-small',
      'inputs/standard-corpus',
      'inputs/label-signal',
      'other/update-ratio',
      'model/simplify',
    ],
    generic: (c) => `dead units pass no gradient (${firstSentence(c.summary)})`,
  },
  {
    cause: 'model/init-deep',
    effects: [
      'other/gradient-flow',
      'loss/learning-rate',
      'inputs/overfit-small',
      'inputs/standard-corpus',
      'inputs/label-signal',
      'model/simplify',
    ],
    generic: (c) =>
      `activations vanish with depth at initialization (${firstSentence(c.summary)}), and so do the gradients of the early layers`,
  },
  {
    cause: 'other/gradient-flow',
    effects: [
      'inputs/overfit-small',
      'inputs/standard-corpus',
      'loss/learning-rate',
      'other/update-ratio',
      'inputs/label-signal',
      'model/simplify',
    ],
    generic: (c) => `layers that get no or vanishing gradient do not learn (${firstSentence(c.summary)})`,
  },
  {
    cause: 'other/exploding-gradients',
    effects: ['loss/non-finite'],
    generic: (c) => `exploding gradients (${firstSentence(c.summary)}) overflow the weights`,
  },
  {
    cause: 'inputs/class-balance',
    effects: ['inputs/rebalancing', 'inputs/label-signal'],
    generic: (c) => `the majority class is the easy minimum (${firstSentence(c.summary)})`,
  },
  {
    cause: 'inputs/standard-corpus',
    effects: ['inputs/label-signal', 'model/simplify'],
    generic: () =>
      'a setup that cannot learn a known-learnable corpus learns nothing from these labels either',
  },
  {
    cause: 'inputs/overfit-small',
    effects: ['inputs/label-signal'],
    generic: () => 'a model that cannot fit 50 records learns nothing from the labels either',
  },
];

/** The causal links among the findings (fail/warn results), each with its measured reason. */
export function causalLinks(findings: CheckResult[]): CausalLink[] {
  const byId = new Map(findings.map((r) => [r.id, r]));
  const links: CausalLink[] = [];
  for (const rule of RULES) {
    const cause = byId.get(rule.cause);
    if (!cause) continue;
    for (const id of rule.effects) {
      const effect = byId.get(id);
      if (!effect || effect === cause) continue;
      const measured = rule.measured?.(cause, effect) ?? null;
      const because =
        measured ??
        (cause.status === 'fail' && effect.status !== 'pass' && !rule.measuredOnly
          ? (rule.generic?.(cause, effect) ?? firstSentence(cause.summary))
          : null);
      if (because) links.push({ cause: cause.id, effect: effect.id, because });
    }
  }
  return links;
}
