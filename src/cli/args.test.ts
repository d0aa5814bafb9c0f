// Flags are validated before any work: decimal-only numbers, known losses, no silently ignored
// flag, no meaningless negative threshold, one line per error. And the check command's list of
// inputs covers every file it reads, so no output can be one of them.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../core/errors.ts';
import { encodeCsv, encodeNpy, makeTempDir } from '../data/testing.ts';
import { saveModelToDir } from '../tfjs/model-files/index.ts';
import { numberFlag, thresholdOverrides } from './args.ts';
import { checkInputFiles, parseCheckArgs } from './check.ts';
import { parseDiagnoseArgs } from './diagnose.ts';
import { planOutputs } from './output.ts';
import { parseReportArgs } from './report.ts';

function usage(fn: () => unknown, pattern: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(UsageError);
  expect((caught as Error).message).not.toContain('\n');
  expect((caught as Error).message).toMatch(pattern);
}

describe('numbers are decimal only', () => {
  it.each([
    ['0x10', /'0x10' is not a positive number \(decimal digits/],
    ['0o7', /'0o7' is not a positive number/],
    ['0b1', /'0b1' is not a positive number/],
    ['Infinity', /'Infinity' is not a positive number/],
    [' 1', /' 1' is not a positive number/],
    ['1 ', /'1 ' is not a positive number/],
    ['', /'' is not a positive number/],
    ['1e400', /'1e400' is out of range/],
    ['-1', /'-1' is not a positive number/],
    ['0', /'0' is not a positive number/],
    ['1_000', /is not a positive number/],
  ])('--lr %j is refused', (value, pattern) => {
    usage(() => numberFlag('lr', value, { positive: true }), pattern);
  });

  it('decimal forms are read', () => {
    for (const [text, value] of [
      ['0.001', 0.001],
      ['1e-3', 0.001],
      ['.5', 0.5],
      ['5.', 5],
      ['+2', 2],
      ['6.02E23', 6.02e23],
    ] as const)
      expect(numberFlag('lr', text, { positive: true })).toBe(value);
    expect(numberFlag('batch-size', '1e2', { integer: true, positive: true })).toBe(100);
    usage(
      () => numberFlag('batch-size', '2.5', { integer: true, positive: true }),
      /not a positive whole number \(decimal digits, e\.g\. 42\)/,
    );
    usage(() => numberFlag('seed', '-3', { integer: true, min: 0 }), /'-3' is not a whole number ≥ 0/);
  });
});

describe('check flags', () => {
  it('--loss bogus is refused before any work (it ran with 18 checks in ERROR)', () => {
    usage(
      () => parseCheckArgs(['--loss', 'bogus']),
      /--loss: unknown loss 'bogus' \(TF\.js Layers has meanSquaredError/,
    );
  });

  it('--loss takes TF.js names and Keras spellings', () => {
    expect(parseCheckArgs(['--loss', 'sparse_categorical_crossentropy']).options.loss).toBe(
      'sparseCategoricalCrossentropy',
    );
    expect(parseCheckArgs(['--loss', 'mse']).options.loss).toBe('meanSquaredError');
    expect(parseCheckArgs(['--loss', 'binaryCrossentropy']).options.loss).toBe('binaryCrossentropy');
  });

  it('--lr -1 is one line about the value (it printed three lines about dashes)', () => {
    usage(() => parseCheckArgs(['--lr', '-1']), /^--lr: '-1' is not a positive number/);
    usage(
      () => parseCheckArgs(['--json', '-x']),
      /^--json: a value that starts with '-' must be written --json=-x$/,
    );
  });

  it('--data mnist --labels F is refused (--labels was silently ignored)', () => {
    usage(
      () => parseCheckArgs(['--data', 'mnist', '--labels', 'y.npy']),
      /--labels y\.npy: not used with --data mnist/,
    );
    usage(() => parseCheckArgs(['--labels', 'y.npy']), /--labels: needs --data/);
    usage(
      () => parseCheckArgs(['--data', 'x.npy', '--val', 'mnist:test', '--val-labels', 'v.npy']),
      /--val-labels v\.npy: not used with --val mnist:test/,
    );
  });

  it('a negative threshold is refused; zero is allowed', () => {
    usage(
      () => thresholdOverrides(['inputs/class-balance.failRatio=-5']),
      /inputs\/class-balance\.failRatio must be zero or more \(got -5\)/,
    );
    usage(
      () => thresholdOverrides(['inputs/class-balance.failRatio=0x10']),
      /--threshold: '0x10' is not a number/,
    );
    expect(thresholdOverrides(['inputs/non-finite.maxNonFinite=0'])).toEqual({
      'inputs/non-finite': { maxNonFinite: 0 },
    });
  });

  it('report and diagnose take the same strict numbers and flags', () => {
    usage(
      () => parseReportArgs(['r.json', '--replay', '--threshold', 'loss/steep-drop.earlyShare=1e400']),
      /out of range/,
    );
    usage(() => parseDiagnoseArgs(['logs', '--bogus']), /unknown flag '--bogus'/);
  });
});

describe("the check command's inputs: every file it reads", () => {
  const tmp = makeTempDir('nn-doctor-args-');
  afterAll(() => tmp.cleanup());
  let model = '';
  beforeAll(async () => {
    const m = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] });
    model = await saveModelToDir(m, join(tmp.dir, 'model'));
    mkdirSync(join(tmp.dir, 'data'));
    writeFileSync(join(tmp.dir, 'data', 'x.npy'), encodeNpy([1, 2, 3], [1, 3]));
    writeFileSync(join(tmp.dir, 'data', 'y.npy'), encodeNpy([1], [1]));
    writeFileSync(join(tmp.dir, 'data', 'val.csv'), encodeCsv(['a', 'b', 'c', 'label'], [[1, 2, 3, 0]]));
    writeFileSync(join(tmp.dir, 'data', 'val-y.npy'), encodeNpy([1], [1]));
  });

  it('model.json, each weight file, --data, --labels, --val, --val-labels are all refused as outputs', async () => {
    const d = (f: string) => join(tmp.dir, 'data', f);
    const args = [
      '--model',
      model,
      '--data',
      d('x.npy'),
      '--labels',
      d('y.npy'),
      '--val',
      d('val.csv'),
      '--val-labels',
      d('val-y.npy'),
    ];
    const cmd = parseCheckArgs(args);
    const inputs = await checkInputFiles(cmd);
    expect(inputs.map((i) => i.what)).toEqual([
      '--model',
      `a weight file of --model ${model}`,
      '--data',
      '--labels',
      '--val',
      '--val-labels',
    ]);
    for (const input of inputs)
      usage(() => planOutputs({ html: input.path }, inputs), /is an input of this command/);
  });
});
