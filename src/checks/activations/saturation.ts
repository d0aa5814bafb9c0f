import { pct } from '../../checks/helpers.ts';
import { firstSentence } from '../../core/causes.ts';
import { defineCheck } from '../../core/check.ts';
import type { ActivationStats, ModelEvidence } from '../../core/evidence.ts';
import { NEXT_PROBE } from '../../core/live.ts';
import { normalizeActivation } from '../../core/names.ts';
import { fractionAt, frozenLayers, frozenNote, type Snapshots, worstByLayer } from './worst-layer.ts';

const SATURATING = new Set(['tanh', 'sigmoid', 'hardsigmoid', 'softsign']);

/** Name of the model's output layer (last layer), when the model is known. */
function outputLayer(model: ModelEvidence | undefined): string | null {
  if (!model || model.layers.length === 0) return null;
  return model.layers.reduce((a, b) => (b.depth > a.depth ? b : a)).name;
}

export default defineCheck({
  id: 'activations/saturation',
  section: 'activations',
  title: 'tanh/sigmoid units are not saturated',
  why: 'A saturated tanh/sigmoid unit sits on the flat part of its curve: its derivative is ~0, so it passes almost no gradient and stops learning.',
  needs: ['training'],
  uses: ['model', 'checkpoint'],
  plot: { id: 'activations', lines: { saturatedWarn: 'warnFraction' } },
  reasons: ['not-logged', 'no-saturating-layers', 'frozen-only'],
  // Among causes (core/diagnosis.ts): saturated units pass no gradient
  causeRank: 90,
  live: NEXT_PROBE,
  thresholds: {
    warnFraction: {
      value: 0.1,
      meaning: "warn when more than this fraction of a layer's activations (units × records) are saturated",
      source: 'checklist',
    },
    failFraction: {
      value: 0.5,
      meaning: "fail when more than this fraction of a layer's activations (units × records) are saturated",
      source: 'SageMaker Debugger SaturatedActivation (50%); TheDeepChecker',
    },
  },
  evaluate({ training, model, checkpoint }, t) {
    if (!training.activations) return { status: 'skip', measured: {}, reason: 'not-logged' };
    const snapshots: Snapshots = {
      ...training.activations,
      ...(checkpoint?.activations.length ? { checkpoint: checkpoint.activations } : {}),
    };
    const saturated = (stats: { fractionSaturated: number }) => stats.fractionSaturated;
    // A saturated output unit at the end of training is just a confident prediction: judge the
    // output layer on the start snapshot only.
    const output = outputLayer(model);
    const saturating = (stats: ActivationStats) => SATURATING.has(normalizeActivation(stats.activation));
    // Frozen layers do not train: what they saturate is a note on the part the user keeps.
    const frozen = frozenLayers(model);
    const note = frozenNote(snapshots, frozen, saturating, saturated) ?? {};
    const found = worstByLayer(
      snapshots,
      (stats, snapshot) =>
        saturating(stats) && !frozen.has(stats.layer) && !(snapshot !== 'start' && stats.layer === output),
      (stats) => stats.fractionSaturated,
    );
    if (!found) {
      return Object.keys(note).length
        ? { status: 'pass', measured: note, reason: 'frozen-only' }
        : { status: 'skip', measured: {}, reason: 'no-saturating-layers' };
    }
    const { layers, top } = found;
    const histogramValues = top.stats.histogramValues;
    const measured = {
      ...(histogramValues !== undefined ? { estimated: true, histogramValues } : {}),
      worstLayer: top.layer,
      worstFraction: top.fraction,
      worstSnapshot: top.snapshot,
      startFraction: fractionAt(snapshots, 'start', top.layer, saturated),
      endFraction: fractionAt(snapshots, 'end', top.layer, saturated),
      activation: top.stats.activation,
      layers: layers.map((l) => l.layer).join(','),
      fractions: layers.map((l) => l.fraction),
      ...note,
    };
    if (top.fraction > t.failFraction) return { status: 'fail', measured };
    if (top.fraction > t.warnFraction) return { status: 'warn', measured };
    return { status: 'pass', measured };
  },
  explain({ status, measured, reason }, _evidence, t) {
    if (reason === 'not-logged') {
      return {
        summary:
          'No activation statistics were recorded; log per-layer activations (histograms of layer outputs) to judge saturation.',
        remedy: null,
      };
    }
    if (reason === 'no-saturating-layers')
      return { summary: 'The model has no tanh/sigmoid hidden layers to judge.', remedy: null };
    const frozenWords =
      measured.frozenLayer === undefined
        ? undefined
        : `Frozen layers are not judged (training does not change them): the worst, ${measured.frozenLayer}, has ${pct(Number(measured.frozenFraction))} of its activations saturated.`;
    if (reason === 'frozen-only')
      return {
        summary: `The only tanh/sigmoid hidden layers are frozen (${measured.frozenLayers}), and frozen layers are not judged.`,
        remedy: null,
        details: frozenWords,
      };
    const where =
      measured.worstSnapshot === 'checkpoint'
        ? 'in your trained checkpoint'
        : `at the ${measured.worstSnapshot} of the run`;
    const estimate = measured.estimated
      ? `An estimated ${pct(Number(measured.worstFraction))} (from a logged histogram of ${Number(measured.histogramValues).toLocaleString('en-US')} values)`
      : pct(Number(measured.worstFraction));
    const summary = `${estimate} of the activations of ${measured.worstLayer} (${measured.activation}) are saturated (derivative < 1% of its maximum) ${where} (warn > ${pct(t.warnFraction)}, fail > ${pct(t.failFraction)}).`;
    if (status === 'pass') return { summary, remedy: null, details: frozenWords };
    return {
      summary,
      remedy:
        measured.worstSnapshot === 'checkpoint'
          ? `Keep the pre-activations of ${measured.worstLayer} small when you retrain: normalize the inputs (zero mean, unit variance), add batchNormalization before the ${measured.activation}, or lower the learning rate; for hidden layers, ReLU avoids saturation altogether.`
          : `Keep the pre-activations of ${measured.worstLayer} small: normalize the inputs (zero mean, unit variance), initialize with glorotUniform/glorotNormal, add batchNormalization before the ${measured.activation}, or lower the learning rate; for hidden layers, ReLU avoids saturation altogether.`,
      details:
        measured.worstSnapshot === 'start'
          ? 'Units are saturated before training: the initialization or input scale is the cause.'
          : measured.worstSnapshot === 'checkpoint'
            ? 'Units are saturated in your trained checkpoint: they saturated while it was trained (the learning rate or weight growth), so retrain with the changes above rather than training on.'
            : 'Units became saturated during training: the learning rate or weight growth is the likely cause.',
    };
  },
  causes: {
    effects: [
      'other/gradient-flow',
      'loss/learning-rate',
      'inputs/overfit-small',
      'inputs/standard-corpus',
      'inputs/label-signal',
      'loss/steep-drop',
      'model/init-deep',
      'model/simplify',
    ],
    generic: (c) => `saturated units pass almost no gradient (${firstSentence(c.summary)})`,
  },
});
