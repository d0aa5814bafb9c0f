// Building a TF.js optimizer from a Keras / TF.js optimizer_config (class, learning rate, options).
import * as tf from '@tensorflow/tfjs';
import { own } from '../../core/own.ts';
import { isObject } from '../../model-files/common.ts';
import { bool, nameOf, num } from '../../model-files/keras-config.ts';

export interface BuiltOptimizer {
  optimizer: tf.Optimizer;
  className: string;
  learningRate: number;
}

/** Keras' default learning rates, used when a config omits it. */
const DEFAULT_LR: Record<string, number> = {
  sgd: 0.01,
  momentum: 0.01,
  adam: 0.001,
  adamax: 0.001,
  rmsprop: 0.001,
  adagrad: 0.001,
  adadelta: 0.001,
};

/** The optimizer for `raw`, or one line saying why it cannot be built; dropped options go to `notes`. */
export function buildOptimizer(raw: unknown, notes: string[]): BuiltOptimizer | string {
  if (!isObject(raw)) return 'no optimizer_config';
  const { name, config: cfg } = nameOf(raw);
  if (!name) return 'optimizer_config has no class_name';
  const cls = name.replace(/^Custom>/, '');
  const key = cls.toLowerCase();
  const defaultLr = own(DEFAULT_LR, key);
  if (defaultLr === undefined) {
    return `optimizer '${cls}' is not available in TF.js (it has SGD, Momentum, Adam, Adamax, RMSProp, Adagrad, Adadelta)`;
  }
  let lr: number | undefined = num(cfg, 'learning_rate', 'learningRate', 'lr');
  const lrRaw = cfg.learning_rate ?? cfg.learningRate;
  if (lr === undefined && isObject(lrRaw)) {
    const inner = isObject(lrRaw.config) ? lrRaw.config : {};
    const initial = num(inner, 'initial_learning_rate', 'initialLearningRate');
    if (initial === undefined) return `optimizer '${cls}' uses a learning-rate schedule TF.js cannot read`;
    lr = initial;
    notes.push(`learning-rate schedule replaced by its initial rate ${initial}`);
  }
  if (lr === undefined) {
    lr = defaultLr;
    notes.push(`optimizer config has no learning rate; using the Keras default ${lr}`);
  }
  // A negative rate climbs the loss; zero never moves; both come from a broken or hostile config.
  if (!Number.isFinite(lr) || lr <= 0)
    return `optimizer '${cls}' has learning rate ${lr}; it must be a positive number`;
  const eps = num(cfg, 'epsilon');
  const decayLr = num(cfg, 'decay');
  const keras = 'rho' in cfg || 'beta_1' in cfg || 'learning_rate' in cfg || 'lr' in cfg;
  if (keras && decayLr && key !== 'adamax')
    notes.push(`learning-rate decay ${decayLr} ignored (TF.js has none)`);
  if (cfg.amsgrad === true) notes.push('AMSGrad variant ignored (TF.js Adam has none)');
  const b1 = num(cfg, 'beta_1', 'beta1');
  const b2 = num(cfg, 'beta_2', 'beta2');
  switch (key) {
    case 'sgd':
    case 'momentum': {
      const momentum = num(cfg, 'momentum') ?? 0;
      const nesterov = bool(cfg, 'nesterov', 'useNesterov') ?? false;
      if (key === 'sgd' && momentum === 0)
        return { optimizer: tf.train.sgd(lr), className: 'SGD', learningRate: lr };
      return {
        optimizer: tf.train.momentum(lr, momentum, nesterov),
        className: 'Momentum',
        learningRate: lr,
      };
    }
    case 'adam':
      return { optimizer: tf.train.adam(lr, b1, b2, eps), className: 'Adam', learningRate: lr };
    case 'adamax':
      return { optimizer: tf.train.adamax(lr, b1, b2, eps, decayLr), className: 'Adamax', learningRate: lr };
    case 'rmsprop': {
      // Keras calls the moving-average factor rho (its `decay` is learning-rate decay); TF.js calls it decay.
      const rho = 'rho' in cfg ? num(cfg, 'rho') : num(cfg, 'decay');
      const optimizer = tf.train.rmsprop(lr, rho, num(cfg, 'momentum'), eps, bool(cfg, 'centered'));
      return { optimizer, className: 'RMSProp', learningRate: lr };
    }
    case 'adagrad': {
      const init = num(cfg, 'initial_accumulator_value', 'initialAccumulatorValue');
      return { optimizer: tf.train.adagrad(lr, init), className: 'Adagrad', learningRate: lr };
    }
    default:
      return {
        optimizer: tf.train.adadelta(lr, num(cfg, 'rho'), eps),
        className: 'Adadelta',
        learningRate: lr,
      };
  }
}
