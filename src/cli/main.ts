#!/usr/bin/env node
// nn-doctor command line: check | diagnose | report. Exit codes: 0 no check failed,
// 1 a check failed, 2 usage or input error (one line on stderr, no stack trace).
import { UsageError } from '../core/errors.ts';
import type { Report } from '../core/report.ts';
import { renderTerminal } from '../render/terminal.ts';
import { CHECK_USAGE, checkInputFiles, parseCheckArgs, runCheck } from './check.ts';
import { CHECKS_USAGE, renderCheckList } from './checks.ts';
import { DIAGNOSE_USAGE, diagnoseInputFiles, parseDiagnoseArgs, runDiagnose } from './diagnose.ts';
import { limitsHelp } from './limits-help.ts';
import { type InputFile, type OutputFlags, planOutputs, removeTempFiles, writeReports } from './output.ts';
import { parseReportArgs, REPORT_USAGE, readReport, replayReport } from './report.ts';

const USAGE = `nn-doctor — an automated checkup for neural networks that don't learn

${CHECK_USAGE}
${DIAGNOSE_USAGE}
${REPORT_USAGE}
${CHECKS_USAGE}

With no --model, the built-in example (an MLP on bundled MNIST) is checked.
"nn-doctor check --help" lists the safety rules and the limits on input files.`;

function printUsage(text: string): number {
  process.stdout.write(`${text}\n`);
  return 0;
}

function finish(report: Report, outputs: OutputFlags, inputs: InputFile[], quiet: boolean): number {
  writeReports(report, outputs, inputs);
  if (!quiet)
    process.stdout.write(
      renderTerminal(report, {
        color: process.stdout.isTTY,
        truncate: process.stdout.isTTY,
        width: Math.min(110, process.stdout.columns ?? 100),
      }),
    );
  return report.checks.some((c) => c.status === 'fail') ? 1 : 0;
}

export async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === '--help' || first === '-h' || first === 'help') return printUsage(USAGE);
  if (first === 'diagnose') {
    const cmd = parseDiagnoseArgs(rest);
    if (cmd.help) return printUsage(DIAGNOSE_USAGE);
    const inputs = diagnoseInputFiles(cmd.logdir);
    planOutputs(cmd.outputs, inputs);
    return finish(await runDiagnose(cmd), cmd.outputs, inputs, cmd.quiet);
  }
  if (first === 'checks') {
    if (rest.length) throw new UsageError(`checks: takes no arguments (got '${rest[0]}')`);
    process.stdout.write(renderCheckList());
    return 0;
  }
  if (first === 'report') {
    const cmd = parseReportArgs(rest);
    if (cmd.help) return printUsage(REPORT_USAGE);
    const inputs = [{ path: cmd.path, what: 'the report being read' }];
    planOutputs(cmd.outputs, inputs);
    const saved = await readReport(cmd.path);
    return finish(cmd.replay ? replayReport(saved, cmd) : saved, cmd.outputs, inputs, cmd.quiet);
  }
  if (first !== undefined && first !== 'check' && !first.startsWith('-')) {
    throw new UsageError(
      `unknown command '${first}' (use check, diagnose, report or checks; --help for usage)`,
    );
  }
  const cmd = parseCheckArgs(first === 'check' ? rest : argv);
  if (cmd.help) return printUsage(`${CHECK_USAGE}\n\n${limitsHelp()}`);
  // Before any work: an output that is an input, another output or unwritable is refused now.
  const inputs = checkInputFiles(cmd);
  planOutputs(cmd.outputs, inputs);
  return finish(await runCheck(cmd), cmd.outputs, inputs, cmd.quiet);
}

// Ctrl-C / kill: remove any temporary report file, then exit with the shell's signal status. (`on`,
// not `once`: a terminal's Ctrl-C reaches both the launcher and this process, which then gets it
// twice; the second must not fall back to the default action mid-cleanup.)
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  process.on(signal, () => {
    removeTempFiles();
    process.stderr.write(`\nnn-doctor: interrupted (${signal})\n`);
    process.exit(code);
  });
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
