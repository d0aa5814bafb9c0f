// Batch normalization before each hidden activation (Dense → BatchNormalization → activation):
// pre-activations are re-centred and re-scaled every step, so units neither saturate nor vanish
// with depth whatever the weights' scale.
import { normalizeActivation } from '../../core/names.ts';
import { consumers, insertAfter, type Json, layerName, outputChain, setField } from '../topology.ts';
import type { Fix } from '../types.ts';
import { kept, kernelLayers, RECURRENT } from './shared.ts';

/** Hidden kernel layers with a nonlinearity of their own and no batch norm right after. */
function hiddenActivated(topology: Json) {
  const output = new Set(outputChain(topology).map(layerName));
  return kernelLayers(topology).filter((l) => {
    if (RECURRENT.has(l.class_name) || output.has(layerName(l))) return false;
    const act = normalizeActivation(String(l.config.activation ?? 'linear'));
    if (act === 'linear' || act === 'softmax') return false;
    return !consumers(topology, layerName(l)).some((c) => c.class_name === 'BatchNormalization');
  });
}

export const batchNorm = {
  id: 'batch-norm',
  title: 'Add batch normalization before the hidden activations',
  family: 'normalization',
  addresses: ['activations/saturation', 'model/init-deep', 'other/gradient-flow', 'activations/dead-relu'],
  applies: (ctx) =>
    ctx.model?.hasBatchNorm
      ? 'the model already has batch normalization'
      : hiddenActivated(ctx.topology).length
        ? null
        : 'no hidden layer with an activation to normalize',
  params: () => ({}),
  apply(topology) {
    const edits = [];
    const reinitialized: string[] = [];
    for (const layer of hiddenActivated(topology)) {
      const name = layerName(layer);
      const activation = String(layer.config.activation);
      const bn = insertAfter(topology, name, 'BatchNormalization', {}, `${name}_bn`);
      if (bn?.kind !== 'insert') continue;
      const act = insertAfter(topology, bn.layer, 'Activation', { activation }, `${name}_${activation}`);
      edits.push(setField(topology, name, 'activation', 'linear'), bn, act);
      reinitialized.push(bn.layer);
    }
    return { changes: { edits: kept(edits), reinitialized } };
  },
  describe: (changes) =>
    `batch normalization before the activation of ${changes.reinitialized.length} layer${changes.reinitialized.length === 1 ? '' : 's'}`,
} as const satisfies Fix;
