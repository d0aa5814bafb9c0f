// Loading a model from files in memory (browser-safe): a page's `File`s — a `.keras` or `.h5` file,
// or model.json with its weight files — or bytes with names. The same checks as loading from disk
// (./load.ts), on the same parts (./build.ts).
import { UsageError } from '../../core/errors.ts';
import { errorAt } from '../../model-files/common.ts';
import { givenFile, type InputFile, mainModelFile, readModelParts } from '../../model-files/in-memory.ts';
import {
  checkModelJson,
  type LoadedModel,
  type LoadModelOptions,
  modelFromJson,
  modelFromKeras,
} from './build.ts';

/**
 * Loads a model from files in memory, read-only, like `loadModelFile` from disk: `path` in the
 * result is the main file's name. Throws a UsageError (one line naming the file) for what
 * `loadModelFile` refuses, and when the files hold no model or several.
 */
export async function loadModelFiles(
  files: readonly InputFile[],
  options: LoadModelOptions = {},
): Promise<LoadedModel> {
  const given = files.map(givenFile);
  const main = mainModelFile(given);
  const flag = options.flag ?? '';
  if (!main)
    throw new UsageError(
      `${flag ? `${flag}: ` : ''}give one model: a .keras or .h5 file, or model.json with its weight files (got ${given.length ? given.map((f) => f.key).join(', ') : 'no file'})`,
    );
  const fail = errorAt(`${flag} ${main.key}`.trim());
  const parts = await readModelParts(main, given, fail, (json) => checkModelJson(json, fail));
  const built =
    parts.kind === 'json'
      ? await modelFromJson(parts.json, parts.weights, fail)
      : await modelFromKeras(parts.kind, parts.bytes, fail);
  return { ...built, path: main.key };
}

/**
 * `loadModelFiles(...).model`, compiled with its training config when it has one; a training
 * config that cannot be applied is a UsageError (as `loadModelFromFile`).
 */
export async function loadModelFromFiles(files: readonly InputFile[], options: LoadModelOptions = {}) {
  const loaded = await loadModelFiles(files, options);
  if (loaded.trainingConfigProblem) {
    loaded.model.dispose();
    throw new UsageError(`${`${options.flag ?? ''} ${loaded.path}`.trim()}: ${loaded.trainingConfigProblem}`);
  }
  return loaded.model;
}
