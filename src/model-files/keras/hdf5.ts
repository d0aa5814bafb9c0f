// Reading HDF5 files (Keras `.h5`, and `model.weights.h5` inside `.keras`) with h5wasm: the HDF5
// C library compiled to WebAssembly, so no native build is needed.
//
// Why h5wasm and not jsfive (both by the same NIST author, both maintained): h5wasm is libhdf5
// itself, so every storage layout h5py writes is read as h5py reads it (jsfive leaves the NUL
// padding in Keras' fixed-length `weight_names` strings, e.g. "dense_1/bias:0\0\0"); it reads a
// 64 MiB weights file 7–16× faster than jsfive (side by side in bench/hdf5-readers.ts: 1.4 s vs
// 9.5 s at load average 9, 75 ms vs 1.2 s at load average 4); it returns int64 as BigInt and
// float32 as Float32Array without copies through JS arrays; and it can write
// HDF5, which the tests use to plant faults in real Keras files. Its cost: 15 MiB installed, about
// 0.3 s and 40 MiB RSS to instantiate, paid only when a Keras HDF5 file is read (lazy import).
//
// The file is copied into h5wasm's in-memory file system (never a temporary file on disk). The
// wasm heap is capped at 2 GiB, which bounds the damage a hostile file can do; callers check a
// dataset's shape and size from its header before reading it, so a small compressed dataset cannot
// inflate into gigabytes. libhdf5 errors are thrown (not printed) and shortened to one line.
//
// Link graphs are hostile too: HDF5 groups are linked by name, and a hard link may point to any
// object, so a few KB can hold a cycle, a "diamond" of 2^40 paths or a 3,000-deep chain. Groups
// are therefore walked once (`walk`), by object identity (its header's address in the file, from
// an HDF5 object reference), before any path below them is used: an object reached twice (through
// hard or soft links), an external or dangling link, a path deeper than MAX_HDF5_DEPTH or more
// objects than the file's size allows are refused. Keras writes a tree of hard links.
import { halfToFloat } from '../../data/common.ts';
import type { Fail } from '../common.ts';

type H5Module = typeof import('h5wasm');
type H5Entity = ReturnType<InstanceType<H5Module['File']>['get']>;

/** Largest HDF5 file read into memory (the wasm heap holds the file and one dataset at a time). */
export const MAX_HDF5_BYTES = 1024 * 1024 * 1024;

/**
 * Deepest HDF5 path walked below its root: Keras nests two levels per nested model
 * (`layers/<name>/`) and one per wrapper or cell, and models nest at most 32 levels.
 */
export const MAX_HDF5_DEPTH = 100;
/** Most objects walked in one file, whatever its size (10,000 layers of a few objects each fit). */
export const MAX_HDF5_OBJECTS = 2 ** 20;
/** Every HDF5 object header takes at least 16 bytes (its prefix), so a file holds at most size / 16 objects. */
const MIN_OBJECT_BYTES = 16;

/** The low-level calls of h5wasm's module used here (all read-only, by file id and path). */
interface H5Low {
  create_object_reference(file: bigint, path: string): ArrayLike<number>;
  get_external_link(file: bigint, path: string): { filename?: string };
  get_names(file: bigint, path: string, recursive: boolean): string[];
  /** Each member's object type (H5O_TYPE_*), by name: one call per group. */
  get_types(file: bigint, path: string): Record<string, number>;
  /** Also H5O_TYPE_* values for groups and datasets (H5G_GROUP = 0, H5G_DATASET = 1). */
  get_type(file: bigint, path: string): number;
  H5O_TYPE_GROUP: number;
  H5O_TYPE_DATASET: number;
}

let h5: Promise<{
  lib: H5Module['default'];
  low: H5Low;
  fs: { writeFile(p: string, d: Uint8Array): void; unlink(p: string): void };
}> | null = null;

async function loadH5wasm() {
  h5 ??= (async () => {
    const lib = (await import('h5wasm')).default;
    const module = await lib.ready;
    // libhdf5 prints its error stack to stderr by default; make it throw instead.
    (module as unknown as { activate_throwing_error_handler(): void }).activate_throwing_error_handler();
    return {
      lib,
      low: module as unknown as H5Low,
      fs: module.FS as unknown as { writeFile(p: string, d: Uint8Array): void; unlink(p: string): void },
    };
  })();
  return h5;
}

