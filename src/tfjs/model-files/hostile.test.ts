// A model.json is hostile input: it must not make nn-doctor read outside the model's folder, read
// a FIFO or a device, allocate what it merely claims, or say how big other files are.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../core/errors.ts';
import { makeTempDir } from '../../data/testing.ts';
import { loadModelFile, modelInputFiles, saveModelToDir, WEIGHTS_FILE } from './index.ts';

const tmp = makeTempDir('nn-doctor-hostile-model-');
afterAll(() => tmp.cleanup());

// biome-ignore lint/suspicious/noExplicitAny: edits reach deep into model.json
type Edit = (json: Record<string, any>, dir: string) => void;
let reference: { json: Record<string, unknown>; bin: Buffer };
let copies = 0;

/** A copy of the reference model in its own folder, model.json edited by `edit`. */
function variant(edit: Edit, bin?: Uint8Array): string {
  const dir = join(tmp.dir, `v${copies++}`);
  mkdirSync(dir);
  const json = structuredClone(reference.json);
  edit(json, dir);
  writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
  writeFileSync(join(dir, WEIGHTS_FILE), bin ?? reference.bin);
  return join(dir, 'model.json');
}

async function refused(path: string, pattern: RegExp): Promise<string> {
  let caught: unknown;
  try {
    const loaded = await loadModelFile(path);
    loaded.model.dispose();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(UsageError);
  const msg = (caught as Error).message;
  expect(msg).not.toContain('\n');
  expect(msg).toMatch(pattern);
  return msg;
}

/** A file outside every model folder holding a sentinel value (bytes of float32 1234.5). */
let secret = '';
const SENTINEL = new Uint8Array(new Float32Array(64).fill(1234.5).buffer);

beforeAll(async () => {
  const model = tf.sequential({
    layers: [tf.layers.dense({ units: 4, inputShape: [8] }), tf.layers.dense({ units: 2 })],
  });
  const path = await saveModelToDir(model, join(tmp.dir, 'saved'));
  reference = {
    json: JSON.parse(readFileSync(path, 'utf8')),
    bin: readFileSync(join(tmp.dir, 'saved', WEIGHTS_FILE)),
  };
  // The reference weights are 8·4 + 4 + 4·2 + 2 = 46 float32 = 184 bytes; the secret is 256.
  secret = tmp.file('secret.bin', SENTINEL);
});

const onlyShard =
  (path: string): Edit =>
  (json) => {
    json.weightsManifest[0].paths = [path];
  };

describe('weight paths stay inside the model folder', () => {
  it.each([
    [
      'a relative ../ path',
      '../secret.bin',
      /weight path '\.\.\/secret\.bin' .* leads out of the model's folder/,
    ],
    [
      'a URL-encoded ../ path',
      '..%2Fsecret.bin',
      /weight path '\.\.%2Fsecret\.bin' .* leads out of the model's folder/,
    ],
    ['an absolute path', '/etc/passwd', /is an absolute path/],
    ['a device', '/dev/zero', /is an absolute path/],
    ['a hidden folder (~/.ssh/…)', '.ssh/id_rsa', /names a hidden file or folder/],
    ['a URL', 'file:///etc/passwd', /is a URL/],
    ['a NUL byte', 'a\u0000b', /contains a NUL byte/],
  ])('refuses %s', async (_name, shard, pattern) => {
    const msg = await refused(variant(onlyShard(shard)), pattern);
    expect(msg).not.toContain('256'); // never the size of another file
  });

  it('refuses a symlink inside the folder that leads out of it, without reading it', async () => {
    const path = variant((json, dir) => {
      symlinkSync(secret, join(dir, 'linked.bin'));
      json.weightsManifest[0].paths = ['linked.bin'];
    });
    const msg = await refused(
      path,
      /weight path 'linked\.bin' .* is a link that leads out of the model's folder/,
    );
    expect(msg).not.toMatch(/256|1234/);
  });

  it('refuses a FIFO and a folder listed as weight files (no hang)', async () => {
    const fifo = variant((json, dir) => {
      execFileSync('mkfifo', [join(dir, 'pipe.bin')]);
      json.weightsManifest[0].paths = ['pipe.bin'];
    });
    await refused(fifo, /weight file pipe\.bin is not a regular file/);
    const folder = variant((json, dir) => {
      mkdirSync(join(dir, 'sub.bin'));
      json.weightsManifest[0].paths = ['sub.bin'];
    });
    await refused(folder, /weight file sub\.bin is not a regular file/);
  });

  it('accepts a shard in a subfolder and a symlink that stays inside', async () => {
    const sub = variant((json, dir) => {
      mkdirSync(join(dir, 'weights'));
      writeFileSync(join(dir, 'weights', 'w.bin'), reference.bin);
      symlinkSync(join(dir, 'weights', 'w.bin'), join(dir, 'alias.bin'));
      json.weightsManifest[0].paths = ['weights/w.bin'];
    });
    const loaded = await loadModelFile(sub);
    expect(loaded.model.countParams()).toBe(46);
    loaded.model.dispose();
    expect(modelInputFiles(sub).map((p) => p.split('/').slice(-2).join('/'))).toEqual([
      expect.stringMatching(/model\.json$/),
      'weights/w.bin',
    ]);
  });

  it("never turns another file's bytes into weights: the sentinel file is refused, not averaged", async () => {
    // Sized to fit exactly, as an attacker would: the manifest claims 64 float32 values.
    const path = variant((json) => {
      json.weightsManifest[0].paths = ['../secret.bin'];
    });
    const msg = await refused(path, /leads out of the model's folder/);
    expect(msg).not.toContain('1234');
  });
});

describe('sizes are checked from the description before anything is read or built', () => {
  it('refuses string weights (shape [1e7] used to pass 4 GB, [1e8] hung)', async () => {
    for (const n of [1e7, 1e8]) {
      const path = variant((json) => {
        json.weightsManifest[0].weights.push({ name: 'evil', shape: [n], dtype: 'string' });
      });
      await refused(path, /weight 'evil' has dtype string; a TF\.js Layers model's weights are numeric/);
    }
  });

  it('refuses units: 1e8 with a valid weights file, before TF.js allocates', async () => {
    const path = variant((json) => {
      json.modelTopology.config.layers[1].config.units = 1e8;
    });
    const before = process.memoryUsage().rss;
    await refused(path, /layer '.*' \(Dense\) would hold 5e8 parameters; the limit is 2\^26/);
    // 1e8 float32 would be 400 MB; nothing near that was allocated.
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 2 ** 20);
  });

  it('refuses a manifest that declares more weights than the limit, before opening a file', async () => {
    const path = variant((json) => {
      json.weightsManifest[0].weights.push({ name: 'big', shape: [2 ** 20, 2 ** 10], dtype: 'float32' });
    });
    await refused(path, /weightsManifest declares 4294967480 bytes of weights; the limit is 2\^30/);
  });

  it('refuses a FIFO or a device given as the model.json itself (no hang)', async () => {
    const fifo = join(tmp.dir, 'model-fifo.json');
    execFileSync('mkfifo', [fifo]);
    await refused(fifo, /is not a regular file \(a FIFO, device or socket\)/);
    await refused('/dev/zero', /is not a regular file/);
  });

  it('refuses a model.json nested deep enough to overflow a recursive walk', async () => {
    const path = variant((json) => {
      json.trainingConfig = { loss: 'mse', metrics: 'DEEP' };
    });
    const deep = `${'['.repeat(100_000)}1${']'.repeat(100_000)}`;
    writeFileSync(path, readFileSync(path, 'utf8').replace('"DEEP"', deep));
    await refused(path, /nests deeper than 512 levels/);
  });

  it('refuses a negative or zero learning rate in the training config', async () => {
    for (const lr of [-1, 0]) {
      const path = variant((json) => {
        json.trainingConfig = {
          loss: 'meanSquaredError',
          optimizer_config: { class_name: 'SGD', config: { learning_rate: lr } },
        };
      });
      const loaded = await loadModelFile(path);
      expect(loaded.trainingConfigProblem).toBe(
        `training config: optimizer 'SGD' has learning rate ${lr}; it must be a positive number`,
      );
      loaded.model.dispose();
    }
  });
});
