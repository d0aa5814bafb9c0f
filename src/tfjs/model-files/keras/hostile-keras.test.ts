// Hostile Keras files, built here from a real one: HDF5 link graphs that never end (a hard-link
// cycle, a diamond of 2^40 paths, a 3,000-deep chain), links that leave the file or alias another
// object, and a .keras whose honest but huge weights member is far more than its model needs.
// Each must be refused in one line (exit 2 through the CLI), and promptly: the walk visits each
// object once, so these files cost what their size does.
import * as tf from '@tensorflow/tfjs';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../../core/errors.ts';
import { makeTempDir } from '../../../data/testing.ts';
import { Hdf5File, MAX_HDF5_DEPTH } from '../../../model-files/keras/hdf5.ts';
import { editHdf5, editZip, fixtureBytes } from '../../../model-files/keras/testing.ts';
import { selectBackend } from '../../backend.ts';
import { loadModelFile } from '../index.ts';

const tmp = makeTempDir('nn-doctor-hostile-keras-');
const fail = (p: string) => new UsageError(p);

beforeAll(async () => {
  await selectBackend('cpu');
});
afterAll(() => tmp.cleanup());

type H5File = Parameters<Parameters<typeof editHdf5>[1]>[0];
type H5Lib = Parameters<Parameters<typeof editHdf5>[1]>[1];

const KERAS = () => fixtureBytes('MNIST-models', 'mnist_model.keras');
let weightsH5: Uint8Array;
beforeAll(() => {
  editZip(KERAS(), (m) => {
    weightsH5 = m['model.weights.h5'];
  });
});

/** A .keras whose model.weights.h5 was edited by `edit` (the rest as Keras wrote it). */
async function hostileKeras(name: string, edit: (f: H5File, h5: H5Lib) => void): Promise<string> {
  const h5 = await editHdf5(weightsH5, edit);
  return tmp.file(
    name,
    editZip(KERAS(), (m) => {
      m['model.weights.h5'] = h5;
    }),
  );
}

async function refusal(path: string): Promise<string> {
  try {
    (await loadModelFile(path)).model.dispose();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    const msg = (err as Error).message;
    expect(msg).not.toContain('\n');
    return msg;
  }
  throw new Error(`${path} loaded; a refusal was expected`);
}

const group = (f: H5File, path: string) => {
  const g = f.get(path);
  if (!g || !('create_hard_link' in g)) throw new Error(`no group ${path}`);
  return g as H5File;
};

