import { finiteValues, fmt, pct } from '../../checks/helpers.ts';
import { noCauses } from '../../core/causes.ts';
import { defineCheck } from '../../core/check.ts';
import { TREND } from '../../core/live.ts';
import { median } from '../../core/stats.ts';
import { clipCode, frameworkOf } from '../remedy-code.ts';
import { learningWindow, type RatioWindow, ratiosIn } from './learning-window.ts';

/** Measurements always judged for "too slow", however early the loss settled: how it got there. */
const MIN_EARLY_MEASUREMENTS = 3;

export default defineCheck({
  id: 'other/update-ratio',
  section: 'other',
  title: 'Weight updates are sized right for the weights',
  why: 'The ratio ‖ΔW‖/‖W‖ per step says how fast a layer learns: far below 1e-4 it barely moves, above 1e-1 each step rewrites a large part of the weights and training is unstable.',
  needs: ['training'],
  uses: ['lrSweep'],
  plot: { id: 'update-ratios', lines: { tooSlowBelow: 'failBelow', tooFastAbove: 'warnAbove' } },
  reasons: ['zero-weights', 'not-logged', 'non-finite', 'too-slow', 'too-large', 'converged'],
  causeRank: 160,
  live: TREND,
  thresholds: {
    failBelow: {
      value: 1e-4,
      meaning: "fail when a layer's median update/weight ratio is below this (learning too slowly)",
      source: 'TheDeepChecker (log10 ratio in [−4, −1])',
    },
    warnAbove: {
      value: 1e-1,
      meaning: "warn when a layer's median update/weight ratio is above this (updates too large)",
      source: 'TheDeepChecker (log10 ratio in [−4, −1])',
    },
    convergedFall: {
      value: 0.5,
      meaning:
        'a run whose loss fell by at least this fraction of its start converged: "too slow" is judged only on the steps before the loss settled, not on the small updates of convergence',
      source: 'issue 20 (a converged PyTorch run at loss 1e-5 was told to raise its LR)',
    },
    convergedBy: {
      value: 0.5,
      meaning:
        'a run whose loss settled within this fraction of its steps converged quickly: its updates were not too slow, whatever their size (pass)',
      source: "issue 20 (judge update ratios against the loss's own progress)",
    },
    settledWithin: {
      value: 0.1,
      meaning:
        'the loss counts as settled once it is within this fraction of its whole fall above its floor (means of 5% chunks of the run)',
      source: 'issue 20 (judge where the loss still has room to fall)',
    },
  },
  evaluate({ training }, t) {
    const kernels = training.weights.filter((w) => w.kind === 'kernel').sort((a, b) => a.depth - b.depth);
    // Too slow is judged where the loss still had room to fall; too large on the whole run (a
    // late blow-up is still a blow-up).
    const window = learningWindow(training.loss, t.convergedFall, t.settledWithin);
    const judgedSteps: RatioWindow = {
      settledAtStep: window.settledAtStep,
      nonFiniteStep: training.nonFiniteStep,
      minKept: MIN_EARLY_MEASUREMENTS,
    };
    const judged: { layer: string; median: number; learningMedian: number }[] = [];
    const notJudged: string[] = [];
    for (const w of kernels) {
      const ratios = finiteValues(ratiosIn(w.steps, w.updateRatio, judgedSteps, false));
      if (ratios.length === 0) {
        // All Infinity: ‖W‖ = 0 (zero-initialized), model/init-shallow's finding.
        if (w.updateRatio.length > 0 && finiteValues(w.updateRatio).length === 0) notJudged.push(w.layer);
        continue;
      }
      const learning = finiteValues(ratiosIn(w.steps, w.updateRatio, judgedSteps, true));
      judged.push({
        layer: w.layer,
        median: median(ratios),
        learningMedian: learning.length ? median(learning) : median(ratios),
      });
    }
    if (judged.length === 0) {
      const afterNaN = kernels.some((w) => finiteValues(w.updateRatio).length > 0);
      return {
        status: 'skip',
        measured: { notJudged: notJudged.join(','), nonFiniteStep: training.nonFiniteStep },
        reason: notJudged.length ? 'zero-weights' : afterNaN ? 'non-finite' : 'not-logged',
      };
    }
    const lowest = judged.reduce((a, b) => (b.learningMedian < a.learningMedian ? b : a));
    const highest = judged.reduce((a, b) => (b.median > a.median ? b : a));
    const measured = {
      // Over the steps while the loss had room to fall (the whole run unless it converged).
      minMedian: lowest.learningMedian,
      minLayer: lowest.layer,
      maxMedian: highest.median,
      maxLayer: highest.layer,
      medians: judged.map((j) => j.median),
      learningMedians: judged.map((j) => j.learningMedian),
      layers: judged.map((j) => j.layer).join(','),
      notJudged: notJudged.join(','),
      settledAtStep: window.settledAtStep,
      settledAtFraction: window.settledAtFraction,
      lossFall: window.lossFall,
    };
    if (lowest.learningMedian < t.failBelow) {
      // The loss's own progress refutes "too slow": it settled near its floor early in the run.
      const quick = window.settledAtFraction !== null && window.settledAtFraction <= t.convergedBy;
      if (!quick) return { status: 'fail', measured, reason: 'too-slow' };
      if (highest.median <= t.warnAbove) return { status: 'pass', measured, reason: 'converged' };
    }
    if (highest.median > t.warnAbove) return { status: 'warn', measured, reason: 'too-large' };
    return { status: 'pass', measured };
  },
  explain({ status, measured, reason }, evidence, t) {
    const { training, lrSweep } = evidence;
    if (reason === 'not-logged') {
      return {
        summary: `No weight update ratios were recorded; log per-layer update histograms (e.g. \`writer.add_histogram(f'{name}.update', p.data - p_before, step)\`) or \`update_ratio/<param>\` scalars (‖ΔW‖/‖W‖) to judge them${frameworkOf(evidence) === 'pytorch' ? ' — python/nn_doctor_log.py (shipped with nn-doctor) logs them: `NNDoctorLogger(model, logdir)`, then `logger.step(loss)` after each optimizer.step()' : ''}.`,
        remedy: null,
      };
    }
    if (reason === 'non-finite') {
      return {
        summary: `Every update ratio was measured at or after step ${measured.nonFiniteStep}, where the loss became NaN/Inf: the weights were no longer numbers, so no ratio says how fast a layer learned (see loss/non-finite).`,
        remedy: null,
      };
    }
    if (reason === 'zero-weights') {
      return {
        summary: `Every kernel with updates has all-zero weights (${measured.notJudged}), so ‖ΔW‖/‖W‖ is undefined; see model/init-shallow.`,
        remedy: null,
      };
    }
    const range = `[${fmt(t.failBelow)}, ${fmt(t.warnAbove)}]`;
    const settled = measured.settledAtStep;
    const whileLearning =
      settled === null || settled === undefined
        ? ''
        : ` while the loss was still falling (before step ${settled})`;
    const convergence =
      settled === null || settled === undefined
        ? ''
        : ` From step ${settled} the loss had settled near its floor (it fell ${pct(Number(measured.lossFall))}): smaller updates there are convergence, not judged as too slow.`;
    const notJudged = measured.notJudged
      ? ` Not judged (all-zero weights, see model/init-shallow): ${measured.notJudged}.`
      : '';
    // Quote the sweep's LR only when it points the same way as the advice (higher for too slow, lower for too large).
    const configured = training.learningRate ?? lrSweep?.configuredLr ?? null;
    const suggestion = (higher: boolean) => {
      const lr = lrSweep?.suggestedLr;
      if (!lr || (configured !== null && (higher ? lr <= configured : lr >= configured))) return '';
      return ` (the LR range test suggests ${fmt(lr)})`;
    };
    if (reason === 'too-slow') {
      return {
        summary: `The median update/weight ratio of ${measured.minLayer} is ${fmt(Number(measured.minMedian))}${whileLearning}, below ${fmt(t.failBelow)} (healthy range ${range}).`,
        remedy: `${measured.minLayer} is learning too slowly: raise the learning rate${suggestion(true)}, or switch to an adaptive optimizer (adam); if its gradient is tiny, see other/gradient-flow.`,
        details:
          [
            Number(measured.maxMedian) > t.warnAbove
              ? `At the same time ${measured.maxLayer} updates at ${fmt(Number(measured.maxMedian))} per step (above ${fmt(t.warnAbove)}): one learning rate cannot suit both layers; the gradient scale differs across depth (see other/gradient-flow), which normalization (batchNormalization) or an adaptive optimizer evens out.`
              : '',
            notJudged.trim(),
          ]
            .filter(Boolean)
            .join(' ') || undefined,
      };
    }
    if (reason === 'converged') {
      return {
        summary: `The loss fell ${pct(Number(measured.lossFall))} and settled near its floor by step ${settled}, ${pct(Number(measured.settledAtFraction))} of the way through the run: however small the updates of ${measured.minLayer} (median ${fmt(Number(measured.minMedian))} while the loss was still falling, below ${fmt(t.failBelow)}), they did not keep it from converging, so they are not judged as too slow.`,
        remedy: null,
        details: notJudged.trim() || undefined,
      };
    }
    if (reason === 'too-large') {
      return {
        summary: `The median update/weight ratio of ${measured.maxLayer} is ${fmt(Number(measured.maxMedian))}, above ${fmt(t.warnAbove)} (healthy range ${range}).`,
        remedy: `Each step rewrites a large part of ${measured.maxLayer}: lower the learning rate${suggestion(false)}, add a warmup, or clip the gradients (${clipCode(frameworkOf(evidence))}).`,
        details: notJudged.trim() || undefined,
      };
    }
    const learningMedians = (measured.learningMedians as number[]) ?? [];
    const top = Math.max(...learningMedians);
    const topLayer = String(measured.layers).split(',')[learningMedians.indexOf(top)];
    return {
      summary: whileLearning
        ? `Median update/weight ratios range from ${fmt(Number(measured.minMedian))} (${measured.minLayer}) to ${fmt(top)} (${topLayer})${whileLearning}, inside ${range}.`
        : `Median update/weight ratios range from ${fmt(Number(measured.minMedian))} (${measured.minLayer}) to ${fmt(Number(measured.maxMedian))} (${measured.maxLayer}), inside ${range}.`,
      remedy: status === 'pass' ? null : 'Adjust the learning rate.',
      details: `${convergence}${notJudged}`.trim() || undefined,
    };
  },
  causes: noCauses,
});
