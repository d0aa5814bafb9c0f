// The safety rules and size limits, as `nn-doctor check --help` prints them (README mirrors this).
import { MAX_IMAGE_PIXELS } from '../data/image-decode.ts';
import { DATA_LIMITS } from '../data/limits.ts';
import { MAX_HDF5_DEPTH, MAX_HDF5_OBJECTS } from '../model-files/keras/hdf5.ts';
import { fmtLimit, MODEL_LIMITS } from '../model-files/limits.ts';
import { MAX_MODEL_JSON_DEPTH } from '../model-files/model-json.ts';
import { MAX_REPORT_BYTES, MAX_REPORT_DEPTH } from './report.ts';

const MiB = 2 ** 20;
const bytes = (n: number) => (n >= 2 ** 30 ? `${n / 2 ** 30} GiB` : `${n / MiB} MiB`);

export function limitsHelp(): string {
  const m = MODEL_LIMITS;
  const d = DATA_LIMITS;
  return `Safety:
  Inputs are only read, and must be regular files (a FIFO or device is refused). An output that is
  an input (same real path or inode), another output, a folder, or in a missing or unwritable folder
  is refused before any work; outputs are written to temporary files beside them, all flushed before
  any replaces its target; a symlink output is written through (the link stays). Weight files a
  model.json lists must lie inside its folder (no absolute path, .., hidden file, or link out);
  images of a --data folder must lie inside it (a symlink out, to a device or FIFO, is refused).
  HDF5 groups (Keras .h5, .keras weights) are walked once by object identity: an object linked
  twice (a cycle), an external or dangling link is refused.

Limits (past one: exit 2, one line naming it):
  model.json                 ${bytes(m.maxModelJsonBytes)}, nested at most ${MAX_MODEL_JSON_DEPTH} levels
  weight files, all together ${bytes(m.maxWeightBytes)} (model weights and optimizer state)
  model parameters           ${fmtLimit(m.maxParams)}, counted from the topology before TF.js builds it
  one layer's output         ${fmtLimit(m.maxLayerOutput)} values per record
  orthogonal-initialized     ${fmtLimit(m.maxOrthogonal)} values per weight (e.g. an LSTM of 1,024 units)
  layers / nesting           ${m.maxLayers} layers, ${m.maxNesting} levels of nested models and wrappers
  string weights             refused (a Layers model's weights are numeric)
  a data file as stored      ${bytes(d.maxFileBytes)} (.npy, .npz, IDX, CSV, gzipped or not)
  one array                  ${fmtLimit(d.maxArrayValues)} values and ${bytes(d.maxArrayBytes)} of data, as its header claims
  decompressed data          at most what the array header claims (.npz members, .gz), CRC-32 checked;
                             ${bytes(d.maxCsvBytes)} for a file without one
  CSV text                   ${bytes(d.maxCsvBytes)}
  HDF5 objects walked        ${MAX_HDF5_DEPTH} levels deep, the file's bytes / 16 objects (at most ${fmtLimit(MAX_HDF5_OBJECTS)})
  .keras model.weights.h5    1 MiB + 64 KiB per layer + 32 bytes per parameter (declared, before inflating)
  one image                  ${fmtLimit(MAX_IMAGE_PIXELS)} pixels (a GIF's screen and each frame; a PNG's data as declared)
  a saved report (report)    ${bytes(MAX_REPORT_BYTES)}, nested at most ${MAX_REPORT_DEPTH} levels, checked against its JSON Schema`;
}
