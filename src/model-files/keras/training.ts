// The training config half of the translation: Keras 2 `training_config` (in `.h5` and converter
// model.json) and Keras 3 `compile_config` (in `.keras`) → one Keras 2-shaped config
// `{loss, metrics, optimizer_config: {class_name, config}, …}` that applyTrainingConfig compiles.
// Class names are settled there (RMSprop → RMSProp, Custom>Adam → Adam, `lr` → learning rate,
// loss objects and their from_logits, metric objects → names); here the Keras 3 wrappers are
// unwrapped and the Keras 3 optimizer options TF.js has no equivalent for are named in notes.
import { isObject, type Json } from '../common.ts';

/** Keras 3 optimizer options with no TF.js equivalent, with the value that means "off". */
const IGNORED_OPTIMIZER_OPTIONS: Record<string, unknown> = {
  weight_decay: null,
  clipnorm: null,
  clipvalue: null,
  global_clipnorm: null,
  use_ema: false,
  loss_scale_factor: null,
  gradient_accumulation_steps: null,
};

/** `{class_name: 'function', config: 'mse'}` (Keras 3's serialized plain function) → 'mse'; other objects unwrapped. */
function unwrap(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(unwrap);
  if (!isObject(v)) return v;
  if (v.class_name === 'function' && typeof v.config === 'string') return v.config;
  if ('class_name' in v) {
    const config = isObject(v.config) ? { ...v.config } : v.config;
    if (isObject(config) && isObject(config.learning_rate))
      config.learning_rate = unwrap(config.learning_rate);
    return { class_name: v.class_name, config };
  }
  // A dict of per-output entries.
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unwrap(x)]));
}

/**
 * A Keras 2 training_config or Keras 3 compile_config → the Keras 2 shape; options TF.js ignores
 * go to `notes`. Returns null when `raw` holds no loss and no optimizer.
 */
export function normalizeTrainingConfig(raw: unknown, notes: string[]): Json | null {
  if (!isObject(raw)) return null;
  let optimizer = raw.optimizer_config ?? raw.optimizerConfig ?? raw.optimizer;
  if (typeof optimizer === 'string') optimizer = { class_name: optimizer, config: {} };
  optimizer = unwrap(optimizer);
  if (raw.loss == null && optimizer == null) return null;
  if (isObject(optimizer) && isObject(optimizer.config)) {
    const cfg = optimizer.config;
    for (const [k, off] of Object.entries(IGNORED_OPTIMIZER_OPTIONS)) {
      if (cfg[k] !== undefined && cfg[k] !== off)
        notes.push(`optimizer option ${k}=${JSON.stringify(cfg[k])} ignored (TF.js optimizers have none)`);
    }
  }
  const out: Json = {
    ...raw,
    loss: unwrap(raw.loss),
    metrics: unwrap(raw.metrics),
    optimizer_config: optimizer,
  };
  delete out.optimizer;
  for (const k of ['run_eagerly', 'steps_per_execution', 'jit_compile', 'auto_scale_loss']) delete out[k];
  if (raw.weighted_metrics != null) out.weighted_metrics = unwrap(raw.weighted_metrics);
  return out;
}
