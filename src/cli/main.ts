#!/usr/bin/env node
// nn-doctor command line: check | diagnose | report | checks. Exit codes: 0 no check failed,
// 1 a check failed, 2 usage or input error (one line on stderr, no stack trace), 3 internal
// error, 4 inconclusive (the input was read but no check could judge it: never a pass).
// Runs in the process that starts it (bin/nn-doctor.js imports the compiled file): signals reach it
// directly. Each command imports only its own modules; only `check` loads TF.js and only HTML
// output loads the plot renderer (check.ts, output.ts): `checks`, `diagnose` and `report` start
// in a fraction of a second (bench/startup.ts).
import { UsageError } from '../core/errors.ts';
import type { Report } from '../core/report.ts';

async function usage(): Promise<string> {
  const [check, diagnose, report, checks] = await Promise.all([
    import('./check.ts'),
    import('./diagnose.ts'),
    import('./report.ts'),
    import('./checks.ts'),
  ]);
  return `nn-doctor — an automated checkup for neural networks that don't learn

${check.CHECK_USAGE}
${diagnose.DIAGNOSE_USAGE}
${report.REPORT_USAGE}
${checks.CHECKS_USAGE}

With no --model, the built-in example (an MLP on bundled MNIST) is checked.`;
}

function printUsage(text: string): number {
  process.stdout.write(`${text}\n`);
  return 0;
}

async function finish(
  report: Report,
  outputs: { json?: string; html?: string; md?: string },
  quiet: boolean,
): Promise<number> {
  const [{ writeReports }, { renderTerminal }] = await Promise.all([
    import('./output.ts'),
    import('../render/terminal.ts'),
  ]);
  await writeReports(report, outputs);
  if (!quiet)
    process.stdout.write(
      renderTerminal(report, {
        color: process.stdout.isTTY,
        truncate: process.stdout.isTTY,
        width: Math.min(110, process.stdout.columns ?? 100),
      }),
    );
  return exitCode(report);
}

/** 1 when a check failed, 4 when nothing could be judged (DESIGN.md §3), else 0. */
function exitCode(report: Report): number {
  if (report.checks.some((c) => c.status === 'fail')) return 1;
  return report.verdict === 'inconclusive' ? 4 : 0;
}

export async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === '--help' || first === '-h' || first === 'help') return printUsage(await usage());
  if (first === 'diagnose') {
    const { DIAGNOSE_USAGE, parseDiagnoseArgs, runDiagnose } = await import('./diagnose.ts');
    const cmd = parseDiagnoseArgs(rest);
    if (cmd.help) return printUsage(DIAGNOSE_USAGE);
    return finish(await runDiagnose(cmd), cmd.outputs, cmd.quiet);
  }
  if (first === 'checks') {
    if (rest.length) throw new UsageError(`checks: takes no arguments (got '${rest[0]}')`);
    const { renderCheckList } = await import('./checks.ts');
    process.stdout.write(renderCheckList());
    return 0;
  }
  if (first === 'report') {
    const [{ parseReportArgs, REPORT_USAGE, readReport, replayReport }, { checkOutputPaths }] =
      await Promise.all([import('./report.ts'), import('./output.ts')]);
    const cmd = parseReportArgs(rest);
    if (cmd.help) return printUsage(REPORT_USAGE);
    checkOutputPaths(cmd.outputs);
    const saved = readReport(cmd.path);
    return finish(cmd.replay ? replayReport(saved, cmd) : saved, cmd.outputs, cmd.quiet);
  }
  if (first !== undefined && first !== 'check' && !first.startsWith('-')) {
    throw new UsageError(
      `unknown command '${first}' (use check, diagnose, report or checks; --help for usage)`,
    );
  }
  const { CHECK_USAGE, parseCheckArgs, runCheck } = await import('./check.ts');
  const cmd = parseCheckArgs(first === 'check' ? rest : argv);
  if (cmd.help) return printUsage(CHECK_USAGE);
  return finish(await runCheck(cmd), cmd.outputs, cmd.quiet);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError) {
      process.stderr.write(`nn-doctor: ${err.message}\n`);
      process.exitCode = 2;
      return;
    }
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`nn-doctor: internal error: ${message.split('\n')[0]}\n`);
    if (process.env.NN_DOCTOR_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    process.exitCode = 3;
  },
);
