// The output layer and the loss must fit: softmax under categorical cross-entropy, sigmoid under
// binary cross-entropy (TF.js losses take probabilities; Keras can take logits with
// `from_logits=True` instead), and a cross-entropy loss rather than squared error for classes.
import { normalizeActivation, normalizeLossName } from '../../core/names.ts';
import type { ConfigEdit, JsonValue } from '../../core/remedies.ts';
import { type Json, layerName, outputChain, setField } from '../topology.ts';
import type { Fix, FixContext } from '../types.ts';
import { kept } from './shared.ts';

const CATEGORICAL = new Set(['categorical_crossentropy', 'sparse_categorical_crossentropy']);
const SQUASHING = new Set(['softmax', 'sigmoid']);

/** The output activation the loss needs, or null when it needs none in particular. */
function wantedActivation(ctx: FixContext): string | null {
  const acts = ctx.task.outputActivations.map((a) => normalizeActivation(a));
  const loss = normalizeLossName(ctx.setup.loss);
  if (acts.at(-1) === 'softmax' && ctx.task.outputUnits === 1) return 'sigmoid';
  if (CATEGORICAL.has(loss)) return 'softmax';
  if (loss === 'binary_crossentropy') return 'sigmoid';
  return null;
}

/** The output chain's activation fields: the kernel layer's and any Activation layers after it. */
function activationLayers(topology: Json): { layer: string; kernel: boolean }[] | null {
  const chain = outputChain(topology);
  if (!chain.length) return null;
  const out: { layer: string; kernel: boolean }[] = [];
  for (const [i, l] of chain.entries()) {
    const kernel = i === chain.length - 1;
    if (kernel || l.class_name === 'Activation') out.push({ layer: layerName(l), kernel });
    else if (!['Dropout', 'Flatten', 'Reshape'].includes(l.class_name)) return null; // Softmax/ReLU layers
  }
  return out;
}

function outputEdits(topology: Json, want: string): ConfigEdit[] {
  const layers = activationLayers(topology) ?? [];
  return kept(layers.map((l) => setField(topology, l.layer, 'activation', l.kernel ? want : 'linear')));
}

export const outputActivation = {
  id: 'output-activation',
  title: 'Fix the output activation for the loss',
  family: 'output',
  addresses: ['loss/output-mismatch', 'loss/initial-loss'],
  applies(ctx) {
    const want = wantedActivation(ctx);
    if (!want) return 'the loss needs no particular output activation';
    if (!activationLayers(ctx.topology)) return 'the output layer could not be located in the topology';
    const copy = JSON.parse(JSON.stringify(ctx.topology)) as Json;
    return outputEdits(copy, want).length ? null : 'the output activation already fits the loss';
  },
  params: (ctx) => ({ activation: wantedActivation(ctx) }),
  apply: (topology, params) => ({
    changes: { edits: outputEdits(topology, String(params.activation)), reinitialized: [] },
  }),
  describe: (changes, params) =>
    `output activation ${changes.edits.map((e) => (e.kind === 'set' ? `${e.layer} ${String(e.from)}` : '')).join(', ')} → ${params.activation}`,
} as const satisfies Fix;

/** The cross-entropy for a squashing output trained with a regression loss, else null. */
function crossEntropyFor(ctx: FixContext): string | null {
  if (ctx.task.kind !== 'classification') return null;
  const loss = normalizeLossName(ctx.setup.loss);
  if (loss.includes('crossentropy') || loss.includes('hinge')) return null;
  const last = normalizeActivation(ctx.task.outputActivations.at(-1));
  if (!SQUASHING.has(last)) return null;
  return last === 'softmax' ? 'categorical_crossentropy' : 'binary_crossentropy';
}

export const lossCrossEntropy = {
  id: 'loss-cross-entropy',
  title: 'Train the classifier with cross-entropy',
  family: 'loss',
  addresses: ['loss/output-mismatch'],
  applies: (ctx) =>
    crossEntropyFor(ctx)
      ? null
      : 'the loss is already a classification loss, or the output is not softmax/sigmoid',
  params: (ctx) => ({ loss: crossEntropyFor(ctx) }),
  apply: (_topology, params, setup) => ({
    changes: {
      edits: [],
      reinitialized: [],
      loss: { from: setup.loss, to: String(params.loss as JsonValue) },
    },
  }),
  describe: (changes) => `loss ${changes.loss?.from} → ${changes.loss?.to}`,
} as const satisfies Fix;
