// Names from the user's files and flags are looked up in tables (src/core/own.ts). A plain object
// inherits Object.prototype, so a layer class called `constructor` once matched the table of layers
// removed as the identity, and the checkup ran on another model than the file's. Here every
// Object.prototype name, as a layer class, activation, initializer, config argument, loss,
// optimizer, weight dtype and tag role, must behave exactly like a name nothing knows.
import { afterAll, describe, expect, it } from 'vitest';
import { parseMapFlags } from '../src/cli/diagnose.ts';
import { UsageError } from '../src/core/errors.ts';
import { normalizeLossName } from '../src/core/names.ts';
import { own, PROTOTYPE_NAMES } from '../src/core/own.ts';
import { makeTempDir } from '../src/data/testing.ts';
import type { Json } from '../src/model-files/common.ts';
import { editZip, fixtureBytes, setZipJson, zipJson } from '../src/model-files/keras/testing.ts';
import { translateModel } from '../src/model-files/keras/translate.ts';
import { checkTopologyLimits } from '../src/model-files/limits.ts';
import { readLoss, readMetrics } from '../src/model-files/loss-metrics.ts';
import { readManifest } from '../src/model-files/weights.ts';
import { parseMapArgs, parseRole } from '../src/tensorboard/roles.ts';
import { loadModelFile } from '../src/tfjs/model-files/index.ts';
import { buildOptimizer } from '../src/tfjs/model-files/optimizer.ts';

/** A name no table has; every prototype name must give what this one gives, with the name swapped. */
const UNKNOWN = 'Zzunknown';
const NAMES = [...PROTOTYPE_NAMES, 'prototype'];
const fail = (p: string) => new UsageError(`--model m.keras: ${p}`);

/** What `run(name)` gives (its value or its error's message), with `name` replaced by a placeholder. */
function outcome(name: string, run: (name: string) => unknown): string {
  let text: string;
  try {
    text = `value ${JSON.stringify(run(name)) ?? typeof run(name)}`;
  } catch (err) {
    text = `${err instanceof UsageError ? 'UsageError' : 'Error'} ${(err as Error).message}`;
  }
  return text.split(name).join('<NAME>').split(name.toLowerCase()).join('<NAME>');
}

function sameAsUnknown(run: (name: string) => unknown): void {
  const expected = outcome(UNKNOWN, run);
  for (const name of NAMES) expect(outcome(name, run), name).toBe(expected);
}

const layer = (cls: string, config: Json) => ({ class_name: cls, config, module: 'keras.layers' });
const model = (...layers: Json[]) => ({
  class_name: 'Sequential',
  config: { name: 'seq', layers: [layer('InputLayer', { batch_shape: [null, 4], name: 'in' }), ...layers] },
});
const dense = (extra: Json) => layer('Dense', { name: 'd', units: 2, activation: 'linear', ...extra });
const translate = (config: Json) => translateModel(config, { fail, notes: [], kerasMajor: 3 });

describe('every user-keyed lookup treats Object.prototype names as unknown names', () => {
  it('own() sees own entries only', () => {
    const table: Record<string, number> = { a: 1 };
    expect(own(table, 'a')).toBe(1);
    for (const name of NAMES) expect(own(table, name), name).toBeUndefined();
  });

  it('layer class: refused as a layer TF.js lacks, never removed as the identity', () => {
    sameAsUnknown((n) => translate(model(layer(n, { name: 'x' }))));
    expect(outcome('constructor', (n) => translate(model(layer(n, { name: 'x' }))))).toMatch(
      /^UsageError .*TF\.js Layers has no <NAME> layer/,
    );
  });

  it('activation, initializer, regularizer and constraint classes', () => {
    sameAsUnknown((n) => translate(model(dense({ activation: n }))));
    sameAsUnknown((n) => translate(model(dense({ kernel_initializer: { class_name: n, config: {} } }))));
    sameAsUnknown((n) => translate(model(dense({ kernel_regularizer: { class_name: n, config: {} } }))));
    sameAsUnknown((n) => translate(model(dense({ kernel_constraint: { class_name: n, config: {} } }))));
  });

  it('layer class in a TF.js model.json topology (bounded before TF.js deserializes it)', () => {
    sameAsUnknown((n) =>
      checkTopologyLimits(
        {
          class_name: 'Sequential',
          config: { layers: [{ class_name: n, config: { name: 'x', batch_input_shape: [null, 4] } }] },
        },
        fail,
      ),
    );
  });

  it('metric names', () => {
    sameAsUnknown((n) => {
      const notes: string[] = [];
      return [readMetrics([n], notes), notes];
    });
  });

  it('a layer config argument named like a prototype member is passed on like any other', () => {
    sameAsUnknown((n) => translate(model(dense({ [n]: 1 }))));
  });

  it('loss and optimizer names', () => {
    sameAsUnknown((n) => readLoss(n));
    sameAsUnknown((n) => readLoss({ class_name: n, config: {} }));
    sameAsUnknown((n) => buildOptimizer({ class_name: n, config: { learning_rate: 0.01 } }, []));
    sameAsUnknown((n) => buildOptimizer({ class_name: n, config: {} }, []));
    for (const name of NAMES)
      expect(normalizeLossName(name)).toBe(name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase());
  });

  it('weight dtypes in a model.json manifest', () => {
    const manifest = (dtype: string, quantized: boolean) => ({
      weightsManifest: [
        {
          paths: ['w.bin'],
          weights: [
            quantized
              ? { name: 'k', shape: [2], dtype: 'float32', quantization: { dtype, scale: 1, min: 0 } }
              : { name: 'k', shape: [2], dtype },
          ],
        },
      ],
    });
    sameAsUnknown((n) => readManifest(manifest(n, false), fail));
    sameAsUnknown((n) => readManifest(manifest(n, true), fail));
  });

  it('TensorBoard tag roles (--map TAG=ROLE)', () => {
    sameAsUnknown((n) => parseRole('t', n));
    sameAsUnknown((n) => parseRole('t', `${n}:fc1`));
  });
});

describe('the issue: a .keras with a layer class named like a prototype member', () => {
  const tmp = makeTempDir('nn-doctor-proto-');
  afterAll(() => tmp.cleanup());
  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'])(
    'Dropout renamed %s is refused, not dropped as the identity',
    async (name) => {
      const keras = editZip(fixtureBytes('MNIST-models', 'mnist_model.keras'), (m) => {
        const text = JSON.stringify(zipJson(m, 'config.json')).replace(
          '"class_name":"Dropout"',
          `"class_name":"${name}"`,
        );
        setZipJson(m, 'config.json', JSON.parse(text));
      });
      const path = tmp.file(`${name}.keras`, keras);
      let caught: unknown;
      try {
        (await loadModelFile(path)).model.dispose();
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(UsageError);
      expect((caught as Error).message).toMatch(
        new RegExp(
          `layer 'dropout' \\(${name}\\) cannot be built in TF\\.js: TF\\.js Layers has no ${name} layer`,
        ),
      );
    },
  );
});

describe('--map keeps a tag named like a prototype member', () => {
  it.each(NAMES)('--map %s=loss', (name) => {
    const fromCli = parseMapFlags([`${name}=loss`]);
    expect(Object.keys(fromCli)).toEqual([name]);
    expect(Object.getPrototypeOf(fromCli)).toBe(Object.prototype);
    expect(parseMapArgs([`${name}=loss`])[name]).toBe('loss');
  });
});
