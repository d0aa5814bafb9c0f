// Worker threads for experiments that run side by side: each has its own TF.js engine and is fed
// a serializable unit of work (unit.ts) whose data lies in shared memory. Started on first use, at
// most `size`, terminated by `close()` (the checkup calls it at the end, also on error; Ctrl-C
// exits the process, which ends them with it). An idle worker never keeps the process alive.

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { UsageError } from '../core/errors.ts';
import type { ProbeContext } from '../probes/context.ts';
import { type ArmEvalIds, type ArmRunOutputs, runArmSeed } from '../probes/remedy-run.ts';
import type { TrainingData } from '../tfjs/trainer.ts';
import type { ExperimentInputs, Outcome } from './catalogue.ts';
import { type RunExperiment, runHere } from './gather.ts';
import { type ExperimentUnit, sharedData, unitOf } from './unit.ts';
import type { ConsoleLevel } from './worker-console.ts';

export type ToWorker =
  | { type: 'run'; id: number; name: string; unit: ExperimentUnit; inputs: ExperimentInputs }
  /** One seed's run of a fix experiment's arm (probes/remedy-run.ts). */
  | { type: 'arm'; id: number; unit: ExperimentUnit; ids: ArmEvalIds };
export type FromWorker =
  | { type: 'ready' }
  | { type: 'console'; level: ConsoleLevel; text: string }
  | { type: 'progress'; id: number; done: number; total: number }
  | { type: 'done'; id: number; outcome: Outcome }
  | { type: 'arm-done'; id: number; result: ArmRunOutputs }
  | { type: 'error'; id: number; stage: 'unit' | 'run'; usage: boolean; message: string };

/** Backends a worker can start on its own (tfjs-node runs its own thread pool; webgl has no worker here). */
export const WORKER_BACKENDS: readonly string[] = ['wasm', 'cpu'];

/**
 * Raised when a worker could not rebuild the unit (a layer or optimizer class registered only in
 * the caller's thread) or the worker itself failed (it could not start, or died): the experiment
 * runs in the caller's thread instead, with the same result.
 */
class NotInWorker extends Error {}

interface Pending {
  resolve(result: Outcome | ArmRunOutputs): void;
  reject(err: Error): void;
  progress: ProbeContext['progress'];
}

const fromSources = () => import.meta.url.endsWith('.ts');
const workerScript = () => new URL('./worker.js', import.meta.url);

/**
 * Whether worker threads can start here: the compiled worker.js lies beside this file (it does
 * not when nn-doctor is bundled into one file), or tsx is there to load the sources.
 */
export function workersAvailable(): boolean {
  try {
    return fromSources() ? tsxApi() !== '' : existsSync(fileURLToPath(workerScript()));
  } catch {
    return false;
  }
}

/** tsx's ESM API (a devDependency: only the sources need it). */
function tsxApi(): string {
  try {
    return import.meta.resolve('tsx/esm/api');
  } catch {
    // Where import.meta.resolve is missing (vitest's transform): beside tsx's package.json.
    const manifest = createRequire(import.meta.url).resolve('tsx/package.json');
    return pathToFileURL(join(dirname(manifest), 'dist/esm/api/index.mjs')).href;
  }
}

/**
 * The worker's entry beside this file: worker.js in the published dist/; from the sources (tsx,
 * vitest), worker.ts loaded through tsx, which a worker thread does not inherit from its parent.
 */
