// Verified remedies over the planted faults: the repair rate (the right fix verified and the fixed
// clone within HEALTHY_MARGIN of the healthy MLP), how often the random-fix baseline would have
// done as well, and what verification costs on the built-in example and on a small CNN (checkup
// with and without the fix experiments, side by side in one run: the machine is shared and noisy).
// The cost part runs each setup with --jobs 1 and 2 (the arms' runs side by side in a worker
// thread), with and without verification, interleaved in one run.
// Usage: npx tsx bench/remedies.ts [--only NAME-SUBSTRING] [--no-cost] [--no-sweep] [--cost-models mlp,cnn] [--jobs 1,2]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import type { Report } from '../src/core/report.ts';
import { exampleData, exampleModel } from '../src/example/mnist-mlp.ts';
import { checkup } from '../src/node/checkup.ts';
import { selectBackend } from '../src/tfjs/backend.ts';
import {
  HEALTHY_BALANCED_ACCURACY,
  HEALTHY_MARGIN,
  PLANTED,
  PLANTED_CAUSES,
  type PlantedCase,
} from '../test/e2e/planted-cases.ts';
import { smallCnn } from '../test/e2e/small-cnn.ts';

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    'no-cost': { type: 'boolean' },
    'no-sweep': { type: 'boolean' },
    'cost-models': { type: 'string', default: 'mlp,cnn' },
    jobs: { type: 'string', default: '1,2' },
  },
});

/** The right first fix of the cases the e2e tests do not verify (those name theirs in `fix`). */
const RIGHT_FIX: Record<string, string[] | null> = {
  'learning rate 1000× too low (Adam 1e-6)': ['lr-range-test', 'lr-up'],
  'sigmoid layers with large-std init': ['reinit-fan', 'batch-norm'],
  'ReLU layers with a large negative bias': ['reinit-fan', 'bias-small-positive', 'leaky-relu'],
  '95% of records in one class': ['class-weights', 'oversample'],
  'SGD at a learning rate that kills the ReLUs (SGD 1)': ['lr-range-test', 'lr-down'],
  'a one-unit softmax under binary cross-entropy (always exactly 1)': [
    'output-activation',
    'loss-crossentropy',
  ],
  'a regression target left in raw units (mean ≈ 22,500)': ['standardize-targets'],
};

const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const backend = await selectBackend();
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

interface Row {
  name: string;
  right: string[] | null;
  report: Report;
  seconds: number;
}

async function runCase(c: PlantedCase): Promise<Row> {
  const built = c.model();
  const model = built instanceof tf.LayersModel ? built : exampleModel(built);
  const t0 = performance.now();
  const report = await checkup({ model, data: c.data(), verify: 'auto' });
  model.dispose();
  return {
    name: c.name,
    right: c.fix !== undefined ? c.fix : (RIGHT_FIX[c.name] ?? null),
    report,
    seconds: (performance.now() - t0) / 1000,
  };
}

