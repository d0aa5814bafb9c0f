// Recognizing files that are not a TF.js Layers model.json (Keras HDF5 / .keras, graph models, bare
// Keras configs), so the error says what the file is and how to convert it.
import { type Fail, isObject, type Json } from './common.ts';

/** Throws when the file's first bytes show a binary Keras format (HDF5, or a zip such as .keras). */
export function rejectBinaryFormats(bytes: Buffer, fail: Fail): void {
  if (bytes.subarray(0, 4).toString('latin1') === '\x89HDF') {
    throw fail(
      'is a Keras HDF5 file, not a TF.js model.json; convert it: tensorflowjs_converter --input_format keras model.h5 outdir',
    );
  }
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) {
    throw fail(
      'is a zip archive (a Keras .keras file?), not a TF.js model.json; convert it with tensorflowjs_converter',
    );
  }
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
      'holds only a Keras model config (model.to_json()), no weights; convert the model with tensorflowjs_converter',
    );
  }
}
