// Leaky ReLU: a unit whose input is negative still passes a small gradient, so it can come back
// to life; dead ReLUs pass none.
import { insertAfter, type Json, layerName, setField } from '../topology.ts';
import type { Fix } from '../types.ts';
import { kept, kernelLayers } from './shared.ts';

/** Keras' LeakyReLU default slope is 0.3; 0.1 keeps the units closer to ReLU. */
const SLOPE = 0.1;

const ownRelu = (topology: Json) => kernelLayers(topology).filter((l) => l.config.activation === 'relu');

export const leakyRelu = {
  id: 'leaky-relu',
  title: 'Replace ReLU with leaky ReLU',
  family: 'activation',
  addresses: ['activations/dead-relu'],
  applies: (ctx) => (ownRelu(ctx.topology).length ? null : 'no layer with activation relu'),
  params: () => ({ alpha: SLOPE }),
  apply(topology, params) {
    const edits = [];
    for (const layer of ownRelu(topology)) {
      const name = layerName(layer);
      const insert = insertAfter(
        topology,
        name,
        'LeakyReLU',
        { alpha: Number(params.alpha) },
        `${name}_leaky`,
      );
      if (!insert) continue; // a shared layer: left as it is
      edits.push(setField(topology, name, 'activation', 'linear'), insert);
    }
    return { changes: { edits: kept(edits), reinitialized: [] } };
  },
  describe: (changes, params) =>
    `leaky ReLU (slope ${params.alpha}) in ${changes.edits.filter((e) => e.kind === 'insert').length} layer(s)`,
} as const satisfies Fix;
