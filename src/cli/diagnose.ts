// `nn-doctor diagnose LOGDIR`: the same checks on TensorBoard event files from any framework.
import { UsageError } from '../core/errors.ts';
import { setOwn } from '../core/own.ts';
import type { Report } from '../core/report.ts';
import { diagnoseLogdir } from '../tensorboard/diagnose.ts';
import { findRuns } from '../tensorboard/logdir.ts';
import { isObjectUrl } from '../tensorboard/object-store.ts';
import { idList, OUTPUT_FLAGS, parse } from './args.ts';
import type { InputFile } from './output.ts';

export const DIAGNOSE_USAGE =
  'usage: nn-doctor diagnose LOGDIR|s3://BUCKET/PREFIX [--endpoint URL] [--map TAG=ROLE ...] [--only IDS] [--skip IDS] [--json FILE] [--html FILE] [--md FILE] [--quiet]';

export const FLAGS = {
  map: { type: 'string', multiple: true },
  endpoint: { type: 'string' },
  only: { type: 'string', multiple: true },
  skip: { type: 'string', multiple: true },
  ...OUTPUT_FLAGS,
} as const;

/** `--map TAG=ROLE` flags (the last `=` splits, so a tag may hold one) → { tag: role }. */
export function parseMapFlags(flags: readonly string[] | undefined): Record<string, string> {
  const map: Record<string, string> = {};
  for (const m of flags ?? []) {
    const eq = m.lastIndexOf('=');
    if (eq <= 0 || eq === m.length - 1) throw new UsageError(`--map: '${m}' is not TAG=ROLE`);
    setOwn(map, m.slice(0, eq), m.slice(eq + 1)); // a tag named `__proto__` stays a tag
  }
  return map;
}

/** `--endpoint URL`: only for an s3:// log directory. */
export function endpointFlag(logdir: string, endpoint: string | undefined): string | undefined {
  if (endpoint !== undefined && !isObjectUrl(logdir))
    throw new UsageError('--endpoint: only with an s3:// log directory');
  return endpoint;
}

export function parseDiagnoseArgs(args: string[]) {
  const { values, positionals } = parse(args, FLAGS, true);
  if (values.help) return { help: true as const, outputs: {}, quiet: true };
  if (positionals.length !== 1) throw new UsageError('diagnose: give exactly one log directory (LOGDIR)');
  const map = parseMapFlags(values.map);
  return {
    help: false as const,
    logdir: positionals[0],
    endpoint: endpointFlag(positionals[0], values.endpoint),
    map,
    only: idList('only', values.only),
    skip: idList('skip', values.skip),
    outputs: { json: values.json, html: values.html, md: values.md },
    quiet: values.quiet ?? false,
  };
}

export async function runDiagnose(
  cmd: Exclude<ReturnType<typeof parseDiagnoseArgs>, { help: true }>,
): Promise<Report> {
  const { report } = await diagnoseLogdir(cmd.logdir, {
    map: cmd.map,
    only: cmd.only,
    skip: cmd.skip,
    endpoint: cmd.endpoint,
  });
  return report;
}

/** The event files `diagnose` reads (for checking that no output path is one of them). */
export function diagnoseInputFiles(logdir: string): InputFile[] {
  if (isObjectUrl(logdir)) return []; // objects in a bucket are never a local output path
  return [...findRuns(logdir).values()].flat().map((path) => ({ path, what: `event file of ${logdir}` }));
}
