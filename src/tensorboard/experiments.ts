// Which runs belong together. `train`/`validation` (Keras), `train`/`val` (tfjs-node),
// `learn`/`test` (CatBoost), `Loss_train`/`Loss_val` (PyTorch add_scalars) are the phases of one
// experiment, and a timestamp-named sub-run (the hyper-parameters Hugging Face's Trainer writes
// beside its run) belongs to its parent; folders that differ otherwise (`exp1/…`, `exp2/…`,
// PyTorch's `runs/<date>_<host>`, Lightning's `version_<n>`) are separate experiments.
import type { RunData } from './run-data.ts';
import { isTimestampRun, type Phase, runPhase } from './tags.ts';

export interface Experiment {
  /** Folder of the experiment relative to the log directory ('.' for the directory itself). */
  name: string;
  runs: { run: RunData; phase: Phase }[];
  lastWallTime: number;
}

/** The experiment a run belongs to: its folder, without a last segment that names a phase. */
export function experimentOf(run: string): string {
  if (run === '.') return '.';
  const segments = run.split('/');
  if (runPhase(run) === null && !isTimestampRun(run)) return run;
  segments.pop();
  return segments.length ? segments.join('/') : '.';
}

export function groupExperiments(runs: RunData[]): Experiment[] {
  const groups = new Map<string, Experiment>();
  for (const run of runs) {
    const name = experimentOf(run.name);
    let g = groups.get(name);
    if (!g) {
      g = { name, runs: [], lastWallTime: 0 };
      groups.set(name, g);
    }
    g.runs.push({ run, phase: run.name === '.' ? 'train' : (runPhase(run.name) ?? 'train') });
    g.lastWallTime = Math.max(g.lastWallTime, run.lastWallTime);
  }
  return [...groups.values()];
}

/** Experiments that hold any value, most recently written first. */
export function withValues(experiments: Experiment[]): Experiment[] {
  return experiments
    .filter((g) => g.runs.some(({ run }) => run.values > 0))
    .sort((a, b) => b.lastWallTime - a.lastWallTime || (a.name < b.name ? -1 : 1));
}
