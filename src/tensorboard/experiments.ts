// Which runs belong together. `train`/`validation` (Keras), `train`/`val` (tfjs-node),
// `Loss_train`/`Loss_val` (PyTorch add_scalars) are the phases of one experiment; folders that
// differ otherwise (`exp1/…`, `exp2/…`, PyTorch's `runs/<date>_<host>`) are separate experiments.
// One experiment is diagnosed: the only one, or else the most recently written.
import type { RunData } from './run-data.ts';
import { type Phase, runPhase } from './tags.ts';

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
  if (runPhase(run) === null) return run;
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

/** The experiment to diagnose (with data), and the others left out. */
export function chooseExperiment(runs: RunData[]): { chosen: Experiment | null; others: Experiment[] } {
  const withData = groupExperiments(runs).filter((g) => g.runs.some(({ run }) => run.values > 0));
  if (withData.length === 0) return { chosen: null, others: [] };
  const chosen = withData.reduce((a, b) => (b.lastWallTime > a.lastWallTime ? b : a));
  return { chosen, others: withData.filter((g) => g !== chosen) };
}
