// Helpers shared by the catalogue's fixes: standard initializers as model.json writes them, the
// activation families they suit, and the layers a fix walks.
import type { CheckId } from '../../core/check.ts';
import { normalizeActivation } from '../../core/names.ts';
import type { ConfigEdit, JsonValue } from '../../core/remedies.ts';
import type { CheckResult } from '../../core/report.ts';
import {
  effectiveActivation,
  hasKernel,
  type Json,
  type LayerEntry,
  layerList,
  layerName,
} from '../topology.ts';
import type { FixContext } from '../types.ts';

/** `seed: null`: the clone builder seeds every unseeded initializer, so fresh weights are reproducible. */
export const HE_NORMAL: Json = {
  class_name: 'VarianceScaling',
  config: { scale: 2, mode: 'fan_in', distribution: 'normal', seed: null },
};
export const GLOROT_UNIFORM: Json = {
  class_name: 'VarianceScaling',
  config: { scale: 1, mode: 'fan_avg', distribution: 'uniform', seed: null },
};
export const LECUN_NORMAL: Json = {
  class_name: 'VarianceScaling',
  config: { scale: 1, mode: 'fan_in', distribution: 'normal', seed: null },
};
export const ORTHOGONAL: Json = { class_name: 'Orthogonal', config: { gain: 1, seed: null } };
export const ZEROS: Json = { class_name: 'Zeros', config: {} };
export const constant = (value: number): Json => ({ class_name: 'Constant', config: { value } });

/** Activations He initialization is derived for (rectifier-like: half the inputs pass). */
const RELU_FAMILY = new Set([
  'relu',
  'relu6',
  'leakyrelu',
  'prelu',
  'elu',
  'gelu',
  'gelunew',
  'swish',
  'mish',
]);

export function isReluFamily(activation: string): boolean {
  return RELU_FAMILY.has(normalizeActivation(activation));
}

/** The fan-based initializer for a layer feeding `activation`: He for rectifiers, LeCun for selu, Glorot otherwise. */
export function fanInitializer(activation: string): Json {
  const a = normalizeActivation(activation);
  if (a === 'selu') return LECUN_NORMAL;
  return isReluFamily(a) ? HE_NORMAL : GLOROT_UNIFORM;
}

/** Recurrent layers: their kernels keep Glorot and their recurrent kernels orthogonal (the Keras defaults). */
export const RECURRENT = new Set(['SimpleRNN', 'LSTM', 'GRU', 'ConvLSTM2D']);

/** Trainable top-level layers with a fan-based kernel, input side first. */
export function kernelLayers(topology: Json): LayerEntry[] {
  return layerList(topology).filter(
    (l) => (hasKernel(l) || RECURRENT.has(l.class_name)) && l.config.trainable !== false,
  );
}

/** Kernel layers whose output goes through a ReLU-family activation (their own or the next layer's). */
export function reluLayers(topology: Json): LayerEntry[] {
  return kernelLayers(topology).filter(
    (l) => !RECURRENT.has(l.class_name) && isReluFamily(effectiveActivation(topology, layerName(l))),
  );
}

export const num = (v: JsonValue | undefined): number => (typeof v === 'number' ? v : Number.NaN);

/** A measured number of a check result, NaN when absent. */
export function measured(result: CheckResult | undefined, key: string): number {
  const v = result?.measured[key];
  return typeof v === 'number' ? v : Number.NaN;
}

export function failingOrWarning(ctx: FixContext, id: CheckId): CheckResult | undefined {
  const r = ctx.results.get(id);
  return r && (r.status === 'fail' || r.status === 'warn') ? r : undefined;
}

/** Rounds to 2 significant digits (parameters read better, and do not pretend more precision). */
export function round2(x: number): number {
  return Number(x.toPrecision(2));
}

/** The edits that changed something (setField returns null for a value already in place). */
export function kept(edits: (ConfigEdit | null)[]): ConfigEdit[] {
  return edits.filter((e): e is ConfigEdit => e !== null);
}
