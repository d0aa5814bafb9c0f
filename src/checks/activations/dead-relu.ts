import { fmt, pct } from '../../checks/helpers.ts';
import { firstSentence, pct0, num as toNumber } from '../../core/causes.ts';
import { defineCheck } from '../../core/check.ts';
import type { ActivationStats, CheckpointEvidence } from '../../core/evidence.ts';
import { NEXT_PROBE } from '../../core/live.ts';
import { normalizeActivation } from '../../core/names.ts';
import { minOf } from '../../shared/array.ts';
import type UpdateRatio from '../other/update-ratio.ts';
import {
  type FrozenNote,
  fractionAt,
  frozenLayers,
  frozenNote,
  type Snapshots,
  worstByLayer,
} from './worst-layer.ts';

// Leaky ReLU, ELU, SELU, GELU and swish pass gradient for negative inputs: their units cannot die.
const RELU = new Set(['relu', 'relu6']);

type Worst = NonNullable<ReturnType<typeof worstByLayer>>;
type Limits = { warnFraction: number; failFraction: number; minRecords: number };
const dead = (stats: { fractionDead: number }) => stats.fractionDead;

/** Its loss on the data is below this fraction of the chance loss: the checkpoint fits its data. */
function checkpointFits(checkpoint: CheckpointEvidence | undefined, below: number): boolean {
  if (!checkpoint || checkpoint.chanceLoss === null || !(checkpoint.chanceLoss > 0)) return false;
  return Number.isFinite(checkpoint.loss) && checkpoint.loss <= below * checkpoint.chanceLoss;
}

/** The verdict on the worst layer found: fail / warn / pass by its dead fraction. */
function verdictOf({ layers, top }: Worst, snapshots: Snapshots, t: Limits, note: FrozenNote) {
  const records = minOf(layers.map((l) => l.stats.records));
  // From a histogram the fraction is inferred, not observed per unit (histogram-stats.ts).
  const histogramValues = top.stats.histogramValues;
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
    ...note,
  };
  if (top.fraction > t.failFraction) {
    return records < t.minRecords
      ? { status: 'warn' as const, measured, reason: 'few-records' as const }
      : { status: 'fail' as const, measured };
  }
  if (top.fraction > t.warnFraction) return { status: 'warn' as const, measured };
  return { status: 'pass' as const, measured };
}

