// Why a check had nothing to judge, said in the terms of the logs. The checks' own skip sentences
// are written for `check` ("log the training loss every step", "pass --val"); on a log directory
// the mapping knows better: a reinforcement-learning run whose losses are not learning curves, a
// loss logged under a name no convention knows (and the --map that reads it), no validation run.
import type { CheckId } from '../core/check.ts';
import type { CheckResult } from '../core/report.ts';
import type { MappingResult } from './to-evidence.ts';

/** The checks that judge the training loss curve. */
const LOSS_CURVE: ReadonlySet<CheckId> = new Set<CheckId>([
  'loss/learning-rate',
  'loss/steep-drop',
  'loss/non-finite',
  'loss/overfitting',
]);

function noLossReason(mapped: MappingResult): string | null {
  const training = mapped.evidence.training;
  if (!training || training.loss.values.length > 0) return null;
  if (mapped.summary.reinforcement) {
    const terms = mapped.tags.used
      .filter((t) => /reinforcement-learning/.test(t.as))
      .slice(0, 3)
      .map((t) => `'${t.tag}'`);
    return `a reinforcement-learning run (${terms.join(', ') || 'RL losses'}): its losses are not learning curves — the policy's own data changes as it learns — so they are judged for NaN/Inf only`;
  }
  const proposal = mapped.tags.unused.find((t) => t.map && /=loss$/.test(t.map));
  if (proposal)
    return `no tag was read as the training loss, but '${proposal.tag}' looks like one: ${proposal.map} reads it`;
  const scalars = mapped.tags.unused
    .filter((t) => t.kind === 'scalar' && !/^ignored/.test(t.as))
    .map((t) => `'${t.tag}'`);
  return scalars.length > 0
    ? `no tag was read as the training loss (scalars logged: ${scalars.slice(0, 4).join(', ')}${scalars.length > 4 ? ', …' : ''}); --map TAG=loss names it`
    : "no training loss was logged: log it every step, e.g. `writer.add_scalar('loss', loss.item(), step)`";
}

/** The checks with skip summaries restated for the logs where the mapping knows the reason. */
export function explainSkips(checks: CheckResult[], mapped: MappingResult): CheckResult[] {
  const noLoss = noLossReason(mapped);
  const training = mapped.evidence.training;
  return checks.map((c) => {
    if (c.status !== 'skip') return c;
    if (noLoss && LOSS_CURVE.has(c.id)) return { ...c, summary: `Nothing to judge: ${noLoss}.` };
    if (c.id === 'loss/overfitting' && training && !training.valLoss) {
      return {
        ...c,
        summary:
          'No validation loss was logged: a validation run folder (validation/, val/, test/) or a tag like val_loss or eval/loss gives one.',
      };
    }
    return c;
  });
}
