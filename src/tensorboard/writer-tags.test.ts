// The writers → tags table of docs/tensorboard-tags.md, as a test: what each writer logs and what
// nn-doctor reads it as. Tags marked (file) were read from the real event files committed under
// test/fixtures/tensorboard (SOURCES.md says where each comes from); the others are the names in
// the writers' own logging code. test/diagnose-fixtures.test.ts runs the files end to end.
import { describe, expect, it } from 'vitest';
import { classifyHistogram } from './histogram-tags.ts';
import { classifyScalar } from './scalar-tags.ts';
import { runPhase, type ScalarRole } from './tags.ts';

type Expect = [ScalarRole, ('train' | 'val' | null)?, string?] | null;

const SCALARS: Record<string, [string, Expect][]> = {
  'PyTorch SummaryWriter (user tags)': [
    ['loss', ['loss', null]],
    ['Loss/train', ['loss', 'train']],
    ['Loss/test', ['loss', 'val']],
    ['train/loss', ['loss', 'train']],
    ['Accuracy/train', ['accuracy', 'train']],
    ['lr', ['lr', null]],
    ['TrainLoss', ['loss', 'train']],
  ],
  'tensorboardX (same API)': [
    ['data/loss', ['data_loss', null]],
    ['train/acc', ['accuracy', 'train']],
  ],
  'PyTorch Lightning': [
    ['train_loss_step', ['loss', 'train']], // (file) FractalDB
    ['train_loss_epoch', ['loss', 'train']], // (file)
    ['valid_loss_epoch', ['loss', 'val']], // (file)
    ['valid_loss_step/epoch_0', null], // (file) per-epoch slice of Lightning 0.x
    ['train_BinaryAccuracy', ['accuracy', 'train']], // (file) mintomics
    ['lr-Adam', ['lr', null]], // (file) LearningRateMonitor
    ['hp_metric', null], // (file) hyper-parameter placeholder
    ['epoch', null], // (file)
    ['grad_2.0_norm_total', ['grad_norm', null]],
    ['val_loss', ['loss', 'val']],
  ],
  'Keras TF2 TensorBoard callback': [
    ['epoch_loss', ['loss', null]],
    ['epoch_accuracy', ['accuracy', null]],
    ['epoch_sparse_categorical_accuracy', ['accuracy', null]],
    ['epoch_learning_rate', ['lr', null]],
    ['batch_loss', ['loss', null]],
    ['evaluation_loss_vs_iterations', ['loss', 'val']],
    ['evaluation_accuracy_vs_iterations', ['accuracy', 'val']],
  ],
  'Keras (TF1-era callback, one run)': [
    ['loss', ['loss', null]], // (file) guild
    ['acc', ['accuracy', null]], // (file)
    ['val_loss', ['loss', 'val']], // (file)
    ['val_acc', ['accuracy', 'val']], // (file)
  ],
  'TF2 tf.summary.scalar (custom loop)': [
    ['loss', ['loss', null]], // (file) katib, runs train/ and test/
    ['accuracy', ['accuracy', null]], // (file)
  ],
  'keras-tuner (Keras callback per trial)': [
    ['epoch_loss', ['loss', null]],
    ['epoch_val_loss', ['loss', 'val']],
  ],
  'Hugging Face Trainer': [
    ['train/loss', ['loss', 'train']],
    ['eval/loss', ['loss', 'val']],
    ['train/learning_rate', ['lr', 'train']],
    ['train/grad_norm', ['grad_norm', 'train']],
    ['eval/accuracy', ['accuracy', 'val']],
    ['train/epoch', null],
    ['train/train_loss', ['loss', 'train']],
    ['eval/runtime', null],
    ['train/total_flos', null],
  ],
  'TF1 Estimator / TF Object Detection API': [
    ['loss', ['loss', null]],
    ['Loss/total_loss', ['loss', null]],
    ['Loss/classification_loss', ['loss_part', null, 'classification']],
    ['Loss/localization_loss', ['loss_part', null, 'localization']],
    ['Loss/regularization_loss', ['reg_loss', null]],
    ['Metrics/Loss', ['loss', null]],
    ['Metrics/Accuracy', ['accuracy', null]],
    ['learning_rate', ['lr', null]],
    ['global_step/sec', null],
    ['DetectionBoxes_Precision/mAP', null],
  ],
  YOLOv5: [
    ['train/box_loss', ['loss_part', 'train', 'box']],
    ['train/obj_loss', ['loss_part', 'train', 'obj']],
    ['train/cls_loss', ['loss_part', 'train', 'cls']],
    ['val/box_loss', ['loss_part', 'val', 'box']],
    ['metrics/precision', null],
    ['metrics/mAP_0.5', null],
    ['x/lr0', ['lr', null]],
    ['x/lr2', ['lr', null]],
  ],
  YOLOv8: [
    ['train/box_loss', ['loss_part', 'train', 'box']],
    ['train/dfl_loss', ['loss_part', 'train', 'dfl']],
    ['val/cls_loss', ['loss_part', 'val', 'cls']],
    ['lr/pg0', ['lr', null]],
    ['metrics/precision(B)', null],
  ],
  'Stable-Baselines3': [
    ['train/value_loss', ['rl_loss', 'train', 'value']],
    ['train/policy_gradient_loss', ['rl_loss', 'train', 'policy_gradient']],
    ['train/entropy_loss', ['rl_loss', 'train', 'entropy']],
    ['train/actor_loss', ['rl_loss', 'train', 'actor']],
    ['train/loss', ['loss', 'train']], // an RL objective beside the terms above (collect.ts)
    ['train/learning_rate', ['lr', 'train']],
    ['train/approx_kl', null],
    ['train/explained_variance', null],
    ['rollout/ep_rew_mean', null],
    ['time/fps', null],
  ],
  CatBoost: [
    ['RMSE', ['loss_metric', null]], // (file) catboost_info/learn
    ['Logloss', ['loss_metric', null]],
    ['MultiClass', ['loss_metric', null]],
    ['CrossEntropy', ['data_loss', null]],
    ['AUC', null],
  ],
  'not a loss, whatever the word says': [
    ['loss_scale', null],
    ['train/loss_scale', null],
    ['best_val_loss', null],
    ['loss_std', null],
    ['cross_entropy_loss', ['data_loss', null]],
  ],
};