describe('HDF5 link graphs are walked once, by object identity', () => {
  it('a hard-link cycle (a group linked inside itself) is refused', async () => {
    const p = await hostileKeras('cycle.keras', (f) => {
      group(f, 'layers/dense').create_hard_link('/layers/dense', 'cell');
    });
    expect(await refusal(p)).toMatch(
      /HDF5 object 'layers\/dense\/cell' is the same object as 'layers\/dense' \(linked twice/,
    );
  });

  it('a diamond of 40 levels (2^40 paths through 41 groups) is refused at the first shared object', async () => {
    const p = await hostileKeras('diamond.keras', (f) => {
      f.create_group('d');
      for (let i = 0; i <= 40; i++) f.create_group(`d/g${i}`);
      for (let i = 0; i < 40; i++) {
        group(f, `d/g${i}`).create_hard_link(`/d/g${i + 1}`, 'a');
        group(f, `d/g${i}`).create_hard_link(`/d/g${i + 1}`, 'b');
      }
      group(f, 'layers').create_hard_link('/d/g0', 'diamond');
    });
    expect(await refusal(p)).toMatch(/HDF5 object 'layers\/diamond\/a\/.*\/b' is the same object as /);
  });

  it('a 3,000-deep chain of groups is refused at the depth limit', async () => {
    const p = await hostileKeras('chain.keras', (f) => {
      f.create_group('c');
      for (let i = 0; i < 3000; i++) f.create_group(`c/g${i}`);
      for (let i = 0; i < 2999; i++) group(f, `c/g${i}`).create_hard_link(`/c/g${i + 1}`, 'n');
      group(f, 'layers').create_hard_link('/c/g0', 'chain');
    });
    expect(await refusal(p)).toMatch(new RegExp(`nested over ${MAX_HDF5_DEPTH} levels deep`));
  });

  it('300 nested groups (the issue: 21 s) are refused at the depth limit, each level visited once', async () => {
    const p = await hostileKeras('nested300.keras', (f) => {
      // Built through hard links: creating groups by 300-deep paths costs h5wasm half a minute.
      f.create_group('n');
      for (let i = 0; i < 300; i++) f.create_group(`n/g${i}`);
      for (let i = 0; i < 299; i++) group(f, `n/g${i}`).create_hard_link(`/n/g${i + 1}`, 'x');
      group(f, 'layers').create_hard_link('/n/g0', 'deep');
    });
    expect(await refusal(p)).toMatch(/'layers\/deep(\/x)+' is nested over \d+ levels deep/);
  });

  it('a Keras 2 .h5 is walked the same way (model_weights/): a cycle there is refused', async () => {
    const h5 = await editHdf5(fixtureBytes('dl4j-test-resources', 'cnn_batch_norm.h5'), (f) => {
      group(f, 'model_weights/dense_1').create_hard_link('/model_weights', 'up');
    });
    expect(await refusal(tmp.file('cycle.h5', h5))).toMatch(
      /HDF5 object 'model_weights\/dense_1\/up' is the same object as 'model_weights'/,
    );
  });

  it('a weight hard-linked under two layers is refused (an object may have one path)', async () => {
    const p = await hostileKeras('shared.keras', (f) => {
      group(f, 'layers').create_group('spare');
      group(f, 'layers/spare').create_hard_link('/layers/dense/vars/0', 'w');
    });
    expect(await refusal(p)).toMatch(/is the same object as 'layers\/dense\/vars\/0'/);
  });

  it('a soft link back up is a cycle like a hard one; an external or dangling link is refused', async () => {
    const soft = await hostileKeras('soft.keras', (f) => {
      group(f, 'layers/dense').create_soft_link('/layers', 'up');
    });
    expect(await refusal(soft)).toMatch(/'layers\/dense\/up' is the same object as 'layers'/);
    const external = await hostileKeras('external.keras', (f) => {
      group(f, 'layers/dense').create_external_link('/dev/zero', '/', 'elsewhere');
    });
    expect(await refusal(external)).toMatch(
      /'layers\/dense' has a link that cannot be followed \(external or dangling\)/,
    );
    const dangling = await hostileKeras('dangling.keras', (f) => {
      group(f, 'layers/dense').create_soft_link('/nowhere', 'gone');
    });
    expect(await refusal(dangling)).toMatch(/'layers\/dense' has a link that cannot be followed/);
  });

  it('a group or weight named like an Object.prototype member is walked like any name', async () => {
    const bytes = await editHdf5(weightsH5, (f) => {
      for (const name of ['__proto__', 'constructor', 'toString']) group(f, 'layers').create_group(name);
    });
    const file = await Hdf5File.open(bytes, fail);
    try {
      const walked = file.walk('layers');
      for (const name of ['__proto__', 'constructor', 'toString'])
        expect(walked.get(`layers/${name}`)).toBe('group');
    } finally {
      file.close();
    }
  });

  it('the walk bounds the number of objects by the file size', async () => {
    const bytes = await editHdf5(weightsH5, () => {});
    const file = await Hdf5File.open(bytes, fail);
    try {
      expect(file.maxObjects).toBe(Math.floor(bytes.length / 16));
      // The real file: every dataset under layers/, each once.
      const walked = file.walk('layers');
      expect([...walked.values()].filter((k) => k === 'dataset')).toHaveLength(6);
    } finally {
      file.close();
    }
  });

  it('an attribute named like an Object.prototype member is not one', async () => {
    const file = await Hdf5File.open(weightsH5, fail);
    try {
      for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'])
        expect(file.attr('/', name)).toBeUndefined();
    } finally {
      file.close();
    }
  });
});

describe('a .keras weights member is bounded by what its model needs', () => {
  it('an honest 64 MiB model.weights.h5 for a 67-parameter model is refused before inflating', async () => {
    // config.json of a Dense(1) on 66 inputs: 66 weights + 1 bias = 67 parameters (the issue's model).
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [66] })] });
    const config = {
      module: 'keras',
      class_name: 'Sequential',
      config: {
        name: 'sequential',
        layers: [
          { class_name: 'InputLayer', config: { batch_shape: [null, 66], dtype: 'float32', name: 'input' } },
          { class_name: 'Dense', config: { name: 'dense', units: 1, activation: 'linear', use_bias: true } },
        ],
      },
    };
    expect(model.countParams()).toBe(67);
    model.dispose();
    const zeros = new Uint8Array(64 * 1024 * 1024);
    const keras = zipSync(
      {
        'config.json': strToU8(JSON.stringify(config)),
        'metadata.json': strToU8(JSON.stringify({ keras_version: '3.4.1' })),
        'model.weights.h5': zeros,
      },
      { level: 9 },
    );
    expect(keras.length).toBeLessThan(200_000);
    const msg = await refusal(tmp.file('bomb.keras', keras));
    expect(msg).toMatch(
      /model\.weights\.h5' in the archive declares 67108864 bytes, over the \d+-byte limit for a model of 67 parameters/,
    );
  });
});

