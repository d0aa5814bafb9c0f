// A fix in the user's terms: which layer and config field change, as TF.js code, as the change to
// model.json, and as Keras code. Generated from the recorded changes (ConfigEdits, optimizer,
// loss, data), so what the report shows is exactly what the verified clone was built with.
import { own } from '../core/own.ts';
import type { AppliedFix, ConfigEdit, FixChanges, JsonValue, UserTerms } from '../core/remedies.ts';
import { maxOf } from '../shared/array.ts';
import { fmt } from '../shared/format.ts';

const snakeToCamel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const json = (v: JsonValue | undefined) => JSON.stringify(v ?? null);

/** `Dense` → `dense`, `Conv2D` → `conv2d`, `LeakyReLU` → `leakyReLU`, `LSTM` → `lstm`. */
export function tfjsFactory(className: string): string {
  const lowered = className.replace(/^[A-Z]+(?=[A-Z][a-z]|$)|^[A-Z]/, (m) => m.toLowerCase());
  return lowered.replace(/(\d)D/g, '$1d');
}

interface Named {
  tfjs: string;
  keras: string;
}

/** An initializer as TF.js and Keras name it. */
function initializer(v: JsonValue): Named {
  const o = v as { class_name?: string; config?: { [k: string]: JsonValue } } | null;
  const c = o?.config ?? {};
  if (o?.class_name === 'VarianceScaling') {
    const key = `${c.scale}/${c.mode}/${c.distribution}`;
    const known: Record<string, [string, string]> = {
      '2/fan_in/normal': ['heNormal', 'he_normal'],
      '2/fan_in/truncated_normal': ['heNormal', 'he_normal'],
      '2/fan_in/uniform': ['heUniform', 'he_uniform'],
      '1/fan_avg/uniform': ['glorotUniform', 'glorot_uniform'],
      '1/fan_avg/normal': ['glorotNormal', 'glorot_normal'],
      '1/fan_in/normal': ['leCunNormal', 'lecun_normal'],
    };
    const k = known[key];
    if (k) return { tfjs: `'${k[0]}'`, keras: `'${k[1]}'` };
  }
  if (o?.class_name === 'Zeros') return { tfjs: "'zeros'", keras: "'zeros'" };
  if (o?.class_name === 'Orthogonal') return { tfjs: "'orthogonal'", keras: "'orthogonal'" };
  if (o?.class_name === 'Constant')
    return {
      tfjs: `tf.initializers.constant({ value: ${c.value} })`,
      keras: `keras.initializers.Constant(${c.value})`,
    };
  return { tfjs: json(v), keras: json(v) };
}

function regularizer(v: JsonValue): Named {
  const o = v as { class_name?: string; config?: { l1?: number; l2?: number } } | null;
  if (!o) return { tfjs: 'null', keras: 'None' };
  const l1 = Number(o.config?.l1 ?? 0);
  const l2 = Number(o.config?.l2 ?? 0);
  return {
    tfjs: `tf.regularizers.l1l2({ l1: ${fmt(l1)}, l2: ${fmt(l2)} })`,
    keras: `keras.regularizers.L1L2(l1=${fmt(l1)}, l2=${fmt(l2)})`,
  };
}

function fieldValue(field: string, v: JsonValue): Named {
  if (field.endsWith('_initializer')) return initializer(v);
  if (field.endsWith('_regularizer')) return regularizer(v);
  if (typeof v === 'string') return { tfjs: `'${v}'`, keras: `'${v}'` };
  if (v === null) return { tfjs: 'null', keras: 'None' };
  return { tfjs: json(v), keras: json(v) };
}

/** Config fields of an inserted layer as TF.js and Keras arguments (its name is left out). */
function insertArgs(config: { [k: string]: JsonValue }): { tfjs: string; keras: string } {
  const entries = Object.entries(config).filter(([k]) => k !== 'name' && k !== 'trainable');
  return {
    tfjs: entries.length
      ? `{ ${entries.map(([k, v]) => `${snakeToCamel(k)}: ${fieldValue(k, v).tfjs}`).join(', ')} }`
      : '',
    keras: entries.map(([k, v]) => `${k}=${fieldValue(k, v).keras}`).join(', '),
  };
}

