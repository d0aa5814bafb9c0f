// Explaining why TF.js could not build a loaded model, in terms of the files the user passed.
import type { UsageError } from '../core/errors.ts';
import { type Fail, firstLine } from './common.ts';

/** Turns a TF.js deserialization / weight-loading error into one clear line. */
export function explainLoadError(err: unknown, fail: Fail): UsageError {
  const msg = firstLine(err);
  let m = /^Unknown layer: ([^.\s]+)/.exec(msg);
  if (m) {
    return fail(
      `layer class '${m[1]}' is not one TF.js Layers can deserialize (a custom layer? TF.js Layers has no ${m[1]})`,
    );
  }
  m = /^Unknown (\w[\w ]*?): ([^.\s]+)/.exec(msg);
  if (m) return fail(`${m[1]} '${m[2]}' is unknown to TF.js Layers (a custom ${m[1]}?)`);
  m = /^(\d+) of (\d+) weights are not set: (.*)$/.exec(msg);
  if (m) {
    const names = m[3].split(',');
    const shown = names.slice(0, 3).join(', ') + (names.length > 3 ? ', …' : '');
    return fail(`weightsManifest lacks ${m[1]} of the model's ${m[2]} weights (${shown})`);
  }
  m = /^Provided weight data has no target variable: (.*)$/.exec(msg);
  if (m) return fail(`weightsManifest lists weight '${m[1]}', which the model does not have`);
  m = /^Shape mismatch: (\[[^\]]*\]) vs\. (\[[^\]]*\])/.exec(msg);
  // TF.js writes the model variable's shape first, then the loaded value's.
  if (m)
    return fail(`a weight in the weight files has shape ${m[2]} where the model's weight has shape ${m[1]}`);
  return fail(`TF.js could not build the model (${msg})`);
}
