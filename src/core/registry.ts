// The list of checks an entry point runs: the built-in ones (src/checks/index.ts, passed in by
// the entry points) and any extra checks a library user adds (the plugin point, docs/library.md).
// An extra check is checked here once, at the boundary, so that nothing downstream meets a
// duplicate id or a check without the parts every check has.
import { type AnyCheck, type Check, SECTIONS } from './check.ts';
import { UsageError } from './errors.ts';
import { EVIDENCE_KEYS, type EvidenceKey } from './evidence.ts';
import { PLOT_IDS } from './plots.ts';

/**
 * A check from outside the package: a built-in check's shape with any `section/name` id
 * (`defineCheck` types it; its id need not be one of CHECK_IDS).
 */
export type ExtraCheck = Omit<AnyCheck, 'id' | 'causeRank' | 'causes'> & {
  id: string;
  /** Its place among causes (Check.causeRank); default: after every built-in check. */
  causeRank?: number;
  /** The findings it can cause (Check.causes); default: none. */
  causes?: AnyCheck['causes'];
};

/** `defineCheck` for an extra check: any SECTION/NAME id, the same inference for the rest. */
export function defineExtraCheck<K extends string, N extends EvidenceKey, const R extends string = never>(
  check: Omit<Check<K, N, R>, 'id' | 'causeRank' | 'causes'> & {
    id: string;
    causeRank?: number;
    causes?: Check<K, N, R>['causes'];
  },
): ExtraCheck {
  return check as ExtraCheck;
}

/** What an extra check's id looks like: a section and a name, in lower case. */
export const EXTRA_CHECK_ID_PATTERN = '^[a-z][a-z0-9-]*/[a-z0-9][a-z0-9-]*$';
const EXTRA_CHECK_ID = new RegExp(EXTRA_CHECK_ID_PATTERN);

function problemWith(check: ExtraCheck, known: Set<string>): string | null {
  if (typeof check !== 'object' || check === null) return 'is not a check object';
  if (typeof check.id !== 'string' || !EXTRA_CHECK_ID.test(check.id))
    return `id '${String(check.id)}' is not SECTION/NAME in lower case (e.g. inputs/my-check)`;
  if (known.has(check.id)) return `id '${check.id}' is already taken`;
  if (!Object.hasOwn(SECTIONS, check.section))
    return `section '${String(check.section)}' is not one of ${Object.keys(SECTIONS).join(', ')}`;
  if (!check.id.startsWith(`${check.section}/`))
    return `id '${check.id}' must start with its section '${check.section}/'`;
  if (typeof check.evaluate !== 'function' || typeof check.explain !== 'function')
    return 'needs an evaluate and an explain function';
  if (typeof check.title !== 'string' || typeof check.why !== 'string') return 'needs a title and a why';
  if (!Array.isArray(check.reasons))
    return 'needs a reasons list (the reasons evaluate may give; may be empty)';
  if (check.causeRank !== undefined && !Number.isFinite(check.causeRank))
    return 'causeRank must be a finite number (or left out: after every built-in check)';
  if (check.live === undefined || check.live === null)
    return 'needs a live rule (core/live.ts; NEEDS_EXPERIMENT when it judges an experiment on the model)';
  for (const key of [...(check.needs ?? []), ...(check.uses ?? [])])
    if (!(EVIDENCE_KEYS as readonly string[]).includes(key)) return `names unknown evidence '${String(key)}'`;
  if (!Array.isArray(check.needs)) return 'needs a needs list (evidence keys; may be empty)';
  if (check.causes !== undefined && !Array.isArray(check.causes?.effects))
    return 'causes needs an effects list (the check ids it explains; may be empty)';
  if (
    check.plot !== undefined &&
    !((PLOT_IDS as readonly string[]).includes(check.plot?.id) && typeof check.plot.lines === 'object')
  )
    return `plot must be { id, lines } with id one of ${PLOT_IDS.join(', ')}`;
  for (const [name, t] of Object.entries(check.thresholds ?? {}))
    if (typeof t?.value !== 'number' || !Number.isFinite(t.value))
      return `threshold '${name}' needs a finite default value`;
  return null;
}

/**
 * The built-in checks followed by the extra ones, each extra check validated (a UsageError names
 * `where` and the check's position). The built-in list is returned as it is when there are none.
 */
export function withExtraChecks(
  builtin: readonly AnyCheck[],
  extra: readonly ExtraCheck[] | undefined,
  where = 'options.extraChecks',
): readonly AnyCheck[] {
  if (extra === undefined) return builtin;
  if (!Array.isArray(extra)) throw new UsageError(`${where}: must be an array of checks`);
  const known = new Set<string>(builtin.map((c) => c.id));
  extra.forEach((check, i) => {
    const problem = problemWith(check, known);
    if (problem) throw new UsageError(`${where}[${i}]: ${problem}`);
    known.add(check.id);
  });
  // An extra check runs like a built-in one; its id is outside the CheckId union by design.
  return [...builtin, ...(extra as unknown as AnyCheck[])];
}
