// Safe to embed: a library checkup leaves the caller's process as it found it — Math.random is
// never replaced while other code can run (also with two checkups at once), the caller's TF.js
// backend stays active (or is put back when a checkup names another) — and is still reproducible:
// the same seed gives the same report, run after run and concurrently, with dropout and noise
// layers in the model. Option mistakes are UsageErrors, as on the command line.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../src/core/dataset.ts';
import { UsageError } from '../src/core/errors.ts';
import { createRng, gaussian } from '../src/core/random.ts';
import type { Report } from '../src/core/report.ts';
import { checkup } from '../src/node/checkup.ts';
import { buildReport } from '../src/registry.ts';
import { healthyEvidence } from '../src/render/testing/fixtures.ts';

const BUDGET = {
  trainSteps: 20,
  overfitSteps: 30,
  overfitRecords: 20,
  controlSteps: 10,
  sweepSteps: 12,
  heldOutRecords: 60,
};

function data(seed = 3): Dataset {
  const n = 300;
  const f = 6;
  const rng = createRng(seed);
  const x = Float32Array.from({ length: n * f }, () => gaussian(rng));
  const y = Float32Array.from(
    { length: n },
    (_, r) => (x[r * f] + x[r * f + 1] > 0 ? 1 : 0) + (x[r * f + 2] > 1 ? 1 : 0),
  );
  return { x, xShape: [n, f], y, yShape: [n], source: 'synthetic' };
}

/** Random ops in training mode: Dropout, GaussianNoise, GaussianDropout. */
function noisyModel(): tf.LayersModel {
  const model = tf.sequential({
    layers: [
      tf.layers.gaussianNoise({ stddev: 0.3, inputShape: [6] }),
      tf.layers.dense({
        units: 16,
        activation: 'relu',
        kernelInitializer: tf.initializers.heNormal({ seed: 1 }),
      }),
      tf.layers.dropout({ rate: 0.4 }),
      tf.layers.dense({
        units: 16,
        activation: 'relu',
        kernelInitializer: tf.initializers.heNormal({ seed: 2 }),
      }),
      tf.layers.gaussianDropout({ rate: 0.2 }),
      tf.layers.dense({
        units: 3,
        activation: 'softmax',
        kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }),
      }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'sparseCategoricalCrossentropy' });
  return model;
}

/** The report without what legitimately differs between runs (clock readings). */
function stable(report: Report): unknown {
  const { createdAt: _c, timings: _t, ...rest } = report;
  return JSON.parse(
    JSON.stringify({ ...rest, checks: rest.checks.map(({ durationMs: _d, ...c }) => c) }, (_k, v) =>
      typeof v === 'number' && !Number.isFinite(v) ? String(v) : v,
    ),
  );
}

const model = noisyModel();
const run = (seed: number, extra: Partial<Parameters<typeof checkup>[0]> = {}) =>
  checkup({ model, data: data(), seed, budget: BUDGET, batchSize: 32, ...extra });

describe('a library checkup in the caller’s process', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  let first: Report;
  it('is reproducible: the same seed gives the same report, and another seed another one', async () => {
    first = await run(7);
    expect(first.evidence.training?.loss.values).toHaveLength(BUDGET.trainSteps);
    expect(stable(await run(7))).toEqual(stable(first));
    expect(stable(await run(8))).not.toEqual(stable(first));
  });

  it('never lets other code see a seeded Math.random, also with two checkups at once', async () => {
    const callersRandom = Math.random;
    let ticks = 0;
    let foreign = 0;
    let running = true;
    // The caller's own code, interleaved with the checkups' steps. On the cpu and wasm backends
    // most of a checkup's awaits settle as microtasks, so the watcher checks between microtasks;
    // it also lets macrotasks run now and then, as a checkup yields to the event loop once per
    // training step (a loop of bare awaits would starve that yield and never end).
    const watch = (async () => {
      while (running) {
        for (let i = 0; i < 100; i++) {
          ticks++;
          if (Math.random !== callersRandom) foreign++;
          await null;
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const [a, b] = await Promise.all([run(7), run(7)]);
    running = false;
    await watch;
    expect(ticks).toBeGreaterThan(20);
    expect(foreign).toBe(0);
    expect(Math.random).toBe(callersRandom);
    expect(stable(a)).toEqual(stable(first));
    expect(stable(b)).toEqual(stable(first));
  });

  it('runs on the caller’s backend and leaves it active', async () => {
    expect(tf.getBackend()).toBe('cpu');
    expect(first.environment.backend).toBe('cpu');
  });

  it('runs on a backend it is given and switches back afterwards', async () => {
    const report = await run(7, { backend: 'wasm', only: ['inputs', 'model/init-shallow'] });
    expect(report.environment.backend).toBe('wasm');
    expect(tf.getBackend()).toBe('cpu');
  });

  it('refuses two checkups at once on different backends (TF.js has one active backend)', async () => {
    const quick = { only: ['inputs/class-balance'] };
    const results = await Promise.allSettled([
      run(7, { ...quick, backend: 'wasm' }),
      run(7, { ...quick, backend: 'cpu' }),
    ]);
    expect(results[0].status).toBe('fulfilled');
    expect(results[1].status).toBe('rejected');
    const error = (results[1] as PromiseRejectedResult).reason;
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toMatch(/options\.backend cpu: another checkup is running on 'wasm'/);
    expect(tf.getBackend()).toBe('cpu');
  });
});

describe('option validation in the library (as the CLI does it)', () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    [
      'unknown threshold name',
      { thresholds: { 'inputs/class-balance': { maxRatio: 3 } } },
      /options\.thresholds: inputs\/class-balance has no threshold 'maxRatio' \(it has warnRatio, failRatio\)/,
    ],
    [
      'unknown check id',
      { thresholds: { 'inputs/nope': { x: 1 } } },
      /options\.thresholds: unknown check 'inputs\/nope'/,
    ],
    [
      'non-numeric value',
      { thresholds: { 'inputs/class-balance': { failRatio: '20' } } },
      /options\.thresholds\['inputs\/class-balance'\]\.failRatio: must be a finite number/,
    ],
    [
      'NaN value',
      { thresholds: { 'inputs/class-balance': { failRatio: Number.NaN } } },
      /must be a finite number/,
    ],
    ['thresholds not an object', { thresholds: 5 }, /options\.thresholds: must be an object/],
    ['unknown only id', { only: ['inputs/nope'] }, /options\.only: unknown check 'inputs\/nope'/],
    ['unknown skip section', { skip: ['layers'] }, /options\.skip: unknown check 'layers'/],
  ];
  for (const [name, options, message] of cases) {
    it(`checkup: ${name}`, async () => {
      const error = await run(7, options).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UsageError);
      expect((error as Error).message).toMatch(message);
    });
    it(`buildReport (replaying evidence): ${name}`, () => {
      expect(() => buildReport({ evidence: healthyEvidence(), options: options as never })).toThrow(message);
    });
  }

  it('accepts known overrides and applies them', () => {
    const report = buildReport({
      evidence: healthyEvidence(),
      options: { thresholds: { 'inputs/class-balance': { failRatio: 20 } }, only: ['inputs'] },
    });
    expect(report.checks.find((c) => c.id === 'inputs/class-balance')?.thresholds.failRatio).toBe(20);
  });
});
