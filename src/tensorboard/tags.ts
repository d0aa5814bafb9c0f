// What a tag means. Two ways to know: the tag conventions of the common writers (below), or an
// explicit `--map TAG=ROLE` (roles.ts), which wins.
//
// Scalars (any run; the run name or a word in the tag says train or validation):
//   PyTorch   add_scalar('loss'), 'train/loss', 'Loss/train', 'loss/val', 'val_loss', 'train_loss_step',
//             'lr', 'grad_norm', 'grad_norm/fc1.weight' (per-weight norm)
//   Keras     'epoch_loss', 'batch_loss', 'epoch_accuracy', 'epoch_learning_rate' in runs `train`
//             and `validation`
//   tfjs-node 'loss', 'acc', 'val_loss' in runs `train` and `val` (also 'batch_loss'/'epoch_loss')
// Histograms:
//   PyTorch   add_histogram(name, p) on parameter names: 'fc1.weight', 'fc1.bias',
//             'layer1.0.conv1.weight'; gradients as 'fc1.weight.grad', 'fc1.weight/grad',
//             'grad/fc1.weight', 'gradients/fc1.weight', 'fc1.weight_grad'
//   Keras     '<layer>/kernel_0', '<layer>/bias_0' (TF2 tf.keras), '<layer>/kernel/histogram' (Keras 3),
//             '<layer>/kernel_0_grad' (write_grads)
//   any       activations: 'fc1.activation', 'fc1/activations', 'activations/fc1', 'fc1.out',
//             'act/fc1', optionally naming the function: 'activations/fc1/relu'; updates (ΔW):
//             'fc1.weight.update', 'updates/fc1.weight'

export type Phase = 'train' | 'val';
export type Granularity = 'batch' | 'epoch';
export type ScalarRole = 'loss' | 'accuracy' | 'lr' | 'reg_loss' | 'data_loss' | 'grad_norm';
export type ParamKind = 'kernel' | 'bias' | 'other';

export type TagMeaning =
  | { type: 'scalar'; role: ScalarRole; phase: Phase | null; granularity: Granularity | null }
  /** Per-weight scalar: gradient norm or ‖ΔW‖/‖W‖ of one parameter. */
  | { type: 'weight-scalar'; role: 'grad_norm' | 'update_ratio'; param: Param }
  /** Histogram of a parameter's values, its gradient or its update. */
  | { type: 'param'; of: 'value' | 'grad' | 'update'; param: Param }
  | { type: 'activation'; layer: string; fn: string | null }
  | { type: 'ignore' };

export interface Param {
  layer: string;
  /** Full parameter name as logged (e.g. `fc1.weight`, `dense/kernel_0`). */
  weight: string;
  kind: ParamKind;
}