describe('writers → scalar tags', () => {
  for (const [writer, tags] of Object.entries(SCALARS)) {
    describe(writer, () => {
      for (const [tag, expected] of tags) {
        it(`${tag} → ${expected ? expected.filter((x) => x !== undefined).join(' ') : 'not read'}`, () => {
          const m = classifyScalar(tag);
          if (expected === null) {
            expect(m).toBeNull();
            return;
          }
          const [role, phase = null, part] = expected;
          expect(m).toMatchObject({ type: 'scalar', role, phase });
          if (part) expect(m).toMatchObject({ part });
        });
      }
    });
  }

  it('tags are read whatever their case and prefixes', () => {
    for (const tag of ['LOSS/TRAIN', 'metrics/loss', 'Scalars/Train/Loss', 'charts/train_loss'])
      expect(classifyScalar(tag)).toMatchObject({ role: 'loss' });
  });
});

describe('writers → per-weight scalars', () => {
  it.each([
    ['grad_2.0_norm/fc1.weight', 'fc1', 'kernel'], // Lightning ≥ 1.5 (track_grad_norm / grad_norm())
    ['grad_2.0_norm_fc1.weight', 'fc1', 'kernel'], // Lightning < 1.5
    ['grad_2.0_norm/layer1.0.conv1.weight', 'layer1.0.conv1', 'kernel'],
    ['grad_norm/fc1.bias', 'fc1', 'bias'],
  ])('%s → gradient norm of %s (%s)', (tag, layer, kind) => {
    expect(classifyScalar(tag)).toMatchObject({
      type: 'weight-scalar',
      role: 'grad_norm',
      param: { layer, kind },
    });
  });
});

describe('writers → histogram tags', () => {
  it.each([
    ['simple_rnn/simple_rnn_cell/kernel_0', 'simple_rnn/simple_rnn_cell', 'kernel'], // Keras TF2 RNN
    ['simple_rnn/simple_rnn_cell/recurrent_kernel_0', 'simple_rnn/simple_rnn_cell', 'kernel'],
    ['lstm/lstm_cell/recurrent_kernel_0', 'lstm/lstm_cell', 'kernel'],
    ['dense/kernel_0', 'dense', 'kernel'],
    ['fc1.weight', 'fc1', 'kernel'],
  ])('%s → values of %s (%s)', (tag, layer, kind) => {
    expect(classifyHistogram(tag)).toMatchObject({ type: 'param', of: 'value', param: { layer, kind } });
  });
});

describe('writers → run folders', () => {
  it.each([
    ['catboost_info/learn', 'train'],
    ['catboost_info/test', 'val'],
    ['logs/fit/20240101-120000/train', 'train'],
    ['logs/fit/20240101-120000/validation', 'val'],
    ['logs/test', 'val'],
    ['lightning_logs/version_0', null],
    ['runs/train/exp', null],
  ])('%s → %s', (run, phase) => {
    expect(runPhase(run)).toBe(phase);
  });
});
