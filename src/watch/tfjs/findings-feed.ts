// The live-checks feed: the evidence gathered so far is judged by the same checks as `check`,
// within a share of the wall time (or at once when a readback carried a NaN); each finding is
// raised once, when it becomes conclusive (../conclusive.ts), and `stopOnFail` asks training to
// stop. It owns the live checks, their time budget and the stop request.
import type * as tf from '@tensorflow/tfjs';
import type { Evidence } from '../../core/evidence.ts';
import type { RunOptions } from '../../core/runner.ts';
import { progressOf } from '../conclusive.ts';
import { EvaluationBudget, LiveChecks, type LiveFinding } from '../live-checks.ts';
import type { TrainingLog } from '../training-log.ts';

export interface FeedOptions extends RunOptions {
  stopOnFail?: boolean | string[];
  onFinding?: (finding: LiveFinding) => void;
  evaluationShare?: number;
}

/** Whether `stopOnFail` covers a failure of `id`: all checks, or the id or its section. */
function stopsOn(stopOnFail: FeedOptions['stopOnFail'], id: string): boolean {
  return (
    stopOnFail === true ||
    (Array.isArray(stopOnFail) &&
      stopOnFail.some((s) => id === s || id.startsWith(`${s.replace(/\/$/, '')}/`)))
  );
}

export class FindingsFeed {
  private readonly live: LiveChecks;
  private readonly budget: EvaluationBudget;
  /** True once `stopOnFail` asked to stop. */
  stopRequested = false;

  constructor(
    private readonly options: FeedOptions,
    private readonly model: tf.LayersModel,
    private readonly log: TrainingLog,
    private readonly evidence: () => Evidence,
    /** Called after each readback (the watcher's `onUpdate`). */
    private readonly onUpdate: () => void,
  ) {
    this.live = new LiveChecks({ only: options.only, skip: options.skip, thresholds: options.thresholds });
    this.budget = new EvaluationBudget(options.evaluationShare ?? 0.02);
  }

  get findings(): readonly LiveFinding[] {
    return this.live.findings;
  }

  get cost(): { evaluationMs: number; evaluations: number } {
    return { evaluationMs: this.live.evaluationMs, evaluations: this.live.evaluations };
  }

  /** Judges the evidence now; raises what became conclusive. */
  evaluateNow(): void {
    const started = performance.now();
    const e = this.evidence();
    const found = this.live.evaluate(e, progressOf(e, this.log.lastStep, this.log.activationProbes));
    this.budget.spent(performance.now() - started);
    for (const f of found) {
      this.options.onFinding?.(f);
      if (f.status === 'fail' && stopsOn(this.options.stopOnFail, f.id)) {
        this.stopRequested = true;
        (this.model as { stopTraining: boolean }).stopTraining = true;
      }
    }
  }

  /** After new evidence was read back: judged when urgent or when the time budget allows. */
  afterReadback(urgent: boolean): void {
    if (urgent || this.budget.due()) this.evaluateNow();
    this.onUpdate();
  }
}
