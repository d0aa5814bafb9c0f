// The safety rules and size limits, as `nn-doctor check --help` prints them (README mirrors this).
import { DATA_LIMITS } from '../data/limits.ts';
import { fmtLimit, MODEL_LIMITS } from '../tfjs/model-files/limits.ts';
import { MAX_MODEL_JSON_DEPTH } from '../tfjs/model-files/model-json.ts';
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
  model.json lists must lie inside its folder (no absolute path, .., hidden file, or link out).

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
  a saved report (report)    ${bytes(MAX_REPORT_BYTES)}, nested at most ${MAX_REPORT_DEPTH} levels, checked against its JSON Schema`;
}
