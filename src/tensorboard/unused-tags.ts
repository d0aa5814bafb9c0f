// Which tags of an experiment reached the evidence, which did not and why, and the `--map TAG=ROLE`
// line that would use an unused tag when it looks like something a check reads (a loss, an
// accuracy, a learning rate, weights or activations under a name no convention knows).
import type { LogTag } from '../core/report.ts';
import { type Collected, usedKey } from './collect.ts';
import { runPhase, VAL_WORDS, words } from './tags.ts';

/** Known tags no check reads, with what they are. First match wins. */
const NOT_JUDGED: [RegExp, string][] = [
  [/^hp_metric$/i, "Lightning's hyper-parameter placeholder"],
  [/(^|\/)epoch_\d+$/i, 'a one-epoch slice of a series whose steps restart every epoch (Lightning 0.x)'],
  [/^(epoch|step|global_step|train\/epoch|trainer\/global_step)$/i, 'a step counter'],
  [/(\/sec|per_sec|per_second|fps|runtime|_time|time\/|flos|throughput|tokens_seen)/i, 'speed or time'],
  [/(ep_rew|ep_len|reward|return|success_rate)/i, 'an episode statistic (no check judges rewards)'],
  [
    /(approx_kl|clip_fraction|clip_range|explained_variance|n_updates|ent_coef|exploration)/i,
    'a reinforcement-learning statistic',
  ],
  [
    /(precision|recall|f1|map|iou|auc|dice|bleu|rouge|wer|cer|perplexity|ppl|top5|mcc|r2)/i,
    'a metric no check judges',
  ],
  [/(memory|gpu|cpu|mem_)/i, 'a resource statistic'],
  [/momentum|beta\d?$/i, 'an optimizer setting'],
];

/** The role an unrecognized tag looks like, when its name suggests one a check reads. */
function suggestRole(run: string, tag: string, kind: 'scalar' | 'histogram'): string | null {
  const lower = tag.toLowerCase();
  const val =
    runPhase(run) === 'val' || words(tag).some((w) => VAL_WORDS.has(w)) || /val|test|eval/.test(lower);
  if (kind === 'scalar') {
    if (/loss|cost|nll|xent|objective/.test(lower)) return val ? 'val_loss' : 'loss';
    if (/acc/.test(lower)) return val ? 'val_accuracy' : 'accuracy';
    if (/learningrate|(^|[^a-z])lr/.test(lower)) return 'lr';
    return null;
  }
  const layer = tag.replace(/[/.](histogram|hist|values?)$/i, '');
  if (/grad/.test(lower)) return `grad:${layer}`;
  if (/act|out|relu|tanh|sigmoid|hidden|feature/.test(lower)) return `activation:${layer}`;
  if (/weight|kernel|param|w$/.test(lower)) return `weights:${layer}`;
  return null;
}

/** `--map 'TAG=ROLE'`, quoted for a shell (single quotes inside escaped). */
export function mapLine(tag: string, role: string): string {
  const arg = `${tag}=${role}`;
  return /^[\w./:=-]+$/.test(arg) ? `--map ${arg}` : `--map '${arg.replaceAll("'", "'\\''")}'`;
}

function whyNotUsed(c: Collected, run: string, tag: string, recognized: boolean): string {
  const desc = c.summary.tags[`${run}: ${tag}`];
  if (recognized && desc !== undefined) {
    if (/^ignored/.test(desc)) return desc;
    if (/^(learning rate|global gradient norm)|accuracy|loss/.test(desc))
      return `${desc}: another tag gave the same series (preferred: the total, then the finest step unit, then the longest)`;
    return `${desc}: a second copy of a series already read`;
  }
  for (const [pattern, what] of NOT_JUDGED) if (pattern.test(tag)) return `${what}; no check reads it`;
  return 'follows no convention nn-doctor knows';
}

/** The experiment's tags split into used and unused, in reading order. */
export function tagReport(c: Collected): { used: LogTag[]; unused: LogTag[] } {
  const used: LogTag[] = [];
  const unused: LogTag[] = [];
  for (const { run, tag, kind, recognized } of c.summary.seen) {
    if (c.used.has(usedKey(run, tag))) {
      used.push({ run, tag, kind, as: c.summary.tags[`${run}: ${tag}`] ?? 'read' });
      continue;
    }
    const as = whyNotUsed(c, run, tag, recognized);
    const role = recognized || /no check reads it$/.test(as) ? null : suggestRole(run, tag, kind);
    unused.push({ run, tag, kind, as, ...(role ? { map: mapLine(tag, role) } : {}) });
  }
  return { used, unused };
}
