// Finding and reading model.json: its path (a directory holding one is accepted), JSON, and a
// modelTopology, with one-line UsageErrors.
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { jsonDepth } from '../data/common.ts';
import { readRegularFile } from '../data/read-file.ts';
import { type Fail, firstLine, isObject, type Json } from './common.ts';
import { rejectOtherModelJson } from './formats.ts';
import { MODEL_LIMITS } from './limits.ts';

/** Deep enough for nested functional models and wrapped layers; far below a stack overflow. */
export const MAX_MODEL_JSON_DEPTH = 512;

/** Resolves the path to model.json (a directory holding one is accepted) or throws. */
export function resolveModelJson(path: string, fail: Fail): string {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw fail(code === 'ENOENT' ? 'file not found' : `cannot read the file (${firstLine(err)})`);
  }
  if (!st.isDirectory()) return resolve(path);
  const inside = join(path, 'model.json');
  try {
    if (statSync(inside).isFile()) return resolve(inside);
  } catch {
    // fall through
  }
  throw fail('is a directory without a model.json; pass the model.json file');
}

/** Reads model.json (a regular file, within the size limit) as a JSON object with a modelTopology, or throws. */
export function readModelJson(file: string, fail: Fail): Json {
  const bytes = Buffer.from(readRegularFile(file, MODEL_LIMITS.maxModelJsonBytes, fail));
  const text = bytes.toString('utf8');
  if (jsonDepth(text) > MAX_MODEL_JSON_DEPTH)
    throw fail(`nests deeper than ${MAX_MODEL_JSON_DEPTH} levels; not a TF.js model.json`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw fail(`is not valid JSON (${firstLine(err)})`);
  }
  if (!isObject(json)) throw fail('is not a TF.js model.json (expected a JSON object)');
  rejectOtherModelJson(json, fail);
  if (!isObject(json.modelTopology)) throw fail('no modelTopology: not a TF.js Layers model.json');
  return json;
}
