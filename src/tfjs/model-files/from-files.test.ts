// Loading a model from files in memory (a page's `File`s, or bytes with names): the same model as
// from disk, and the same refusals — sizes before reading, weight paths confined to the files given.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../core/errors.ts';
import type { InputFile } from '../../model-files/in-memory.ts';
import { KERAS_FIXTURES } from '../../model-files/keras/testing.ts';
import { loadModelFiles, loadModelFromFiles } from './from-files.ts';
import { loadModelFile, modelFiles, WEIGHTS_FILE } from './index.ts';

async function weightsOf(model: tf.LayersModel): Promise<number[][]> {
  return Promise.all(model.getWeights().map(async (w) => Array.from(await w.data())));
}

async function usage(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UsageError);
  expect((err as Error).message).not.toContain('\n');
  return (err as Error).message;
}

async function savedFiles(): Promise<{ json: Record<string, unknown>; weights: Uint8Array }> {
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ units: 3, inputShape: [4], activation: 'relu' }),
      tf.layers.dense({ units: 2, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(0.003), loss: 'categoricalCrossentropy' });
  const files = await modelFiles(model);
  model.dispose();
  return { json: JSON.parse(files.modelJson), weights: files.weights };
}

const bytesOf = (text: string) => new TextEncoder().encode(text);

/** A browser-like File placed in a folder upload (webkitRelativePath is read-only on File). */
function folderFile(bytes: Uint8Array, path: string): File {
  const file = new File([bytes as Uint8Array<ArrayBuffer>], path.slice(path.lastIndexOf('/') + 1));
  Object.defineProperty(file, 'webkitRelativePath', { value: path });
  return file;
}

describe('loadModelFiles: model.json and its weights in memory', () => {
  it('gives the same model and training config as from disk, from bytes and from File objects', async () => {
    const { json, weights } = await savedFiles();
    const text = JSON.stringify(json);
    const fromBytes = await loadModelFiles([
      { name: 'model.json', bytes: bytesOf(text) },
      { name: WEIGHTS_FILE, bytes: weights },
    ]);
    const fromFiles = await loadModelFiles([
      folderFile(bytesOf(text), 'my-model/model.json'),
      folderFile(weights, `my-model/${WEIGHTS_FILE}`),
    ]);
    expect(fromBytes.compiled).toBe(true);
    expect(fromBytes.format).toBe('TF.js Layers model.json');
    expect(fromFiles.path).toBe('model.json');
    expect(fromFiles.trainingConfig).toEqual(fromBytes.trainingConfig);
    const expected = Array.from(new Float32Array(weights.slice().buffer));
    expect((await weightsOf(fromBytes.model)).flat().slice(0, expected.length)).toEqual(
      expected.slice(0, (await weightsOf(fromBytes.model)).flat().length),
    );
    expect(await weightsOf(fromFiles.model)).toEqual(await weightsOf(fromBytes.model));
    fromBytes.model.dispose();
    fromFiles.model.dispose();
  });

  it('refuses weight paths that leave the model folder, missing shards and shards of the wrong size', async () => {
    const { json, weights } = await savedFiles();
    const withPath = (p: string) => {
      const edited = structuredClone(json) as { weightsManifest: { paths: string[] }[] };
      edited.weightsManifest[0].paths = [p];
      return { name: 'model.json', bytes: bytesOf(JSON.stringify(edited)) };
    };
    const secret = { name: 'secret.bin', path: 'secret.bin', bytes: weights };
    expect(await usage(loadModelFiles([withPath('../secret.bin'), secret]))).toMatch(
      /^model\.json: weight path '\.\.\/secret\.bin' .*leads out of the model's folder/,
    );
    expect(await usage(loadModelFiles([withPath('..%2Fsecret.bin'), secret]))).toMatch(/leads out/);
    expect(await usage(loadModelFiles([withPath('/etc/passwd'), secret]))).toMatch(/absolute path/);
    expect(await usage(loadModelFiles([withPath('.hidden.bin'), secret]))).toMatch(/hidden file/);
    expect(await usage(loadModelFiles([withPath(WEIGHTS_FILE), secret]))).toMatch(
      new RegExp(`weight file ${WEIGHTS_FILE} \\(listed in weightsManifest\\) was not given`),
    );
    const short = { name: WEIGHTS_FILE, bytes: weights.subarray(4) };
    expect(await usage(loadModelFiles([withPath(WEIGHTS_FILE), short]))).toMatch(/holds fewer bytes than/);
  });

  it('compares sizes with the limits and the manifest before reading a byte', async () => {
    const { json } = await savedFiles();
    const unread = (name: string, size: number): InputFile => {
      const blob = new Blob([]);
      Object.defineProperties(blob, {
        size: { value: size },
        name: { value: name },
        slice: {
          value: (start: number, end: number) => {
            if (start !== 0 || end !== 8) throw new Error(`read ${name} past its head`);
            return new Blob([bytesOf('{"modelTo')]);
          },
        },
      });
      return blob as InputFile;
    };
    expect(await usage(loadModelFiles([unread('model.json', 2 ** 40)]))).toMatch(
      /^model\.json: is 1099511627776 bytes; the limit for this input is \d+ bytes$/,
    );
    const model = { name: 'model.json', bytes: bytesOf(JSON.stringify(json)) };
    expect(await usage(loadModelFiles([model, unread(WEIGHTS_FILE, 2 ** 33)]))).toMatch(
      /holds more bytes than/,
    );
  });

  it('says what to give when the files hold no model or several', async () => {
    expect(await usage(loadModelFiles([]))).toMatch(/give one model: .* \(got no file\)/);
    const two = [
      { name: 'a.keras', bytes: new Uint8Array(8) },
      { name: 'b.keras', bytes: new Uint8Array(8) },
    ];
    expect(await usage(loadModelFiles(two))).toMatch(/give one model: .*\(got a\.keras, b\.keras\)/);
  });
});

