// Flag parsing on node:util parseArgs (strict: unknown flags are errors), turned into
// one-line UsageErrors that name the flag.
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { CHECK_IDS } from '../core/check.ts';
import { UsageError } from '../core/errors.ts';
import { type ThresholdOverrides, unknownThreshold, validateSelection } from '../core/options.ts';

export const OUTPUT_FLAGS = {
  json: { type: 'string' },
  html: { type: 'string' },
  md: { type: 'string' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: T,
  allowPositionals: boolean,
): ReturnType<typeof parseArgs<{ args: string[]; options: T; allowPositionals: boolean; strict: true }>> {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    // node's messages are already one line; trim the hint text it appends.
    throw new UsageError(msg.split('. To specify')[0].replace(/^Unknown option/, 'unknown flag'));
  }
}

export function numberFlag(
  name: string,
  value: string | undefined,
  opts: { integer?: boolean; min?: number; positive?: boolean } = {},
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  const bad =
    value.trim() === '' ||
    !Number.isFinite(n) ||
    (opts.integer && !Number.isInteger(n)) ||
    (opts.positive && n <= 0) ||
    (opts.min !== undefined && n < opts.min);
  if (bad) {
    const want = opts.integer
      ? opts.positive
        ? 'a positive whole number'
        : 'a whole number'
      : opts.positive
        ? 'a positive number'
        : 'a number';
    throw new UsageError(`--${name}: '${value}' is not ${want}`);
  }
  return n;
}

/** `--only a,b --only c` → ids, each checked against the known ids and sections. */
export function idList(name: string, values: string[] | undefined): string[] | undefined {
  if (!values?.length) return undefined;
  const ids = values
    .flatMap((v) => v.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
  validateSelection(`--${name}`, ids);
  return ids;
}

/** `--threshold inputs/class-balance.failRatio=20` → overrides per check id. */
export function thresholdOverrides(values: string[] | undefined): ThresholdOverrides | undefined {
  if (!values?.length) return undefined;
  const out: Record<string, Record<string, number>> = {};
  for (const v of values) {
    const m = /^([a-z]+\/[a-z-]+)\.([A-Za-z]+)=(.+)$/.exec(v);
    if (!m || !(CHECK_IDS as readonly string[]).includes(m[1])) {
      throw new UsageError(
        `--threshold: '${v}' is not CHECK_ID.NAME=VALUE with a known check id (e.g. inputs/class-balance.failRatio=20)`,
      );
    }
    const problem = unknownThreshold(m[1], m[2]);
    if (problem) throw new UsageError(`--threshold: ${problem}`);
    const value = numberFlag('threshold', m[3]) as number;
    out[m[1]] ??= {};
    out[m[1]][m[2]] = value;
  }
  return out;
}
