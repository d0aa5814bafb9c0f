// Validation of the options every entry point shares — check selections (only/skip) and threshold
// overrides — done once here for the library and the CLI alike: an unknown check id or threshold
// name is a UsageError naming where it came from (`--threshold`, `options.thresholds`, …), never
// silently ignored. The known ids are those of the checks the entry point runs (the built-in ones
// and any extra ones it was given), passed in: core/ does not know the registry.
import type { AnyCheck, CheckId } from './check.ts';
import { UsageError } from './errors.ts';

export type ThresholdOverrides = Partial<Record<CheckId, Record<string, number>>>;

const sectionNames = (checks: readonly AnyCheck[]) => [...new Set(checks.map((c) => c.id.split('/')[0]))];

/** A check id or a section (`loss`, `loss/`). */
function isKnownSelector(id: string, checks: readonly AnyCheck[]): boolean {
  return checks.some((c) => c.id === id) || sectionNames(checks).includes(id.replace(/\/$/, ''));
}

/**
 * Checks `only`/`skip` ids against the ids and sections of `checks`; `where` names the flag or
 * option.
 */
export function validateSelection(
  where: string,
  ids: readonly string[] | undefined,
  checks: readonly AnyCheck[],
): void {
  if (ids === undefined) return;
  if (!Array.isArray(ids)) throw new UsageError(`${where}: must be an array of check ids`);
  for (const id of ids) {
    if (typeof id !== 'string' || !isKnownSelector(id, checks)) {
      throw new UsageError(
        `${where}: unknown check '${String(id)}' (ids look like inputs/class-balance; sections: ${sectionNames(checks).join(', ')})`,
      );
    }
  }
}

/** Why `checkId` has no threshold `name` (naming the ones it has), or null when it has. */
export function unknownThreshold(checkId: string, name: string, checks: readonly AnyCheck[]): string | null {
  const check = checks.find((c) => c.id === checkId);
  if (!check) return `unknown check '${checkId}' (ids look like inputs/class-balance)`;
  const names = Object.keys(check.thresholds);
  if (names.includes(name)) return null;
  return `${checkId} has no threshold '${name}' (${names.length ? `it has ${names.join(', ')}` : 'it has none'})`;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Checks threshold overrides `{ 'inputs/class-balance': { failRatio: 20 } }`: known check ids,
 * known threshold names, finite numbers of zero or more. `nn-doctor checks` lists every name and default.
 */
export function validateThresholds(where: string, thresholds: unknown, checks: readonly AnyCheck[]): void {
  if (thresholds === undefined) return;
  if (!isPlainObject(thresholds))
    throw new UsageError(`${where}: must be an object of check id → { threshold: number }`);
  for (const [checkId, values] of Object.entries(thresholds)) {
    if (!isPlainObject(values))
      throw new UsageError(`${where}['${checkId}']: must be an object of threshold name → number`);
    for (const [name, value] of Object.entries(values)) {
      const problem = unknownThreshold(checkId, name, checks);
      if (problem) throw new UsageError(`${where}: ${problem}`);
      if (typeof value !== 'number' || !Number.isFinite(value))
        throw new UsageError(`${where}['${checkId}'].${name}: must be a finite number, got ${String(value)}`);
      // Every threshold is a count, fraction, ratio or factor: a negative one means nothing.
      if (value < 0)
        throw new UsageError(`${where}['${checkId}'].${name}: must be zero or more, got ${value}`);
    }
  }
}

/** The run options every entry point takes, validated together. */
export function validateRunOptions(
  options: { only?: readonly string[]; skip?: readonly string[]; thresholds?: unknown },
  checks: readonly AnyCheck[],
  prefix = 'options',
): void {
  validateSelection(`${prefix}.only`, options.only, checks);
  validateSelection(`${prefix}.skip`, options.skip, checks);
  validateThresholds(`${prefix}.thresholds`, options.thresholds, checks);
}
