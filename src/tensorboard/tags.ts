// What a tag means: the vocabulary shared by the scalar and histogram conventions
// (scalar-tags.ts, histogram-tags.ts) and by `--map TAG=ROLE` (roles.ts), which wins over both.
// docs/tensorboard-tags.md lists the conventions, the writers they come from and the precedence.

export type Phase = 'train' | 'val';
export type Granularity = 'batch' | 'epoch';
/**
 * - `loss`: the loss the optimizer minimizes (`loss`, `total_loss`, `train/loss`, `epoch_loss`);
 * - `loss_part`: one named term of it (`train/box_loss`, `Loss/localization_loss`), summed into
 *   the training loss when no total is logged;
 * - `loss_metric`: a loss function logged under its own name (`RMSE`, `Logloss` from CatBoost,
 *   `mse`), used only when nothing above is logged;
 * - `rl_loss`: a reinforcement-learning objective term (`train/value_loss`,
 *   `train/policy_gradient_loss`): judged for NaN/Inf only, never as a learning curve.
 */
export type ScalarRole =
  | 'loss'
  | 'loss_part'
  | 'loss_metric'
  | 'rl_loss'
  | 'accuracy'
  | 'lr'
  | 'reg_loss'
  | 'data_loss'
  | 'grad_norm';
export type ParamKind = 'kernel' | 'bias' | 'other';

export type TagMeaning =
  | {
      type: 'scalar';
      role: ScalarRole;
      phase: Phase | null;
      granularity: Granularity | null;
      /** The term's name for `loss_part` / `rl_loss` (`box`, `value`). */
      part?: string;
    }
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

/** `learn` is CatBoost's training run (`catboost_info/learn`, beside `catboost_info/test`). */
export const TRAIN_WORDS = new Set(['train', 'training', 'learn']);
export const VAL_WORDS = new Set([
  'val',
  'valid',
  'validation',
  'eval',
  'evaluation',
  'test',
  'dev',
  'holdout',
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
 * with metric words (`train`, `validation`, `val`, `Loss_train` from PyTorch add_scalars, `learn`
 * and `test` from CatBoost); null for anything else (`exp1`, `test_run`).
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

/**
 * A run folder named by a timestamp (`runs/Dec15_07-29-26_host/1671085786.3238955`): the
 * hyper-parameter sub-run Hugging Face's Trainer and PyTorch's add_hparams write beside the real
 * one. It belongs to its parent folder's experiment.
 */
export function isTimestampRun(run: string): boolean {
  return /^\d{9,}(\.\d+)?$/.test(run.split('/').pop() ?? '');
}
