// Recognizing what a model file is: Keras HDF5 / .keras (loaded by keras/load-keras.ts), or JSON,
// and JSON that is not a Layers model.json (graph models, bare Keras configs), so the error says
// what the file is. From bytes: reading files is ./disk.ts (Node) or ./in-memory.ts (a page's files).
import { type Fail, isObject, type Json } from './common.ts';

export type ModelFileKind = 'hdf5' | 'zip' | 'json';

/** Largest model file read into memory (a Keras file is read whole; HDF5 needs random access). */
export const MAX_MODEL_FILE_BYTES = 1024 * 1024 * 1024;

/** The first bytes of an HDF5 file (Keras `.h5`, and `.keras` files saved by TF 2.10/2.11). */
const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * What a model file is, from its first bytes (8 are enough), not its name (`.keras` files saved by
 * TF 2.10/2.11 are HDF5): HDF5 (Keras `.h5` / old `.keras`), zip (Keras 3 `.keras`), or anything
 * else (read as model.json).
 */
export function modelKindOf(head: Uint8Array): ModelFileKind {
  if (head.length >= 8 && HDF5_SIGNATURE.every((b, i) => head[i] === b)) return 'hdf5';
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return 'zip';
  return 'json';
}

/** Throws when parsed JSON is a graph model, or a Keras model config without weights. */
export function rejectOtherModelJson(json: Json, fail: Fail): void {
  const topology = json.modelTopology;
  if (json.format === 'graph-model' || (isObject(topology) && 'node' in topology)) {
    throw fail(
      'is a TF.js graph model (converted from a SavedModel); nn-doctor needs a Layers model (model.save / Keras converter)',
    );
  }
  if (!isObject(topology) && 'class_name' in json && 'config' in json) {
    throw fail(
      'holds only a Keras model config (model.to_json()), no weights; pass the file model.save() wrote (.keras or .h5)',
    );
  }
}
