// Scalar tags by the writers' conventions. A tag is read as words, whatever its separators, case
// or prefixes: `Loss/total_loss`, `train/box_loss`, `epoch_loss`, `lr-Adam`, `x/lr0` all split
// into words (words()), and each word plays one part:
//
//   phase        train, training, learn │ val, valid, validation, eval, evaluation, test, dev
//                (a tag's own phase word wins over its run folder's)
//   granularity  epoch(s) │ batch(es), step(s), iter(s), iteration(s)
//   namespace    metrics, metric, scalars, charts, x, sys, summary… — a writer's grouping, no meaning
//   noise        total, avg, mean, running, smoothed, overall, vs, per
//   role         what is left: loss words, accuracy words, lr words, gradient-norm words
//
// Precedence when several tags could be the training loss (trainingEvidence picks in this order):
//   1. an explicit `--map TAG=loss`;
//   2. a total loss: `loss`, `total_loss`, `Loss/total_loss`, `train/loss`, `epoch_loss`;
//   3. the sum of the loss's named terms when no total is logged: `train/box_loss` +
//      `train/cls_loss` + `train/dfl_loss` (YOLO) — YOLO and the TF Object Detection API log each
//      term already weighted, so their sum is the objective the optimizer minimizes;
//   4. a data loss: `cross_entropy`, `ce_loss`, `data_loss`;
//   5. a loss function under its own name: `RMSE`, `Logloss`, `MultiClass` (CatBoost), `mse`.
// Among tags of one rank: the finest step unit (per batch over per epoch), then the longest.
//
// Not a loss, whatever the word `loss` says: AMP's `loss_scale`, `best_val_loss`, `loss_std`.
// Reinforcement-learning terms (`train/value_loss`, `train/policy_gradient_loss`,
// `train/entropy_loss`, `train/actor_loss`, SB3's `train/loss` beside them) are `rl_loss`.
import { parseParam } from './histogram-tags.ts';
import { type Granularity, type Phase, type TagMeaning, TRAIN_WORDS, VAL_WORDS, words } from './tags.ts';

const EPOCH_WORDS = new Set(['epoch', 'epochs']);
const BATCH_WORDS = new Set([
  'batch',
  'batches',
  'step',
  'steps',
  'iter',
  'iters',
  'iteration',
  'iterations',
]);
/** A writer's grouping prefix or suffix: carries no meaning of its own. */
const NAMESPACE_WORDS = new Set([
  'metrics',
  'metric',
  'scalars',
  'scalar',
  'charts',
  'x',
  'sys',
  'summary',
  'summaries',
  'stats',
  'info',
  'logs',
  'log',
  'values',
]);
const NOISE_WORDS = new Set(['avg', 'average', 'mean', 'running', 'smoothed', 'overall', 'vs', 'per']);
const TOTAL_WORDS = new Set(['total', 'full', 'sum', 'combined', 'all']);
const LOSS_WORDS = new Set(['loss', 'losses', 'cost', 'objective']);
/** A loss logged under its function's name (CatBoost, Keras metrics). */
const LOSS_FUNCTIONS = new Set([
  'logloss',
  'multiclass',
  'multiclassonevsall',
  'rmse',
  'mse',
  'mae',
  'huber',
  'logcosh',
  'quantile',
  'poisson',
  'nll',
  'nllloss',
  'xent',
  'bce',
]);
const CROSS_ENTROPY = new Set(['crossentropy', 'ce', 'xent', 'nll', 'cross', 'entropy', 'bce']);
const DATA_WORDS = new Set(['data', 'task']);
const REG_WORDS = new Set(['reg', 'regularization', 'regularisation', 'l2', 'l1', 'wd', 'decay', 'weight']);
/** Terms of an RL objective (Stable-Baselines3, RLlib, CleanRL). */
const RL_WORDS = new Set([
  'policy',
  'value',
  'entropy',
  'actor',
  'critic',
  'pg',
  'vf',
  'qf',
  'q',
  'td',
  'ent',
  'coef',
  'alpha',
]);
/** With these, a `loss` word names a statistic of the loss or a setting, not a loss series. */
const NOT_A_SERIES = new Set([
  'scale',
  'scaler',
  'coef',
  'coefficient',
  'factor',
  'lambda',
  'multiplier',
  'weighting',
  'best',
  'min',
  'max',
  'lowest',
  'highest',
  'std',
  'var',
  'variance',
  'delta',
  'diff',
  'change',
  'threshold',
  'target',
]);
const ACCURACY_WORDS = new Set(['acc', 'accuracy', 'top1']);
/** What may qualify an accuracy word: `binary_accuracy`, `sparse_categorical_accuracy`. */
const ACCURACY_KINDS = new Set(['binary', 'categorical', 'sparse', 'top', '1', 'k', 'multiclass', 'class']);
const LR_WORDS = new Set(['lr', 'learningrate']);
/** What may stand beside `lr`: an optimizer or a parameter group (`lr-Adam`, `lr/pg0`, `x/lr0`). */
const LR_QUALIFIERS =
  /^(adam|adamw|sgd|rmsprop|adagrad|adadelta|nadam|lamb|lars|group\d*|pg\d+|param|params|\d+)$/;
