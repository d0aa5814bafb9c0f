// Mapping a Keras / TF.js training config's loss and metrics to the names TF.js Layers compiles with.

import { own } from '../core/own.ts';
import { isObject } from './common.ts';
import { camel, nameOf } from './keras-config.ts';

const TFJS_LOSSES = new Set([
  'meanSquaredError',
  'meanAbsoluteError',
  'meanAbsolutePercentageError',
  'meanSquaredLogarithmicError',
  'squaredHinge',
  'hinge',
  'categoricalHinge',
  'logcosh',
  'categoricalCrossentropy',
  'sparseCategoricalCrossentropy',
  'binaryCrossentropy',
  'kullbackLeiblerDivergence',
  'poisson',
  'cosineProximity',
]);

const LOSS_ALIASES: Record<string, string> = {
  mse: 'meanSquaredError',
  mae: 'meanAbsoluteError',
  mape: 'meanAbsolutePercentageError',
  msle: 'meanSquaredLogarithmicError',
  kld: 'kullbackLeiblerDivergence',
  klDivergence: 'kullbackLeiblerDivergence',
  kLDivergence: 'kullbackLeiblerDivergence',
  logCosh: 'logcosh',
  cosine: 'cosineProximity',
};

const TFJS_METRICS = new Set([
  'accuracy',
  'acc',
  'binaryAccuracy',
  'categoricalAccuracy',
  'precision',
  'categoricalCrossentropy',
  'sparseCategoricalCrossentropy',
  'mse',
  'MSE',
  'mae',
  'MAE',
  'mape',
  'MAPE',
  'cosine',
]);

/** The loss names TF.js Layers compiles with. */
export const TFJS_LOSS_NAMES: readonly string[] = [...TFJS_LOSSES];

export function readLoss(raw: unknown): { loss: string | null; fromLogits: boolean; problem: string | null } {
  let entry = raw;
  if (Array.isArray(entry)) {
    if (entry.length !== 1)
      return { loss: null, fromLogits: false, problem: `${entry.length} losses (one output is supported)` };
    entry = entry[0];
  } else if (isObject(entry) && !('class_name' in entry) && !('className' in entry) && !('config' in entry)) {
    // A dict of output name → loss.
    const values = Object.values(entry);
    if (values.length !== 1)
      return { loss: null, fromLogits: false, problem: `${values.length} losses (one output is supported)` };
    entry = values[0];
  }
  const { name, config } = nameOf(entry);
  if (!name) return { loss: null, fromLogits: false, problem: 'no loss' };
  const c = camel(name);
  const loss = own(LOSS_ALIASES, c) ?? c;
  const fromLogits = config.from_logits === true || config.fromLogits === true;
  if (!TFJS_LOSSES.has(loss))
    return { loss: null, fromLogits, problem: `loss '${name}' is not available in TF.js Layers` };
  if (fromLogits) {
    return {
      loss,
      fromLogits,
      problem: `loss '${name}' has from_logits=True, which TF.js Layers losses do not support`,
    };
  }
  return { loss, fromLogits, problem: null };
}

export function readMetrics(raw: unknown, notes: string[]): string[] {
  const list: unknown[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (isObject(v) && !('class_name' in v) && !('className' in v)) Object.values(v).forEach(walk);
    else if (v != null) list.push(v);
  };
  walk(raw);
  const out: string[] = [];
  for (const m of list) {
    const { name } = nameOf(m, true);
    if (!name) continue;
    const c = name === 'MSE' || name === 'MAE' || name === 'MAPE' ? name : camel(name);
    if (TFJS_METRICS.has(c)) {
      if (!out.includes(c)) out.push(c);
    } else {
      notes.push(`metric '${name}' dropped (not available in TF.js)`);
    }
  }
  return out;
}
