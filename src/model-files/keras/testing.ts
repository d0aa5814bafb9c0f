// Test helpers: the real Keras fixtures, and editing copies of them with a real HDF5 writer
// (h5wasm) to plant faults and hostile layouts. Never used outside tests.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';

export const KERAS_FIXTURES = join(import.meta.dirname, '..', '..', '..', 'test', 'fixtures', 'keras');

export function fixturePath(...parts: string[]): string {
  return join(KERAS_FIXTURES, ...parts);
}

export function fixtureBytes(...parts: string[]): Uint8Array {
  return new Uint8Array(readFileSync(fixturePath(...parts)));
}

type H5 = typeof import('h5wasm')['default'];
type H5File = InstanceType<H5['File']>;

let edits = 0;

/** A copy of HDF5 `bytes` after `edit` ran on it, opened read-write with h5wasm. */
export async function editHdf5(bytes: Uint8Array, edit: (file: H5File, h5: H5) => void): Promise<Uint8Array> {
  const h5 = (await import('h5wasm')).default;
  const module = await h5.ready;
  const fs = module.FS as unknown as {
    writeFile(p: string, d: Uint8Array): void;
    readFile(p: string): Uint8Array;
    unlink(p: string): void;
  };
  const name = `/edit-${process.pid}-${edits++}.h5`;
  fs.writeFile(name, bytes);
  const file = new h5.File(name, 'a');
  try {
    edit(file, h5);
  } finally {
    file.close();
  }
  const out = new Uint8Array(fs.readFile(name));
  fs.unlink(name);
  return out;
}

/** Sets every value of a float dataset to `value`. */
export function fillDataset(file: H5File, h5: H5, path: string, value: number): void {
  const ds = file.get(path);
  if (!(ds instanceof h5.Dataset)) throw new Error(`no dataset ${path}`);
  const n = (ds.shape ?? []).reduce((a, b) => a * b, 1);
  ds.write_slice([], new Float32Array(n).fill(value));
}

/** The members of a .keras zip, edited by `edit`, zipped again (deflated like Keras does). */
export function editZip(bytes: Uint8Array, edit: (members: Record<string, Uint8Array>) => void): Uint8Array {
  const members = unzipSync(bytes);
  edit(members);
  return zipSync(members, { level: 6 });
}

export function zipJson(members: Record<string, Uint8Array>, name: string): Record<string, unknown> {
  return JSON.parse(strFromU8(members[name]));
}

export function setZipJson(members: Record<string, Uint8Array>, name: string, value: unknown): void {
  members[name] = strToU8(JSON.stringify(value));
}

/** Renames layers in a .keras file's config.json (`[from, to]` pairs, applied in order), weights untouched. */
export function renameLayers(keras: Uint8Array, pairs: [string, string][]): Uint8Array {
  return editZip(keras, (m) => {
    let text = JSON.stringify(zipJson(m, 'config.json'));
    for (const [from, to] of pairs) text = text.replaceAll(`"${from}"`, `"${to}"`);
    setZipJson(m, 'config.json', JSON.parse(text));
  });
}

/**
 * A Keras 3 `model.weights.h5` rewritten as tf.keras 2.13–2.15 wrote it on Windows: each object's
 * path joined with a backslash into one root group name (`layers\conv2d`), holding `vars/<i>`.
 * Built as a new file (h5wasm cannot move or delete groups) with the layers' float32 weights only
 * (the optimizer's state, which the loader does not read, is left out).
 */
export async function windowsJoinedWeights(bytes: Uint8Array): Promise<Uint8Array> {
  const h5 = (await import('h5wasm')).default;
  const module = await h5.ready;
  const fs = module.FS as unknown as {
    writeFile(p: string, d: Uint8Array): void;
    readFile(p: string): Uint8Array;
    unlink(p: string): void;
  };
  const from = `/win-from-${process.pid}-${edits++}.h5`;
  const to = `/win-to-${process.pid}-${edits++}.h5`;
  fs.writeFile(from, bytes);
  const source = new h5.File(from, 'r');
  const target = new h5.File(to, 'w');
  const copy = (path: string, objects: string[]) => {
    const entity = source.get(path);
    if (entity instanceof h5.Dataset) {
      // `objects` ends with 'vars' and the index: the objects before 'vars' become one group name.
      const v = objects.indexOf('vars');
      const group = objects.slice(0, v).join('\\');
      if (!(target.get(group) instanceof h5.Group)) target.create_group(group);
      const holder = target.get(group) as InstanceType<H5['Group']>;
      if (!(holder.get('vars') instanceof h5.Group)) holder.create_group('vars');
      (holder.get('vars') as InstanceType<H5['Group']>).create_dataset({
        name: objects[v + 1],
        data: new Float32Array(entity.value as Float32Array),
        shape: entity.shape ?? [],
        dtype: '<f',
      });
    } else if (entity instanceof h5.Group) {
      for (const k of entity.keys()) copy(`${path}/${k}`, [...objects, k]);
    }
  };
  try {
    copy('layers', ['layers']);
  } finally {
    source.close();
    target.close();
  }
  const out = new Uint8Array(fs.readFile(to));
  fs.unlink(from);
  fs.unlink(to);
  return out;
}
