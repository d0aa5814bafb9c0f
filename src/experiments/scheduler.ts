// Orders experiments by what they declare and runs them, independent ones side by side.
//
// Pure (no TF.js): an experiment is known here only by its name, the key it provides, the keys it
// needs (run first, and run because of it) and the keys it may read when they are there (waited
// for when planned, never planned because of it). Being explicit is what makes `--only X` run the
// same experiment X as the full checkup: nothing an experiment reads can depend on which other
// experiments the selection happened to plan.

export interface Schedulable<K extends string = string> {
  name: string;
  provides: K;
  /** Keys that must be provided before this runs; wanting this experiment plans them too. */
  needs: readonly K[];
  /** Keys read when another reason planned them: waited for, never planned because of this. */
  optional?: readonly K[];
}

/**
 * The experiments to run so that every wanted key is provided, with what they need (transitively),
 * in an order where each comes after everything it needs or optionally reads; among experiments
 * ready at the same time, declaration order. Throws on a cycle or a need nobody provides.
 */
export function plan<T extends Schedulable>(experiments: readonly T[], wanted: Iterable<string>): T[] {
  type K = T['provides'];
  const byKey = new Map<K, T>();
  for (const e of experiments) {
    if (byKey.has(e.provides)) throw new Error(`scheduler: two experiments provide '${e.provides}'`);
    byKey.set(e.provides, e);
  }
  const chosen = new Set<T>();
  const want = (key: K, by: string) => {
    const e = byKey.get(key);
    if (!e) throw new Error(`scheduler: '${by}' needs '${key}', which no experiment provides`);
    if (chosen.has(e)) return;
    chosen.add(e);
    for (const k of e.needs) want(k, e.name);
  };
  for (const key of wanted) if (byKey.has(key as K)) want(key as K, '(wanted)');

  const order: T[] = [];
  const placed = new Set<K>();
  const waitsFor = (e: T) =>
    [...e.needs, ...(e.optional ?? [])].filter((k) => {
      const provider = byKey.get(k);
      return provider !== undefined && provider !== e && chosen.has(provider);
    });
  const pending = experiments.filter((e) => chosen.has(e));
  while (pending.length) {
    const i = pending.findIndex((e) => waitsFor(e).every((k) => placed.has(k)));
    if (i < 0) throw new Error(`scheduler: a cycle among ${pending.map((e) => e.name).join(', ')}`);
    const [next] = pending.splice(i, 1);
    order.push(next);
    placed.add(next.provides);
  }
  return order;
}

/**
 * Runs planned experiments (in `plan` order), each once everything it waits for has finished, at
 * most `jobs` at a time. `run` should settle each experiment's own failure itself; when it throws
 * (a usage error, an interrupt) nothing new starts, the running ones are awaited, and the first
 * error is rethrown.
 */
export async function runPlan<T extends Schedulable>(
  planned: readonly T[],
  jobs: number,
  run: (experiment: T) => Promise<void>,
): Promise<void> {
  if (!Number.isInteger(jobs) || jobs < 1)
    throw new Error(`scheduler: jobs must be a positive integer, got ${jobs}`);
  const inPlan = new Set<string>(planned.map((e) => e.provides));
  const done = new Set<string>();
  const waiting = [...planned];
  const running = new Set<Promise<void>>();
  let failure: { error: unknown } | null = null;
  const ready = (e: T) =>
    [...e.needs, ...(e.optional ?? [])].every((k) => k === e.provides || !inPlan.has(k) || done.has(k));

  while (waiting.length || running.size) {
    while (!failure && running.size < jobs) {
      const i = waiting.findIndex(ready);
      if (i < 0) break;
      const [e] = waiting.splice(i, 1);
      const task: Promise<void> = run(e).then(
        () => {
          done.add(e.provides);
        },
        (error: unknown) => {
          failure ??= { error };
        },
      );
      const tracked = task.finally(() => running.delete(tracked));
      running.add(tracked);
    }
    if (!running.size) {
      if (failure || !waiting.length) break;
      // A plan from `plan` is always runnable; a hand-made one may not be.
      throw new Error(`scheduler: nothing can start among ${waiting.map((e) => e.name).join(', ')}`);
    }
    await Promise.race(running);
  }
  if (failure) throw (failure as { error: unknown }).error;
}

/**
 * Progress of experiments running side by side, passed on in plan order: events of the first
 * unfinished experiment go through at once, those of later ones wait until every experiment
 * before them has finished. So the sequence of events is the same whatever the parallelism.
 */
export class OrderedProgress<E> {
  private readonly buffered = new Map<string, E[]>();
  private readonly finished = new Set<string>();
  private head = 0;

  constructor(
    private readonly order: readonly string[],
    private readonly emit: (event: E) => void,
  ) {}

  report(name: string, event: E): void {
    if (this.order[this.head] === name) this.emit(event);
    else {
      const list = this.buffered.get(name) ?? [];
      list.push(event);
      this.buffered.set(name, list);
    }
  }

  finish(name: string): void {
    this.finished.add(name);
    while (this.head < this.order.length && this.finished.has(this.order[this.head])) {
      this.head++;
      const next = this.order[this.head];
      if (next === undefined) break;
      for (const event of this.buffered.get(next) ?? []) this.emit(event);
      this.buffered.delete(next);
    }
  }
}
