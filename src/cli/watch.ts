// `nn-doctor watch LOGDIR`: diagnose's checks, run live on TensorBoard logs as a job writes them.
// Findings are printed once, when they become conclusive; Ctrl-C (SIGINT), SIGTERM (main.ts turns
// the first into `stop`) or --idle-timeout end the watch, and the report is written as diagnose writes it.

import { UsageError } from '../core/errors.ts';
import type { LiveFinding, Report } from '../core/report.ts';
import { buildReport } from '../registry.ts';
import { visible } from '../shared/text.ts';
import { watchLogdir } from '../watch/logdir/watch-logdir.ts';
import { idList, numberFlag, OUTPUT_FLAGS, parse } from './args.ts';
import { diagnoseInputFiles, endpointFlag, parseMapFlags } from './diagnose.ts';
import { type InputFile, outputsUseStdout } from './output.ts';

export const WATCH_USAGE =
  'usage: nn-doctor watch LOGDIR|s3://BUCKET/PREFIX [--endpoint URL] [--serve [PORT]] [--host ADDR] [--idle-timeout SECONDS] [--poll MS] [--map TAG=ROLE ...] [--only IDS] [--skip IDS] [--json FILE] [--html FILE] [--md FILE] [--quiet]';

/** Port of the live page when --serve names none. */
export const DEFAULT_PORT = 6070;

export const FLAGS = {
  map: { type: 'string', multiple: true },
  endpoint: { type: 'string' },
  only: { type: 'string', multiple: true },
  skip: { type: 'string', multiple: true },
  serve: { type: 'boolean' },
  port: { type: 'string' },
  host: { type: 'string' },
  'idle-timeout': { type: 'string' },
  poll: { type: 'string' },
  ...OUTPUT_FLAGS,
} as const;

/** `--serve 8080` / `--serve=8080` → `--serve --port 8080` (parseArgs has no optional values). */
function serveWithPort(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const eq = /^--serve=(.*)$/.exec(a);
    if (eq) out.push('--serve', '--port', eq[1]);
    else if (a === '--serve' && /^\d+$/.test(args[i + 1] ?? '')) {
      out.push('--serve', '--port', args[i + 1]);
      i++;
    } else out.push(a);
  }
  return out;
}

export function parseWatchArgs(args: string[]) {
  const { values, positionals } = parse(serveWithPort(args), FLAGS, true);
  if (values.help) return { help: true as const, outputs: {}, quiet: true };
  if (positionals.length !== 1) throw new UsageError('watch: give exactly one log directory (LOGDIR)');
  const map = parseMapFlags(values.map);
  const port = numberFlag('serve', values.port, { integer: true, min: 0 });
  if (port !== undefined && port > 65535)
    throw new UsageError(`--serve: '${values.port}' is not a port (0–65535)`);
  if (values.port !== undefined && !values.serve) throw new UsageError('--port: only with --serve');
  if (values.host !== undefined && !values.serve) throw new UsageError('--host: only with --serve');
  return {
    help: false as const,
    logdir: positionals[0],
    endpoint: endpointFlag(positionals[0], values.endpoint),
    map,
    only: idList('only', values.only),
    skip: idList('skip', values.skip),
    serve: values.serve ? { port: port ?? DEFAULT_PORT, host: values.host ?? '127.0.0.1' } : null,
    idleTimeoutS: numberFlag('idle-timeout', values['idle-timeout'], { positive: true }),
    pollMs: numberFlag('poll', values.poll, { integer: true, min: 50 }) ?? 1000,
    outputs: { json: values.json, html: values.html, md: values.md },
    quiet: values.quiet ?? false,
  };
}

export type WatchCommand = Exclude<ReturnType<typeof parseWatchArgs>, { help: true }>;

/** One line per finding: when, what, the measured value against the threshold. */
export function findingLine(f: LiveFinding, experiment?: string): string {
  const where = experiment && experiment !== '.' ? ` [${experiment}]` : '';
  const seen = f.firstSeenStep !== f.step ? `; first seen at step ${f.firstSeenStep}` : '';
  return `step ${f.step}${where}  ${f.status.toUpperCase()}  ${f.id}  ${f.summary} (${(f.elapsedMs / 1000).toFixed(1)} s${seen})`;
}

/**
 * The event files `watch` reads: those there now (no output path may be one of them). The job adds
 * files while it runs, so the outputs are planned again at the end with the files there are then.
 */
export function watchInputFiles(logdir: string): InputFile[] {
  return diagnoseInputFiles(logdir);
}

/** Watches until `stop` aborts (the CLI aborts it on SIGINT/SIGTERM) or the idle timeout. */
export async function runWatch(cmd: WatchCommand, stop?: AbortSignal): Promise<Report> {
  const server = cmd.serve
    ? await (await import('../watch/serve/server.ts')).serveLive({ ...cmd.serve, title: cmd.logdir })
    : null;
  if (server) process.stderr.write(`nn-doctor: live page at ${visible(server.url)}\n`);
  // Lines quote tags, runs and layer names from the logs: control characters made visible. When a
  // report goes to standard output (`--json -`), the findings go to standard error.
  const stream = outputsUseStdout(cmd.outputs) ? process.stderr : process.stdout;
  const out = (line: string) => {
    if (!cmd.quiet) stream.write(`${visible(line)}\n`);
  };
  try {
    const { report } = await watchLogdir(cmd.logdir, {
      map: cmd.map,
      only: cmd.only,
      skip: cmd.skip,
      endpoint: cmd.endpoint,
      pollMs: cmd.pollMs,
      idleTimeoutS: cmd.idleTimeoutS,
      signal: stop,
      onFinding: (f, experiment) => out(findingLine(f, experiment)),
      onNote: (line) => {
        if (!cmd.quiet) process.stderr.write(`nn-doctor: ${visible(line)}\n`);
      },
      onUpdate: (state) =>
        server?.publish(() => {
          const r = buildReport({
            evidence: state.evidence,
            options: { only: cmd.only, skip: cmd.skip },
            backend: null,
          });
          r.watch = { source: 'tensorboard', steps: state.step + 1, findings: state.findings };
          return r;
        }),
    });
    server?.publish(() => report, 'finished');
    return report;
  } finally {
    await server?.close();
  }
}
