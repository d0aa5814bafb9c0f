// Model files given in memory: a page's `File`s (a file input, a dropped folder) or bytes with a
// name. The same rules as on disk (./disk.ts), where they apply: every size is compared with its
// limit or with what the manifest declares before a byte is read, and a weight path must be a
// plain relative path (./weights.ts) that names one of the files given, beside model.json. No file
// system is reached: only the files the user gave can be read.
import type * as tf from '@tensorflow/tfjs';
import { type GivenFile, givenFile, type InputFile } from '../data/input-file.ts';
import type { Fail, Json } from './common.ts';
import { MAX_MODEL_FILE_BYTES, type ModelFileKind, modelKindOf } from './formats.ts';
import { MODEL_LIMITS } from './limits.ts';
import { parseModelJson } from './model-json.ts';
import { checkGroupBytes, type ManifestGroup, readManifest, weightPathForms } from './weights.ts';

export { type GivenFile, givenFile, type InputFile };

/** What the model files hold: a Keras file's bytes, or model.json with its weights read. */
export type ModelParts =
  | { kind: Exclude<ModelFileKind, 'json'>; file: GivenFile; bytes: Uint8Array }
  | {
      kind: 'json';
      file: GivenFile;
      json: Json;
      weights: { specs: tf.io.WeightsManifestEntry[]; data: ArrayBuffer };
    };

const baseName = (key: string) => key.slice(key.lastIndexOf('/') + 1);
const folderOf = (key: string) => key.slice(0, key.lastIndexOf('/') + 1);

/**
 * The model's main file among those given: `model.json`, else the one file given, else the one
 * `.keras`, `.h5` or `.json` file. Null when there is none or more than one.
 */
export function mainModelFile(files: readonly GivenFile[]): GivenFile | null {
  const pick = (match: (f: GivenFile) => boolean) => {
    const found = files.filter(match);
    return found.length === 1 ? found[0] : null;
  };
  if (files.length === 1) return files[0];
  return (
    pick((f) => baseName(f.key) === 'model.json') ??
    pick((f) => /\.(keras|h5|hdf5)$/i.test(f.name)) ??
    pick((f) => /\.json$/i.test(f.name))
  );
}

/**
 * Reads the model files: sniffs the main file (its first bytes), reads a Keras file whole, or
 * model.json, its manifest (declared sizes against the limits), then — after `beforeWeights` has
 * checked the topology — the weight files it lists, their sizes compared with the manifest first.
 */
export async function readModelParts(
  main: GivenFile,
  files: readonly GivenFile[],
  fail: Fail,
  beforeWeights: (json: Json) => void,
): Promise<ModelParts> {
  const kind = main.size < 8 ? 'json' : modelKindOf(await main.read(0, 8));
  if (kind !== 'json') {
    if (main.size > MAX_MODEL_FILE_BYTES)
      throw fail(`is ${main.size} bytes; the limit for this input is ${MAX_MODEL_FILE_BYTES} bytes`);
    return { kind, file: main, bytes: await main.read() };
  }
  if (main.size > MODEL_LIMITS.maxModelJsonBytes)
    throw fail(`is ${main.size} bytes; the limit for this input is ${MODEL_LIMITS.maxModelJsonBytes} bytes`);
  const json = parseModelJson(await main.read(), fail);
  const groups = readManifest(json, fail);
  beforeWeights(json);
  return { kind, file: main, json, weights: await readGivenWeights(main, files, groups, fail) };
}

/** The given file a manifest path names, beside model.json. */
function shardFile(main: GivenFile, files: readonly GivenFile[], name: string, fail: Fail): GivenFile {
  const folder = folderOf(main.key);
  for (const form of weightPathForms(name, fail)) {
    const found = files.find((f) => f !== main && f.key === folder + form);
    if (found) return found;
  }
  throw fail(
    `weight file ${name} (listed in weightsManifest) was not given: pick model.json together with its weight files`,
  );
}

async function readGivenWeights(
  main: GivenFile,
  files: readonly GivenFile[],
  groups: ManifestGroup[],
  fail: Fail,
): Promise<{ specs: tf.io.WeightsManifestEntry[]; data: ArrayBuffer }> {
  const shards = groups.map((g) => g.paths.map((p) => shardFile(main, files, p, fail)));
  // Every shard's size against the manifest before any is read.
  const total = groups.reduce(
    (sum, g, i) =>
      sum +
      checkGroupBytes(
        g,
        shards[i].map((s) => s.size),
        fail,
      ),
    0,
  );
  const data = new Uint8Array(total);
  let offset = 0;
  for (const [i, g] of groups.entries()) {
    for (const [j, shard] of shards[i].entries()) {
      const bytes = await shard.read();
      if (bytes.length !== shard.size)
        throw fail(`weight file ${g.paths[j]}: the file changed while being read`);
      data.set(bytes, offset);
      offset += bytes.length;
    }
  }
  return { specs: groups.flatMap((g) => g.weights), data: data.buffer };
}
