// Evidence: the plain, serializable facts that probes gather and checks judge.
// No tensors and no framework types live here: a TF.js probe run, a TensorBoard log
// or a saved report can all produce (or replay) the same object.
import type { RemedyEvidence } from './remedies.ts';

/** A per-step series. `steps[i]` is the training step at which `values[i]` was measured. */
export interface Series {
  steps: number[];
  values: number[];
}

export type TaskKind = 'classification' | 'regression';

/** What the model is trained to do, and how. */
export interface TaskEvidence {
  kind: TaskKind;
  /** Number of classes for classification (2 for a single sigmoid unit), null for regression. */
  classes: number | null;
  /** Loss name as configured, normalized to snake_case (e.g. `categorical_crossentropy`). */
  loss: string;
  /** Activations applied at the output, outermost last: e.g. `['softmax']`, `['linear']`, `['softmax','softmax']`. */
  outputActivations: string[];
  /** Values the model outputs per record (1 for a single sigmoid unit); absent in older evidence. */
  outputUnits?: number;
  /** `multi-hot`: several independent yes/no labels per record (sigmoid units under binary cross-entropy). */
  labelEncoding: 'one-hot' | 'integer' | 'continuous' | 'multi-hot';
  /**
   * A reconstruction task (an autoencoder, image-to-image): many outputs whose targets are the
   * inputs themselves (`inputs`), or continuous values in [0, 1] (`continuous`, e.g. denoising).
   * Judged as a regression per output, whatever the loss: no classes, no class balance.
   */
  reconstruction?: 'inputs' | 'continuous';
  optimizer: string;
  learningRate: number | null;
  batchSize: number | null;
  /** Per-class loss weights the setup trains with (classification), when given. */
  classWeights?: number[];
}

/** Statistics of the training records (features and labels). */
export interface DatasetEvidence {
  source: string;
  records: number;
  /** Shape of one record, without the batch dimension. */
  featureShape: number[];
  features: number;
  /** Over all finite feature values. */
  mean: number;
  std: number;
  min: number;
  max: number;
  /** Mean over features of |per-feature mean| (the "mean image" test for images). */
  meanAbsFeatureMean: number;
  /** `tokens`: integer ids fed to an Embedding (centering and scale do not apply). Default continuous. */
  inputKind?: 'continuous' | 'tokens';
  /** Count of NaN/±Inf values. */
  nonFiniteFeatures: number;
  nonFiniteLabels: number;
  /** Records per class (classification), positive records per label (multi-label), else null. */
  classCounts: number[] | null;
  /** Variance of the regression target (all outputs pooled), else null. */
  targetVariance: number | null;
  /**
   * Regression targets, the output with the largest scale: its mean, std, range and root mean
   * square (sqrt(mean² + variance): what a fresh network, whose outputs start near 0, must reach).
   */
  /** Mean of the squared regression targets (outputs pooled): the MSE of predicting 0. */
  targetMeanSquare?: number | null;
  targetScale?: { output: number; mean: number; std: number; min: number; max: number; rms: number } | null;
  /**
   * Regression targets, all outputs pooled: the range an output activation must be able to
   * produce (loss/output-mismatch), the shares of values it cannot, and the spread of each
   * record's sum over outputs (a softmax's outputs always sum to 1).
   */
  targetRange?: TargetRange | null;
}

export interface TargetRange {
  outputs: number;
  /** Mean of the finite target values, all outputs pooled. */
  mean: number;
  min: number;
  max: number;
  /** Fraction of the finite target values below 0, above 1, and outside [−1, 1]. */
  belowZero: number;
  aboveOne: number;
  outsideUnit: number;
  /** Per-record sums over the outputs: their extremes and the fraction of records off 1 by > 0.02. */
  rowSumMin: number;
  rowSumMax: number;
  rowSumOffOne: number;
}

export interface LayerInfo {
  name: string;
  className: string;
  /** Activation function name, or null when the layer has none. */
  activation: string | null;
  outputShape: (number | null)[];
  params: number;
  trainable: boolean;
  /** Position among the model's layers, 0-based. */
  depth: number;
}

