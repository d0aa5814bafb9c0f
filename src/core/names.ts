// Names as users and frameworks spell them, normalized once for everyone (probes, checks,
// log readers): `categoricalCrossentropy`, `CategoricalCrossentropy`, `mse`…
import { own } from './own.ts';

const LOSS_ALIASES: Record<string, string> = {
  mse: 'mean_squared_error',
  mae: 'mean_absolute_error',
  mape: 'mean_absolute_percentage_error',
  msle: 'mean_squared_logarithmic_error',
  bce: 'binary_crossentropy',
  binary_cross_entropy: 'binary_crossentropy',
  categorical_cross_entropy: 'categorical_crossentropy',
  sparse_categorical_cross_entropy: 'sparse_categorical_crossentropy',
  softmax_cross_entropy: 'categorical_crossentropy',
  sigmoid_cross_entropy: 'binary_crossentropy',
};

/** Loss name in snake_case with common aliases resolved (`meanSquaredError`, `mse` → `mean_squared_error`). */
export function normalizeLossName(name: string): string {
  const snake = name
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[\s-]+/g, '_')
    .toLowerCase();
  return own(LOSS_ALIASES, snake) ?? snake;
}

/** Activation name lowercased without separators (`hard_sigmoid` → `hardsigmoid`). */
export function normalizeActivation(name: string | null | undefined): string {
  return (name ?? 'linear').toLowerCase().replace(/[\s_-]+/g, '');
}
