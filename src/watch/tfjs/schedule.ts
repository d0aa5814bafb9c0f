// The watcher's schedule: what is measured at which step, and the step count itself. Gradients and
// updates are measured inside the optimizer step whose index is a multiple of `every`; after the
// step whose index is `at`, activations of the probe batch when `at + 1` is a multiple of
// `activationsEvery`, the validation records when it is a multiple of `validationEvery`.
import { UsageError } from '../../core/errors.ts';

/**
 * Default schedule, from bench/watch-overhead.ts (MNIST MLP and LeNet, wasm): gradients and updates
 * every 32 steps, activations of the probe batch every 256, stay under the 5% overhead target.
 */
export const DEFAULT_EVERY = 32;
export const DEFAULT_ACTIVATIONS_EVERY = 256;

export interface ScheduleOptions {
  every?: number;
  activationsEvery?: number;
  validation?: { every?: number };
}

export function positiveInt(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1)
    throw new UsageError(`watch: options.${name} must be a positive whole number, got ${String(value)}`);
  return value;
}

export class Schedule {
  readonly every: number;
  readonly activationsEvery: number;
  /** Validation records are evaluated every this many steps (default 10× `every`). */
  readonly validationEvery: number;
  private readonly validating: boolean;
  private count = 0;

  /** Throws a UsageError naming the option when one is not a positive whole number. */
  constructor(options: ScheduleOptions) {
    this.every = positiveInt('every', options.every, DEFAULT_EVERY);
    this.activationsEvery = positiveInt(
      'activationsEvery',
      options.activationsEvery,
      DEFAULT_ACTIVATIONS_EVERY,
    );
    this.validationEvery = positiveInt('validation.every', options.validation?.every, this.every * 10);
    this.validating = options.validation !== undefined;
  }

  /** Steps seen so far: the index the next step gets. */
  get steps(): number {
    return this.count;
  }

  /** Counts a step that has run. */
  stepDone(): void {
    this.count++;
  }

  /** Gradients and updates are measured in the optimizer step with this index. */
  measuresGradients(at: number): boolean {
    return at % this.every === 0;
  }

  /** After the step with this index, the probe batch's activations are measured. */
  measuresActivations(at: number): boolean {
    return (at + 1) % this.activationsEvery === 0;
  }

  /** After the step with this index, the validation records are evaluated. */
  measuresValidation(at: number): boolean {
    return (at + 1) % this.validationEvery === 0;
  }

  /** The schedule as the report's settings record it. */
  settings(): { every: number; activationsEvery: number; validationEvery?: number; steps: number } {
    return {
      every: this.every,
      activationsEvery: this.activationsEvery,
      ...(this.validating ? { validationEvery: this.validationEvery } : {}),
      steps: this.count,
    };
  }
}
