// A `check` whose stderr is not a terminal (here a pipe, as in CI logs or `| cat`): plain progress
// lines on stderr, and TF.js's own console output (its Node.js banner on the cpu backend) in the
// report's notes, not on stderr.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng, gaussian } from '../src/core/random.ts';
import { encodeNpy, encodeNpz, makeTempDir } from '../src/data/testing.ts';
import { selectBackend } from '../src/tfjs/backend.ts';
import { saveModelToDir } from '../src/tfjs/model-files/index.ts';
import { cli } from './run-cli.ts';

const tmp = makeTempDir('nn-doctor-progress-');
let modelPath = '';
const F = 64;

beforeAll(async () => {
  await selectBackend('wasm');
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ units: 128, activation: 'relu', inputShape: [F] }),
      tf.layers.dense({ units: 128, activation: 'relu' }),
      tf.layers.dense({ units: 2, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'sparseCategoricalCrossentropy' });
  modelPath = await saveModelToDir(model, join(tmp.dir, 'model'));
  const rng = createRng(1);
  // Big enough that the checkup on the cpu backend lasts well past the first line's 2 s.
  const n = 2000;
  const x = Float32Array.from(
    { length: n * F },
    (_, i) => gaussian(rng) + (Math.floor(i / F) % 2 ? 0.5 : -0.5),
  );
  const y = Float32Array.from({ length: n }, (_, r) => r % 2);
  tmp.file('data.npz', encodeNpz({ x: encodeNpy(x, [n, F]), y: encodeNpy(y, [n], '<i4') }));
});

afterAll(() => tmp.cleanup());

describe('check off a terminal', () => {
  it('prints plain progress lines on stderr and puts TF.js console output in the notes', async () => {
    const out = join(tmp.dir, 'report.json');
    const r = await cli([
      'check',
      '--model',
      modelPath,
      '--data',
      join(tmp.dir, 'data.npz'),
      '--backend',
      'cpu',
      // The whole checkup, on the slow cpu backend: the first progress line comes after 2 s.
      '--json',
      out,
    ]);
    expect([0, 1], r.stderr).toContain(r.code);
    const lines = r.stderr.split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/^nn-doctor: (\d+ s|\d+ min \d+ s) in, experiment \d+: /);
    expect(r.stderr).not.toContain('\r');
    expect(r.stderr).not.toMatch(/TensorFlow\.js|tfjs-node/);
    const report = JSON.parse(readFileSync(out, 'utf8'));
    const tfNotes = report.warnings.filter((w: string) => w.startsWith('TF.js: '));
    expect(tfNotes).toContainEqual(expect.stringMatching(/running TensorFlow\.js in Node\.js/));
    expect(new Set(tfNotes).size).toBe(tfNotes.length);
  }, 240_000);

  it('prints no progress with --quiet', async () => {
    const r = await cli([
      'check',
      '--model',
      modelPath,
      '--data',
      join(tmp.dir, 'data.npz'),
      '--only',
      'loss/initial-loss',
      '--quiet',
    ]);
    expect([0, 1, 4], r.stderr).toContain(r.code);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('');
  }, 240_000);
});