/** Lowercase words of a tag: split on separators and camelCase (`trainLoss` → train, loss). */
export function words(tag: string): string[] {
  return tag
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

const TRAIN_WORDS = new Set(['train', 'training']);
const VAL_WORDS = new Set(['val', 'valid', 'validation', 'eval', 'evaluation', 'test', 'dev', 'holdout']);
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
const NOISE_WORDS = new Set([
  'total',
  'avg',
  'average',
  'mean',
  'running',
  'smoothed',
  'overall',
  'scalar',
  'scalars',
  'vs',
]);

/** Words that may stand beside a phase word in a run folder's name (`Loss_train`, `val_metrics`). */
const RUN_NAME_WORDS = new Set([
  'loss',
  'losses',
  'acc',
  'accuracy',
  'metric',
  'metrics',
  'set',
  'split',
  'data',
  'logs',
]);

/**
 * Train or validation, from a run's folder name (its last path segment): a phase word, alone or
 * with metric words (`train`, `validation`, `val`, `Loss_train` from PyTorch add_scalars); null for
 * anything else (`exp1`, `test_run`).
 */
export function runPhase(run: string): Phase | null {
  const w = words(run.split('/').pop() ?? '');
  let phase: Phase | null = null;
  for (const x of w) {
    if (VAL_WORDS.has(x)) phase = 'val';
    else if (TRAIN_WORDS.has(x)) phase ??= 'train';
    else if (!RUN_NAME_WORDS.has(x)) return null;
  }
  return phase;
}

function scalarRoleOf(core: string): ScalarRole | null {
  switch (core) {
    case 'loss':
    case 'losses':
    case 'cost':
    case 'objective':
      return 'loss';
    case 'acc':
    case 'accuracy':
    case 'top1':
    case 'top1_accuracy':
      return 'accuracy';
    case 'lr':
    case 'learning_rate':
    case 'learningrate':
      return 'lr';
    case 'reg_loss':
    case 'regularization_loss':
    case 'regularization':
    case 'l2_loss':
    case 'weight_decay_loss':
    case 'loss_reg':
    case 'loss_regularization':
      return 'reg_loss';
    case 'data_loss':
    case 'task_loss':
    case 'loss_data':
    case 'loss_task':
    case 'ce_loss':
    case 'cross_entropy':
    case 'crossentropy':
      return 'data_loss';
    case 'grad_norm':
    case 'gradient_norm':
    case 'grad_norm_all':
    case 'global_grad_norm':
    case 'grad_global_norm':
    case 'gradients_global_norm':
    case 'gradnorm':
    case 'norm_grad':
      return 'grad_norm';
  }
  if (/^[a-z0-9_]*_(accuracy|acc)$/.test(core)) return 'accuracy'; // categorical_accuracy, binary_acc
  if (/^lr_[a-z0-9_]+$/.test(core)) return 'lr'; // lr-Adam, lr_group0 (PyTorch Lightning)
  return null;
}

/** A scalar tag by the conventions, or null when it follows none of them. */
export function classifyScalar(tag: string): TagMeaning | null {
  // Per-weight gradient norms / update ratios: 'grad_norm/fc1.weight', 'fc1.weight/grad_norm'.
  const segments = tag.split('/');
  if (segments.length >= 2) {
    for (const [i, seg] of [
      [0, segments[0]],
      [segments.length - 1, segments[segments.length - 1]],
    ] as const) {
      const core = words(seg).join('_');
      const role =
        scalarRoleOf(core) === 'grad_norm' || core === 'grad_norms' || core === 'gradient_norms'
          ? 'grad_norm'
          : core === 'update_ratio' || core === 'update_ratios'
            ? 'update_ratio'
            : null;
      if (!role) continue;
      const rest = segments.filter((_, j) => j !== i).join('/');
      if (words(rest).every((w) => TRAIN_WORDS.has(w) || VAL_WORDS.has(w))) break; // 'grad_norm/train'
      return {
        type: 'weight-scalar',
        role,
        param: parseParam(rest) ?? { layer: rest, weight: rest, kind: 'kernel' },
      };
    }
  }
  let phase: Phase | null = null;
  let granularity: Granularity | null = null;
  const core: string[] = [];
  for (const w of words(tag)) {
    if (TRAIN_WORDS.has(w)) phase ??= 'train';
    else if (VAL_WORDS.has(w)) phase = 'val';
    else if (EPOCH_WORDS.has(w)) granularity = 'epoch';
    else if (BATCH_WORDS.has(w)) granularity ??= 'batch';
    else if (!NOISE_WORDS.has(w)) core.push(w);
  }
  const role = scalarRoleOf(core.join('_'));
  return role ? { type: 'scalar', role, phase, granularity } : null;
}

const GRAD_SEGMENTS = new Set(['grad', 'grads', 'gradient', 'gradients']);
const UPDATE_SEGMENTS = new Set(['update', 'updates', 'delta', 'deltas']);
const ACTIVATION_SEGMENTS = new Set(['activation', 'activations', 'act', 'acts', 'output', 'outputs', 'out']);
const LEADING_CONTAINERS = new Set([
  'weights',
  'params',
  'parameters',
  'param',
  'histogram',
  'histograms',
  'hist',
]);
const TRAILING_CONTAINERS = new Set(['histogram', 'histograms', 'hist']);
const ACTIVATION_FNS = new Set([
  'relu',
  'relu6',
  'leaky_relu',
  'leakyrelu',
  'elu',
  'selu',
  'gelu',
  'swish',
  'silu',
  'tanh',
  'sigmoid',
  'softmax',
  'linear',
]);

/** Norm and embedding layers: their "weight" is a scale or a lookup table, not a kernel. */
const NOT_A_KERNEL_LAYER =
  /(^|[._/])(bn\d*|batch_?norm\w*|batch_normalization\w*|norm\d*|ln\d*|ln_\w+|layer_?norm\w*|layer_normalization\w*|group_?norm\w*|gn\d*|embed\w*|wte|wpe)$/i;

/** Kind of a parameter from its last name segment (`weight`, `kernel_0`, `bias`, `gamma`…). */
function paramKind(name: string): ParamKind | null {
  const n = name.toLowerCase();
  if (/^(weight|weights|kernel|w)(_\d+)?$/.test(n) || /^weight_/.test(n) || n.includes('kernel'))
    return 'kernel';
  if (/^(bias|biases|b)(_\d+)?$/.test(n) || /^bias_/.test(n)) return 'bias';
  if (
    /^(gamma|beta|moving_mean|moving_variance|running_mean|running_var|num_batches_tracked|embeddings)(_\d+)?$/.test(
      n,
    )
  )
    return 'other';
  return null;
}

/** Splits `a.b/c` into segments with the separator before each (the first has none). */
function segmentsOf(tag: string): { sep: string; text: string }[] {
  const out: { sep: string; text: string }[] = [];
  let sep = '';
  let text = '';
  for (const ch of tag) {
    if (ch === '/' || ch === '.') {
      out.push({ sep, text });
      sep = ch;
      text = '';
    } else text += ch;
  }
  out.push({ sep, text });
  return out.filter((s) => s.text !== '');
}

function join(segments: { sep: string; text: string }[]): string {
  return segments.map((s, i) => (i === 0 ? s.text : s.sep + s.text)).join('');
}

/** A parameter path (`fc1.weight`, `dense/kernel_0`) → layer, weight, kind; null if the last segment is no parameter name. */
export function parseParam(path: string): Param | null {
  const segs = segmentsOf(path);
  if (segs.length === 0) return null;
  const last = segs[segs.length - 1].text;
  let kind = paramKind(last);
  if (kind === null) return null;
  const layer = segs.length > 1 ? join(segs.slice(0, -1)) : last;
  if (kind === 'kernel' && NOT_A_KERNEL_LAYER.test(layer)) kind = 'other';
  return { layer, weight: path, kind };
}

/** A histogram tag by the conventions, or null when it follows none of them. */
export function classifyHistogram(tag: string): TagMeaning | null {
  let segs = segmentsOf(tag);
  if (segs.length > 1 && LEADING_CONTAINERS.has(segs[0].text.toLowerCase())) segs = segs.slice(1);
  if (segs.length > 1 && TRAILING_CONTAINERS.has(segs[segs.length - 1].text.toLowerCase()))
    segs = segs.slice(0, -1);
  let of: 'value' | 'grad' | 'update' = 'value';
  const kept: { sep: string; text: string }[] = [];
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i];
    const lower = s.text.toLowerCase();
    if (GRAD_SEGMENTS.has(lower)) of = 'grad';
    else if (UPDATE_SEGMENTS.has(lower)) of = 'update';
    else if (i === segs.length - 1 && /_(grad|grads|gradient)$/i.test(s.text)) {
      of = 'grad';
      kept.push({ sep: s.sep, text: s.text.replace(/_(grad|grads|gradient)$/i, '') });
    } else kept.push(s);
  }
  if (kept.length === 0) return null;
  // A parameter name last wins over activation words: 'out.weight' is the weight of a layer named 'out'.
  const param = parseParam(join(kept));
  if (param) return { type: 'param', of, param };
  if (of === 'value' && kept.some((s) => ACTIVATION_SEGMENTS.has(s.text.toLowerCase()))) {
    let rest = kept.filter((s) => !ACTIVATION_SEGMENTS.has(s.text.toLowerCase()));
    let fn: string | null = null;
    const last = rest[rest.length - 1]?.text.toLowerCase();
    if (rest.length > 1 && last !== undefined && ACTIVATION_FNS.has(last)) {
      fn = last;
      rest = rest.slice(0, -1);
    }
    if (rest.length === 0) return null;
    return { type: 'activation', layer: join(rest), fn };
  }
  // 'grads/fc1', 'updates/fc1': a layer's gradient or update, taken as its kernel's.
  if (of !== 'value') {
    const path = join(kept);
    return { type: 'param', of, param: { layer: path, weight: path, kind: 'kernel' } };
  }
  return null;
}