function startWorker(workerData: unknown): Worker {
  if (!import.meta.url.endsWith('.ts'))
    return new Worker(new URL('./worker.js', import.meta.url), { workerData });
  const entry = new URL('./worker.ts', import.meta.url).href;
  const boot = `import(${JSON.stringify(tsxApi())}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { eval: true, workerData });
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

interface Waiting {
  run(where: RunExperiment): void;
}

/**
 * Runs experiments in the caller's thread while it is free, else in the pool's workers: with
 * `jobs` N, the caller's thread and N − 1 workers. An experiment goes to whichever is free first
 * (the caller's thread, or a worker whose TF.js has started), so a worker still starting never
 * delays an experiment the caller's thread could run: on a small model, where a worker's start-up
 * costs more than the experiments, the checkup is no slower than with `jobs` 1. Where an
 * experiment runs does not change its outcome (each is seeded on its own).
 */
export function hereFirst(pool: WorkerPool, startAfterMs = 0): RunExperiment {
  let busy = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const queue: Waiting[] = [];
  // Workers start once an experiment has waited `startAfterMs` for the caller's thread: a worker's
  // start-up (a TF.js engine, seconds) then overlaps work long enough to repay it. On a small model
  // the caller's thread has run everything before then, and no worker starts at all.
  const startLater = () => {
    if (startAfterMs <= 0) pool.start();
    else if (timer === null) {
      timer = setTimeout(() => queue.length > 0 && pool.start(), startAfterMs);
      timer.unref();
    }
  };
  const drain = () => {
    while (queue.length > 0) {
      if (!busy) (queue.shift() as Waiting).run(local);
      else if (pool.hasReadyWorker()) (queue.shift() as Waiting).run(remote);
      else return;
    }
  };
  const local: RunExperiment = async (experiment, ctx, inputs) => {
    busy = true;
    try {
      return await runHere(experiment, ctx, inputs);
    } finally {
      busy = false;
      drain();
    }
  };
  const remote: RunExperiment = async (experiment, ctx, inputs) => {
    try {
      return await pool.run(experiment, ctx, inputs);
    } finally {
      drain();
    }
  };
  pool.onReady(drain);
  return (experiment, ctx, inputs) =>
    new Promise<Outcome>((resolve, reject) => {
      queue.push({ run: (where) => where(experiment, ctx, inputs).then(resolve, reject) });
      drain();
      if (queue.length > 0) startLater();
    });
}

export class WorkerPool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly waiting: ((w: Worker) => void)[] = [];
  private readonly pending = new Map<number, Pending>();
  private readonly busy = new Map<Worker, number>();
  private readonly units = new WeakMap<object, ExperimentUnit | null>();
  private readonly shared = new WeakMap<TrainingData, TrainingData>();
  /** Workers whose TF.js engine has started (they said 'ready'). */
  private readonly booted = new WeakSet<Worker>();
  private readonly readyListeners: (() => void)[] = [];
  private nextId = 0;
  private closed = false;

  constructor(
    private readonly size: number,
    private readonly backend: string,
  ) {}

  /** Runs an experiment in a worker; in this thread when its unit cannot leave it. */
  readonly run: RunExperiment = async (experiment, ctx, inputs) => {
    const unit = this.unitFor(ctx);
    if (!unit) return runHere(experiment, ctx, inputs);
    try {
      const message = { type: 'run', name: experiment.name, unit, inputs } as const;
      return (await this.send(message, ctx.progress)) as Outcome;
    } catch (err) {
      if (err instanceof NotInWorker && !this.closed) return runHere(experiment, ctx, inputs);
      throw err;
    }
  };

  /** Trains one seed of a fix experiment's arm in a worker; in this thread when its unit cannot leave it. */
  readonly runArmSeed = async (ctx: ProbeContext, ids: ArmEvalIds): Promise<ArmRunOutputs> => {
    const unit = this.unitFor(ctx);
    if (!unit) return runArmSeed(ctx, ids);
    try {
      return (await this.send({ type: 'arm', unit, ids } as const, ctx.progress)) as ArmRunOutputs;
    } catch (err) {
      if (err instanceof NotInWorker && !this.closed) return runArmSeed(ctx, ids);
      throw err;
    }
  };

  /**
   * Starts every worker now, so that their start-up (loading TF.js, starting the backend) overlaps
   * the caller's own work instead of delaying the first experiments. Idle, they keep no process alive.
   */
  start(): void {
    while (!this.closed && this.workers.length < this.size) {
      const worker = this.spawn();
      worker.unref();
      this.idle.push(worker);
    }
  }

  /** Whether a worker is idle and its engine started: an experiment sent now starts at once. */
  hasReadyWorker(): boolean {
    return !this.closed && this.idle.some((w) => this.booted.has(w));
  }

  /** Called whenever a worker becomes ready (its engine started) or idle again. */
  onReady(listener: () => void): void {
    this.readyListeners.push(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.pending.values()) p.reject(new Error('the worker pool was closed'));
    this.pending.clear();
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers.length = 0;
  }

  private unitFor(ctx: ProbeContext): ExperimentUnit | null {
    let unit = this.units.get(ctx.model);
    if (unit === undefined) {
      let data = this.shared.get(ctx.data);
      if (!data) {
        data = sharedData(ctx.data);
        this.shared.set(ctx.data, data);
      }
      unit = unitOf(ctx, data);
      this.units.set(ctx.model, unit);
    }
    return unit;
  }

  private async send(
    request: DistributiveOmit<ToWorker, 'id'>,
    progress: ProbeContext['progress'],
  ): Promise<Outcome | ArmRunOutputs> {
    const worker = await this.acquire();
    const id = this.nextId++;
    this.busy.set(worker, id);
    try {
      return await new Promise<Outcome | ArmRunOutputs>((resolve, reject) => {
        this.pending.set(id, { resolve, reject, progress });
        const message = { ...request, id } as ToWorker;
        worker.postMessage(message);
      });
    } finally {
      this.busy.delete(worker);
      this.release(worker);
    }
  }

  private acquire(): Promise<Worker> {
    if (this.closed) return Promise.reject(new Error('the worker pool was closed'));
    // A started worker first: one still loading TF.js would keep the experiment waiting.
    const at = this.idle.findIndex((w) => this.booted.has(w));
    const free = at >= 0 ? this.idle.splice(at, 1)[0] : this.idle.pop();
    if (free) {
      free.ref();
      return Promise.resolve(free);
    }
    if (this.workers.length < this.size) return Promise.resolve(this.spawn());
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(worker: Worker): void {
    const alive = this.workers.includes(worker);
    const next = this.waiting.shift();
    // A worker that died is replaced for whoever waits.
    if (next) next(alive ? worker : this.spawn());
    else if (alive) {
      worker.unref();
      this.idle.push(worker);
      for (const listener of this.readyListeners) listener();
    }
  }

  private spawn(): Worker {
    const worker = startWorker({ backend: this.backend });
    worker.on('message', (message: FromWorker) => {
      // The worker's console output, printed by this thread's console (worker-console.ts).
      if (message.type === 'console') return console[message.level](message.text);
      if (message.type !== 'ready') return this.receive(message);
      this.booted.add(worker);
      for (const listener of this.readyListeners) listener();
    });
    const fail = (err: Error) => {
      // A worker that died hands its experiment back to the caller's thread; the pool starts another when needed.
      if (!this.workers.includes(worker)) return;
      this.workers.splice(this.workers.indexOf(worker), 1);
      if (this.idle.includes(worker)) this.idle.splice(this.idle.indexOf(worker), 1);
      const id = this.busy.get(worker);
      const p = id === undefined ? undefined : this.pending.get(id);
      if (id !== undefined && p) {
        this.pending.delete(id);
        p.reject(new NotInWorker(err.message));
      }
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (this.workers.includes(worker))
        fail(new Error(`the experiment's worker thread exited (code ${code})`));
    });
    this.workers.push(worker);
    return worker;
  }

  private receive(message: Exclude<FromWorker, { type: 'ready' } | { type: 'console' }>): void {
    const p = this.pending.get(message.id);
    if (!p) return;
    if (message.type === 'progress') {
      p.progress(message.done, message.total);
      return;
    }
    this.pending.delete(message.id);
    if (message.type === 'done') p.resolve(message.outcome);
    else if (message.type === 'arm-done') p.resolve(message.result);
    else if (message.stage === 'unit') p.reject(new NotInWorker(message.message));
    else p.reject(message.usage ? new UsageError(message.message) : new Error(message.message));
  }
}
