// Remedies as code in the user's framework: the one place that knows how TF.js, Keras and PyTorch
// spell a learning rate, gradient clipping, class weights, an initializer or a NaN test. Checks'
// `explain` texts call these with `frameworkOf(evidence)`; a log whose writer is not recognized
// (JAX, CatBoost, …) gets the same advice in framework-neutral words, never another framework's code.
import type { Evidence, Framework } from '../core/evidence.ts';

export type { Framework } from '../core/evidence.ts';

/** The framework remedies are written in: the evidence's own, TF.js for a checkup, else none. */
export function frameworkOf(evidence: Pick<Evidence, 'source' | 'framework'>): Framework | null {
  return evidence.framework ?? (evidence.source === 'tfjs' ? 'tfjs' : null);
}

/** `fc1` → `model.fc1`, `0` → `model[0]`, `features.0.conv` → `model.features[0].conv` (PyTorch module paths). */
export function torchModule(layer: string): string {
  return `model${layer
    .split('.')
    .map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part}`))
    .join('')}`;
}

/** What the framework calls a layer's weight matrix: PyTorch's `weight`, TF.js's and Keras's `kernel`. */
export function kernelWord(fw: Framework | null): 'weight' | 'kernel' {
  return fw === 'pytorch' ? 'weight' : 'kernel';
}

/**
 * A layer's weight matrix as the framework names it: PyTorch's parameter as logged
 * (`fc1.weight`, `0.weight`, `module.encoder.0.weight`), else `the kernel of dense_1`.
 */
export function kernelOf(fw: Framework | null, layer: string, param?: string): string {
  if (fw !== 'pytorch') return `the kernel of ${layer}`;
  return param && /\.weight/.test(param) ? param : `${layer}.weight`;
}

const TORCH_OPTIMIZERS: Record<string, string> = {
  sgd: 'SGD',
  adam: 'Adam',
  adamw: 'AdamW',
  rmsprop: 'RMSprop',
  adagrad: 'Adagrad',
  adadelta: 'Adadelta',
  adamax: 'Adamax',
};

/** Setting the learning rate, e.g. `tf.train.adam(0.001)` / `keras.optimizers.Adam(learning_rate=0.001)`. */
export function learningRateCode(fw: Framework | null, optimizer: string | null, lr: string): string {
  const name = (optimizer ?? 'adam').toLowerCase();
  const cls = TORCH_OPTIMIZERS[name] ?? 'Adam';
  switch (fw) {
    case 'tfjs':
      return `tf.train.${name in TORCH_OPTIMIZERS && name !== 'adamw' ? name : 'adam'}(${lr})`;
    case 'keras':
      return `keras.optimizers.${cls}(learning_rate=${lr})`;
    case 'pytorch':
      return `torch.optim.${optimizer ? cls : 'Adam'}(model.parameters(), lr=${lr})`;
    default:
      return `the optimizer's learning rate = ${lr}`;
  }
}

/** Clipping the gradients' global norm at `norm` (a number or words such as "1–5× the initial norm"). */
export function clipCode(fw: Framework | null, norm = 'N'): string {
  switch (fw) {
    case 'tfjs':
      // TF.js's fit and optimizers have no clipnorm: clipping is done in a custom loop.
      return `in a custom loop, scale the gradients to a global norm ≤ ${norm} between optimizer.computeGradients(loss) and optimizer.applyGradients(grads) (TF.js's fit has no clipnorm)`;
    case 'keras':
      return `keras.optimizers.Adam(learning_rate=…, clipnorm=${norm})`;
    case 'pytorch':
      return `torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=${norm}) between loss.backward() and optimizer.step()`;
    default:
      return `their global norm at ${norm}, before each update`;
  }
}

/** Training with per-class loss weights, `weights` as `{ class: weight }`. */
export function classWeightCode(fw: Framework | null, weights: Record<string, number> | null): string {
  const entries = weights ? Object.entries(weights) : null;
  const js = entries ? `{ ${entries.map(([k, v]) => `${k}: ${v}`).join(', ')} }` : '{ 0: w0, 1: w1, … }';
  switch (fw) {
    case 'tfjs':
      return `model.fit(x, y, { classWeight: ${js} })`;
    case 'keras':
      return `model.fit(x, y, class_weight=${entries ? `{${entries.map(([k, v]) => `${k}: ${v}`).join(', ')}}` : '{0: w0, 1: w1, …}'})`;
    case 'pytorch':
      return `torch.nn.CrossEntropyLoss(weight=torch.tensor([${entries ? entries.map(([, v]) => `${v}`).join(', ') : 'w0, w1, …'}]))`;
    default:
      return `per-class loss weights ${js}`;
  }
}

