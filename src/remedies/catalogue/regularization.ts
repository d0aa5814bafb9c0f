// Regularization that dominates the loss: scale the weight penalties down (to about a third of
// the data loss), or remove them.

import type { ConfigEdit, JsonValue } from '../../core/remedies.ts';
import { fmt } from '../../shared/format.ts';
import { type Json, layerList, layerName, setField } from '../topology.ts';
import type { Fix, FixContext } from '../types.ts';
import { kept, measured } from './shared.ts';

const FIELDS = [
  'kernel_regularizer',
  'bias_regularizer',
  'activity_regularizer',
  'depthwise_regularizer',
  'pointwise_regularizer',
  'recurrent_regularizer',
  'embeddings_regularizer',
];

function regularized(topology: Json): { layer: string; field: string; value: JsonValue }[] {
  const out: { layer: string; field: string; value: JsonValue }[] = [];
  for (const l of layerList(topology))
    for (const field of FIELDS)
      if (l.config[field]) out.push({ layer: layerName(l), field, value: l.config[field] });
  return out;
}

const applies = (ctx: FixContext) =>
  regularized(ctx.topology).length ? null : 'the model has no weight regularizer';

/** L1/L2 factors of a regularizer config scaled by `factor` (other regularizer classes: removed). */
function scaled(value: JsonValue, factor: number): JsonValue {
  const v = value as { class_name?: string; config?: { [k: string]: JsonValue } };
  if (v?.class_name !== 'L1L2' || !v.config) return null;
  const l1 = Number(v.config.l1 ?? 0) * factor;
  const l2 = Number(v.config.l2 ?? 0) * factor;
  return { class_name: 'L1L2', config: { l1: Number(l1.toPrecision(3)), l2: Number(l2.toPrecision(3)) } };
}

/** A power of ten that brings the measured penalty/data ratio to about 0.3 (at most 0.1). */
function factorFor(ctx: FixContext): number {
  const ratio = measured(ctx.results.get('loss/regularization'), 'ratio');
  if (!(ratio > 0) || !Number.isFinite(ratio)) return 0.01;
  return Math.min(0.1, 10 ** Math.round(Math.log10(0.3 / ratio)));
}

export const regularizationLower = {
  id: 'regularization-lower',
  title: 'Weaken the weight regularization',
  family: 'regularization',
  addresses: ['loss/regularization'],
  applies,
  params: (ctx) => ({ factor: factorFor(ctx) }),
  apply(topology, params) {
    const edits: (ConfigEdit | null)[] = regularized(topology).map((r) =>
      setField(topology, r.layer, r.field, scaled(r.value, Number(params.factor))),
    );
    return { changes: { edits: kept(edits), reinitialized: [] } };
  },
  describe: (_changes, params) => `weight penalties × ${fmt(Number(params.factor))}`,
} as const satisfies Fix;

export const regularizationRemove = {
  id: 'regularization-remove',
  title: 'Remove the weight regularization',
  family: 'regularization',
  addresses: ['loss/regularization'],
  applies,
  params: () => ({}),
  apply(topology) {
    const edits = regularized(topology).map((r) => setField(topology, r.layer, r.field, null));
    return { changes: { edits: kept(edits), reinitialized: [] } };
  },
  describe: (changes) =>
    `${changes.edits.length} weight penalt${changes.edits.length === 1 ? 'y' : 'ies'} removed`,
} as const satisfies Fix;
