// The registry as a value: the built-in checks (src/checks/index.ts) and the remedy judge
// (src/remedies/judge.ts), handed to core/ by the entry points (checkup, diagnose, watch, report)
// so that core/ itself imports no other folder. A library user may add checks of their own
// (`extraChecks`, docs/library.md).
import { ALL_CHECKS } from './checks/index.ts';
import { type BuildReportInput, buildReport as buildReportFrom } from './core/build-report.ts';
import type { AnyCheck } from './core/check.ts';
import { defineExtraCheck, type ExtraCheck, withExtraChecks } from './core/registry.ts';
import type { Report } from './core/report.ts';
import { judgeRemedies } from './remedies/judge.ts';

export { ALL_CHECKS, defineExtraCheck, type ExtraCheck, withExtraChecks };

/** The built-in checks followed by `extra` (validated; `where` names the option in errors). */
export function checksWith(extra?: readonly ExtraCheck[], where?: string): readonly AnyCheck[] {
  return withExtraChecks(ALL_CHECKS, extra, where);
}

export type ReportInput = Omit<BuildReportInput, 'checks' | 'judgeRemedies'> & {
  /** The checks to run; default: the built-in ones. */
  checks?: readonly AnyCheck[];
};

/** buildReport with the built-in registry: the built-in checks (or those given) and the remedy judge. */
export function buildReport(input: ReportInput): Report {
  return buildReportFrom({ ...input, checks: input.checks ?? ALL_CHECKS, judgeRemedies });
}
