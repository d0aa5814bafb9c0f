import { firstSentence, sig, num as toNumber } from '../../core/causes.ts';
import { defineCheck } from '../../core/check.ts';
import type { KernelStats } from '../../core/evidence.ts';
import { AT_START } from '../../core/live.ts';
import { fmt as num } from '../../shared/format.ts';
import type InitialLoss from '../loss/initial-loss.ts';
import type GradientFlow from '../other/gradient-flow.ts';
import type WeightVariance from '../other/weight-variance.ts';
import { frameworkOf, initializerCode, kernelOf, kernelWord } from '../remedy-code.ts';
import type InitDeep from './init-deep.ts';

type Problem = 'constant' | 'identical-units' | 'too-large' | 'too-small' | null;

interface Judged {
  kernel: KernelStats;
  ratio: number | null;
  problem: Problem;
  /** Higher is worse: constant > identical units > scale, then by distance from the expected scale. */
  badness: number;
}

/** What `evaluate` may give as its reason (declared below as `reasons`). */
const REASONS = [
  'no-kernels',
  'checkpoint-constant',
  'checkpoint-identical-units',
  'constant',
  'identical-units',
  'too-large',
  'too-small',
] as const;

export default defineCheck({
  id: 'model/init-shallow',
  section: 'model',
  title: 'Weights start as small random values, not zeros or constants',
  why: 'Units that start with identical weights get identical gradients and never become different; zero weights pass no signal; badly scaled weights make activations vanish or explode from the first step.',
  needs: ['model'],
  uses: ['checkpoint'],
  atInitialization: true,
  plot: { id: 'weight-variance', lines: {} },
  reasons: REASONS,
  // Among causes (core/diagnosis.ts): symmetric/zero weights: no gradient, no learning
  causeRank: 40,
  live: AT_START,
  thresholds: {
    minStd: {
      value: 1e-8,
      meaning: 'fail when a kernel’s std is below this (zero or constant initialization)',
      source: 'checklist; TheDeepChecker initial-weight test',
    },
    maxScaleRatio: {
      value: 10,
      meaning: 'warn when a kernel’s std exceeds this multiple of the fan-based initializer’s expected std',
      source: 'checklist',
    },
    minScaleRatio: {
      value: 0.1,
      meaning: 'warn when a kernel’s std is below this fraction of the fan-based initializer’s expected std',
      source: 'checklist',
    },
  },
  evaluate({ model, checkpoint }, t) {
    if (model.kernels.length === 0) return { status: 'skip', measured: { kernels: 0 }, reason: 'no-kernels' };
    // A trained checkpoint is judged at initialization on a re-initialized clone (model.kernels),
    // but constant kernels or identical units are broken in any weights: its own are checked too.
    const broken = (checkpoint?.kernels ?? []).find(
      (k) =>
        (k.shape.reduce((a, b) => a * b, 1) > 1 && k.std < t.minStd) || (k.identicalUnits && k.fanOut > 1),
    );
    if (broken) {
      const constant = broken.std < t.minStd;
      return {
        status: 'fail',
        measured: {
          layer: broken.layer,
          std: broken.std,
          expectedStd: broken.expectedStd,
          ratio: null,
          initializer: broken.initializer,
          badKernels: 1,
          kernels: checkpoint?.kernels?.length ?? 0,
          inCheckpoint: true,
        },
        reason: constant ? 'checkpoint-constant' : 'checkpoint-identical-units',
      };
    }
    const judged: Judged[] = model.kernels.map((kernel) => {
      const size = kernel.shape.reduce((a, b) => a * b, 1);
      const ratio = kernel.expectedStd && kernel.expectedStd > 0 ? kernel.std / kernel.expectedStd : null;
      const distance = ratio !== null && ratio > 0 ? Math.abs(Math.log(ratio)) : 0;
      // A kernel of one weight has std 0 by construction, and one output unit is trivially "identical".
      if (size > 1 && kernel.std < t.minStd) return { kernel, ratio, problem: 'constant', badness: 3e9 };
      if (kernel.identicalUnits && kernel.fanOut > 1) {
        return { kernel, ratio, problem: 'identical-units', badness: 2e9 };
      }
      if (ratio !== null && ratio > t.maxScaleRatio)
        return { kernel, ratio, problem: 'too-large', badness: 1e9 + distance };
      if (ratio !== null && ratio < t.minScaleRatio)
        return { kernel, ratio, problem: 'too-small', badness: 1e9 + distance };
      return { kernel, ratio, problem: null, badness: distance };
    });
    const worst = judged.reduce((a, b) => (b.badness > a.badness ? b : a));
    const badKernels = judged.filter((j) => j.problem !== null).length;
    const measured = {
      layer: worst.kernel.layer,
      std: worst.kernel.std,
      expectedStd: worst.kernel.expectedStd,
      ratio: worst.ratio,
      initializer: worst.kernel.initializer,
      // Where the expected scale comes from: the initializer's own formula (fan-based ones) or
      // the fan-based standard for the activation (fixed-scale ones); absent in older evidence.
      expectedFrom: worst.kernel.expectedFrom ?? null,
      expectedFormula: worst.kernel.expectedFormula ?? null,
      initializerStd: worst.kernel.initializerStd ?? null,
      fanIn: worst.kernel.fanIn,
      fanOut: worst.kernel.fanOut,
      badKernels,
      kernels: judged.length,
    };
    if (worst.problem === 'constant' || worst.problem === 'identical-units') {
      return { status: 'fail', measured, reason: worst.problem };
    }
    if (worst.problem) return { status: 'warn', measured, reason: worst.problem };
    return { status: 'pass', measured };
  },
  explain({ status, measured, reason }, evidence, t) {
    const { model } = evidence;
    const fw = frameworkOf(evidence);
    if (reason === 'no-kernels')
      return { summary: 'The model has no kernels (weight matrices) to inspect.', remedy: null };
    const layer = String(measured.layer);
    const info = model.layers.find((l) => l.name === layer);
    const act = info?.activation ?? null;
    const init = measured.initializer ? ` (initializer ${measured.initializer})` : '';
    // In the framework's words: PyTorch's `fc1.weight` (as logged), TF.js's and Keras's kernel of `dense_1`.
    const kernel = kernelOf(fw, layer, model.kernels.find((k) => k.layer === layer)?.weight);
    // A PyTorch name is case-sensitive: the sentence starts with a word, not the name capitalized.
    const Kernel = fw === 'pytorch' ? `Weight ${kernel}` : kernel.charAt(0).toUpperCase() + kernel.slice(1);
    const word = kernelWord(fw);
    const others =
      Number(measured.badKernels) > 1
        ? ` ${measured.badKernels} of ${measured.kernels} ${word}s have a problem.`
        : '';
    const suggested = act === 'relu' || act === 'elu' || act === 'selu' ? 'heNormal' : 'glorotUniform';
    const expected = measured.expectedStd !== null ? ` vs ${num(Number(measured.expectedStd))} expected` : '';
    const fix = `Use a random fan-based initializer: ${initializerCode(fw, suggested, layer)}${act ? ` (${act})` : ''}, and keep biases at zero; if the weights were loaded, check that the checkpoint matches the model.`;
    if (reason === 'checkpoint-constant' || reason === 'checkpoint-identical-units') {
      return {
        summary:
          reason === 'checkpoint-constant'
            ? `In your trained checkpoint, ${kernel}${init} has std ${num(Number(measured.std))} (fail < ${t.minStd}): its weights are all equal, zero or constant.`
            : `In your trained checkpoint, all units of ${layer}${init} have identical weights (std ${num(Number(measured.std))}): they compute the same thing.`,
        remedy: `No training leaves a ${word} ${reason === 'checkpoint-constant' ? 'constant' : 'with identical units'}: check that the checkpoint was saved and loaded whole (weight names and order matching the model) and that ${layer} was not frozen or overwritten; if the model was built with a constant initializer on ${layer}, rebuild it with a fan-based one (${initializerCode(fw, suggested, layer)}) and retrain.`,
      };
    }
    if (reason === 'constant') {
      return {
        summary: `${Kernel}${init} has std ${num(Number(measured.std))} (fail < ${t.minStd}): its weights are all equal, zero or constant.${others}`,
        remedy: fix,
      };
    }
    if (reason === 'identical-units') {
      return {
        summary: `All ${model.kernels.find((k) => k.layer === layer)?.fanOut ?? ''} units of ${layer}${init} start with identical weights (std ${num(Number(measured.std))}), so symmetry is never broken.${others}`,
        remedy: `${fix} Identical units receive identical gradients and stay copies of each other.`,
      };
    }
    const ratio = Number(measured.ratio);
    const formula = measured.expectedFormula
      ? ` from ${measured.expectedFrom === 'initializer' ? 'its initializer’s formula' : 'the fan-based standard'} ${measured.expectedFormula}, fan_in ${measured.fanIn}, fan_out ${measured.fanOut}`
      : '';
    const scale =
      measured.ratio !== null
        ? `std ${num(Number(measured.std))}${expected}${formula} (${num(ratio)}×; warn outside ${t.minScaleRatio}×–${t.maxScaleRatio}×)`
        : `std ${num(Number(measured.std))}; no expected scale is known for its initializer`;
    const summary = `Worst ${word}: ${fw === 'pytorch' ? kernel : layer}${init}, ${scale}.${others}`;
    if (status === 'pass') return { summary, remedy: null };
    return {
      summary,
      remedy: `Initialize ${layer} at the fan-based scale (std ≈ ${measured.expectedStd !== null ? num(Number(measured.expectedStd)) : 'sqrt(2 / fanIn)'}): ${initializerCode(fw, suggested, layer)} instead of ${measured.expectedFrom === 'initializer' ? `a ${measured.initializer ?? 'variance-scaling'} scale or gain outside the standard range (1/3 to 2 on the variance)` : 'a fixed-scale random initializer, or weights that do not follow the configured initializer'}; ${reason === 'too-large' ? 'too-large weights saturate tanh/sigmoid units and make activations and gradients explode' : 'too-small weights make activations and gradients vanish with depth'}.`,
    };
  },
  causes: {
    effects: [
      'other/gradient-flow',
      'activations/dead-relu',
      'activations/saturation',
      'loss/initial-loss',
      'model/init-deep',
      'other/weight-variance',
      'inputs/overfit-small',
      'inputs/standard-corpus',
      'inputs/label-signal',
      'loss/learning-rate',
      'other/update-ratio',
      'loss/steep-drop',
      'model/simplify',
    ],
    generic: (c) =>
      `the initial weights are the problem (${firstSentence(c.summary)}): identical or zero units get identical or no gradients`,
    // Weights far off their fan-based scale only warn here, yet they are the root of what they
    // cause: activations that explode (or vanish) with depth, an initial loss far from chance,
    // gradients that saturate to nothing. The weights' measured scale against the fan-based one is
    // the evidence (issue 20, class 3).
    measured: (link) => [
      link<typeof InitialLoss>('loss/initial-loss', (c, e) =>
        offScale(c) === 'too-large' && toNumber(e.measured.ratio) > 1
          ? `${scaleWords(c)}: the outputs start far from uniform, and the initial loss is ${sig(e.measured.ratio)}× the ${sig(e.measured.expectedLoss)} of chance`
          : null,
      ),
      link<typeof InitDeep>('model/init-deep', (c, e) =>
        offScale(c) === 'too-large' && toNumber(e.measured.lastStd) > toNumber(e.measured.firstStd)
          ? `${scaleWords(c)}: each layer multiplies the activations' scale, from std ${sig(e.measured.firstStd)} to ${sig(e.measured.lastStd)} through depth`
          : offScale(c) === 'too-small' && toNumber(e.measured.lastStd) < toNumber(e.measured.firstStd)
            ? `${scaleWords(c)}: each layer shrinks the activations' scale, from std ${sig(e.measured.firstStd)} to ${sig(e.measured.lastStd)} through depth`
            : null,
      ),
      link<typeof GradientFlow>('other/gradient-flow', (c, e) => {
        const off = offScale(c);
        if (off === null) return null;
        const starved =
          toNumber(e.measured.zeroGradientCount) > 0 ? 'get no gradient' : 'get a vanishing gradient';
        return `${scaleWords(c)}: ${off === 'too-large' ? 'activations that large saturate the output' : 'signals that small fade on their way back'}, and the early layers ${starved}`;
      }),
      link<typeof WeightVariance>('other/weight-variance', (c) =>
        offScale(c) !== null ? `${scaleWords(c)}: the kernels' variances are off their fans' band` : null,
      ),
    ],
  },
});

// Causal links (core/causes.ts): what they read of this check's numbers.
interface ScaleNumbers {
  layer: unknown;
  ratio: unknown;
}

/** A kernel off its fan-based scale by more than this check's own thresholds, which way. */
function offScale(c: {
  measured: ScaleNumbers;
  thresholds: Record<string, number>;
}): 'too-large' | 'too-small' | null {
  const ratio = toNumber(c.measured.ratio);
  // A ratio of 0 is a constant kernel: the generic link (a failing check) says that better.
  if (!(ratio > 0)) return null;
  if (ratio > c.thresholds.maxScaleRatio) return 'too-large';
  if (ratio < c.thresholds.minScaleRatio) return 'too-small';
  return null;
}

const scaleWords = (c: { measured: ScaleNumbers }) =>
  `the kernel of ${String(c.measured.layer)} starts at ${sig(c.measured.ratio)}× its fan-based scale`;
