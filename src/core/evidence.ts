// Evidence: the plain, serializable facts that probes gather and checks judge.
// No tensors and no framework types live here: a TF.js probe run, a TensorBoard log
// or a saved report can all produce (or replay) the same object.

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
  labelEncoding: 'one-hot' | 'integer' | 'continuous';
  optimizer: string;
  learningRate: number | null;
  batchSize: number | null;
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
  /** Records per class (classification), else null. */
  classCounts: number[] | null;
  /** Variance of the regression target (all outputs pooled), else null. */
  targetVariance: number | null;
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
  /** Std that a standard fan-based initializer (Glorot/He for the layer's activation) would give. */
  expectedStd: number | null;
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
  /** Weights look freshly initialized (every kernel within the initializer's expected scale). */
  freshInit: boolean;
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
  userLoss: Series;
  simpleLoss: Series;
  userFinalLoss: number;
  simpleFinalLoss: number;
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

/** The model trained on the real labels vs on shuffled labels, judged on held-out records. */
export interface LabelSignalEvidence {
  steps: number;
  real: { heldOutLoss: number; heldOutAccuracy: number | null };
  shuffled: { heldOutLoss: number; heldOutAccuracy: number | null };
  chanceLoss: number;
  chanceAccuracy: number | null;
}

/** Everything a checkup gathered. Each key is filled by one probe (or one log mapping). */
export interface Evidence {
  source: 'tfjs' | 'tensorboard' | 'replay';
  task?: TaskEvidence;
  dataset?: DatasetEvidence;
  model?: ModelEvidence;
  training?: TrainingEvidence;
  overfit?: OverfitEvidence;
  control?: ControlEvidence;
  lrSweep?: LrSweepEvidence;
  simplified?: SimplifiedEvidence;
  rebalancing?: RebalancingEvidence;
  labelSignal?: LabelSignalEvidence;
  /** Why an evidence key is absent: `skip` (does not apply / not logged — say what to log) or `error` (its probe failed). */
  unavailable?: Partial<Record<EvidenceKey, { status: 'skip' | 'error'; reason: string }>>;
}

export type EvidenceKey = Exclude<keyof Evidence, 'source' | 'unavailable'>;
