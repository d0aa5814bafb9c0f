// When a check's verdict on a run in progress is conclusive (each check declares its own rule,
// `live`; src/watch/ applies it). The checks were written for a finished
// run: judged at step 40 of a 10,000-step run, "the loss fell by less than 10%" or "the last window
// is 1.5× the first" can be a passing wobble. A live finding is raised only when the same verdict
// holds on evidence that cannot change it (a NaN is a NaN), or has held long enough to be more than
// a wobble. Each rule says which, in words that go into the finding.
import type { Evidence } from './evidence.ts';

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

export type LiveRule =
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

export const immediate = (words: string): LiveRule => ({ kind: 'immediate', words });

/** The verdict held from its first sighting at step s until step s + max(min, fraction·s). */
export const spanOf = (min: number, fraction: number) => (s: number) =>
  Math.max(min, Math.round(fraction * s));

export const TREND: LiveRule = {
  kind: 'confirmed',
  counter: 'telemetryPoints',
  minPoints: 10,
  fresh: 2,
  span: spanOf(50, 0.25),
  words:
    'a per-layer median over ≥ 10 measurements, held for max(50 steps, 25% of the step where it was first seen)',
};

/** For checks that need an experiment on the model itself: judged on the finished report only. */
export const NEEDS_EXPERIMENT: LiveRule = {
  kind: 'final',
  words: 'needs an experiment nn-doctor runs on the model itself (nn-doctor check), not a run being watched',
};

/** Measured on the model as it was when watching began. */
export const AT_START: LiveRule = immediate(
  'measured on the model as it was when watching began: raised at once',
);

/** Held on the probe batch at the next activation measurement too. */
export const NEXT_PROBE: LiveRule = {
  kind: 'confirmed',
  counter: 'activationProbes',
  minPoints: 1,
  fresh: 1,
  span: spanOf(0, 0),
  words: 'held on the probe batch at the next activation measurement too',
};
