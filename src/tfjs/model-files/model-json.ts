// Finding and reading model.json: its path (a directory holding one is accepted), JSON, and a
// modelTopology, with one-line UsageErrors.
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Fail, firstLine, isObject, type Json } from './common.ts';
import { rejectOtherModelJson } from './formats.ts';

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

/** Reads model.json as a JSON object with a modelTopology, or throws. */
export function readModelJson(file: string, fail: Fail): Json {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw fail(code === 'EACCES' ? 'permission denied' : `cannot read the file (${firstLine(err)})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw fail(`is not valid JSON (${firstLine(err)})`);
  }
  if (!isObject(json)) throw fail('is not a TF.js model.json (expected a JSON object)');
  rejectOtherModelJson(json, fail);
  if (!isObject(json.modelTopology)) throw fail('no modelTopology: not a TF.js Layers model.json');
  return json;
}
