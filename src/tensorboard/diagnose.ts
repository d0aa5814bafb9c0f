// `nn-doctor diagnose LOGDIR`: TensorBoard event files → evidence → the same checks and report as
// `check`. Bad input (no such folder, no event files, a bad --map) is a UsageError naming the path
// or flag; damaged files are not: what can be read is used and the damage is reported in
// report.warnings with the file and byte offset.
import { statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { buildReport } from '../core/build-report.ts';
import { UsageError } from '../core/errors.ts';
import type { Report } from '../core/report.ts';
import { chooseExperiment } from './experiments.ts';
import { type FileProblem, findRuns, readLogdir } from './logdir.ts';
import { parseMap } from './roles.ts';
import { toEvidence } from './to-evidence.ts';

export interface DiagnoseOptions {
  /** Explicit tag meanings, TAG → ROLE (see roles.ts). */
  map?: Record<string, string>;
  /** Run only / skip these check ids or section prefixes. */
  only?: string[];
  skip?: string[];
  /** Report creation time (for reproducible tests). */
  createdAt?: Date;
}

/** Detailed problem lines per file before the rest are summed up in one line. */
const PROBLEMS_PER_FILE = 10;

function problemWarnings(problems: FileProblem[]): string[] {
  const byFile = new Map<string, FileProblem[]>();
  for (const p of problems) {
    const list = byFile.get(p.file);
    if (list) list.push(p);
    else byFile.set(p.file, [p]);
  }
  const out: string[] = [];
  for (const [file, list] of byFile) {
    for (const p of list.slice(0, PROBLEMS_PER_FILE)) out.push(`${file} at byte ${p.offset}: ${p.message}`);
    if (list.length > PROBLEMS_PER_FILE) {
      const rest = list.slice(PROBLEMS_PER_FILE);
      const count = rest.reduce((n, p) => n + (p.count ?? 1), 0);
      const last = rest[rest.length - 1];
      out.push(
        `${file}: ${count} more damaged records between bytes ${rest[0].offset} and ${last.until ?? last.offset} (skipped)`,
      );
    }
  }
  return out;
}

export async function diagnoseLogdir(
  logdir: string,
  options: DiagnoseOptions = {},
): Promise<{ report: Report }> {
  const startedAt = performance.now();
  const map = parseMap(options.map);
  let isDir: boolean;
  try {
    isDir = statSync(logdir).isDirectory();
  } catch {
    throw new UsageError(`${logdir}: no such directory`);
  }
  if (!isDir) throw new UsageError(`${logdir}: not a directory (diagnose takes a TensorBoard log directory)`);
  if (findRuns(logdir).size === 0) {
    throw new UsageError(
      `${logdir}: no TensorBoard event files (events.out.tfevents.*) in it or its subfolders`,
    );
  }

  const data = readLogdir(logdir);
  const readMs = performance.now() - startedAt;
  const warnings = problemWarnings(data.problems);
  for (const run of data.runs) {
    for (const r of run.restarts) {
      warnings.push(
        `run ${run.name}: training restarted at step ${r.step} (SessionLog START); ${r.discarded} values logged earlier at steps ≥ ${r.step} were discarded`,
      );
    }
  }
  const { chosen, others } = chooseExperiment(data.runs);
  if (!chosen) {
    const first = warnings[0] ? `; ${warnings[0]}` : '';
    throw new UsageError(
      `${logdir}: ${data.files} event file(s) but no scalar or histogram summaries could be read from them${first}`,
    );
  }
  if (others.length > 0) {
    warnings.push(
      `${logdir} holds ${others.length + 1} experiments (${[chosen, ...others].map((e) => e.name).join(', ')}); diagnosed the most recently written one, '${chosen.name}' — point LOGDIR at one of them to choose`,
    );
  }

  const mapStarted = performance.now();
  const name = chosen.name === '.' ? basename(resolve(logdir)) : chosen.name;
  const mapped = toEvidence(chosen, { map, name });
  warnings.push(...mapped.warnings);
  const mapMs = performance.now() - mapStarted;

  const report = buildReport({
    evidence: mapped.evidence,
    options: { only: options.only, skip: options.skip },
    settings: {
      command: 'diagnose',
      logdir,
      map: options.map ?? {},
      tensorboard: {
        files: data.files,
        bytes: data.bytes,
        records: data.records,
        ...mapped.summary,
      },
    },
    backend: null,
    warnings,
    probeTimings: { 'read-event-files': readMs, 'map-evidence': mapMs },
    startedAt,
    createdAt: options.createdAt,
  });
  return { report };
}
