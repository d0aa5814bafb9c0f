// Causal links between findings: when one thing is wrong, several checks fire, and an engineer
// reads them as one cause and its symptoms. Each check declares the links where it is the cause
// (Check.causes): which findings it can cause, and when the measured numbers tie them together.
// A link returns the sentence that says why (with the numbers), or null when the evidence does
// not support it. This file holds only the machinery; the knowledge is in the checks.
//
// A finding that fails explains the findings it links to. A finding that only warns explains
// others only through a link whose condition reads measured evidence: a learning rate that is
// merely high does not explain a failing overfit test, but one that sits past the range test's
// best LR explains ReLUs that were alive at the start and dead at the end of the run.

import { fmt, pct } from '../shared/format.ts';
import type { AnyCheck, CheckId, MeasuredOf, MeasuredShape } from './check.ts';
import type { CheckResult } from './report.ts';

export interface CausalLink {
  cause: CheckId;
  effect: CheckId;
  /** Why the effect follows from the cause, with the measured numbers. */
  because: string;
}

/** A link that holds when the measured numbers of cause (MC) and effect (ME) tie them together. */
export interface MeasuredLink<MC extends MeasuredShape> {
  effect: CheckId;
  /** The sentence, with the numbers; null when they do not support the link. */
  // A method's type: its parameter is bivariant, so a link typed against its effect fits the list.
  because(cause: CheckResult<MC>, effect: CheckResult<MeasuredShape>): string | null;
}

/**
 * Builds a measured link to the findings of check E (`import type E from '../section/name.ts'`,
 * then `link<typeof E>('section/name', (cause, effect) => …)`): the cause's and the effect's
 * measured numbers are typed, so reading a key either check's `evaluate` never gives is a compile
 * error.
 */
export type LinkTo<MC extends MeasuredShape> = <E extends AnyCheck>(
  effect: E['id'],
  because: (cause: CheckResult<MC>, effect: CheckResult<MeasuredOf<E>>) => string | null,
) => MeasuredLink<MC>;

/** The findings a check can cause (Check.causes); MC is its own measured shape. */
export interface Causes<MC extends MeasuredShape> {
  /** What a failing cause explains: its own summary (or `generic`) says why. */
  effects: readonly CheckId[];
  /** The sentence for a failing cause (defaults to the first sentence of the cause's summary). */
  generic?: (cause: CheckResult<MC>, effect: CheckResult) => string;
  /**
   * Links that read the measured numbers: they hold even when the cause only warns, and, when
   * they return a sentence, it replaces `generic`'s. Each is built with `link` (LinkTo).
   */
  measured?: (link: LinkTo<MC>) => readonly MeasuredLink<MC>[];
}

/** For a check that explains no other finding. */
export const noCauses: Causes<MeasuredShape> = { effects: [] };

const linkTo = (<MC extends MeasuredShape>(
  effect: CheckId,
  because: (cause: CheckResult<MC>, effect: CheckResult<MeasuredShape>) => string | null,
): MeasuredLink<MC> => ({ effect, because })) as LinkTo<MeasuredShape>;

/** The measured links a check declares (Causes.measured), built. */
export function measuredLinks<MC extends MeasuredShape>(causes: Causes<MC>): readonly MeasuredLink<MC>[] {
  return causes.measured?.(linkTo as unknown as LinkTo<MC>) ?? [];
}

/** A measured number, or NaN for anything else (a link compares what may be missing). */
export const num = (x: unknown): number => (typeof x === 'number' ? x : Number.NaN);
/** A measured fraction as a whole percentage. */
export const pct0 = (x: unknown): string => pct(num(x), 0);
/** A measured value in a sentence; what is not a finite number is written as it is. */
export const sig = (x: unknown): string => (Number.isFinite(num(x)) ? fmt(num(x)) : String(x));

/** The first sentence of a summary, without its full stop. */
export const firstSentence = (s: string): string => s.split(/(?<=\.)\s/)[0].replace(/\.$/, '');

/** What causal links need of each check: its id and the links where it is the cause. */
export type CauseSources = readonly { id: string; causes?: Causes<MeasuredShape> }[];

/** The causal links among the findings (fail/warn results), each with its measured reason. */
export function causalLinks(findings: CheckResult[], checks: CauseSources): CausalLink[] {
  const byId = new Map(findings.map((r) => [r.id, r]));
  const links: CausalLink[] = [];
  for (const check of checks) {
    const cause = byId.get(check.id as CheckId);
    const rules = check.causes;
    if (!cause || !rules) continue;
    const declared = measuredLinks(rules);
    const effects = [...rules.effects];
    for (const m of declared) if (!effects.includes(m.effect)) effects.push(m.effect);
    for (const id of effects) {
      const effect = byId.get(id);
      if (!effect || effect === cause) continue;
      let measured: string | null = null;
      for (const m of declared) if (m.effect === id) measured ??= m.because(cause, effect);
      const because =
        measured ??
        (cause.status === 'fail' && effect.status !== 'pass' && rules.effects.includes(id)
          ? (rules.generic?.(cause, effect) ?? firstSentence(cause.summary))
          : null);
      if (because) links.push({ cause: cause.id, effect: effect.id, because });
    }
  }
  return links;
}