/** Statistics of one kernel (weight matrix / conv filter bank). */
export interface KernelStats {
  layer: string;
  weight: string;
  /** Index of the layer among the layers that own a kernel, 0-based (input side first). */
  depth: number;
  shape: number[];
  fanIn: number;
  fanOut: number;
  mean: number;
  std: number;
  variance: number;
  /** Initializer class from the layer config, e.g. `GlorotUniform`, `Zeros`; null if unknown. */
  initializer: string | null;
  /**
   * Std the kernel is judged against: its initializer's own formula (fans, mode, gain,
   * distribution) for fan-based initializers, else the fan-based standard for the layer's
   * activation (He for the ReLU family, Glorot otherwise); null when unknown (logs).
   */
  expectedStd: number | null;
  /** Std the initializer's own formula gives for these fans (0 for constants), when known. */
  initializerStd?: number | null;
  /** Where expectedStd comes from. */
  expectedFrom?: 'initializer' | 'fan-based standard';
  /** expectedStd's formula in words, e.g. `√(1 / fan_avg) (GlorotUniform)`. */
  expectedFormula?: string;
  /** All output units have identical incoming weights (symmetry is never broken). */
  identicalUnits: boolean;
}

export interface BiasStats {
  layer: string;
  weight: string;
  mean: number;
  min: number;
  max: number;
}

export interface ModelEvidence {
  name: string;
  params: number;
  trainableParams: number;
  layers: LayerInfo[];
  /** Hidden layers with weights (the output layer excluded). */
  hiddenLayers: number;
  hasBatchNorm: boolean;
  /** Standard architecture family recognized from layer names/shapes (`resnet`, `mobilenet`, `vgg`, `inception`…), else null. */
  family: string | null;
  /**
   * The model's weights look freshly initialized: every kernel within its initializer's expected
   * scale, constant-initialized biases and batch-norm statistics still at their constants, and
   * (checkups) a loss on the data not far below chance.
   */
  freshInit: boolean;
  /** Why the weights look trained (absent when fresh), e.g. `dense_1 biases moved off their initial 0`. */
  trainedSignals?: string[];
  /**
   * Whose weights `kernels`/`biases` describe: the model's own, or (a trained checkpoint) a
   * re-initialized clone of its architecture that the at-initialization checks and the
   * experiments run on. Absent means the model's own.
   */
  weightsFrom?: 'model' | 'reinitialized-clone';
  /** Kernel statistics at the start (before the checkup's training). */
  kernels: KernelStats[];
  biases: BiasStats[];
  /** Regularizers and dropout present in the user's model (e.g. `dense_1.kernel: l2(0.01)`, `dropout_1: 0.5`). */
  regularization: string[];
  /**
   * Logs only: the training step of the weight histograms the kernel statistics come from. After
   * step 0 the weights have trained, so they say nothing certain about initialization (and Keras
   * writes even its first histograms at the end of the first epoch).
   */
  loggedAtStep?: number;
}

/** Activation statistics of one layer's output on a batch. */
export interface ActivationStats {
  layer: string;
  activation: string;
  /** Index among the layers measured (input side first). */
  depth: number;
  /** Units (dense) or channels (conv). */
  units: number;
  records: number;
  mean: number;
  std: number;
  /** Fraction of units that were never positive on the batch (ReLU family), else 0. */
  fractionDead: number;
  /**
   * Fraction of the layer's outputs (units × records) in the flat part of a tanh/sigmoid-family
   * activation (derivative < 1% of its maximum), else 0. Element-level, like SageMaker Debugger's
   * SaturatedActivation rule.
   */
  fractionSaturated: number;
  /** Optional histogram of output values. `edges` has one more entry than `counts`. */
  histogram?: { edges: number[]; counts: number[] };
  /**
   * Logs only: the statistics are estimates from a logged histogram of this many values. A
   * histogram counts values, not units: `fractionDead` is inferred from the share of values at or
   * below zero, never observed unit by unit.
   */
  histogramValues?: number;
}

