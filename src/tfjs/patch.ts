// Builds a fixed clone: the catalogue fixes (remedies/catalogue) applied in order to a copy of a
// model's topology and training setup, the model built from the edited topology with the
// original's weights wherever a fix did not ask for fresh ones, and the data transforms fitted on
// the training records. The model it starts from is only read.
import * as tf from '@tensorflow/tfjs';
import { normalizeLossName } from '../core/names.ts';
import type { AppliedFix, FixChanges } from '../core/remedies.ts';
import { fixById } from '../remedies/catalogue/index.ts';
import type { Json } from '../remedies/topology.ts';
import {
  fitInputStandardizer,
  fitTargetStandardizer,
  oversamplePool,
  standardize,
} from '../remedies/transforms.ts';
import type { Fix, Params, Setup } from '../remedies/types.ts';
import { seedInitializers } from './clone.ts';
import type { TrainingData } from './trainer.ts';

/** A fix to apply: from the catalogue with parameters, or one applied before (its data transforms reused). */
export type FixStep = { fix: Fix; params: Params } | AppliedFix;

export interface FixedSetup {
  model: tf.LayersModel;
  setup: Setup;
  /** The loss to compile with (TF.js name). */
  loss: string;
  clipNorm?: number;
  data: TrainingData;
  pool: Int32Array;
  applied: AppliedFix[];
  /** The last target standardization (predictions are mapped back through it), else null. */
  targets: FixChanges['targets'] | null;
}

export interface FixBase {
  model: tf.LayersModel;
  setup: Setup;
  /** The loss as configured (name or function); kept unless a fix changes it. */
  loss: string | ((yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor);
  data: TrainingData;
  pool: Int32Array;
}

/** `categorical_crossentropy` → `categoricalCrossentropy` (TF.js compile names). */
export function tfjsLossName(loss: string): string {
  return normalizeLossName(loss).replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

function resolve(step: FixStep): { fix: Fix; params: Params; previous: AppliedFix | null } {
  if ('fix' in step) return { fix: step.fix, params: step.params, previous: null };
  const fix = fixById(step.id);
  if (!fix) throw new Error(`unknown fix '${step.id}'`);
  return { fix, params: step.params, previous: step };
}

/** A step with what it changed in the topology and setup, and the data transforms it asks for. */
interface ResolvedStep {
  fix: Fix;
  params: Params;
  previous: AppliedFix | null;
  changes: FixChanges;
  fit: string[];
}

/** The fixed model alone (no data): what `--fix DIR` writes. */
export interface PatchedModel {
  model: tf.LayersModel;
  setup: Setup;
  /** The loss to compile with (TF.js name), when a fix changed it. */
  loss: string | null;
  clipNorm?: number;
}

/**
 * Applies the model and training-setup part of `steps` to a copy of `model`'s topology and builds
 * the fixed model: the original's weights except where a fix re-initializes, fresh weights drawn
 * from initializers seeded from `initSeed`. The caller disposes `model`.
 */
export async function buildPatchedModel(
  source: tf.LayersModel,
  baseSetup: Setup,
  steps: FixStep[],
  initSeed: number,
): Promise<PatchedModel & { resolved: ResolvedStep[] }> {
  const topology = source.toJSON(null, false) as unknown as Json;
  let setup: Setup = { ...baseSetup };
  let clipNorm: number | undefined;
  let loss: string | null = null;
  const fresh = new Set<string>();
  const resolved: ResolvedStep[] = [];
  for (const step of steps) {
    const { fix, params, previous } = resolve(step);
    const { changes, fit = [] } = fix.apply(topology, params, setup);
    for (const name of changes.reinitialized) fresh.add(name);
    if (changes.learningRate) setup = { ...setup, learningRate: changes.learningRate.to };
    if (changes.loss) {
      setup = { ...setup, loss: changes.loss.to };
      loss = tfjsLossName(changes.loss.to);
    }
    if (changes.classWeights) setup = { ...setup, classWeights: changes.classWeights };
    if (changes.clipNorm !== undefined) clipNorm = changes.clipNorm;
    resolved.push({ fix, params, previous, changes, fit: fit as string[] });
  }
  let next = initSeed % 2147483647;
  seedInitializers(topology, () => next++);
  const model = await tf.models.modelFromJSON({ modelTopology: topology } as tf.io.ModelJSON as never);
  copyWeights(source, model, fresh);
  return { model, setup, loss, clipNorm, resolved };
}

/**
 * Applies `steps` to `base` and builds the fixed model; fresh weights (where a fix re-initializes)
 * are drawn from initializers seeded from `initSeed`. The caller disposes `model`.
 */
export async function buildFixedSetup(
  base: FixBase,
  steps: FixStep[],
  initSeed: number,
): Promise<FixedSetup> {
  const patched = await buildPatchedModel(base.model, base.setup, steps, initSeed);
  let data = base.data;
  let pool = base.pool;
  let targets: FixChanges['targets'] | null = null;
  const applied: AppliedFix[] = [];
  for (const { fix, params, previous, changes, fit } of patched.resolved) {
    if (fit.includes('inputs')) {
      changes.inputs = previous?.changes.inputs ?? fitInputStandardizer(data.x, data.featureShape, pool);
      data = { ...data, x: standardize(data.x, changes.inputs) };
    }
    if (fit.includes('targets')) {
      const width = data.targetShape.reduce((a, b) => a * b, 1);
      changes.targets = previous?.changes.targets ?? fitTargetStandardizer(data.targets, width, pool);
      data = { ...data, targets: standardize(data.targets, changes.targets) };
      targets = changes.targets;
    }
    if (fit.includes('oversample') && data.classIds) {
      const classes = Math.max(2, ...Array.from(data.classIds, (c) => c + 1));
      const over = oversamplePool(pool, data.classIds, classes, initSeed);
      pool = over.pool;
      changes.oversampledCounts = previous?.changes.oversampledCounts ?? over.counts;
    }
    applied.push({ id: fix.id, params, changes });
  }
  return {
    model: patched.model,
    setup: patched.setup,
    loss: patched.loss ?? (typeof base.loss === 'string' ? base.loss : tfjsLossName(base.setup.loss)),
    clipNorm: patched.clipNorm,
    data,
    pool,
    applied,
    targets,
  };
}

/**
 * The original's weights into the fixed model, layer by layer (by name, shapes checked), except
 * layers the fixes re-initialize (`name`, or `name (bias)` for its biases only) and new layers.
 * Frozen layers always keep theirs.
 */
function copyWeights(from: tf.LayersModel, to: tf.LayersModel, fresh: ReadonlySet<string>): void {
  const source = new Map(from.layers.map((l) => [l.name, l]));
  for (const layer of to.layers) {
    const old = source.get(layer.name);
    if (!old || !layer.weights.length) continue;
    const frozen = !old.trainable;
    if (fresh.has(layer.name) && !frozen) continue;
    const keepBias = !fresh.has(`${layer.name} (bias)`) || frozen;
    const oldWeights = old.getWeights();
    const newWeights = layer.getWeights();
    if (oldWeights.length !== newWeights.length) continue;
    const values = newWeights.map((w, i) => {
      const isBias = /(^|\/)bias(_\d+)?(:\d+)?$/.test(layer.weights[i].originalName);
      const same = w.shape.join() === oldWeights[i].shape.join();
      return same && (keepBias || !isBias) ? oldWeights[i] : w;
    });
    // (getWeights returns the variables' own tensors: nothing here is to be disposed.)
    layer.setWeights(values);
  }
}