/**
 * The same archive written as ZIP64: every directory entry gives its sizes and offset in a ZIP64
 * extra field (the 32-bit fields hold 0xFFFFFFFF), and the directory is found through a ZIP64
 * end record and locator. `sizeOf(name, size)` may change the size a member declares.
 */
function toZip64(zip: Uint8Array, sizeOf = (_name: string, size: number) => size): Uint8Array {
  const v = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const eocd = zip.length - 22;
  const count = v.getUint16(eocd + 10, true);
  const dirOffset = v.getUint32(eocd + 16, true);
  const entries: Uint8Array[] = [];
  for (let i = 0, p = dirOffset; i < count; i++) {
    const nameLen = v.getUint16(p + 28, true);
    const extraLen = v.getUint16(p + 30, true);
    const commentLen = v.getUint16(p + 32, true);
    const name = new TextDecoder().decode(zip.subarray(p + 46, p + 46 + nameLen));
    const fixed = new Uint8Array(zip.subarray(p, p + 46 + nameLen));
    const f = new DataView(fixed.buffer);
    const extra = new Uint8Array(4 + 24);
    const e = new DataView(extra.buffer);
    e.setUint16(0, 1, true);
    e.setUint16(2, 24, true);
    e.setBigUint64(4, BigInt(sizeOf(name, v.getUint32(p + 24, true))), true);
    e.setBigUint64(12, BigInt(v.getUint32(p + 20, true)), true);
    e.setBigUint64(20, BigInt(v.getUint32(p + 42, true)), true);
    f.setUint32(20, 0xffffffff, true);
    f.setUint32(24, 0xffffffff, true);
    f.setUint32(42, 0xffffffff, true);
    f.setUint16(30, extra.length, true);
    f.setUint16(32, 0, true);
    entries.push(fixed, extra);
    p += 46 + nameLen + extraLen + commentLen;
  }
  const dir = Buffer.concat(entries);
  const z64At = dirOffset + dir.length;
  const end = new Uint8Array(56 + 20 + 22);
  const d = new DataView(end.buffer);
  d.setUint32(0, 0x06064b50, true);
  d.setBigUint64(4, 44n, true);
  d.setUint16(12, 45, true);
  d.setUint16(14, 45, true);
  d.setBigUint64(24, BigInt(count), true);
  d.setBigUint64(32, BigInt(count), true);
  d.setBigUint64(40, BigInt(dir.length), true);
  d.setBigUint64(48, BigInt(dirOffset), true);
  d.setUint32(56, 0x07064b50, true);
  d.setBigUint64(64, BigInt(z64At), true);
  d.setUint32(72, 1, true);
  d.setUint32(76, 0x06054b50, true);
  d.setUint16(86, 0xffff, true);
  d.setUint16(88, 0xffff, true);
  d.setUint32(90, 0xffffffff, true);
  d.setUint32(94, 0xffffffff, true);
  return new Uint8Array(Buffer.concat([zip.subarray(0, dirOffset), dir, end]));
}

describe('ZIP64 .keras archives are read, with the same bounds', () => {
  it('a ZIP64 copy of a real .keras loads the same weights', async () => {
    const plain = await loadModelFile(tmp.file('plain.keras', KERAS()));
    const z64 = await loadModelFile(tmp.file('zip64.keras', toZip64(KERAS())));
    try {
      const a = plain.model.getWeights().map((w) => Array.from(w.dataSync()));
      const b = z64.model.getWeights().map((w) => Array.from(w.dataSync()));
      expect(b).toEqual(a);
    } finally {
      plain.model.dispose();
      z64.model.dispose();
    }
  });

  it('a ZIP64 size over the cap is refused before inflating, like a 32-bit one', async () => {
    const big = toZip64(KERAS(), (name, size) => (name === 'model.weights.h5' ? 2 ** 33 : size));
    expect(await refusal(tmp.file('zip64-big.keras', big))).toMatch(
      /'model\.weights\.h5' in the archive declares 8589934592 bytes, over the \d+-byte limit for a model of \d+ parameters/,
    );
  });
});
