// Reading model.json from its bytes: JSON, not too deep, and a modelTopology, with one-line
// UsageErrors. Finding it on disk is ./disk.ts.
import { jsonDepth } from '../data/common.ts';
import { type Fail, firstLine, isObject, type Json } from './common.ts';
import { rejectOtherModelJson } from './formats.ts';
import { MODEL_LIMITS } from './limits.ts';

/** Deep enough for nested functional models and wrapped layers; far below a stack overflow. */
export const MAX_MODEL_JSON_DEPTH = 512;

/**
 * Parses model.json's bytes (read within MODEL_LIMITS.maxModelJsonBytes) as a JSON object with a
 * modelTopology, or throws.
 */
export function parseModelJson(bytes: Uint8Array, fail: Fail): Json {
  if (bytes.length > MODEL_LIMITS.maxModelJsonBytes)
    throw fail(
      `is ${bytes.length} bytes; the limit for this input is ${MODEL_LIMITS.maxModelJsonBytes} bytes`,
    );
  const text = new TextDecoder().decode(bytes);
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
