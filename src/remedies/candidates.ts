// Which fixes to try, in which order: for the primary cause and the findings of its causal chain
// first, then for the other failing findings, the catalogue fixes that address them, can be
// built for this setup and suit the finding as measured. Pure.
import type { CheckId } from '../core/check.ts';
import type { CheckResult, Report } from '../core/report.ts';
import { CATALOGUE } from './catalogue/index.ts';
import type { Fix, FixContext, Params } from './types.ts';

export interface Candidate {
  fix: Fix;
  /** The finding it was chosen for. */
  finding: CheckId;
  params: Params;
}

/** The findings to look for fixes for: the primary cause and its chain, then other failures. */
export function findingsToFix(
  diagnosis: Report['diagnosis'],
  results: ReadonlyMap<CheckId, CheckResult>,
): CheckId[] {
  const status = (id: CheckId) => results.get(id)?.status;
  const open = (id: CheckId) => status(id) === 'fail' || status(id) === 'warn';
  const primary = diagnosis.primary;
  if (!primary) return diagnosis.ranked.filter((id) => status(id) === 'fail');
  const chain = new Set<CheckId>([primary]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const l of diagnosis.chain ?? [])
      if (chain.has(l.cause) && !chain.has(l.effect)) {
        chain.add(l.effect);
        grew = true;
      }
  }
  const first = [primary, ...diagnosis.ranked.filter((id) => id !== primary && chain.has(id))].filter(open);
  const rest = diagnosis.ranked.filter((id) => !chain.has(id) && status(id) === 'fail');
  return [...first, ...rest];
}

/** The candidate fixes for the findings, in order, without repeats and without `exclude`. */
export function candidatesFor(
  findings: CheckId[],
  ctx: FixContext,
  exclude: ReadonlySet<string> = new Set(),
  catalogue: readonly Fix[] = CATALOGUE,
): Candidate[] {
  const out: Candidate[] = [];
  for (const id of findings) {
    const finding = ctx.results.get(id);
    if (!finding) continue;
    for (const fix of catalogue) {
      if (exclude.has(fix.id) || out.some((c) => c.fix.id === fix.id)) continue;
      if (!fix.addresses.includes(id) || fix.applies(ctx) !== null) continue;
      if (fix.suits && !fix.suits(finding, ctx)) continue;
      out.push({ fix, finding: id, params: fix.params(ctx) });
    }
  }
  return out;
}

/** Every fix that can be built for this setup: what the random-fix baseline draws from. */
export function applicableFixes(
  ctx: FixContext,
  exclude: ReadonlySet<string> = new Set(),
  catalogue: readonly Fix[] = CATALOGUE,
): Fix[] {
  return catalogue.filter((f) => !exclude.has(f.id) && f.applies(ctx) === null);
}

/** `n` fixes drawn at random (seeded `rng`): without replacement while the pool lasts. */
export function drawFixes(pool: readonly Fix[], n: number, rng: () => number): Fix[] {
  const out: Fix[] = [];
  let bag: Fix[] = [];
  while (out.length < n && pool.length) {
    if (!bag.length) bag = pool.slice();
    out.push(bag.splice(Math.floor(rng() * bag.length), 1)[0]);
  }
  return out;
}