const GRAD_WORDS = new Set(['grad', 'grads', 'gradient', 'gradients']);
const NORM_WORDS = new Set(['norm', 'norms', 'l2norm', 'gradnorm']);

/** Tokens of a tag with their phase, granularity and role words taken out. */
interface Parsed {
  phase: Phase | null;
  granularity: Granularity | null;
  /** Role and qualifier words, in order. */
  core: string[];
}

function parse(tag: string): Parsed {
  let phase: Phase | null = null;
  let granularity: Granularity | null = null;
  const core: string[] = [];
  for (const w of words(tag)) {
    if (TRAIN_WORDS.has(w)) phase ??= 'train';
    else if (VAL_WORDS.has(w)) phase = 'val';
    else if (EPOCH_WORDS.has(w)) granularity ??= 'epoch';
    else if (BATCH_WORDS.has(w)) granularity ??= 'batch';
    else if (!NAMESPACE_WORDS.has(w) && !NOISE_WORDS.has(w) && !/^\d+$/.test(w)) core.push(w);
  }
  return { phase, granularity, core };
}

/** `grad_norm`, `gradient_norm`, `grad_2.0_norm_total`, `grad_norm_all`, `gradnorm`. */
function isGradNorm(core: string[]): boolean {
  const rest = core.filter((w) => !GRAD_WORDS.has(w) && !NORM_WORDS.has(w));
  const hasGrad = core.some((w) => GRAD_WORDS.has(w) || w === 'gradnorm');
  const hasNorm = core.some((w) => NORM_WORDS.has(w));
  return hasGrad && hasNorm && rest.every((w) => /^(\d+|l2|inf|total|global|all)$/.test(w));
}

function lossMeaning(p: Parsed): TagMeaning | null {
  const { core } = p;
  const terms = core.filter((w) => !LOSS_WORDS.has(w));
  const base = { type: 'scalar' as const, phase: p.phase, granularity: p.granularity };
  if (terms.some((w) => RL_WORDS.has(w)) && !terms.includes('cross'))
    return { ...base, role: 'rl_loss', part: terms.join('_') };
  if (core.some((w) => NOT_A_SERIES.has(w))) return null;
  if (terms.length === 0 || terms.every((w) => TOTAL_WORDS.has(w))) return { ...base, role: 'loss' };
  if (terms.every((w) => REG_WORDS.has(w)) && (!terms.includes('weight') || terms.includes('decay')))
    return { ...base, role: 'reg_loss' };
  if (terms.every((w) => DATA_WORDS.has(w) || CROSS_ENTROPY.has(w))) return { ...base, role: 'data_loss' };
  const named = terms.filter((w) => !TOTAL_WORDS.has(w));
  return { ...base, role: 'loss_part', part: named.join('_') };
}

