#!/usr/bin/env node
// nn-doctor command line: check | diagnose | watch | report | checks. Exit codes: 0 no check failed,
// 1 a check failed, 2 usage or input error (one line on stderr, no stack trace), 3 internal
// error, 4 inconclusive (the input was read but no check could judge it: never a pass).
// Runs in the process that starts it (bin/nn-doctor.js imports the compiled file): signals reach it
// directly. Each command imports only its own modules; only `check` loads TF.js and only HTML
// output loads the plot renderer (check.ts, output.ts): `checks`, `diagnose` and `report` start
// in a fraction of a second (bench/startup.ts).
import { UsageError } from '../core/errors.ts';
import type { Report } from '../core/report.ts';
import { visible } from '../shared/text.ts';
import {
  type InputFile,
  type OutputFlags,
  outputsUseStderr,
  outputsUseStdout,
  outputsWritten,
  planOutputs,
  removeTempFiles,
} from './output.ts';

function printUsage(text: string): number {
  process.stdout.write(`${text}\n`);
  return 0;
}

async function finish(
  report: Report,
  outputs: OutputFlags,
  inputs: InputFile[],
  quiet: boolean,
): Promise<number> {
  const [{ writeReports }, { renderTerminal }] = await Promise.all([
    import('./output.ts'),
    import('../render/terminal.ts'),
  ]);
  // The outputs are planned again inside: the run took a while, a path may have changed.
  await writeReports(report, outputs, inputs);
  // A report written to standard output (`--json - | jq`) has it to itself: the terminal report
  // goes to standard error, or nowhere when that carries a report too.
  const terminal = !outputsUseStdout(outputs)
    ? process.stdout
    : !outputsUseStderr(outputs)
      ? process.stderr
      : null;
  if (!quiet && terminal)
    terminal.write(
      renderTerminal(report, {
        color: terminal.isTTY,
        truncate: terminal.isTTY,
        width: Math.min(110, terminal.columns ?? 100),
      }),
    );
  return exitCode(report);
}

/** 1 when a check failed, 4 when nothing could be judged (docs/design.md §3), else 0. */
function exitCode(report: Report): number {
  if (report.checks.some((c) => c.status === 'fail')) return 1;
  return report.verdict === 'inconclusive' ? 4 : 0;
}

/** `nn-doctor COMMAND --help` (check's adds the safety rules and input limits). */
async function helpOf(command: string): Promise<string> {
  const { commandHelp } = await import('./help.ts');
  if (command !== 'check') return commandHelp(command as 'diagnose');
  return `${commandHelp('check')}\n\n${(await import('./limits-help.ts')).limitsHelp()}`;
}

