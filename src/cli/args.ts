// Flag parsing on node:util parseArgs (strict: unknown flags are errors), turned into
// one-line UsageErrors that name the flag.
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { SECTIONS } from '../core/check.ts';
import { parseDecimal } from '../core/decimal.ts';
import { UsageError } from '../core/errors.ts';
import { type ThresholdOverrides, unknownThreshold, validateSelection } from '../core/options.ts';
import { ALL_CHECKS } from '../registry.ts';
import { didYouMean } from './suggest.ts';

/** The built-in check ids. */
const CHECK_IDS: readonly string[] = ALL_CHECKS.map((c) => c.id);
/** What `--only`/`--skip` take: a check id or a section. */
const SELECTORS: readonly string[] = [...CHECK_IDS, ...Object.keys(SECTIONS)];

export const OUTPUT_FLAGS = {
  json: { type: 'string' },
  html: { type: 'string' },
  md: { type: 'string' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

/**
 * `--lr -1` → `--lr=-1`: node's parseArgs refuses a value that starts with a dash, but a negative
 * number is never a flag; the flag's own check then says what is wrong with it.
 */
function joinNegativeValues(args: string[], options: NonNullable<ParseArgsConfig['options']>): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const name = args[i].startsWith('--') ? args[i].slice(2) : null;
    const next = args[i + 1];
    if (name && options[name]?.type === 'string' && next !== undefined && /^-[\d.]/.test(next)) {
      out.push(`${args[i]}=${next}`);
      i++;
    } else out.push(args[i]);
  }
  return out;
}

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: T,
  allowPositionals: boolean,
): ReturnType<typeof parseArgs<{ args: string[]; options: T; allowPositionals: boolean; strict: true }>> {
  try {
    return parseArgs({ args: joinNegativeValues(args, options), options, allowPositionals, strict: true });
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    // `--lr -1`: node refuses a value that starts with a dash, in three lines.
    const dash = /^Option '(--[\w-]+)' argument is ambiguous/.exec(msg);
    if (dash) {
      const i = args.indexOf(dash[1]);
      const value = i >= 0 ? args[i + 1] : undefined;
      throw new UsageError(
        `${dash[1]}: a value that starts with '-' must be written ${dash[1]}=${value ?? '-VALUE'}`,
      );
    }
    // node's other messages are one line; trim the hint text it appends. A mistyped flag gets the
    // closest known one.
    const unknown = /^Unknown option '(-{1,2}[^']*)'/.exec(msg);
    const hint = unknown
      ? didYouMean(
          unknown[1],
          Object.keys(options).map((name) => `--${name}`),
        )
      : '';
    throw new UsageError(
      `${msg
        .split('\n')[0]
        .split('. To specify')[0]
        .replace(/^Unknown option/, 'unknown flag')}${hint}`,
    );
  }
}

export function numberFlag(
  name: string,
  value: string | undefined,
  opts: { integer?: boolean; min?: number; positive?: boolean } = {},
): number | undefined {
  if (value === undefined) return undefined;
  const n = parseDecimal(value);
  if (n !== undefined && !Number.isFinite(n)) throw new UsageError(`--${name}: '${value}' is out of range`);
  const bad =
    n === undefined ||
    (opts.integer && !Number.isSafeInteger(n)) ||
    (opts.positive && n <= 0) ||
    (opts.min !== undefined && n < opts.min);
  if (bad) {
    const kind = opts.integer ? 'whole number' : 'number';
    const want = opts.positive
      ? `a positive ${kind}`
      : opts.min !== undefined
        ? `a ${kind} ≥ ${opts.min}`
        : `a ${kind}`;
    const example = opts.integer ? '42' : '0.001 or 1e-3';
    throw new UsageError(`--${name}: '${value}' is not ${want} (decimal digits, e.g. ${example})`);
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
  for (const id of ids) {
    const hint = SELECTORS.includes(id.replace(/\/$/, '')) ? '' : didYouMean(id, SELECTORS);
    if (hint) throw new UsageError(`--${name}: unknown check '${id}'${hint}`);
  }
  validateSelection(`--${name}`, ids, ALL_CHECKS);
  return ids;
}

/** `--threshold inputs/class-balance.failRatio=20` → overrides per check id. */
export function thresholdOverrides(values: string[] | undefined): ThresholdOverrides | undefined {
  if (!values?.length) return undefined;
  const out: Record<string, Record<string, number>> = {};
  for (const v of values) {
    const m = /^([a-z]+\/[a-z-]+)\.([A-Za-z]+)=(.+)$/.exec(v);
    if (!m || !CHECK_IDS.includes(m[1])) {
      const id = /^([^.=]+)\./.exec(v)?.[1];
      const hint = id ? didYouMean(id, CHECK_IDS) : '';
      throw new UsageError(
        `--threshold: '${v}' is not CHECK_ID.NAME=VALUE with a known check id (e.g. inputs/class-balance.failRatio=20)${hint}`,
      );
    }
    const problem = unknownThreshold(m[1], m[2], ALL_CHECKS);
    if (problem) throw new UsageError(`--threshold: ${problem}`);
    const value = numberFlag('threshold', m[3]) as number;
    // Every threshold is a count, fraction, ratio or factor: a negative one means nothing.
    if (value < 0) throw new UsageError(`--threshold: ${m[1]}.${m[2]} must be zero or more (got ${m[3]})`);
    out[m[1]] ??= {};
    out[m[1]][m[2]] = value;
  }
  return out;
}