/** One line from libhdf5's error stack: the outermost and innermost messages. */
export function hdf5Message(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const frames = [...text.matchAll(/#\d+: .*? in (\w+)\(\): ([^\n]+)/g)].map((m) => m[2].trim());
  if (frames.length === 0) return text.split('\n')[0].trim();
  const first = frames[0];
  const last = frames[frames.length - 1];
  return first === last ? first : `${first}: ${last}`;
}

export type ElementKind = 'float' | 'int' | 'uint' | 'string' | 'other';

export interface DatasetInfo {
  shape: number[];
  kind: ElementKind;
  /** Bytes per element. */
  size: number;
}

let files = 0;

/** An open HDF5 file: attributes, group members and datasets by path. Close it when done. */
export class Hdf5File {
  private constructor(
    private readonly lib: H5Module['default'],
    private readonly low: H5Low,
    private readonly file: InstanceType<H5Module['File']>,
    private readonly release: () => void,
    private readonly fail: Fail,
    /** Most objects a walk may visit: what the file's size can hold, and MAX_HDF5_OBJECTS. */
    readonly maxObjects: number,
  ) {}

  /** Opens HDF5 bytes; a file that libhdf5 cannot open is a UsageError through `fail`. */
  static async open(bytes: Uint8Array, fail: Fail): Promise<Hdf5File> {
    if (bytes.length > MAX_HDF5_BYTES) {
      throw fail(
        `is ${bytes.length} bytes; the largest HDF5 file nn-doctor reads is ${MAX_HDF5_BYTES} bytes`,
      );
    }
    const { lib, low, fs } = await loadH5wasm();
    // h5wasm's in-memory file system is per module instance: a counter names files apart (no
    // `process` here: this also runs in browsers).
    const name = `/nn-doctor-${files++}.h5`;
    fs.writeFile(name, bytes);
    const release = () => {
      try {
        fs.unlink(name);
      } catch {
        // already gone
      }
    };
    try {
      const maxObjects = Math.min(MAX_HDF5_OBJECTS, Math.floor(bytes.length / MIN_OBJECT_BYTES));
      return new Hdf5File(lib, low, new lib.File(name, 'r'), release, fail, maxObjects);
    } catch (err) {
      release();
      throw fail(`is not a readable HDF5 file (${hdf5Message(err)})`);
    }
  }

  close(): void {
    try {
      this.file.close();
    } finally {
      this.release();
    }
  }

  private entity(path: string): H5Entity {
    try {
      if (path === '/' || path === '') return this.file;
      // An external link would make libhdf5 open another file (of the wasm file system) by name.
      if (this.externalLink(path))
        throw this.fail(
          `HDF5 object '${path}' is an external link (to another file), which Keras never writes`,
        );
      return this.file.get(path);
    } catch (err) {
      if (err instanceof Error && err.name === 'UsageError') throw err;
      throw this.fail(`HDF5 object '${path}' cannot be read (${hdf5Message(err)})`);
    }
  }

  /** Whether the link at `path` is an external link (false when there is no link there). */
  private externalLink(path: string): boolean {
    try {
      return this.low.get_external_link(this.file.file_id, path).filename !== undefined;
    } catch {
      return false; // no such link: file.get says so
    }
  }

  /**
   * Every object under the group at `root` (paths relative to the file, `root/a/b`), walked once by
   * object identity: a tree of hard links or a refusal (an object linked twice, which covers
   * cycles and diamonds; a soft or external link; deeper than MAX_HDF5_DEPTH; more objects than
   * `maxObjects`). Empty when `root` is not a group. Paths below a walked root are then safe to use.
   */
  walk(root: string): Map<string, 'group' | 'dataset'> {
    const out = new Map<string, 'group' | 'dataset'>();
    if (this.kind(root) !== 'group') return out;
    const id = this.file.file_id;
    const seen = new Map<string, string>();
    const call = <T>(path: string, what: string, f: () => T): T => {
      try {
        return f();
      } catch (err) {
        throw this.fail(`HDF5 object '${path}' ${what} (${hdf5Message(err)})`);
      }
    };
    const identity = (path: string): string =>
      Array.from(call(path, 'cannot be identified', () => this.low.create_object_reference(id, path))).join(
        ',',
      );
    seen.set(identity(root), root);
    // Paths are resolved from the file's root by libhdf5 at each call (h5wasm has no group
    // handles), so a call costs the path's depth: one listing per group and one identity per
    // object keep the walk at objects × depth (≈ 0.5 s for a 100-deep chain), where per-link
    // type and link-kind queries cost depth² each (seconds).
    const visit = (path: string, depth: number) => {
      const names = call(path, 'cannot be listed', () => this.low.get_names(id, path, false));
      // Follows soft links; an external or dangling link makes libhdf5 fail here (refused).
      const types = call(path, 'has a link that cannot be followed (external or dangling)', () =>
        this.low.get_types(id, path),
      );
      for (const name of names) {
        const child = `${path}/${name}`;
        if (depth + 1 > MAX_HDF5_DEPTH)
          throw this.fail(
            `HDF5 path '${child}' is nested over ${MAX_HDF5_DEPTH} levels deep (a hostile link graph?)`,
          );
        if (seen.size + 1 > this.maxObjects) {
          throw this.fail(
            `HDF5 group '${root}' holds over ${this.maxObjects} objects, more than a file of its size can (a hostile link graph?)`,
          );
        }
        // `types` is a plain object keyed by link names: a link named `__proto__` is not in it.
        const type = Object.hasOwn(types, name)
          ? types[name]
          : call(child, 'cannot be read', () => this.low.get_type(id, child));
        if (type !== this.low.H5O_TYPE_GROUP && type !== this.low.H5O_TYPE_DATASET) continue; // named datatypes
        const key = identity(child);
        const before = seen.get(key);
        if (before !== undefined) {
          throw this.fail(
            `HDF5 object '${child}' is the same object as '${before}' (linked twice: a cycle or a shared object, which Keras never writes)`,
          );
        }
        seen.set(key, child);
        const kind = type === this.low.H5O_TYPE_GROUP ? 'group' : 'dataset';
        out.set(child, kind);
        if (kind === 'group') visit(child, depth + 1);
      }
    };
    visit(root, 0);
    return out;
  }

  /** 'group', 'dataset', or null when nothing (or something else) is at `path`. */
  kind(path: string): 'group' | 'dataset' | null {
    const e = this.entity(path);
    if (e instanceof this.lib.Group) return 'group';
    if (e instanceof this.lib.Dataset) return 'dataset';
    return null;
  }

  /** Member names of the group at `path` ([] when it is not a group). */
  keys(path: string): string[] {
    const e = this.entity(path);
    if (!(e instanceof this.lib.Group)) return [];
    try {
      return e.keys();
    } catch (err) {
      throw this.fail(`HDF5 group '${path}' cannot be listed (${hdf5Message(err)})`);
    }
  }

  /** Attribute names of the object at `path`. */
  attrNames(path: string): string[] {
    const e = this.entity(path);
    if (!e || !('attrs' in e)) return [];
    try {
      return Object.keys(e.attrs);
    } catch (err) {
      throw this.fail(`attributes of HDF5 object '${path}' cannot be read (${hdf5Message(err)})`);
    }
  }

  /** An attribute's value (strings as strings, string arrays as arrays, int64 as BigInt), or undefined. */
  attr(path: string, name: string): unknown {
    const e = this.entity(path);
    if (!e || !('attrs' in e)) return undefined;
    try {
      // Own names only: an attribute called `constructor` is not Object.prototype's.
      if (!Object.hasOwn(e.attrs, name)) return undefined;
      return e.get_attribute(name, false);
    } catch (err) {
      throw this.fail(
        `attribute '${name}' of HDF5 object '${path || '/'}' cannot be read (${hdf5Message(err)})`,
      );
    }
  }

  /** A dataset's shape and element type from its header, without reading its data. */
  datasetInfo(path: string): DatasetInfo | null {
    const e = this.entity(path);
    if (!(e instanceof this.lib.Dataset)) return null;
    try {
      const m = e.metadata;
      const kind: ElementKind =
        m.type === 1
          ? 'float'
          : m.type === 0
            ? m.signed
              ? 'int'
              : 'uint'
            : m.type === 3
              ? 'string'
              : 'other';
      return { shape: (m.shape ?? []).map(Number), kind, size: m.size };
    } catch (err) {
      throw this.fail(`HDF5 dataset '${path}' has an unreadable header (${hdf5Message(err)})`);
    }
  }

  /**
   * Reads a float dataset as float32 (float64 and float16 are converted). The caller has checked
   * its shape; the element count is checked again against `elements` before reading.
   */
  readFloats(path: string, elements: number): Float32Array {
    const e = this.entity(path);
    const info = this.datasetInfo(path);
    if (!(e instanceof this.lib.Dataset) || !info) throw this.fail(`HDF5 dataset '${path}' is missing`);
    const count = info.shape.reduce((a, b) => a * b, 1);
    if (count !== elements) {
      throw this.fail(`HDF5 dataset '${path}' has ${count} values where ${elements} are expected`);
    }
    if (info.kind !== 'float') {
      throw this.fail(`HDF5 dataset '${path}' holds ${info.kind} values, not floating point`);
    }
    let value: unknown;
    try {
      value = e.value;
    } catch (err) {
      throw this.fail(`HDF5 dataset '${path}' cannot be read (${hdf5Message(err)})`);
    }
    if (value instanceof Float32Array) return value;
    if (value instanceof Float64Array) return Float32Array.from(value);
    if (typeof value === 'number') return Float32Array.of(value);
    // float16 comes back as a Uint16Array of raw bits in some h5wasm versions.
    if (value instanceof Uint16Array && info.size === 2) return Float32Array.from(value, halfToFloat);
    throw this.fail(`HDF5 dataset '${path}' has an unsupported float layout (${info.size} bytes per value)`);
  }
}
