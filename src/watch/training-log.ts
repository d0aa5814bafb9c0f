// The evidence of a run in progress, accumulated as readbacks arrive: the loss at every step,
// per-variable gradient and update telemetry at scheduled steps, activation snapshots of a fixed
// probe batch, validation loss. `evidence()` hands out the TrainingEvidence the checks judge,
// sharing the arrays (checks are pure and never mutate). Framework-free.
import type { ActivationStats, Series, TrainingEvidence, WeightTelemetry } from '../core/evidence.ts';

export interface VariableInfo {
  layer: string;
  /** Full name, e.g. `dense_1/kernel`. */
  weight: string;
  kind: WeightTelemetry['kind'];
  /** Index of the owning layer among layers with trainable weights. */
  depth: number;
  size: number;
}

/** One scheduled step's per-variable sums, as read back from the device. */
export interface TelemetrySums {
  /** Σg² per variable, or a negative number when the variable received no gradient. */
  gradSq: ArrayLike<number>;
  /** Σ(ΔW)² per variable. */
  updateSq: ArrayLike<number>;
  /** ΣW² and ΣW per variable, before the update. */
  weightSq: ArrayLike<number>;
  weightSum: ArrayLike<number>;
}

const series = (): Series => ({ steps: [], values: [] });

export class TrainingLog {
  readonly loss = series();
  readonly accuracy = series();
  readonly valLoss = series();
  readonly valAccuracy = series();
  readonly regLoss = series();
  readonly gradNorm = series();
  readonly weights: WeightTelemetry[];
  private readonly gotGradient: boolean[];
  private telemetrySteps = 0;
  nonFiniteStep: number | null = null;
  activationStart: ActivationStats[] | null = null;
  activationEnd: ActivationStats[] | null = null;
  activationProbes = 0;
  initialLoss: number | undefined;
  /** Latest step any value was recorded at. */
  lastStep = -1;

  constructor(
    readonly variables: VariableInfo[],
    private readonly setup: {
      optimizer: string | null;
      learningRate: () => number | null;
      batchSize: number | null;
    },
  ) {
    this.weights = variables.map((v) => ({
      layer: v.layer,
      weight: v.weight,
      kind: v.kind,
      depth: v.depth,
      steps: [],
      gradNorm: [],
      updateRatio: [],
      weightNorm: [],
      weightStd: [],
    }));
    this.gotGradient = variables.map(() => false);
  }

  private seen(step: number): void {
    if (step > this.lastStep) this.lastStep = step;
  }

  addLoss(step: number, value: number, accuracy?: number): void {
    this.loss.steps.push(step);
    this.loss.values.push(value);
    if (accuracy !== undefined) {
      this.accuracy.steps.push(step);
      this.accuracy.values.push(accuracy);
    }
    if (this.nonFiniteStep === null && !Number.isFinite(value)) this.nonFiniteStep = step;
    this.seen(step);
  }

  addValidation(step: number, loss: number, accuracy?: number): void {
    this.valLoss.steps.push(step);
    this.valLoss.values.push(loss);
    if (accuracy !== undefined) {
      this.valAccuracy.steps.push(step);
      this.valAccuracy.values.push(accuracy);
    }
    this.seen(step);
  }

  addRegularization(step: number, value: number): void {
    this.regLoss.steps.push(step);
    this.regLoss.values.push(value);
  }

  addTelemetry(step: number, sums: TelemetrySums): void {
    let global = 0;
    this.weights.forEach((w, i) => {
      const g = sums.gradSq[i];
      const received = g >= 0 || Number.isNaN(g);
      if (received) this.gotGradient[i] = true;
      const wsq = sums.weightSq[i];
      const n = Math.max(1, this.variables[i].size);
      const mean = sums.weightSum[i] / n;
      const norm = Math.sqrt(wsq);
      const update = Math.sqrt(sums.updateSq[i]);
      w.steps.push(step);
      w.gradNorm.push(received ? Math.sqrt(g) : null);
      w.updateRatio.push(norm > 0 ? update / norm : update > 0 ? Number.POSITIVE_INFINITY : 0);
      w.weightNorm.push(norm);
      w.weightStd?.push(Math.sqrt(Math.max(0, wsq / n - mean * mean)));
      if (received) global += g;
    });
    this.gradNorm.steps.push(step);
    this.gradNorm.values.push(Math.sqrt(global));
    this.telemetrySteps++;
    this.seen(step);
  }

  addActivations(stats: ActivationStats[]): void {
    if (stats.length === 0) return;
    if (this.activationStart === null) this.activationStart = stats;
    this.activationEnd = stats;
    this.activationProbes++;
  }

  evidence(): TrainingEvidence {
    const training: TrainingEvidence = {
      optimizer: this.setup.optimizer,
      learningRate: this.setup.learningRate(),
      batchSize: this.setup.batchSize,
      loss: this.loss,
      nonFiniteStep: this.nonFiniteStep,
      weights: this.telemetrySteps > 0 ? this.weights : [],
      noGradient:
        this.telemetrySteps > 0
          ? this.variables.filter((_, i) => !this.gotGradient[i]).map((v) => v.weight)
          : [],
    };
    if (this.accuracy.values.length) training.accuracy = this.accuracy;
    if (this.valLoss.values.length) training.valLoss = this.valLoss;
    if (this.valAccuracy.values.length) training.valAccuracy = this.valAccuracy;
    if (this.regLoss.values.length) training.regLoss = this.regLoss;
    if (this.gradNorm.values.length) training.gradNorm = this.gradNorm;
    if (this.initialLoss !== undefined) training.initialLoss = this.initialLoss;
    if (this.activationStart && this.activationEnd)
      training.activations = { start: this.activationStart, end: this.activationEnd };
    return training;
  }
}
