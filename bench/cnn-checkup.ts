// Wall time of `nn-doctor check` from the CLI on the models people debug (issue 19), with the
// per-experiment times the report records, at `--jobs 1` and `--jobs 2` side by side in one run:
//
// - 'mlp': the built-in example (MNIST MLP, 10,000 records). Target ≤ 1.5 s on 2 cores.
// - 'small-cnn': bench/lib's LeNet (2 Conv2D + dense 512) on 5,000 MNIST records (.npy files).
//   Target ≤ 15 s.
// - 'keras-cnn': a Keras-2-style MNIST CNN (4 Conv2D in two blocks with max-pooling and dropout,
//   ~365k parameters, ~230 MFLOP per training sample), `--data mnist`. Target ≤ 60 s.
//
// `--jobs N` is passed only when the CLI supports it (read from `check --help`); otherwise the run
// says so and measures the CLI as it is. Each checkup is a fresh process, as a user runs it.
// Usage: npx tsx bench/cnn-checkup.ts [--models mlp,small-cnn,keras-cnn] [--jobs 1,2] [--runs 1]
//        [--backend wasm|cpu|tensorflow] [--cli tsx|dist] [--json FILE] [--pytorch] [--extra "ARGS"]
// `--pytorch` also runs bench/pytorch-checkup.py (the same experiments at the same budgets, by hand
// in PyTorch on the CPU, 1 and 2 threads) for each model right after nn-doctor's runs of it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { loadMnist } from '../src/data/mnist.ts';
import { encodeNpy } from '../src/data/testing.ts';
import { selectBackend } from '../src/tfjs/backend.ts';
import { saveModelToDir } from '../src/tfjs/model-files/index.ts';
import { lenet, loadAverage } from './lib/models.ts';

const { values } = parseArgs({
  options: {
    models: { type: 'string', default: 'mlp,small-cnn,keras-cnn' },
    jobs: { type: 'string', default: '1,2' },
    runs: { type: 'string', default: '1' },
    backend: { type: 'string' },
    cli: { type: 'string', default: 'tsx' },
    json: { type: 'string' },
    pytorch: { type: 'boolean', default: false },
    /** More CLI arguments for every run, e.g. `--extra "--only inputs/standard-corpus"`. */
    extra: { type: 'string', default: '' },
  },
});

const root = join(import.meta.dirname, '..');
const TARGET_S: Record<string, number> = { mlp: 1.5, 'small-cnn': 15, 'keras-cnn': 60 };

