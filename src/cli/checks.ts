// `nn-doctor checks`: every check with its id, what it asks, and its thresholds (name, default,
// meaning, source) — the names `--threshold CHECK_ID.NAME=VALUE` takes.
import { ALL_CHECKS } from '../checks/index.ts';
import { SECTIONS, type Section } from '../core/check.ts';

export const CHECKS_USAGE = 'usage: nn-doctor checks [--help]';

export const FLAGS = { help: { type: 'boolean', short: 'h' } } as const;

export function renderCheckList(): string {
  const out: string[] = [];
  for (const section of Object.keys(SECTIONS) as Section[]) {
    out.push(SECTIONS[section]);
    for (const check of ALL_CHECKS.filter((c) => c.section === section)) {
      out.push(`  ${check.id} — ${check.title}`);
      for (const [name, t] of Object.entries(check.thresholds)) {
        out.push(`      ${name} = ${t.value}: ${t.meaning} [${t.source}]`);
      }
    }
    out.push('');
  }
  return out.join('\n');
}