export async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  // Bare `nn-doctor` and --help: what each command is for (as git and npm answer); `help CMD` too.
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    const { COMMANDS, overview } = await import('./help.ts');
    const topic = first === 'help' ? rest[0] : undefined;
    if (topic === undefined) return printUsage(overview());
    if (!(COMMANDS as readonly string[]).includes(topic)) throw await unknownCommand(topic);
    return printUsage(await helpOf(topic));
  }
  if (first === '--version' || first === '-v' || first === 'version') {
    const { TOOL_VERSION } = await import('../core/version.ts');
    process.stdout.write(`${TOOL_VERSION}\n`);
    return 0;
  }
  if (first === 'diagnose') {
    const { diagnoseInputFiles, parseDiagnoseArgs, runDiagnose } = await import('./diagnose.ts');
    const cmd = parseDiagnoseArgs(rest);
    if (cmd.help) return printUsage(await helpOf('diagnose'));
    const inputs = diagnoseInputFiles(cmd.logdir);
    planOutputs(cmd.outputs, inputs);
    return finish(await runDiagnose(cmd), cmd.outputs, inputs, cmd.quiet);
  }
  if (first === 'watch') {
    const { parseWatchArgs, runWatch, watchInputFiles } = await import('./watch.ts');
    const cmd = parseWatchArgs(rest);
    if (cmd.help) return printUsage(await helpOf('watch'));
    planOutputs(cmd.outputs, watchInputFiles(cmd.logdir));
    const controller = new AbortController();
    stopWatching = () => controller.abort();
    let report: Report;
    try {
      report = await runWatch(cmd, controller.signal);
    } finally {
      stopWatching = null;
    }
    // Planned again against the event files there are now: the job may have added some.
    return finish(report, cmd.outputs, watchInputFiles(cmd.logdir), cmd.quiet);
  }
  if (first === 'checks') {
    const [{ FLAGS, renderCheckList }, { parse }] = await Promise.all([
      import('./checks.ts'),
      import('./args.ts'),
    ]);
    const { values, positionals } = parse(rest, FLAGS, true);
    if (values.help) return printUsage(await helpOf('checks'));
    if (positionals.length) throw new UsageError(`checks: takes no arguments (got '${positionals[0]}')`);
    process.stdout.write(renderCheckList());
    return 0;
  }
  if (first === 'report') {
    const { parseReportArgs, readReport, replayReport } = await import('./report.ts');
    const cmd = parseReportArgs(rest);
    if (cmd.help) return printUsage(await helpOf('report'));
    const inputs = [{ path: cmd.path, what: 'the report being read' }];
    planOutputs(cmd.outputs, inputs);
    const saved = readReport(cmd.path);
    return finish(cmd.replay ? replayReport(saved, cmd) : saved, cmd.outputs, inputs, cmd.quiet);
  }
  if (first !== 'check' && !first.startsWith('-')) throw await unknownCommand(first);
  const { FLAGS, checkInputFiles, parseCheckArgs, runCheckAndFix } = await import('./check.ts');
  // Flags with no command are check's (`nn-doctor --html r.html`); a near miss of --version or
  // --help is answered as such rather than as an unknown flag of check.
  if (first.startsWith('-') && !Object.hasOwn(FLAGS, first.replace(/^--?/, '').split('=')[0])) {
    const { closest } = await import('./suggest.ts');
    const near = closest(first, ['--version', '--help']);
    if (near) throw new UsageError(`unknown flag '${first}' (did you mean '${near}'?)`);
  }
  const cmd = parseCheckArgs(first === 'check' ? rest : argv);
  if (cmd.help) return printUsage(await helpOf('check'));
  // Before any work: an output that is an input, another output or unwritable is refused now.
  const inputs = await checkInputFiles(cmd);
  planOutputs(cmd.outputs, inputs);
  const fixDir = cmd.fix ? await import('./fix-dir.ts') : null;
  fixDir?.planFixDir(cmd.fix as string, inputs, cmd.outputs, cmd.modelPath);
  const { report, fix } = await runCheckAndFix(cmd);
  if (fixDir && cmd.fix !== undefined) {
    if (fix) {
      const written = fixDir.writeFixDir(cmd.fix, fix.files, inputs, cmd.outputs, cmd.modelPath);
      if (!cmd.quiet)
        process.stderr.write(
          `nn-doctor: fixed model (${fix.chain.join(' + ')}) written to ${visible(written.join(', '))}\n`,
        );
    } else if (!cmd.quiet)
      process.stderr.write(`nn-doctor: --fix ${visible(cmd.fix)}: no verified fix, nothing written\n`);
  }
  return finish(report, cmd.outputs, inputs, cmd.quiet);
}

/** A mistyped command: the closest one, as git answers `git comit`. */
async function unknownCommand(name: string): Promise<UsageError> {
  const [{ COMMANDS }, { didYouMean }] = await Promise.all([import('./help.ts'), import('./suggest.ts')]);
  return new UsageError(
    `unknown command '${name}'${didYouMean(name, COMMANDS)} (commands: ${COMMANDS.join(', ')}; nn-doctor --help)`,
  );
}

/** Set while `watch` watches: ending the watch is how the user says "stop", and the report is still written. */
let stopWatching: (() => void) | null = null;

// Ctrl-C / kill: remove any temporary report file, then exit with the shell's signal status. (`on`,
// not `once`: a second signal during the cleanup must not fall back to the default action.) While
// `watch` watches, the first signal ends the watch and the report is written; a second one quits.
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  process.on(signal, () => {
    if (stopWatching) {
      const stop = stopWatching;
      stopWatching = null;
      process.stderr.write(
        `\nnn-doctor: ${signal}: watch ended; writing the report (again to quit at once)\n`,
      );
      stop();
      return;
    }
    // Outputs already in place: finish writing and exit as the run says (never a signal status
    // with a replaced file). Before that, nothing was replaced: exit at once.
    if (outputsWritten()) {
      process.stderr.write(`\nnn-doctor: ${signal}: the report is already being written; finishing\n`);
      return;
    }
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
    // Messages quote file names, tags and report text: shown with their control characters
    // escaped, so one message is one line and cannot drive the terminal.
    if (err instanceof UsageError) {
      process.stderr.write(`nn-doctor: ${visible(err.message)}\n`);
      process.exitCode = 2;
      return;
    }
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`nn-doctor: internal error: ${visible(message.split('\n')[0])}\n`);
    if (process.env.NN_DOCTOR_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    process.exitCode = 3;
  },
);