/** Telemetry of one trainable weight variable during the instrumented run. */
export interface WeightTelemetry {
  layer: string;
  weight: string;
  kind: 'kernel' | 'bias' | 'other';
  /** Index of the owning layer among layers with trainable weights (input side first). */
  depth: number;
  steps: number[];
  /** L2 norm of the gradient; null when the variable received no gradient at that step. */
  gradNorm: (number | null)[];
  /** ‖ΔW‖ / ‖W‖ of the step's update (Infinity if ‖W‖ = 0 and ΔW ≠ 0). */
  updateRatio: number[];
  weightNorm: number[];
  weightStd?: number[];
}

/** The short instrumented training run on the user's own setup (or a training log). */
export interface TrainingEvidence {
  optimizer: string | null;
  learningRate: number | null;
  batchSize: number | null;
  /** Total loss per step (data + regularization). */
  loss: Series;
  /** Data (task) loss and regularization loss per step, when they can be told apart. */
  dataLoss?: Series;
  regLoss?: Series;
  accuracy?: Series;
  /** Validation accuracy, when one was measured (logs: an eval run or `val_acc`-style tag). */
  valAccuracy?: Series;
  /** Validation loss, when a validation run/set exists (per evaluation step). */
  valLoss?: Series;
  /** Data loss before any update, inference mode, on ≥ 128 records. */
  initialLoss?: number;
  /** Data loss after the run, inference mode, on the same records as `initialLoss`. */
  finalLoss?: number;
  /** First step whose loss was NaN/Inf, else null. */
  nonFiniteStep: number | null;
  /** Global gradient norm per recorded step (NaN/Inf kept as is). */
  gradNorm?: Series;
  weights: WeightTelemetry[];
  /** Variables that never received a gradient (no path to the loss). */
  noGradient: string[];
  /** Activation statistics at the start and the end of the run. */
  activations?: { start: ActivationStats[]; end: ActivationStats[] };
}

/** Overfitting a handful of records with regularization removed. */
export interface OverfitEvidence {
  records: number;
  steps: number;
  loss: Series;
  initialLoss: number;
  finalLoss: number;
  /** Train accuracy at the end (classification), else null. */
  finalAccuracy: number | null;
  /** What was switched off, e.g. `dropout_1 (rate 0.5)`, `dense_1 kernel l2`. */
  removed: string[];
  /** The cap on steps (the run stops earlier once fitted, or when the loss stops falling). */
  maxSteps?: number;
  /** Why the run ended: fitted, no more progress, the cap while still progressing, or NaN/Inf. */
  stopped?: 'target' | 'plateau' | 'cap' | 'non-finite';
  /** Best accuracy these records allow (identical inputs with different labels), classification. */
  achievableAccuracy?: number | null;
  /** Evaluations along the run (the first before training). */
  checkpoints?: EvalPoint[];
  /** Only when the setup did not fit the records: the same architecture with Adam 1e-3. */
  reference?: {
    optimizer: string;
    learningRate: number;
    steps: number;
    fitted: boolean;
    finalLoss: number;
    finalAccuracy: number | null;
  };
}

/** A held-out evaluation during an experiment. */
export interface EvalPoint {
  step: number;
  loss: number;
  accuracy: number | null;
}

/** One training run on the control corpus, until its target or its cap. */
export interface ControlRun {
  optimizer: string;
  learningRate: number | null;
  steps: number;
  /** The cap: the run may stop earlier at the target or when it stops making progress. */
  maxSteps: number;
  finalLoss: number;
  finalAccuracy: number | null;
  /** Step after which the held-out loss first reached the target, else null. */
  learnedAtStep: number | null;
  stopped: 'target' | 'plateau' | 'cap' | 'non-finite';
  /** Held-out evaluations along the run (the first before training). */
  checkpoints: EvalPoint[];
}

/** The same architecture and setup trained on a known-learnable control corpus. */
export interface ControlEvidence {
  corpus: 'mnist' | 'synthetic';
  steps: number;
  loss: Series;
  initialLoss: number;
  finalLoss: number;
  /** Loss of a constant predictor: ln(classes) or the target variance. */
  chanceLoss: number;
  /** Held-out accuracy (classification), else null. */
  finalAccuracy: number | null;
  chanceAccuracy: number | null;
  /** Held-out loss at which the run counted the control as learned and stopped. */
  targetLoss?: number;
  learnedAtStep?: number | null;
  maxSteps?: number;
  stopped?: ControlRun['stopped'];
  checkpoints?: EvalPoint[];
  /** Only when the setup did not learn the control: the same architecture with Adam 1e-3. */
  reference?: ControlRun;
}

