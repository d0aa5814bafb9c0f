// Standardizing the data: inputs (x − μ) / σ per feature (per channel for images), regression
// targets (y − μ) / σ per output with predictions mapped back. μ and σ are fitted on the training
// records only and reused unchanged for validation and test data (they are written with --fix).
import { fmt } from '../../shared/format.ts';
import type { Fix } from '../types.ts';

export const standardizeInputs = {
  id: 'standardize-inputs',
  title: 'Standardize the inputs',
  family: 'inputs',
  addresses: ['inputs/mean-centering'],
  applies: (ctx) =>
    ctx.dataset?.inputKind === 'tokens'
      ? 'the inputs are token ids'
      : ctx.dataset && ctx.dataset.nonFiniteFeatures > 0
        ? 'the inputs hold NaN/Inf values (see inputs/non-finite)'
        : null,
  params: () => ({}),
  apply: () => ({ changes: { edits: [], reinitialized: [] }, fit: ['inputs'] }),
  describe: (changes) =>
    changes.inputs
      ? `inputs standardized per ${changes.inputs.axis} (${changes.inputs.mean.length} mean/std pair${changes.inputs.mean.length === 1 ? '' : 's'}, e.g. μ ${fmt(changes.inputs.mean[0])}, σ ${fmt(changes.inputs.std[0])})`
      : 'inputs standardized',
} as const satisfies Fix;

export const standardizeTargets = {
  id: 'standardize-targets',
  title: 'Standardize the regression targets',
  family: 'targets',
  addresses: ['inputs/target-scale'],
  applies: (ctx) =>
    ctx.task.kind !== 'regression'
      ? 'not a regression task'
      : ctx.dataset && ctx.dataset.nonFiniteLabels > 0
        ? 'the targets hold NaN/Inf values'
        : null,
  params: () => ({}),
  apply: () => ({ changes: { edits: [], reinitialized: [] }, fit: ['targets'] }),
  describe: (changes) =>
    changes.targets
      ? `targets standardized (μ ${changes.targets.mean.map((m) => fmt(m)).join(', ')}; σ ${changes.targets.std.map((s) => fmt(s)).join(', ')}), predictions mapped back`
      : 'targets standardized',
} as const satisfies Fix;
