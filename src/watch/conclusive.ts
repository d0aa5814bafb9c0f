// When a check's verdict on a run in progress is conclusive. The checks were written for a finished
// run: judged at step 40 of a 10,000-step run, "the loss fell by less than 10%" or "the last window
// is 1.5× the first" can be a passing wobble. A live finding is raised only when the same verdict
// holds on evidence that cannot change it (a NaN is a NaN), or has held long enough to be more than
// a wobble. Each rule says which, in words that go into the finding.
import type { CheckId, Detection } from '../core/check.ts';
import type { Evidence } from '../core/evidence.ts';

/** What an evaluation saw: counts that grow as evidence arrives. */
export interface Progress {
  /** Latest training step seen. */
  step: number;
  lossPoints: number;
  /** Steps with per-variable gradient/update telemetry. */
  telemetryPoints: number;
  /** Activation probes measured (start included). */
  activationProbes: number;
  valPoints: number;
  regPoints: number;
}

/** Counts read off the evidence; activation probes are counted by the source (snapshots keep two). */
export function progressOf(evidence: Evidence, step: number, activationProbes: number): Progress {
  const t = evidence.training;
  const telemetry = t?.weights.reduce((n, w) => Math.max(n, w.steps.length), 0) ?? 0;
  return {
    step,
    lossPoints: t?.loss.values.length ?? 0,
    telemetryPoints: Math.max(telemetry, t?.gradNorm?.values.length ?? 0),
    activationProbes: t?.activations ? activationProbes : 0,
    valPoints: t?.valLoss?.values.length ?? 0,
    regPoints: t?.regLoss?.values.length ?? 0,
  };
}

export type Rule =
  /** The evidence cannot un-happen (a NaN, a variable with no path to the loss, the model at start). */
  | { kind: 'immediate'; words: string }
  /**
   * The verdict must hold at every evaluation from when it was first seen until `span(firstStep)`
   * steps later, with at least `minPoints` points of `counter` and `fresh` new ones since.
   */
  | {
      kind: 'confirmed';
      counter: Exclude<keyof Progress, 'step'>;
      minPoints: number;
      fresh: number;
      span: (firstStep: number) => number;
      words: string;
    }
  /** Judged only on the finished run (the report at the end). */
  | { kind: 'final'; words: string };

const immediate = (words: string): Rule => ({ kind: 'immediate', words });

/** The verdict held from its first sighting at step s until step s + max(min, fraction·s). */
const spanOf = (min: number, fraction: number) => (s: number) => Math.max(min, Math.round(fraction * s));

const TREND: Rule = {
  kind: 'confirmed',
  counter: 'telemetryPoints',
  minPoints: 10,
  fresh: 2,
  span: spanOf(50, 0.25),
  words:
    'a per-layer median over ≥ 10 measurements, held for max(50 steps, 25% of the step where it was first seen)',
};

/** The rule for a check's detection at this point of the run. */
export function ruleFor(id: CheckId, detection: Detection): Rule {
  const m = detection.measured;
  switch (id) {
    case 'loss/non-finite':
    case 'inputs/non-finite':
      return immediate('a non-finite value is a fact: raised at once');
    case 'model/init-shallow':
    case 'model/init-deep':
    case 'model/pretrained':
    case 'other/weight-variance':
    case 'loss/output-mismatch':
    case 'loss/initial-loss':
      return immediate('measured on the model as it was when watching began: raised at once');
    case 'other/exploding-gradients':
      if (detection.reason === 'non-finite')
        return immediate('a non-finite gradient is a fact: raised at once');
      return {
        kind: 'confirmed',
        counter: 'telemetryPoints',
        minPoints: 10,
        fresh: 2,
        span: spanOf(0, 0),
        words: 'held on ≥ 10 gradient measurements and on 2 more taken after it was first seen',
      };
    case 'loss/learning-rate':
      if (m.nonFiniteStep !== null && m.nonFiniteStep !== undefined)
        return immediate('the loss became NaN/Inf: raised at once');
      if (m.trend === 'diverged')
        return {
          kind: 'confirmed',
          counter: 'lossPoints',
          minPoints: 50,
          fresh: 10,
          span: spanOf(20, 0.1),
          words:
            'the loss stayed above 1.5× its start for max(20 steps, 10% of the run) after it was first seen',
        };
      // Flat: every run is flat for a while; only a loss flat for half again as long counts.
      return {
        kind: 'confirmed',
        counter: 'lossPoints',
        minPoints: 200,
        fresh: 50,
        span: spanOf(200, 0.5),
        words:
          'the loss stayed flat on ≥ 200 steps, from the step it was first seen until 50% (at least 200 steps) later',
      };
    case 'loss/overfitting':
      return {
        kind: 'confirmed',
        counter: 'valPoints',
        minPoints: 4,
        fresh: 2,
        span: spanOf(0, 0),
        words: 'the validation loss stayed above its minimum at the next 2 validation measurements too',
      };
    case 'loss/steep-drop':
      return {
        kind: 'final',
        words: 'judged on the whole run only: mid-run every healthy curve has just dropped steeply',
      };
    case 'loss/regularization':
      return {
        kind: 'confirmed',
        counter: 'regPoints',
        minPoints: 5,
        fresh: 2,
        span: spanOf(50, 0.25),
        words: 'held on ≥ 5 measurements for max(50 steps, 25% of the run)',
      };
    case 'activations/dead-relu':
    case 'activations/saturation':
      return {
        kind: 'confirmed',
        counter: 'activationProbes',
        minPoints: 1,
        fresh: 1,
        span: spanOf(0, 0),
        words: 'held on the probe batch at the next activation measurement too',
      };
    case 'other/gradient-flow':
      if (detection.reason === 'no-gradient')
        return {
          kind: 'confirmed',
          counter: 'telemetryPoints',
          minPoints: 3,
          fresh: 2,
          span: spanOf(0, 0),
          words: 'no gradient at every one of ≥ 3 measurements',
        };
      return TREND;
    case 'other/update-ratio':
      return TREND;
    case 'distributed/non-finite':
      return immediate('a non-finite value on a rank is a fact: raised at once');
    case 'distributed/loss-skew':
    case 'distributed/replica-divergence':
    case 'distributed/step-sync':
    case 'distributed/stragglers':
      return {
        kind: 'confirmed',
        counter: 'lossPoints',
        minPoints: 10,
        fresh: 2,
        span: spanOf(50, 0.25),
        words:
          'compared across ranks on ≥ 10 loss points, held for max(50 steps, 25% of the step where it was first seen)',
      };
    default:
      return {
        kind: 'final',
        words:
          'needs an experiment nn-doctor runs on the model itself (nn-doctor check), not a run being watched',
      };
  }
}
