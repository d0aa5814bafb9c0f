// The CLI end to end on real files: a happy path (report files, exit codes, re-rendering) and
// every kind of bad input (exit 2, one line naming the file or flag, nothing written).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng, gaussian } from '../src/core/random.ts';
import { encodeCsv, encodeNpy, encodeNpz, makeTempDir } from '../src/data/testing.ts';
import { selectBackend } from '../src/tfjs/backend.ts';
import { loadModelFile, saveModelToDir } from '../src/tfjs/model-files/index.ts';
import { cli } from './run-cli.ts';

const tmp = makeTempDir('nn-doctor-cli-');
const N = 400;
const F = 8;
let modelPath = '';
let badInitModel = '';

function blobs(n: number): { x: Float32Array; y: Float32Array } {
  const rng = createRng(3);
  const x = new Float32Array(n * F);
  const y = new Float32Array(n);
  for (let r = 0; r < n; r++) {
    y[r] = r % 3;
    for (let f = 0; f < F; f++) x[r * F + f] = (f % 3 === y[r] ? 1.5 : -0.75) + gaussian(rng); // zero-mean
  }
  return { x, y };
}

async function saveModel(
  name: string,
  kernelInitializer?: ReturnType<typeof tf.initializers.zeros>,
): Promise<string> {
  const model = tf.sequential({
    layers: [
      tf.layers.dense({
        units: 16,
        activation: 'relu',
        inputShape: [F],
        kernelInitializer: kernelInitializer ?? tf.initializers.heNormal({ seed: 1 }),
      }),
      tf.layers.dense({
        units: 3,
        activation: 'softmax',
        kernelInitializer: kernelInitializer ?? tf.initializers.glorotUniform({ seed: 2 }),
      }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'sparseCategoricalCrossentropy' });
  return saveModelToDir(model, join(tmp.dir, name));
}

beforeAll(async () => {
  await selectBackend('wasm');
  modelPath = await saveModel('good');
  badInitModel = await saveModel('zeros', tf.initializers.zeros());
  const { x, y } = blobs(N);
  tmp.file('x.npy', encodeNpy(x, [N, F]));
  tmp.file('y.npy', encodeNpy(y, [N], '<i4'));
  tmp.file('data.npz', encodeNpz({ x: encodeNpy(x, [N, F]), y: encodeNpy(y, [N], '<i4') }));
  const val = blobs(300);
  tmp.file('val.npz', encodeNpz({ x: encodeNpy(val.x, [300, F]), y: encodeNpy(val.y, [300], '<i4') }));
  tmp.file('y-short.npy', encodeNpy(y.subarray(0, N - 1), [N - 1], '<i4'));
  tmp.file(
    'y-range.npy',
    encodeNpy(
      Float32Array.from(y, (v) => v + 3),
      [N],
      '<i4',
    ),
  );
  tmp.file('x-wrong.npy', encodeNpy(x.subarray(0, N * 5), [N, 5]));
  tmp.file(
    'onehot.npy',
    encodeNpy(
      Float32Array.from({ length: N * 3 }, (_, i) => (i % 3 === y[Math.floor(i / 3)] ? 1 : 0)),
      [N, 3],
    ),
  );
  tmp.file('empty.csv', encodeCsv([...Array.from({ length: F }, (_, i) => `f${i}`), 'label'], []));
  tmp.file('broken.json', '{ "modelTopology": ');
  const json = JSON.parse(readFileSync(modelPath, 'utf8'));
  json.weightsManifest[0].paths = ['missing.bin'];
  tmp.file('good/no-weights.json', JSON.stringify(json));
  mkdirSync(join(tmp.dir, 'short'));
  const shortWeights = tmp.file(
    'short/group1-shard1of1.bin',
    readFileSync(join(tmp.dir, 'good', 'group1-shard1of1.bin')).subarray(0, 100),
  );
  const json2 = JSON.parse(readFileSync(modelPath, 'utf8'));
  writeFileSync(join(tmp.dir, 'short', 'model.json'), JSON.stringify(json2));
  expect(existsSync(shortWeights)).toBe(true);
  const json3 = JSON.parse(readFileSync(modelPath, 'utf8'));
  json3.modelTopology.config.layers[0].class_name = 'MyCustomAttention';
  tmp.file('good/custom.json', JSON.stringify(json3));
}, 60_000);

afterAll(() => tmp.cleanup());

describe('nn-doctor check (happy path)', () => {
  it('checks a saved model on .npz data, writes JSON/Markdown, exits 0; report re-renders', async () => {
    const out = join(tmp.dir, 'report.json');
    const md = join(tmp.dir, 'report.md');
    const r = await cli([
      'check',
      '--model',
      modelPath,
      '--data',
      join(tmp.dir, 'data.npz'),
      '--json',
      out,
      '--backend',
      'wasm',
    ]);
    // stderr is a pipe here: only plain progress lines (src/cli/progress.ts), no error, no TF.js output.
    for (const line of r.stderr.split('\n').filter(Boolean))
      expect(line).toMatch(/^nn-doctor: (\d+ s|\d+ min \d+ s) in, experiment \d+: /);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/Verdict: (PASS|WARN)/);
    expect(r.stdout).toContain('Inputs');
    const report = JSON.parse(readFileSync(out, 'utf8'));
    expect(report.schemaVersion).toBe(1);
    expect(report.environment.backend).toBe('wasm');
    expect(report.subject.data.records).toBe(N);
    const again = await cli(['report', out, '--md', md, '--quiet']);
    expect(again.code).toBe(0);
    expect(readFileSync(md, 'utf8')).toContain('inputs/class-balance');
    // Replay the saved evidence through the checks with a stricter threshold: no re-training.
    const replayed = join(tmp.dir, 'replayed.json');
    const strict = await cli([
      'report',
      out,
      '--replay',
      '--threshold',
      'inputs/mean-centering.warnMeanAbs=0.0001',
      '--threshold',
      'inputs/mean-centering.failMeanAbs=0.001',
      '--json',
      replayed,
      '--quiet',
    ]);
    expect(strict.code, strict.stderr).toBe(1);
    const r2 = JSON.parse(readFileSync(replayed, 'utf8'));
    expect(r2.checks.find((c: { id: string }) => c.id === 'inputs/mean-centering').status).toBe('fail');
    expect(r2.evidence.training.loss).toEqual(report.evidence.training.loss);
  });

  it('takes a separate validation set with --val (held out instead of a split of --data)', async () => {
    const out = join(tmp.dir, 'val.json');
    const r = await cli([
      'check',
      '--model',
      modelPath,
      '--data',
      join(tmp.dir, 'data.npz'),
      '--val',
      join(tmp.dir, 'val.npz'),
      '--quiet',
      '--json',
      out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(readFileSync(out, 'utf8'));
    expect(report.subject.data.records).toBe(N);
    expect(report.evidence.training.valLoss.values.length).toBeGreaterThan(3);
    expect(report.checks.find((c: { id: string }) => c.id === 'loss/overfitting').status).toBe('pass');
  });

  it('exits 1 when a check fails (zero-initialized model, .npy + --labels); --fix writes the verified fix', async () => {
    const digest = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');
    const modelDir = dirname(badInitModel);
    const before = readdirSync(modelDir).map((f) => digest(join(modelDir, f)));
    const fixDir = join(tmp.dir, 'zeros-fixed');
    const r = await cli([
      'check',
      '--model',
      badInitModel,
      '--data',
      join(tmp.dir, 'x.npy'),
      '--labels',
      join(tmp.dir, 'y.npy'),
      '--quiet',
      '--json',
      join(tmp.dir, 'zeros.json'),
      '--fix',
      fixDir,
    ]);
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(readFileSync(join(tmp.dir, 'zeros.json'), 'utf8'));
    expect(report.diagnosis.primary).toBe('model/init-shallow');
    // --fix implies --verify on: the re-initialization is verified and written.
    expect(report.remedies.status, report.remedies.summary).toBe('verified');
    expect(report.remedies.chain[0]).toBe('reinit-fan');
    expect(readdirSync(fixDir).sort()).toEqual(['fix.json', 'group1-shard1of1.bin', 'model.json']);
    const fix = JSON.parse(readFileSync(join(fixDir, 'fix.json'), 'utf8'));
    expect(fix.chain).toEqual(report.remedies.chain);
    // The user's model is untouched; the fixed one loads and no longer has symmetric zero weights.
    expect(readdirSync(modelDir).map((f) => digest(join(modelDir, f)))).toEqual(before);
    const { model: fixed, compiled } = await loadModelFile(join(fixDir, 'model.json'));
    expect(compiled).toBe(true);
    const kernel = fixed.layers[0].getWeights()[0];
    expect(tf.moments(kernel).variance.dataSync()[0]).toBeGreaterThan(1e-3);
    expect(fixed.layers[0].getConfig().kernelInitializer).toMatchObject({ className: 'VarianceScaling' });
    fixed.dispose();
  });

  it('exits 4, verdict inconclusive, when no selected check could judge anything', async () => {
    const out = join(tmp.dir, 'nothing.json');
    // Balanced MNIST: rebalancing does not apply, and it is the only check selected.
    const r = await cli(['check', '--only', 'inputs/rebalancing', '--json', out]);
    expect(r.code, r.stderr).toBe(4);
    expect(r.stdout).toContain('Verdict: INCONCLUSIVE');
    expect(JSON.parse(readFileSync(out, 'utf8')).verdict).toBe('inconclusive');
  });
});

describe('nn-doctor check (bad input: exit 2, one line naming the culprit, nothing written)', () => {
  const f = (name: string) => join(tmp.dir, name);
  const cases: [string, () => string[], RegExp][] = [
    [
      'missing model file',
      () => ['--model', f('nope/model.json'), '--data', f('data.npz')],
      /nope\/model\.json/,
    ],
    ['malformed model.json', () => ['--model', f('broken.json'), '--data', f('data.npz')], /broken\.json/],
    [
      'weight file missing',
      () => ['--model', f('good/no-weights.json'), '--data', f('data.npz')],
      /missing\.bin/,
    ],
    [
      'weight file of the wrong size',
      () => ['--model', f('short/model.json'), '--data', f('data.npz')],
      /group1-shard1of1\.bin|short\/model\.json/,
    ],
    [
      'a layer TF.js cannot deserialize',
      () => ['--model', f('good/custom.json'), '--data', f('data.npz')],
      /MyCustomAttention/,
    ],
    [
      'validation labels of another encoding',
      () => [
        '--model',
        modelPath,
        '--data',
        f('data.npz'),
        '--val',
        f('x.npy'),
        '--val-labels',
        f('onehot.npy'),
      ],
      /--val-labels/,
    ],
    ['missing data file', () => ['--model', modelPath, '--data', f('nope.npz')], /nope\.npz/],
    [
      'data shape does not fit the model input',
      () => ['--model', modelPath, '--data', f('x-wrong.npy'), '--labels', f('y.npy')],
      /x-wrong\.npy/,
    ],
    [
      'labels count differs from records',
      () => ['--model', modelPath, '--data', f('x.npy'), '--labels', f('y-short.npy')],
      /y-short\.npy/,
    ],
    [
      'label values outside the classes',
      () => ['--model', modelPath, '--data', f('x.npy'), '--labels', f('y-range.npy')],
      /y-range\.npy/,
    ],
    ['empty data', () => ['--model', modelPath, '--data', f('empty.csv')], /empty\.csv/],
    ['unknown flag', () => ['--bogus'], /--bogus/],
    ['bad number', () => ['--lr', 'fast'], /--lr/],
    ['bad batch size', () => ['--batch-size', '0'], /--batch-size/],
    ['unknown check id', () => ['--only', 'inputs/nope'], /--only/],
    [
      'unknown threshold name',
      () => ['--threshold', 'inputs/class-balance.maxRatio=3'],
      /--threshold.*warnRatio, failRatio/,
    ],
    ['unknown backend', () => ['--backend', 'gpu'], /--backend/],
    [
      'tensorflow backend not installed',
      () => ['--backend', 'tensorflow'],
      /--backend tensorflow: neither @tensorflow\/tfjs-node-gpu nor @tensorflow\/tfjs-node is installed/,
    ],
    ['output folder missing', () => ['--json', f('no/such/dir/r.json')], /--json/],
    ['unknown --verify level', () => ['--verify', 'maybe'], /--verify: 'maybe'/],
    ['--fix with --verify off', () => ['--verify', 'off', '--fix', f('fix-off')], /--fix/],
    [
      '--fix into the model folder',
      () => ['--model', modelPath, '--fix', dirname(modelPath)],
      /--fix.*folder of --model/,
    ],
    ['--fix into a folder that is not empty', () => ['--fix', dirname(modelPath)], /--fix.*not empty/],
    ['--fix parent folder missing', () => ['--fix', f('no/such/dir')], /--fix/],
    [
      '--fix with a report inside it',
      () => ['--fix', f('fix-out'), '--json', f('fix-out/r.json')],
      /--fix|--json/,
    ],
  ];
  for (const [name, args, culprit] of cases) {
    it(name, async () => {
      const out = f(`${name.replace(/\W+/g, '-')}.json`);
      const r = await cli(['check', ...args(), ...(args().includes('--json') ? [] : ['--json', out])]);
      expect(r.code, r.stderr + r.stdout).toBe(2);
      const lines = r.stderr.trim().split('\n');
      expect(lines, r.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(/^nn-doctor: /);
      expect(lines[0]).toMatch(culprit);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(existsSync(out)).toBe(false);
    });
  }
});
