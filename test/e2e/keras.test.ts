// `nn-doctor check` on the files Keras users have: a real `.keras` and `.h5` MNIST CNN from a public
// repository (test/fixtures/keras/SOURCES.md) and a folder of class folders of real MNIST digits
// written as PNG files here; planted faults in a copy of the real Keras file.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCheckArgs } from '../../src/cli/check.ts';
import type { Report } from '../../src/core/report.ts';
import { writeMnistFolder } from '../../src/data/image-testing.ts';
import { encodeNpy, encodeNpz, expectUsageError, makeTempDir } from '../../src/data/testing.ts';
import {
  editHdf5,
  editZip,
  fillDataset,
  fixtureBytes,
  fixturePath,
} from '../../src/model-files/keras/testing.ts';
import { cli } from '../run-cli.ts';

const tmp = makeTempDir('nn-doctor-keras-e2e-');
const KERAS = fixturePath('MNIST-models', 'mnist_model.keras');
const H5 = fixturePath('MNIST-models', 'mnist_model.h5');
let images: string;
let zeroKernels: string;

beforeAll(async () => {
  images = join(tmp.dir, 'digits');
  writeMnistFolder(images, 60);
  // The real .keras with every kernel set to zero (biases and the rest untouched).
  let weights: Uint8Array = new Uint8Array();
  editZip(fixtureBytes('MNIST-models', 'mnist_model.keras'), (m) => {
    weights = m['model.weights.h5'];
  });
  const zeroed = await editHdf5(weights, (f, h5) => {
    for (const layer of ['conv2d', 'conv2d_1', 'dense']) fillDataset(f, h5, `layers/${layer}/vars/0`, 0);
  });
  zeroKernels = tmp.file(
    'zero-kernels.keras',
    editZip(fixtureBytes('MNIST-models', 'mnist_model.keras'), (m) => {
      m['model.weights.h5'] = zeroed;
    }),
  );
});
afterAll(() => tmp.cleanup());

function report(path: string): Report {
  return JSON.parse(readFileSync(path, 'utf8')) as Report;
}

const status = (r: Report, id: string) => r.checks.find((c) => c.id === id)?.status;

describe('check --model <Keras file> --data <folder of class folders>', () => {
  const cheap = ['--only', 'inputs/class-balance,inputs/mean-centering,inputs/non-finite,model/init-shallow'];

  for (const [what, model, format] of [
    ['.keras (Keras 3.1.1)', KERAS, /read as Keras 3\.1\.1 \.keras/],
    ['.h5 (Keras 3.1.1 legacy HDF5)', H5, /read as Keras 3\.1\.1 HDF5/],
  ] as const) {
    it(`${what}: reads the model and the PNGs, and the report says what was assumed`, async () => {
      const json = join(tmp.dir, `${what.slice(1, 3)}.json`);
      const r = await cli(['check', '--model', model, '--data', images, '--json', json, '--quiet', ...cheap]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const rep = report(json);
      expect(rep.subject.data).toMatchObject({ records: 600, features: 784, classes: 10, source: 'digits' });
      expect(rep.settings).toMatchObject({ loss: 'categorical_crossentropy', optimizer: 'Adam' });
      const notes = rep.warnings.join('\n');
      expect(notes).toMatch(format);
      expect(notes).toMatch(/10 classes from folder names, labels in sorted order \(0 0, 1 1/);
      expect(notes).toMatch(/pixels scaled to 0\.\.1 \(assumed: the model has no Rescaling layer/);
      expect(status(rep, 'inputs/class-balance')).toBe('pass');
      expect(status(rep, 'inputs/mean-centering')).toBe('pass');
      expect(status(rep, 'model/init-shallow')).toBe('pass');
    });
  }

  // The whole checkup but the LR sweep and the two extra training A/Bs (the CNN trains on 2 cores):
  // the zero kernels also kill ReLUs and stall training; the diagnosis must name the cause.
  it('planted: zero-initialized kernels in a real .keras → model/init-shallow is the primary diagnosis', async () => {
    const json = join(tmp.dir, 'zero.json');
    const skip = ['--skip', 'loss/learning-rate,inputs/label-signal,model/simplify'];
    const r = await cli([
      'check',
      '--model',
      zeroKernels,
      '--data',
      images,
      '--json',
      json,
      '--quiet',
      ...skip,
    ]);
    expect(r.code).toBe(1);
    const rep = report(json);
    expect(status(rep, 'model/init-shallow')).toBe('fail');
    expect(rep.checks.filter((c) => c.status === 'fail').length).toBeGreaterThan(1);
    expect(rep.diagnosis.primary).toBe('model/init-shallow');
  }, 300_000);

  it('planted: raw 0..255 pixels (--scale 0..255) into a model without Rescaling → inputs/mean-centering fails', async () => {
    const json = join(tmp.dir, 'raw.json');
    const r = await cli([
      'check',
      '--model',
      KERAS,
      '--data',
      images,
      '--scale',
      '0..255',
      '--json',
      json,
      '--quiet',
      '--only',
      'inputs/mean-centering',
    ]);
    expect(r.code).toBe(1);
    const rep = report(json);
    expect(status(rep, 'inputs/mean-centering')).toBe('fail');
    expect(rep.warnings.join('\n')).toMatch(/pixels scaled to 0\.\.255 \(set by --scale\)/);
  });

  it('flag errors: one line naming the flag', () => {
    expectUsageError(
      () => parseCheckArgs(['--data', images, '--scale', '255']),
      /^--scale: '255' is not one of auto, 0\.\.1, 0\.\.255, -1\.\.1$/,
    );
    expectUsageError(
      () => parseCheckArgs(['--data', images, '--max-per-class', '0']),
      /^--max-per-class: '0' is not a positive whole number \(decimal digits/,
    );
  });

  it('input errors: one line on stderr, exit 2', async () => {
    const npz = join(tmp.dir, 'data.npz');
    writeFileSync(
      npz,
      encodeNpz({ x: encodeNpy(new Float32Array(4 * 784), [4, 784]), y: encodeNpy([0, 1, 2, 3], [4]) }),
    );
    const otherClasses = join(tmp.dir, 'three');
    writeMnistFolder(otherClasses, 2, 3);
    const cases: [string[], RegExp][] = [
      [
        ['--model', fixturePath('dl4j-test-resources', 'sequential_lambda.h5'), '--data', images],
        /layer 'lambda_1' \(Lambda\) cannot be built in TF\.js/,
      ],
      [['--model', KERAS, '--data', npz, '--scale', '0..1'], /--scale: applies only to --data DIR/],
      [
        ['--model', KERAS, '--data', images, '--val', otherClasses],
        /--val .*three: its class folders \(0, 1, 2\) differ from --data's/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = await cli(['check', ...args, '--quiet']);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
  });
});