if (!values['no-sweep']) {
  const cases = [...PLANTED, ...PLANTED_CAUSES].filter((c) => !values.only || c.name.includes(values.only));
  const rows: Row[] = [];
  for (const c of cases) {
    const row = await runCase(c);
    rows.push(row);
    const r = row.report.remedies;
    console.log(
      `${row.name}: ${r?.status} ${r?.chain.join(' + ') || '-'} (${row.seconds.toFixed(0)} s, remedies ${((row.report.timings.probes.remedies ?? 0) / 1000).toFixed(0)} s)`,
    );
  }
  let repairable = 0;
  let repaired = 0;
  let withinMargin = 0;
  let randomAsGood = 0;
  let randomArms = 0;
  let randomArmsRepair = 0;
  let falseClaims = 0;
  console.log(`\nbackend ${backend}; node ${process.version}; load average ${load()}`);
  console.log('case | right fix | verified chain | before → after | random baseline | repaired');
  for (const row of rows) {
    const r = row.report.remedies;
    const first = r?.chain[0];
    const ok = row.right === null ? !first : first !== undefined && row.right.includes(first);
    const regression = r?.metric === 'r2';
    const good = (x: number) => (regression ? x >= 0.5 : x >= HEALTHY_BALANCED_ACCURACY - HEALTHY_MARGIN);
    if (row.right === null) {
      if (first) falseClaims++;
    } else {
      repairable++;
      if (ok) repaired++;
      if (ok && r?.after && good(r.after.mean)) withinMargin++;
    }
    // The random-fix baseline of the first stage: would a fix drawn at random have done as well?
    const stage = row.report.evidence.remedies?.stages[0];
    const verified = r?.tried.find((t) => t.verified && t.stage === 1);
    if (stage && verified && verified.random.mean >= verified.after.mean - verified.spread) randomAsGood++;
    for (const arm of stage?.random ?? []) {
      randomArms++;
      if (arm.runs.every((run) => good(run.score))) randomArmsRepair++;
    }
    const fmt = (x: number | undefined) => (x === undefined ? '-' : regression ? x.toFixed(3) : pct(x));
    console.log(
      `${row.name} | ${row.right?.join('/') ?? 'none'} | ${r?.chain.join(' + ') || '-'} | ${fmt(r?.before?.mean)} → ${fmt(r?.after?.mean)} | ${fmt(verified?.random.mean)} | ${ok ? 'yes' : 'NO'}`,
    );
  }
  console.log(
    `\nrepair rate: ${repaired}/${repairable} right fix verified; ${withinMargin}/${repairable} also within ${pct(HEALTHY_MARGIN)} of the healthy MLP (${pct(HEALTHY_BALANCED_ACCURACY)}; R² ≥ 0.5 for regression)`,
  );
  console.log(`fix claimed where none repairs (shuffled labels): ${falseClaims}`);
  console.log(
    `random-fix baseline as good as the verified fix (within its seed spread): ${randomAsGood}/${repaired}; single random-fix arms that repaired the fault: ${randomArmsRepair}/${randomArms} (${pct(randomArmsRepair / Math.max(1, randomArms))})`,
  );
}

if (!values['no-cost']) {
  // Zero-initialized kernels: a failing checkup, so the fix experiments run.
  const models = values['cost-models'].split(',');
  const setups: [string, () => tf.LayersModel][] = [
    ['built-in MLP, zero init', () => exampleModel({ kernelInitializer: tf.initializers.zeros() })],
    ['small CNN, zero init', () => smallCnn({ kernelInitializer: tf.initializers.zeros() })],
  ].filter((_, i) => models.includes(['mlp', 'cnn'][i])) as [string, () => tf.LayersModel][];
  const jobsList = values.jobs.split(',').map(Number);
  const data = exampleData();
  console.log(`\nverification cost (backend ${backend}; load average before ${load()})`);
  for (const [name, build] of setups) {
    const times: Record<string, number> = {};
    const verdicts: Record<string, string> = {};
    // Interleaved: the load changes hit every variant alike.
    for (const jobs of jobsList)
      for (const verify of ['never', 'auto'] as const) {
        const model = build();
        const t0 = performance.now();
        const report = await checkup({ model, data, verify, jobs });
        times[`${verify} ${jobs}`] = (performance.now() - t0) / 1000;
        if (verify === 'auto')
          verdicts[jobs] = `${report.remedies?.status} ${report.remedies?.chain.join(' + ')}`;
        model.dispose();
      }
    for (const jobs of jobsList) {
      const never = times[`never ${jobs}`];
      const auto = times[`auto ${jobs}`];
      console.log(
        `${name}, --jobs ${jobs}: checkup ${never.toFixed(1)} s, with --verify on ${auto.toFixed(1)} s (×${(auto / never).toFixed(2)} the checkup; ${verdicts[jobs]})`,
      );
    }
    if (jobsList.length > 1) {
      const [a, b] = [jobsList[0], jobsList[jobsList.length - 1]];
      console.log(
        `${name}: --verify on at --jobs ${b} vs --jobs ${a}: ×${(times[`auto ${b}`] / times[`auto ${a}`]).toFixed(2)}; --verify on at --jobs ${b} vs the checkup at --jobs ${a}: ×${(times[`auto ${b}`] / times[`never ${a}`]).toFixed(2)}`,
      );
    }
  }
  console.log(`load average after ${load()}`);
}