describe('loadModelFiles: Keras files in memory', () => {
  for (const name of ['MNIST-models/mnist_model.keras', 'MNIST-models/mnist_model.h5']) {
    it(`${name}: the same weights as loaded from disk`, async () => {
      const path = join(KERAS_FIXTURES, name);
      const file = new File([readFileSync(path)], name.split('/')[1]);
      const [fromFile, fromDisk] = [await loadModelFiles([file]), await loadModelFile(path)];
      expect(fromFile.format).toBe(fromDisk.format);
      expect(fromFile.path).toBe(name.split('/')[1]);
      expect(await weightsOf(fromFile.model)).toEqual(await weightsOf(fromDisk.model));
      fromFile.model.dispose();
      fromDisk.model.dispose();
    });
  }

  it('a .keras whose member inflates past its declared size is refused (a zip bomb)', async () => {
    // The fixture's members re-zipped deflated (Keras stores them), so that one must be inflated.
    const members = unzipSync(
      new Uint8Array(readFileSync(join(KERAS_FIXTURES, 'MNIST-models/mnist_model.keras'))),
    );
    const bytes = zipSync(members, { level: 6 });
    // Halve config.json's declared size in the central directory and its local header alike: it
    // then inflates past what both say.
    const view = new DataView(bytes.buffer);
    const central: number[] = [];
    for (let i = 0; i + 46 <= bytes.length; i++) if (view.getUint32(i, true) === 0x02014b50) central.push(i);
    const entry = central.find((i) => {
      const n = view.getUint16(i + 28, true);
      return new TextDecoder().decode(bytes.subarray(i + 46, i + 46 + n)) === 'config.json';
    });
    expect(entry).toBeDefined();
    expect(view.getUint16((entry as number) + 10, true)).toBe(8); // deflated
    const declared = view.getUint32((entry as number) + 24, true);
    const local = view.getUint32((entry as number) + 42, true);
    expect(view.getUint32(local + 22, true)).toBe(declared);
    view.setUint32((entry as number) + 24, Math.floor(declared / 2), true);
    view.setUint32(local + 22, Math.floor(declared / 2), true);
    expect(await usage(loadModelFromFiles([{ name: 'bomb.keras', bytes }]))).toBe(
      `bomb.keras: 'config.json' in the archive inflates past the declared ${Math.floor(declared / 2)} bytes (a zip bomb, or a corrupt archive)`,
    );
  });
});