/** A Keras 2 MNIST CNN of the kind found in public repositories: two conv blocks, dropout, dense. */
export function kerasMnistCnn(seed = 7): tf.Sequential {
  const init = (k: number) => tf.initializers.glorotUniform({ seed: seed + k });
  const conv = (filters: number, kernelSize: number, k: number, first = false) =>
    tf.layers.conv2d({
      ...(first ? { inputShape: [28, 28, 1] } : {}),
      filters,
      kernelSize,
      padding: 'same',
      activation: 'relu',
      kernelInitializer: init(k),
    });
  const model = tf.sequential({
    name: 'keras_mnist_cnn',
    layers: [
      conv(32, 3, 1, true),
      conv(32, 3, 2),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.dropout({ rate: 0.25 }),
      conv(64, 5, 3),
      conv(64, 5, 4),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.dropout({ rate: 0.25 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 64, activation: 'relu', kernelInitializer: init(5) }),
      tf.layers.dropout({ rate: 0.5 }),
      tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: init(6) }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

/** Multiply-adds of one forward pass per record (conv and dense layers). */
function forwardMacs(model: tf.LayersModel): number {
  let macs = 0;
  for (const layer of model.layers) {
    const out = layer.outputShape as number[];
    if (!Array.isArray(out)) continue;
    const kernel = layer.getWeights()[0]?.shape;
    if (!kernel) continue;
    const name = layer.getClassName();
    if (name === 'Conv2D') macs += (out[1] ?? 0) * (out[2] ?? 0) * kernel.reduce((a, b) => a * b, 1);
    else if (name === 'Dense') macs += kernel.reduce((a, b) => a * b, 1);
  }
  return macs;
}

function cliSupportsJobs(): boolean {
  const help = runCli(['check', '--help']);
  return /--jobs\b/.test(help.stdout + help.stderr);
}

function runCli(args: string[]): {
  status: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
  cpuSeconds: number | null;
} {
  const entry =
    values.cli === 'dist'
      ? [join(root, 'bin', 'nn-doctor.js')]
      : ['--import', 'tsx', join(root, 'src', 'cli', 'main.ts')];
  // CPU seconds (user + sys) through GNU time where installed: on a loaded machine they move far
  // less than wall time.
  const timed = existsSync('/usr/bin/time');
  const command = timed ? '/usr/bin/time' : process.execPath;
  const prefix = timed ? ['-f', 'NN_DOCTOR_CPU %U %S', process.execPath] : [];
  const t0 = performance.now();
  const r = spawnSync(command, [...prefix, ...entry, ...args], { cwd: root, encoding: 'utf8' });
  const cpu = /NN_DOCTOR_CPU ([\d.]+) ([\d.]+)/.exec(r.stderr);
  return {
    status: r.status,
    stdout: r.stdout,
    stderr: r.stderr,
    seconds: (performance.now() - t0) / 1000,
    cpuSeconds: cpu ? Number(cpu[1]) + Number(cpu[2]) : null,
  };
}

/** Steps an adaptive experiment took, from the report's measured values. */
function steps(
  report: { checks?: { id: string; measured?: Record<string, unknown> }[] },
  id: string,
): string {
  const value = report.checks?.find((c) => c.id === id)?.measured?.steps;
  return typeof value === 'number' ? String(value) : '-';
}

await selectBackend('cpu');
const dir = mkdtempSync(join(tmpdir(), 'nn-doctor-cnn-bench-'));
interface Setup {
  args: string[];
  params: number;
  mflop: number;
}
const setups: Record<string, () => Promise<Setup>> = {
  mlp: async () => ({ args: [], params: 235_146, mflop: 6 * 235_146 * 1e-6 }),
  'small-cnn': async () => {
    const model = lenet();
    model.compile({ optimizer: tf.train.adam(1e-3), loss: 'sparseCategoricalCrossentropy' });
    const ds = loadMnist('train', 5000);
    writeFileSync(join(dir, 'x.npy'), encodeNpy(ds.x, [5000, 28, 28, 1]));
    writeFileSync(join(dir, 'y.npy'), encodeNpy(Int32Array.from(ds.y), [5000], '<i4'));
    const path = await saveModelToDir(model, join(dir, 'small-cnn'));
    const setup = {
      args: ['--model', path, '--data', join(dir, 'x.npy'), '--labels', join(dir, 'y.npy')],
      params: model.countParams(),
      mflop: (6 * forwardMacs(model)) / 1e6,
    };
    model.dispose();
    return setup;
  },
  'keras-cnn': async () => {
    const model = kerasMnistCnn();
    const path = await saveModelToDir(model, join(dir, 'keras-cnn'));
    const setup = {
      args: ['--model', path, '--data', 'mnist'],
      params: model.countParams(),
      mflop: (6 * forwardMacs(model)) / 1e6,
    };
    model.dispose();
    return setup;
  },
};

const models = values.models.split(',');
for (const m of models) if (!setups[m]) throw new Error(`--models: no model '${m}' (${Object.keys(setups)})`);
const jobsList = values.jobs.split(',').map(Number);
const runs = Number(values.runs);
const jobsSupported = cliSupportsJobs();
console.log(
  `node ${process.version}; cli: ${values.cli}; load average at start: ${loadAverage()}; ` +
    (jobsSupported
      ? `--jobs supported: measuring ${jobsList.join(' and ')}`
      : '--jobs is NOT supported by this CLI: every run below is the CLI as it is (one experiment at a time)'),
);
const results: unknown[] = [];
try {
  for (const m of models) {
    const setup = await setups[m]();
    console.log(
      `\n${m}: ${setup.params.toLocaleString('en')} parameters, ~${setup.mflop.toFixed(0)} MFLOP per training sample (fwd+bwd ≈ 3× forward)`,
    );
    for (const jobs of jobsSupported ? jobsList : [jobsList[0]]) {
      for (let r = 0; r < runs; r++) {
        const out = join(dir, `${m}-${jobs}-${r}.json`);
        const args = [
          'check',
          ...setup.args,
          ...(jobsSupported ? ['--jobs', String(jobs)] : []),
          ...(values.backend ? ['--backend', values.backend] : []),
          ...values.extra.split(' ').filter(Boolean),
          '--json',
          out,
          '--quiet',
        ];
        const load = loadAverage();
        const run = runCli(args);
        if (run.status !== 0 && run.status !== 1) {
          console.log(`  exit ${run.status}: ${run.stderr.trim().split('\n').slice(-3).join(' | ')}`);
          continue;
        }
        const report = JSON.parse(readFileSync(out, 'utf8'));
        const probes = report.timings?.probes as Record<string, number>;
        const label = jobsSupported ? `--jobs ${jobs}` : 'as is';
        console.log(
          `  ${label}: wall ${run.seconds.toFixed(1)} s, CPU ${run.cpuSeconds?.toFixed(1) ?? 'n/a'} s ` +
            `(checkup ${(report.timings.totalMs / 1000).toFixed(1)} s; target ≤ ${TARGET_S[m]} s) verdict ${report.verdict}; ` +
            `steps: control ${steps(report, 'inputs/standard-corpus')}, overfit ${steps(report, 'inputs/overfit-small')}; load ${load}`,
        );
        const parts = Object.entries(probes)
          .filter(([, ms]) => ms >= 50)
          .sort((a, b) => b[1] - a[1])
          .map(([name, ms]) => `${name} ${(ms / 1000).toFixed(1)}`);
        console.log(`    per experiment (s): ${parts.join(', ')}`);
        results.push({
          model: m,
          jobs: jobsSupported ? jobs : null,
          wallS: run.seconds,
          cpuS: run.cpuSeconds,
          probes,
          load,
        });
      }
    }
    if (values.pytorch) {
      const py = spawnSync(
        '/usr/bin/python3',
        [join(root, 'bench', 'pytorch-checkup.py'), '--models', m, '--threads', '1,2'],
        { cwd: root, encoding: 'utf8' },
      );
      const lines = `${py.stdout}${py.status === 0 ? '' : py.stderr}`.trim().split('\n');
      for (const line of lines) console.log(`  ${line} (load ${loadAverage()})`);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
if (values.json) writeFileSync(values.json, JSON.stringify(results, null, 2));