/** LR range test: loss after each step of a log-spaced learning-rate sweep. */
export interface LrSweepEvidence {
  lrs: number[];
  /** Smoothed loss at each learning rate. */
  losses: number[];
  startLoss: number;
  configuredLr: number | null;
  /** LR suggested by the sweep (steepest descent, one decade under the divergence point), else null. */
  suggestedLr: number | null;
  /** Lowest smoothed loss reached during the sweep. */
  minLoss: number;
  /** First LR where the loss diverged (> 4× the best or non-finite), else null. */
  divergedAtLr: number | null;
}

/** The user's model against a deliberately simple one, same data and budget. */
export interface SimplifiedEvidence {
  userHiddenLayers: number;
  steps: number;
  /** Training-mode loss curves (for the plot). */
  userLoss: Series;
  simpleLoss: Series;
  /**
   * The losses compared. `compared: 'inference'`: inference mode (dropout off, batch norm
   * recalibrated) on the same training records, after the run; absent: the end of the
   * training-mode curves (older evidence).
   */
  userFinalLoss: number;
  simpleFinalLoss: number;
  compared?: 'inference';
  /** The same measurement before training: how much each model learned. */
  userInitialLoss?: number;
  simpleInitialLoss?: number;
  /** End of the training-mode curves (mean of the last 10% of steps). */
  userCurveFinal?: number;
  simpleCurveFinal?: number;
}

export interface RecallByClass {
  /** Recall of each class on held-out records. */
  recall: number[];
  /** Mean recall over the minority classes. */
  minorityRecall: number;
  accuracy: number;
}

/** A/B of plain training vs class weighting vs oversampling on an imbalanced set. */
export interface RebalancingEvidence {
  minorityClasses: number[];
  steps: number;
  plain: RecallByClass;
  weighted: RecallByClass;
  oversampled: RecallByClass;
}

/** Held-out results of one arm of the label-signal control. */
export interface LabelArm {
  heldOutLoss: number;
  heldOutAccuracy: number | null;
  /** Mean recall over classes (single-label classification): 1/classes by chance, whatever the imbalance. */
  balancedAccuracy?: number | null;
}

/** The model trained on the real labels vs on shuffled labels, judged on held-out records. */
export interface LabelSignalEvidence {
  steps: number;
  real: LabelArm & {
    /** The real-label run's loss on its own training records after the run (inference mode). */
    trainLoss?: number | null;
  };
  /**
   * The shuffled-label arm. Null when it was not needed: shuffled labels are independent of the
   * features, so that arm's expected held-out result is chance; it runs only when the real arm
   * is close enough to chance for the comparison to matter (see `shuffledSkipped`).
   */
  shuffled: LabelArm | null;
  /** Why the shuffled arm did not run: the real labels beat chance clearly, or nothing was learned yet. */
  shuffledSkipped?: 'clear-signal' | 'nothing-learned';
  /** Loss of predicting the label frequencies only: prior entropy (imbalance-aware) or target variance. */
  chanceLoss: number;
  /** Accuracy of always predicting the most common held-out class. */
  chanceAccuracy: number | null;
  /** Balanced accuracy by chance: 1/classes (single-label classification), else null. */
  chanceBalancedAccuracy?: number | null;
  /** Steps the control corpus needed to be learned with this setup (null: not learned), when it ran. */
  controlLearnedAtStep?: number | null;
  /** Both arms were trained past the budget (to `steps`) because the first comparison was in doubt. */
  extended?: boolean;
}

/**
 * A trained checkpoint, measured as it is. The experiments and the at-initialization checks run
 * on a re-initialized clone of its architecture instead (ModelEvidence.weightsFrom).
 */