/** TF.js initializer names → Keras's and PyTorch's. */
const INITIALIZERS: Record<string, { keras: string; torch: string }> = {
  heNormal: { keras: 'he_normal', torch: "kaiming_normal_({w}, nonlinearity='relu')" },
  heUniform: { keras: 'he_uniform', torch: "kaiming_uniform_({w}, nonlinearity='relu')" },
  glorotUniform: { keras: 'glorot_uniform', torch: 'xavier_uniform_({w})' },
  glorotNormal: { keras: 'glorot_normal', torch: 'xavier_normal_({w})' },
  leCunNormal: { keras: 'lecun_normal', torch: "kaiming_normal_({w}, nonlinearity='linear')" },
  leCunUniform: { keras: 'lecun_uniform', torch: "kaiming_uniform_({w}, nonlinearity='linear')" },
};

/** Initializing `layer`'s kernel with `initializer` (a TF.js name: heNormal, glorotUniform, …). */
export function initializerCode(fw: Framework | null, initializer: string, layer?: string): string {
  const known = INITIALIZERS[initializer] ?? INITIALIZERS.glorotUniform;
  const on = layer ? ` on ${layer}` : '';
  switch (fw) {
    case 'tfjs':
      return `kernelInitializer: '${initializer}'${on}`;
    case 'keras':
      return `kernel_initializer='${known.keras}'${on}`;
    case 'pytorch': {
      const w = layer ? `${torchModule(layer)}.weight` : 'module.weight';
      return `torch.nn.init.${known.torch.replace('{w}', w)}`;
    }
    default:
      return `${known.keras.replace('_', ' ')} initialization${on}`;
  }
}

/** Adding batch normalization. */
export function batchNormCode(fw: Framework | null): string {
  switch (fw) {
    case 'tfjs':
      return 'tf.layers.batchNormalization()';
    case 'keras':
      return 'keras.layers.BatchNormalization()';
    case 'pytorch':
      return 'torch.nn.BatchNorm1d / BatchNorm2d';
    default:
      return "your framework's batch-norm layer";
  }
}

/** What cuts a layer off the gradient. */
export function gradientStopCode(fw: Framework | null): string {
  switch (fw) {
    case 'tfjs':
      return 'a non-differentiable op such as argMax/round/cast, or trainable = false';
    case 'keras':
      return 'tf.stop_gradient, a non-differentiable op such as argmax/round/cast, or layer.trainable = False';
    case 'pytorch':
      return '.detach(), torch.no_grad(), .item()/.numpy() in the forward pass, a non-differentiable op such as argmax/round, or requires_grad=False';
    default:
      return 'a stop-gradient, a non-differentiable op such as argmax/round/cast, or a frozen layer';
  }
}

/** Finding non-finite values in the arrays. */
export function nonFiniteCode(fw: Framework | null): string {
  switch (fw) {
    case 'tfjs':
      return 'tf.isNaN / Number.isFinite over the arrays';
    case 'keras':
      return 'np.isfinite(x).all()';
    case 'pytorch':
      return 'torch.isfinite(x).all(), or torch.autograd.set_detect_anomaly(True) to find the first NaN';
    default:
      return 'a finite-value test over the arrays';
  }
}

/** Where the user gets nn-doctor's own experiments (LR range test, overfit 50 records, …). */
export function experimentsHint(fw: Framework | null, what = 'an LR range test'): string {
  switch (fw) {
    case 'tfjs':
      return `run nn-doctor check on the model to get ${what}`;
    case 'keras':
      return `run nn-doctor check --model on the saved .keras/.h5 file to get ${what}`;
    case 'pytorch':
      return what === 'an LR range test'
        ? 'run an LR range test in your own loop: raise the rate from 1e-7 to 1 over ~100 steps and take a decade under where the loss is lowest, as torch-lr-finder does'
        : `run ${what} in your own loop`;
    default:
      return `run ${what} in your own training code`;
  }
}