function modelEdits(edits: ConfigEdit[]): {
  tfjs: string[];
  keras: string[];
  json: string[];
  where: string[];
} {
  const out = { tfjs: [] as string[], keras: [] as string[], json: [] as string[], where: [] as string[] };
  // One line per changed layer: its factory with the changed arguments.
  const sets = edits.filter((e): e is Extract<ConfigEdit, { kind: 'set' }> => e.kind === 'set');
  const layers = [...new Set(sets.map((e) => e.layer))];
  for (const layer of layers) {
    const mine = sets.filter((e) => e.layer === layer);
    const cls = mine[0].className;
    out.tfjs.push(
      `tf.layers.${tfjsFactory(cls)}({ …, name: '${layer}', ${mine.map((e) => `${snakeToCamel(e.field)}: ${fieldValue(e.field, e.to).tfjs}`).join(', ')} })`,
    );
    out.keras.push(
      `layers.${cls}(…, name='${layer}', ${mine.map((e) => `${e.field}=${fieldValue(e.field, e.to).keras}`).join(', ')})`,
    );
    for (const e of mine) {
      out.where.push(`${layer}.${e.field}`);
      out.json.push(`modelTopology layer "${layer}" config.${e.field}: ${json(e.from)} → ${json(e.to)}`);
    }
  }
  for (const e of edits) {
    if (e.kind !== 'insert') continue;
    const args = insertArgs(e.config);
    out.tfjs.push(
      `tf.layers.${tfjsFactory(e.className)}(${args.tfjs})  // new layer right after '${e.after}'`,
    );
    out.keras.push(
      `layers.${e.className}(${args.keras})  # new layer right after '${e.after}'${e.className === 'LeakyReLU' ? ' (Keras 3: negative_slope=…)' : ''}`,
    );
    out.where.push(`new ${e.className} after ${e.after}`);
    out.json.push(
      `modelTopology: insert after layer "${e.after}" ${json({ class_name: e.className, config: e.config })} (what read "${e.after}" reads "${e.layer}")`,
    );
  }
  return out;
}

const TFJS_OPTIMIZER: Record<string, string> = {
  Adam: 'adam',
  SGD: 'sgd',
  Momentum: 'momentum',
  RMSProp: 'rmsprop',
  Adagrad: 'adagrad',
  Adadelta: 'adadelta',
  Adamax: 'adamax',
};
const KERAS_OPTIMIZER: Record<string, string> = { Momentum: 'SGD', RMSProp: 'RMSprop' };
const TFJS_LOSS = (loss: string) => snakeToCamel(loss);

function floats(xs: number[], max = 6): string {
  const shown = xs.slice(0, max).map((x) => fmt(x));
  return `[${shown.join(', ')}${xs.length > max ? ', …' : ''}]`;
}