export default defineCheck({
  id: 'activations/dead-relu',
  section: 'activations',
  title: 'ReLU units are alive',
  why: 'A ReLU unit that is never positive outputs 0 and gets 0 gradient for every record: it is dead, and no update can revive it.',
  needs: ['training'],
  uses: ['checkpoint', 'model'],
  plot: { id: 'activations', lines: { deadFail: 'failFraction', deadWarn: 'warnFraction' } },
  reasons: ['not-logged', 'no-relu-layers', 'few-records', 'frozen-only', 'checkpoint-fits'],
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
    checkpointFitsBelow: {
      value: 0.7,
      meaning:
        'a trained checkpoint whose own loss on the data is at most this fraction of the chance loss fits its data: its dead units are capacity lost (warn), not why it does not learn',
      source:
        'issue 20 (a Keras churn MLP at accuracy 0.87, loss ≈ 0.64 of chance, failed as if it did not learn)',
    },
    minRecords: {
      value: 256,
      meaning:
        'a unit counts as dead only if never positive on at least this many records; fewer caps the verdict at warn',
      source: 'checklist (batch of ≥ 256 records)',
    },
  },
  evaluate({ training, checkpoint, model }, t) {
    if (!training.activations) return { status: 'skip', measured: {}, reason: 'not-logged' };
    const snapshots: Snapshots = {
      ...training.activations,
      ...(checkpoint?.activations.length ? { checkpoint: checkpoint.activations } : {}),
    };
    const isRelu = (stats: ActivationStats) => RELU.has(normalizeActivation(stats.activation));
    const frozen = frozenLayers(model);
    const note: FrozenNote = frozenNote(snapshots, frozen, isRelu, dead) ?? {};
    // A checkpoint that fits its data lost capacity to its dead units, it did not fail to learn:
    // its own snapshot is judged apart (a warn at most), the run from re-initialization as usual.
    const fits = checkpointFits(checkpoint, t.checkpointFitsBelow);
    const trains = (stats: ActivationStats) => isRelu(stats) && !frozen.has(stats.layer);
    const run = worstByLayer(snapshots, (s, snap) => trains(s) && !(fits && snap === 'checkpoint'), dead);
    const kept = fits ? worstByLayer(snapshots, (s, snap) => trains(s) && snap === 'checkpoint', dead) : null;
    if (!run && !kept) {
      return Object.keys(note).length
        ? { status: 'pass', measured: note, reason: 'frozen-only' }
        : { status: 'skip', measured: {}, reason: 'no-relu-layers' };
    }
    const runVerdict = run ? verdictOf(run, snapshots, t, note) : null;
    const lostCapacity =
      kept && checkpoint && kept.top.fraction > t.warnFraction && runVerdict?.status !== 'fail'
        ? kept.top.fraction >= (run?.top.fraction ?? 0)
        : false;
    if (lostCapacity && kept && checkpoint) {
      const measured = {
        ...verdictOf(kept, snapshots, t, note).measured,
        checkpointLoss: checkpoint.loss,
        checkpointChanceLoss: checkpoint.chanceLoss,
        checkpointAccuracy: checkpoint.accuracy,
      };
      return { status: 'warn', measured, reason: 'checkpoint-fits' };
    }
    return runVerdict ?? verdictOf(kept as Worst, snapshots, t, note);
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
    // On frozen layers dead units are a property of the part the user keeps: a note, never a finding.
    const frozenWords =
      measured.frozenLayer === undefined
        ? ''
        : `Frozen layers are not judged (training does not change them): the worst, ${measured.frozenLayer}, has ${pct(Number(measured.frozenFraction))} dead units — capacity your frozen base does not pass on; only unfreezing it (fine-tuning with a low learning rate) or another base changes that.`;
    if (reason === 'frozen-only')
      return {
        summary: `The only ReLU layers are frozen (${measured.frozenLayers}), and frozen layers are not judged.`,
        remedy: null,
        details: frozenWords,
      };
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
    if (reason === 'checkpoint-fits') {
      return {
        summary: `${summary.replace(/\.$/, '')}, yet the checkpoint fits its data (loss ${fmt(Number(measured.checkpointLoss))} against ${fmt(Number(measured.checkpointChanceLoss))} by chance${measured.checkpointAccuracy === null ? '' : `, accuracy ${pct(Number(measured.checkpointAccuracy))}`}): those units are capacity lost, not why it does not learn.`,
        remedy: `If the model should do better, retrain with a lower learning rate, batchNormalization before the ReLU of ${measured.worstLayer}, or leakyReLU/ELU there (dead units get no gradient: training on does not revive them); or make ${measured.worstLayer} smaller, since only ${pct(1 - Number(measured.worstFraction))} of it works.`,
        details: [details, frozenWords].filter(Boolean).join(' ') || undefined,
      };
    }
    if (status === 'pass')
      return {
        summary,
        remedy: null,
        details: [details, frozenWords].filter(Boolean).join(' ') || undefined,
      };
    return {
      summary,
      remedy:
        measured.worstSnapshot === 'start'
          ? `Units of ${measured.worstLayer} are dead from the start: initialize with heNormal and zero (or small positive) biases, normalize the inputs, or use leakyReLU/ELU.`
          : measured.worstSnapshot === 'checkpoint'
            ? `Units of ${measured.worstLayer} died while your checkpoint was trained: retrain with a lower learning rate, batchNormalization before the ReLU, or leakyReLU/ELU (dead units get no gradient, so training on does not revive them).`
            : `Units of ${measured.worstLayer} died during training: lower the learning rate, add batchNormalization before the ReLU, or switch to leakyReLU/ELU.`,
      details: [details, frozenWords].filter(Boolean).join(' ') || undefined,
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