export interface CheckpointEvidence {
  /** Why the weights were judged trained. */
  signals: string[];
  records: number;
  /** The checkpoint's loss and accuracy on `records` training records, inference mode. */
  loss: number;
  accuracy: number | null;
  /** Loss of predicting the label frequencies only (prior entropy / target variance), else null. */
  chanceLoss: number | null;
  /** The checkpoint's hidden-layer activations on those records. */
  activations: ActivationStats[];
  /** The checkpoint's own kernel statistics (constant or identical units are broken in any weights). */
  kernels?: KernelStats[];
}

/** One rank of a data-parallel job, as its logs show it (logs only). */
export interface RankTelemetry {
  rank: number;
  /** The rank's run folder or tag label as logged (`rank_1`, `worker-2`, `node0_gpu3`). */
  label: string;
  /** Training loss per step, as logged (NaN/Inf kept). */
  loss?: Series;
  /** Wall time (seconds since the epoch) at which each point of `loss` was written. */
  lossWallTimes?: number[];
  /** First NaN/Inf among the rank's scalars: the step and the tag; null when every value is finite. */
  nonFinite: { step: number; tag: string } | null;
  /** L2 norm of each parameter's values per step (logged `weight_norm/<param>`, else √Σx² of its weight histograms). */
  weightNorms: { weight: string; layer: string; steps: number[]; values: number[] }[];
}

/** Why `distributed` is absent from a checkup or a watched TF.js run: they see one process. */
export const ONE_PROCESS =
  'one training process: the distributed checks compare the ranks of a data-parallel job, read from its logs (nn-doctor diagnose LOGDIR, a sub-run per rank)';

/** The ranks of a data-parallel job (several sub-runs or rank-tagged tags of one experiment). */
export interface DistributedEvidence {
  /** One sub-run per rank (`rank_0/`, `worker-1/`…) or the rank in the tag names (`loss/rank_1`). */
  layout: 'runs' | 'tags';
  /** Ordered by rank. */
  ranks: RankTelemetry[];
}

/** Everything a checkup gathered. Each key is filled by one probe (or one log mapping). */
export interface Evidence {
  source: 'tfjs' | 'tensorboard' | 'replay';
  /**
   * The framework the user writes the model in (a TF.js model, a Keras file, the writer of the
   * logs): remedies are written in its code. Absent: TF.js for a checkup, framework-neutral words
   * for logs whose writer is not recognized.
   */
  framework?: Framework;
  task?: TaskEvidence;
  dataset?: DatasetEvidence;
  model?: ModelEvidence;
  /** Present when the model's weights are trained (a saved checkpoint). */
  checkpoint?: CheckpointEvidence;
  training?: TrainingEvidence;
  overfit?: OverfitEvidence;
  control?: ControlEvidence;
  lrSweep?: LrSweepEvidence;
  simplified?: SimplifiedEvidence;
  rebalancing?: RebalancingEvidence;
  labelSignal?: LabelSignalEvidence;
  /** The fix experiments (verified remedies), when a check failed and verification ran. */
  remedies?: RemedyEvidence;
  /** Logs only: the ranks of a data-parallel job, side by side (present when the logs hold ≥ 2 ranks). */
  distributed?: DistributedEvidence;
  /** Why an evidence key is absent: `skip` (does not apply / not logged — say what to log) or `error` (its probe failed). */
  unavailable?: Partial<Record<EvidenceKey, { status: 'skip' | 'error'; reason: string }>>;
}

export type EvidenceKey = Exclude<keyof Evidence, 'source' | 'framework' | 'unavailable'>;

/** Every evidence key, for checks from outside the package (core/registry.ts); complete by type. */
const KEYS: Record<EvidenceKey, true> = {
  task: true,
  dataset: true,
  model: true,
  checkpoint: true,
  training: true,
  overfit: true,
  control: true,
  lrSweep: true,
  simplified: true,
  rebalancing: true,
  labelSignal: true,
  remedies: true,
  distributed: true,
};
export const EVIDENCE_KEYS = Object.keys(KEYS) as EvidenceKey[];

export type Framework = 'tfjs' | 'keras' | 'pytorch';