/** The fix in the user's terms. `optimizer` is the TF.js optimizer class the setup trains with. */
export function userTerms(fix: AppliedFix, optimizer: string): UserTerms {
  const c: FixChanges = fix.changes;
  const m = modelEdits(c.edits);
  const tfjs = [...m.tfjs];
  const keras = [...m.keras];
  const modelJson = [...m.json];
  const where = [...m.where];
  if (c.learningRate) {
    const lr = fmt(c.learningRate.to);
    const factory = own(TFJS_OPTIMIZER, optimizer) ?? optimizer.toLowerCase();
    tfjs.push(
      `model.compile({ …, optimizer: tf.train.${factory}(${lr}${optimizer === 'Momentum' ? ', momentum' : ''}) })`,
    );
    keras.push(
      `model.compile(…, optimizer=keras.optimizers.${own(KERAS_OPTIMIZER, optimizer) ?? optimizer}(learning_rate=${lr}${optimizer === 'Momentum' ? ', momentum=…' : ''}))`,
    );
    modelJson.push(
      `trainingConfig.optimizer_config.config.learningRate: ${c.learningRate.from === null ? '(unset)' : fmt(c.learningRate.from)} → ${lr}`,
    );
    where.push('optimizer learning rate');
  }
  if (c.clipNorm !== undefined) {
    const cap = fmt(c.clipNorm);
    tfjs.push(
      `// TF.js optimizers have no clipnorm: scale the gradients in your training step\nconst { value, grads } = tf.variableGrads(() => lossOf(xs, ys));\nconst norm = tf.sqrt(tf.addN(Object.values(grads).map((g) => tf.sum(tf.square(g)))));\nconst scale = tf.minimum(1, tf.div(${cap}, norm));\noptimizer.applyGradients(Object.fromEntries(Object.entries(grads).map(([k, g]) => [k, g.mul(scale)])));`,
    );
    keras.push(`keras.optimizers.${own(KERAS_OPTIMIZER, optimizer) ?? optimizer}(…, clipnorm=${cap})`);
    modelJson.push(
      `trainingConfig.optimizer_config.config.clipnorm: ${cap} (Keras reads it; TF.js ignores it — clip in the training step)`,
    );
    where.push('gradient clipping');
  }
  if (c.loss) {
    tfjs.push(`model.compile({ …, loss: '${TFJS_LOSS(c.loss.to)}' })`);
    keras.push(`model.compile(…, loss='${c.loss.to}')`);
    modelJson.push(`trainingConfig.loss: "${c.loss.from}" → "${c.loss.to}"`);
    where.push('loss');
  }
  if (fix.id === 'output-activation') {
    const to = c.edits.find((e) => e.kind === 'set' && e.to !== 'linear');
    const act = to && to.kind === 'set' ? String(to.to) : '';
    if (act === 'softmax' || act === 'sigmoid')
      keras.push(
        `# or keep the output linear and train on logits: loss=keras.losses.${act === 'softmax' ? 'CategoricalCrossentropy' : 'BinaryCrossentropy'}(from_logits=True)`,
      );
  }
  if (c.inputs) {
    const s = c.inputs;
    tfjs.push(
      `// mean/std per ${s.axis} from fix.json "inputs" (fitted on ${s.records} training records): ${floats(s.mean)} / ${floats(s.std)}\nconst xs = x.sub(tf.tensor(inputs.mean, ${json(s.shape)})).div(tf.tensor(inputs.std, ${json(s.shape)}));  // training, validation and test data alike`,
    );
    keras.push(
      `x = (x - np.reshape(inputs["mean"], ${json(s.shape)})) / np.reshape(inputs["std"], ${json(s.shape)})  # same μ, σ for train, validation, test`,
    );
    where.push(`inputs: (x − μ) / σ per ${s.axis}`);
  }
  if (c.targets) {
    const s = c.targets;
    tfjs.push(
      `// targets: mean ${floats(s.mean)}, std ${floats(s.std)} (fix.json "targets")\nconst ys = y.sub(tf.tensor(targets.mean)).div(tf.tensor(targets.std));\nconst predictions = model.predict(xs).mul(tf.tensor(targets.std)).add(tf.tensor(targets.mean));`,
    );
    keras.push(
      `y_scaled = (y - targets["mean"]) / targets["std"]; predictions = model.predict(x) * targets["std"] + targets["mean"]`,
    );
    where.push('targets: (y − μ) / σ, predictions mapped back');
  }
  if (c.classWeights) {
    const w = c.classWeights.map((v, k) => `${k}: ${fmt(v)}`).join(', ');
    tfjs.push(`await model.fit(xs, ys, { …, classWeight: { ${w} } });`);
    keras.push(`model.fit(x, y, …, class_weight={${w}})`);
    where.push('fit classWeight');
  }
  if (c.oversampledCounts) {
    const n = maxOf(c.oversampledCounts);
    tfjs.push(
      `// repeat each class's training records (drawn at random) until every class has about ${n} per epoch, then shuffle`,
    );
    keras.push(`# oversample: repeat minority-class records until each class has about ${n} per epoch`);
    where.push('training records per class');
  }
  if (c.reinitialized.length) where.push(`fresh weights: ${c.reinitialized.join(', ')}`);
  return {
    where,
    tfjs: tfjs.join('\n'),
    modelJson: modelJson.length ? modelJson.join('\n') : null,
    keras: keras.join('\n'),
  };
}
