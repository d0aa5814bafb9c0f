// Initialization fixes: re-initialize the kernels with the fan-based scale their activation needs
// (He for rectifiers, Glorot otherwise), or give ReLU units a small positive bias so that they
// start alive.
import type { ConfigEdit } from '../../core/remedies.ts';
import { effectiveActivation, layerName, setField } from '../topology.ts';
import type { Fix } from '../types.ts';
import {
  constant,
  fanInitializer,
  GLOROT_UNIFORM,
  kept,
  kernelLayers,
  measured,
  ORTHOGONAL,
  RECURRENT,
  reluLayers,
  ZEROS,
} from './shared.ts';

export const reinitFan = {
  id: 'reinit-fan',
  title: 'Re-initialize the weights with He/Glorot',
  family: 'initialization',
  addresses: [
    'model/init-shallow',
    'model/init-deep',
    'other/gradient-flow',
    'other/weight-variance',
    'activations/saturation',
    'activations/dead-relu',
    'loss/initial-loss',
  ],
  applies: (ctx) => (kernelLayers(ctx.topology).length ? null : 'the model has no trainable kernel'),
  suits: (finding) =>
    // Units that died during training are not an initialization problem.
    finding.id !== 'activations/dead-relu' || finding.measured.worstSnapshot !== 'end',
  params: () => ({}),
  apply(topology) {
    const edits: (ConfigEdit | null)[] = [];
    const reinitialized: string[] = [];
    for (const layer of kernelLayers(topology)) {
      const name = layerName(layer);
      if (RECURRENT.has(layer.class_name)) {
        edits.push(setField(topology, name, 'kernel_initializer', GLOROT_UNIFORM));
        if ('recurrent_initializer' in layer.config)
          edits.push(setField(topology, name, 'recurrent_initializer', ORTHOGONAL));
      } else {
        const init = fanInitializer(effectiveActivation(topology, name));
        for (const field of ['kernel_initializer', 'depthwise_initializer', 'pointwise_initializer'])
          if (field in layer.config) edits.push(setField(topology, name, field, init));
      }
      if (layer.config.use_bias !== false && 'bias_initializer' in layer.config)
        edits.push(setField(topology, name, 'bias_initializer', ZEROS));
      reinitialized.push(name);
    }
    return { changes: { edits: kept(edits), reinitialized } };
  },
  describe: (changes) =>
    `fresh He/Glorot weights in ${changes.reinitialized.length} layer${changes.reinitialized.length === 1 ? '' : 's'} (${changes.reinitialized.slice(0, 4).join(', ')}${changes.reinitialized.length > 4 ? ', …' : ''})`,
} as const satisfies Fix;

/** Small enough to change nothing for live units, large enough to keep a unit positive at the start. */
const ALIVE_BIAS = 0.01;

export const biasSmallPositive = {
  id: 'bias-small-positive',
  title: 'Start ReLU biases at 0.01',
  family: 'initialization',
  addresses: ['activations/dead-relu'],
  applies: (ctx) =>
    reluLayers(ctx.topology).some((l) => l.config.use_bias !== false) ? null : 'no ReLU layer with a bias',
  // For units dead from the start (a bias or an initialization that leaves them negative).
  suits: (finding) => finding.measured.worstSnapshot === 'start' || measured(finding, 'startFraction') >= 0.2,
  params: () => ({ bias: ALIVE_BIAS }),
  apply(topology, params) {
    const edits: (ConfigEdit | null)[] = [];
    const reinitialized: string[] = [];
    for (const layer of reluLayers(topology)) {
      if (layer.config.use_bias === false) continue;
      const name = layerName(layer);
      edits.push(setField(topology, name, 'bias_initializer', constant(Number(params.bias))));
      reinitialized.push(`${name} (bias)`);
    }
    return { changes: { edits: kept(edits), reinitialized } };
  },
  describe: (changes, params) =>
    `biases of ${changes.reinitialized.length} ReLU layer${changes.reinitialized.length === 1 ? '' : 's'} start at ${params.bias}`,
} as const satisfies Fix;
