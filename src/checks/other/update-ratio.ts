import { finiteValues, fmt } from '../../checks/helpers.ts';
import { noCauses } from '../../core/causes.ts';
import { defineCheck } from '../../core/check.ts';
import { TREND } from '../../core/live.ts';
import { median } from '../../core/stats.ts';
import { clipCode, frameworkOf } from '../remedy-code.ts';

export default defineCheck({
  id: 'other/update-ratio',
  section: 'other',
  title: 'Weight updates are sized right for the weights',
  why: 'The ratio ‖ΔW‖/‖W‖ per step says how fast a layer learns: far below 1e-4 it barely moves, above 1e-1 each step rewrites a large part of the weights and training is unstable.',
  needs: ['training'],
  uses: ['lrSweep'],
  plot: { id: 'update-ratios', lines: { tooSlowBelow: 'failBelow', tooFastAbove: 'warnAbove' } },
  reasons: ['zero-weights', 'not-logged', 'too-slow', 'too-large'],
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
  },
  evaluate({ training }, t) {
    const kernels = training.weights.filter((w) => w.kind === 'kernel').sort((a, b) => a.depth - b.depth);
    const judged: { layer: string; median: number }[] = [];
    const notJudged: string[] = [];
    for (const w of kernels) {
      const ratios = finiteValues(w.updateRatio);
      if (ratios.length === 0) {
        // All Infinity: ‖W‖ = 0 (zero-initialized), model/init-shallow's finding.
        if (w.updateRatio.length > 0) notJudged.push(w.layer);
        continue;
      }
      judged.push({ layer: w.layer, median: median(ratios) });
    }
    if (judged.length === 0) {
      return {
        status: 'skip',
        measured: { notJudged: notJudged.join(',') },
        reason: notJudged.length ? 'zero-weights' : 'not-logged',
      };
    }
    const lowest = judged.reduce((a, b) => (b.median < a.median ? b : a));
    const highest = judged.reduce((a, b) => (b.median > a.median ? b : a));
    const measured = {
      minMedian: lowest.median,
      minLayer: lowest.layer,
      maxMedian: highest.median,
      maxLayer: highest.layer,
      medians: judged.map((j) => j.median),
      layers: judged.map((j) => j.layer).join(','),
      notJudged: notJudged.join(','),
    };
    if (lowest.median < t.failBelow) return { status: 'fail', measured, reason: 'too-slow' };
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
    if (reason === 'zero-weights') {
      return {
        summary: `Every kernel with updates has all-zero weights (${measured.notJudged}), so ‖ΔW‖/‖W‖ is undefined; see model/init-shallow.`,
        remedy: null,
      };
    }
    const range = `[${fmt(t.failBelow)}, ${fmt(t.warnAbove)}]`;
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
        summary: `The median update/weight ratio of ${measured.minLayer} is ${fmt(Number(measured.minMedian))}, below ${fmt(t.failBelow)} (healthy range ${range}).`,
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
    if (reason === 'too-large') {
      return {
        summary: `The median update/weight ratio of ${measured.maxLayer} is ${fmt(Number(measured.maxMedian))}, above ${fmt(t.warnAbove)} (healthy range ${range}).`,
        remedy: `Each step rewrites a large part of ${measured.maxLayer}: lower the learning rate${suggestion(false)}, add a warmup, or clip the gradients (${clipCode(frameworkOf(evidence))}).`,
        details: notJudged.trim() || undefined,
      };
    }
    return {
      summary: `Median update/weight ratios range from ${fmt(Number(measured.minMedian))} (${measured.minLayer}) to ${fmt(Number(measured.maxMedian))} (${measured.maxLayer}), inside ${range}.`,
      remedy: status === 'pass' ? null : 'Adjust the learning rate.',
      details: notJudged.trim() || undefined,
    };
  },
  causes: noCauses,
});