/** A scalar tag by the conventions (see the file comment), or null when it follows none of them. */
export function classifyScalar(tag: string): TagMeaning | null {
  const perWeight = perWeightScalar(tag);
  if (perWeight) return perWeight;
  // Lightning 0.x: `valid_loss_step/epoch_0` restarts its steps every epoch — a slice, not a series.
  if (tag.split('/').some((s) => /^epoch_\d+$/i.test(s))) return null;
  const p = parse(tag);
  const { core } = p;
  if (core.length === 0) return null;
  const base = { type: 'scalar' as const, phase: p.phase, granularity: p.granularity };
  if (core.some((w) => LOSS_WORDS.has(w))) return lossMeaning(p);
  if (isGradNorm(core)) return { ...base, role: 'grad_norm' };
  if (core.some((w) => NOT_A_SERIES.has(w))) return null;
  if (
    core.some((w) => ACCURACY_WORDS.has(w)) &&
    core.every((w) => ACCURACY_WORDS.has(w) || ACCURACY_KINDS.has(w))
  )
    return { ...base, role: 'accuracy' };
  const lrAt = core.findIndex((w) => LR_WORDS.has(w) || /^lr\d+$/.test(w));
  const learningRate = core.includes('learning') && core.includes('rate');
  if (lrAt >= 0 || learningRate) {
    const rest = core.filter(
      (w) => !LR_WORDS.has(w) && !/^lr\d+$/.test(w) && w !== 'learning' && w !== 'rate',
    );
    if (rest.every((w) => LR_QUALIFIERS.test(w))) return { ...base, role: 'lr' };
    return null;
  }
  if (LOSS_FUNCTIONS.has(core.join(''))) return { ...base, role: 'loss_metric' };
  if (core.every((w) => CROSS_ENTROPY.has(w)) && core.some((w) => w !== 'entropy'))
    return { ...base, role: 'data_loss' };
  return null;
}

/** A parameter path (`fc1.weight`, `dense/kernel_0`, `layer1.0.conv1.weight`), as logged. */
const PARAM_PATH = /^[\w.:/-]+$/;

/**
 * Per-weight scalars: `grad_norm/fc1.weight`, `fc1.weight/grad_norm`, Lightning's
 * `grad_2.0_norm/fc1.weight` and older `grad_2.0_norm_fc1.weight`, `dense/kernel/update_ratio`.
 */
function perWeightScalar(tag: string): TagMeaning | null {
  const lightning = /^grad_(\d+(?:\.\d+)?|inf)_norm[_/](.+)$/i.exec(tag);
  if (lightning) {
    const rest = lightning[2];
    if (/^total$/i.test(rest)) return null;
    return weightScalar('grad_norm', rest);
  }
  const segments = tag.split('/');
  if (segments.length < 2) return null;
  for (const i of [0, segments.length - 1]) {
    const core = words(segments[i]);
    const role =
      isGradNorm(core) && core.every((w) => GRAD_WORDS.has(w) || NORM_WORDS.has(w))
        ? 'grad_norm'
        : core.join('_') === 'update_ratio' || core.join('_') === 'update_ratios'
          ? 'update_ratio'
          : null;
    if (!role) continue;
    const rest = segments.filter((_, j) => j !== i).join('/');
    const restWords = words(rest);
    // 'grad_norm/train', 'train/grad_norm': a phase, not a parameter.
    if (restWords.every((w) => TRAIN_WORDS.has(w) || VAL_WORDS.has(w) || NAMESPACE_WORDS.has(w))) return null;
    if (!PARAM_PATH.test(rest)) return null;
    return weightScalar(role, rest);
  }
  return null;
}

function weightScalar(role: 'grad_norm' | 'update_ratio', path: string): TagMeaning {
  return {
    type: 'weight-scalar',
    role,
    param: parseParam(path) ?? { layer: path, weight: path, kind: 'kernel' },
  };
}
