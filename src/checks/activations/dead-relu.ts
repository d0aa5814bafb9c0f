import { pct } from '../../checks/helpers.ts';
import { firstSentence, pct0, num as toNumber } from '../../core/causes.ts';
import { defineCheck } from '../../core/check.ts';
import { NEXT_PROBE } from '../../core/live.ts';
import { normalizeActivation } from '../../core/names.ts';
import { minOf } from '../../shared/array.ts';
import type UpdateRatio from '../other/update-ratio.ts';
import { fractionAt, type Snapshots, worstByLayer } from './worst-layer.ts';

// Leaky ReLU, ELU, SELU, GELU and swish pass gradient for negative inputs: their units cannot die.
const RELU = new Set(['relu', 'relu6']);

export default defineCheck({
  id: 'activations/dead-relu',
  section: 'activations',
  title: 'ReLU units are alive',
  why: 'A ReLU unit that is never positive outputs 0 and gets 0 gradient for every record: it is dead, and no update can revive it.',
  needs: ['training'],
  uses: ['checkpoint'],
  plot: { id: 'activations', lines: { deadFail: 'failFraction', deadWarn: 'warnFraction' } },
  reasons: ['not-logged', 'no-relu-layers', 'few-records'],
  // Among causes (core/diagnosis.ts): dead units pass no gradient
  causeRank: 100,
  live: NEXT_PROBE,
  thresholds: {
    warnFraction: {
      value: 0.2,
      meaning: "warn when more than this fraction of a layer's units are dead",
      source: 'checklist',
    },
    failFraction: {
      value: 0.5,
      meaning: "fail when more than this fraction of a layer's units are dead",
      source: 'SageMaker Debugger DeadRelu (50%)',
    },
    minRecords: {
      value: 256,
      meaning:
        'a unit counts as dead only if never positive on at least this many records; fewer caps the verdict at warn',
      source: 'checklist (batch of ≥ 256 records)',
    },
  },
  evaluate({ training, checkpoint }, t) {
    if (!training.activations) return { status: 'skip', measured: {}, reason: 'not-logged' };
    const snapshots: Snapshots = {
      ...training.activations,
      ...(checkpoint?.activations.length ? { checkpoint: checkpoint.activations } : {}),
    };
    const dead = (stats: { fractionDead: number }) => stats.fractionDead;
    const found = worstByLayer(
      snapshots,
      (stats) => RELU.has(normalizeActivation(stats.activation)),
      (stats) => stats.fractionDead,
    );
    if (!found) return { status: 'skip', measured: {}, reason: 'no-relu-layers' };
    const { layers, top } = found;
    const records = minOf(layers.map((l) => l.stats.records));
    // From a histogram the fraction is inferred, not observed per unit (histogram-stats.ts).
    const histogramValues = top.stats.histogramValues;
    const fewRecords = records < t.minRecords;
    const measured = {
      ...(histogramValues !== undefined ? { estimated: true, histogramValues } : {}),
      worstLayer: top.layer,
      worstFraction: top.fraction,
      worstSnapshot: top.snapshot,
      // The worst layer at the start and the end of the run: units that die during training.
      startFraction: fractionAt(snapshots, 'start', top.layer, dead),
      endFraction: fractionAt(snapshots, 'end', top.layer, dead),
      records,
      layers: layers.map((l) => l.layer).join(','),
      fractions: layers.map((l) => l.fraction),
    };
    if (top.fraction > t.failFraction) {
      return fewRecords ? { status: 'warn', measured, reason: 'few-records' } : { status: 'fail', measured };
    }
    if (top.fraction > t.warnFraction) return { status: 'warn', measured };
    return { status: 'pass', measured };
  },
  explain({ status, measured, reason }, _evidence, t) {
    if (reason === 'not-logged') {
      return {
        summary:
          'No activation statistics were recorded; log per-layer activations (histograms of layer outputs) to judge dead ReLUs.',
        remedy: null,
      };
    }
    if (reason === 'no-relu-layers')
      return { summary: 'The model has no ReLU layers to judge.', remedy: null };
    const records = Number(measured.records);
    const where =
      measured.worstSnapshot === 'checkpoint'
        ? 'in your trained checkpoint'
        : `at the ${measured.worstSnapshot} of the run`;
    const course =
      measured.worstSnapshot === 'end' && measured.startFraction !== null
        ? ` (${pct(Number(measured.startFraction))} at the start)`
        : '';
    const summary = measured.estimated
      ? `An estimated ${pct(Number(measured.worstFraction))} of the units of ${measured.worstLayer} are dead ${where}, inferred from a logged histogram of ${Number(measured.histogramValues).toLocaleString('en-US')} output values (a histogram counts values, not units) (warn > ${pct(t.warnFraction)}, fail > ${pct(t.failFraction)}).`
      : `${pct(Number(measured.worstFraction))} of the units of ${measured.worstLayer} are dead (never positive on ${records} records) ${where}${course} (warn > ${pct(t.warnFraction)}, fail > ${pct(t.failFraction)}).`;
    const details = measured.estimated
      ? 'Estimated from the share of logged values at or below zero: a live ReLU unit is zero on part of the records too, so the share is converted to a unit fraction (tensorboard/histogram-stats.ts); log per-unit activation statistics to measure it exactly.'
      : records < t.minRecords
        ? `Measured on only ${records} records (fewer than ${t.minRecords}): some units may look dead only because the batch is small, so the verdict is capped at warn.`
        : undefined;
    if (status === 'pass') return { summary, remedy: null, details };
    return {
      summary,
      remedy:
        measured.worstSnapshot === 'start'
          ? `Units of ${measured.worstLayer} are dead from the start: initialize with heNormal and zero (or small positive) biases, normalize the inputs, or use leakyReLU/ELU.`
          : measured.worstSnapshot === 'checkpoint'
            ? `Units of ${measured.worstLayer} died while your checkpoint was trained: retrain with a lower learning rate, batchNormalization before the ReLU, or leakyReLU/ELU (dead units get no gradient, so training on does not revive them).`
            : `Units of ${measured.worstLayer} died during training: lower the learning rate, add batchNormalization before the ReLU, or switch to leakyReLU/ELU.`,
      details,
    };
  },
  causes: {
    effects: [
      'other/gradient-flow',
      'loss/learning-rate',
      'inputs/overfit-small',
      'inputs/standard-corpus',
      'inputs/label-signal',
      'other/update-ratio',
      'model/simplify',
    ],
    // Dead units get no gradient, so their weights do not move: "raise the LR" is not the fix.
    measured: (link) => [
      link<typeof UpdateRatio>('other/update-ratio', (c, e) =>
        toNumber(c.measured.worstFraction) > (c.thresholds.warnFraction ?? 1) &&
        toNumber(e.measured.minMedian) < (e.thresholds.failBelow ?? Number.NEGATIVE_INFINITY)
          ? `${pct0(c.measured.worstFraction)} of the units of ${String(c.measured.worstLayer)} are dead: they get no gradient, so their weights do not move`
          : null,
      ),
    ],
    generic: (c) => `dead units pass no gradient (${firstSentence(c.summary)})`,
  },
});
