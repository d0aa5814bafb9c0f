// The live-conclusiveness rule of a check's detection: each check declares its own (`live`, with
// the rules and their words in core/live.ts); the watchers apply it (live-checks.ts).
import type { AnyCheck, Detection } from '../core/check.ts';
import type { LiveRule } from '../core/live.ts';

export { type LiveRule as Rule, type Progress, progressOf } from '../core/live.ts';

/** The rule for a check's detection at this point of the run. */
export function ruleFor(check: AnyCheck, detection: Detection): LiveRule {
  return typeof check.live === 'function' ? check.live(detection) : check.live;
}
