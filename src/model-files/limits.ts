// Size limits on a model file, checked before anything is read into memory or built by TF.js.
//
// A model.json of a few KB can describe a model TF.js would need gigabytes (or hours) to build:
// `units: 1e8`, a weight listed with dtype string and shape [1e8], a 2048-unit LSTM whose recurrent
// kernel TF.js initializes by a QR decomposition. nn-doctor bounds each of these from the file's
// own description — the manifest and the topology — and refuses (exit 2, one line naming the limit)
// before TF.js allocates anything. The limits are fixed and documented (README, `check --help`).
import type { Fail } from './common.ts';

export { fmtLimit } from './common.ts';

import { boundTopology, type TopologyBounds } from './topology-bounds.ts';

export interface ModelLimits {
  /** Parameters of the whole model (its weights as the topology builds them). */
  maxParams: number;
  /** Values one layer outputs per record (its activation size, without the batch dimension). */
  maxLayerOutput: number;
  /** Values of one orthogonal-initialized weight: a re-initialized clone orthonormalizes it (slow). */
  maxOrthogonal: number;
  /** Layers, nested models and wrappers counted; and how deep they may nest. */
  maxLayers: number;
  maxNesting: number;
  /** Bytes of all weight files a manifest lists together (model weights and optimizer state). */
  maxWeightBytes: number;
  /** Bytes of model.json itself. */
  maxModelJsonBytes: number;
}

export const MODEL_LIMITS: Readonly<ModelLimits> = {
  // 256 MiB of float32: ResNet-50 (25.6M) fits; VGG-16 (138M) does not. The checkup trains
  // clones with fresh optimizers, several times the weights in memory.
  maxParams: 2 ** 26,
  // 64 MiB of float32 per record: a 512×512×64 feature map; VGG-16's largest is 3.2M values.
  maxLayerOutput: 2 ** 24,
  // Loading never runs the initializer (weights given) and clones are built with zeros; only a
  // re-initialized clone orthonormalizes the matrix (src/tfjs/initializers.ts): measured 4 s for
  // an LSTM of 512 units, 29 s for 1,024 ([1024, 4096] = 2^22 values); each doubling costs ~8×.
  maxOrthogonal: 2 ** 22,
  maxLayers: 10_000,
  maxNesting: 32,
  // Model weights at the parameter limit, plus optimizer state (Adam: two more copies), with room.
  maxWeightBytes: 2 ** 30,
  maxModelJsonBytes: 64 * 2 ** 20,
};

/**
 * Checks a model topology (the `modelTopology` of a TF.js model.json, or a Keras model config in
 * the Keras 2 / TF.js form: `{class_name, config}`, optionally wrapped as `{model_config}`) against
 * the limits, without building anything. Throws `fail(...)` naming the layer and the limit when a
 * layer's parameters, its output per record, an orthogonal-initialized weight, the model's total
 * parameters, its layer count or nesting exceed them, or when the topology cannot be read (no input
 * shape, a layer class TF.js Layers does not have, malformed layer configs). Returns the bounds it
 * computed: total parameters and, per layer, its parameters and output values per record.
 */
export function checkTopologyLimits(
  topology: unknown,
  fail: Fail,
  limits: ModelLimits = MODEL_LIMITS,
): TopologyBounds {
  return boundTopology(topology, fail, limits);
}

export type { LayerBounds, TopologyBounds } from './topology-bounds.ts';
