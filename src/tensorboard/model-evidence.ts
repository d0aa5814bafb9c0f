// Weight histograms → ModelEvidence: per-layer kernel and bias statistics at the first logged
// step, layer list, parameter count. What histograms cannot tell stays unknown: the initializer
// (so no expected std), the architecture family, whether the weights were freshly initialized.
import type { BiasStats, KernelStats, LayerInfo, ModelEvidence } from '../core/evidence.ts';
import { minOf } from '../shared/array.ts';
import { meanVariance } from './histogram.ts';
import { firstMoments, firstStep, type LayerTable, NORM_LIKE } from './layers.ts';
import type { ParamKind } from './tags.ts';

function layerClass(layer: string, kinds: Set<ParamKind>, norm: boolean): string {
  const n = layer.toLowerCase();
  if (norm || /batch_?norm|batch_normalization|(^|[._/])bn\d*$/.test(n)) return 'BatchNormalization';
  if (/layer_?norm|(^|[._/])ln\d*$/.test(n)) return 'LayerNormalization';
  if (/embed/.test(n)) return 'Embedding';
  if (/lstm/.test(n)) return 'LSTM';
  if (/gru/.test(n)) return 'GRU';
  if (/conv/.test(n)) return 'Conv2D';
  if (kinds.has('kernel')) return 'Dense';
  return 'unknown';
}

/** The model as its weight histograms show it, or undefined when no kernel was logged. */
export function modelEvidence(
  table: LayerTable,
  name: string,
  activationOf: (layer: string) => string | null,
): ModelEvidence | undefined {
  const kernelLayers = table.withKernels();
  if (kernelLayers.length === 0) return undefined;
  const kernels: KernelStats[] = [];
  const biases: BiasStats[] = [];
  const layers: LayerInfo[] = [];
  let params = 0;
  for (const layer of table.order) {
    const ps = table.of(layer).filter((d) => d.value);
    if (ps.length === 0) continue;
    const { fanOut: layerFanOut } = table.fans(layer);
    let layerParams = 0;
    for (const d of ps) {
      const m = firstMoments(d.value as NonNullable<typeof d.value>);
      layerParams += m.num;
      const { mean, variance } = meanVariance(m);
      if (d.param.kind === 'kernel') {
        const { fanIn, fanOut } = table.fansOf(layer, d);
        const std = Math.sqrt(variance);
        kernels.push({
          layer,
          weight: d.param.weight,
          depth: kernelLayers.indexOf(layer),
          shape: fanIn > 0 ? [fanIn, fanOut] : [m.num],
          fanIn,
          fanOut,
          mean,
          std,
          variance,
          initializer: null,
          expectedStd: null,
          // All values equal: every unit has the same incoming weights.
          identicalUnits: m.num > 1 && std === 0,
        });
      } else if (d.param.kind === 'bias') {
        biases.push({ layer, weight: d.param.weight, mean, min: m.min, max: m.max });
      }
    }
    params += layerParams;
    const names = ps.map((d) => d.param.weight).join(' ');
    const norm =
      ps.some((d) => d.param.kind === 'other' && NORM_LIKE.test(layer)) ||
      /gamma|beta|moving_|running_/i.test(names);
    layers.push({
      name: layer,
      className: layerClass(layer, new Set(ps.map((d) => d.param.kind)), norm),
      activation: activationOf(layer),
      outputShape: layerFanOut > 0 ? [null, layerFanOut] : [],
      params: layerParams,
      trainable: true,
      depth: layers.length,
    });
  }
  const steps = table
    .withKernels()
    .flatMap((l) =>
      table.of(l).flatMap((d) => (d.param.kind === 'kernel' && d.value ? [firstStep(d.value)] : [])),
    );
  return {
    name,
    loggedAtStep: steps.length ? minOf(steps) : 0,
    params,
    trainableParams: params,
    layers,
    hiddenLayers: Math.max(0, kernelLayers.length - 1),
    hasBatchNorm: layers.some((l) => l.className === 'BatchNormalization'),
    family: null,
    freshInit: false,
    kernels,
    biases,
    regularization: [],
  };
}
