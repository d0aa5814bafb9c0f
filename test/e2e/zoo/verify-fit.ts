// Independent verification of the healthy zoo: each setup trained with a plain `model.fit` must
// reach a good held-out score (accuracy, balanced accuracy, per-label accuracy or R²). Not part
// of the test suite (it trains every setup for several epochs); run it when the zoo changes:
//   npx tsx test/e2e/zoo/verify-fit.ts [name filter]
import * as tf from '@tensorflow/tfjs';
import type { Dataset } from '../../../src/core/dataset.ts';
import { selectBackend } from '../../../src/tfjs/backend.ts';
import { type Metric, ZOO } from './setups.ts';
import { ZOO_MORE, ZOO_SEQUENCES } from './setups-d.ts';
import { ZOO_TWINS } from './setups-f.ts';

function labelsTensor(model: tf.LayersModel, ds: Dataset): tf.Tensor {
  const units = model.outputs[0].shape[1] as number;
  const loss = String((model.loss as unknown as string[] | string) ?? '');
  const sparse = /sparse/i.test(loss);
  if (ds.yShape.length === 1 && units > 1 && !sparse) return tf.oneHot(tf.tensor1d(ds.y, 'int32'), units);
  return tf.tensor(ds.y, ds.yShape.length === 1 ? [ds.yShape[0], 1] : ds.yShape);
}

export function score(metric: Metric, pred: Float32Array, ds: Dataset, units: number): number {
  const n = ds.xShape[0];
  if (metric === 'r2') {
    // Pooled over targets (several outputs, or pixels of a reconstruction): 1 − Σ residual² / Σ
    // (target − its column's mean)², so constant columns count without dividing by zero.
    const width = ds.y.length / n;
    const mean = new Float64Array(width);
    for (let i = 0; i < ds.y.length; i++) mean[i % width] += ds.y[i] / n;
    let res = 0;
    let tot = 0;
    for (let i = 0; i < ds.y.length; i++) {
      res += (ds.y[i] - pred[i]) ** 2;
      tot += (ds.y[i] - mean[i % width]) ** 2;
    }
    return 1 - res / tot;
  }
  if (metric === 'binary-accuracy') {
    let hit = 0;
    for (let i = 0; i < pred.length; i++) if (pred[i] > 0.5 === ds.y[i] > 0.5) hit++;
    return hit / pred.length;
  }
  const predicted = (r: number) => {
    if (units === 1) return pred[r] > 0.5 ? 1 : 0;
    let best = 0;
    for (let k = 1; k < units; k++) if (pred[r * units + k] > pred[r * units + best]) best = k;
    return best;
  };
  const truth = (r: number) => {
    if (ds.yShape.length === 1) return ds.y[r];
    let best = 0;
    for (let k = 1; k < units; k++) if (ds.y[r * units + k] > ds.y[r * units + best]) best = k;
    return best;
  };
  const hits = new Map<number, [number, number]>();
  let correct = 0;
  for (let r = 0; r < n; r++) {
    const t = truth(r);
    const ok = predicted(r) === t;
    if (ok) correct++;
    const h = hits.get(t) ?? [0, 0];
    hits.set(t, [h[0] + (ok ? 1 : 0), h[1] + 1]);
  }
  if (metric === 'balanced-accuracy') {
    const recalls = [...hits.values()].map(([a, b]) => a / b);
    return recalls.reduce((a, b) => a + b, 0) / recalls.length;
  }
  return correct / n;
}

/** Trains `model` with plain fit on the setup's training records. */
export async function fitSetup(
  model: tf.LayersModel,
  train: Dataset,
  epochs: number,
  classWeight?: Record<number, number>,
): Promise<void> {
  const x = tf.tensor(train.x, [train.xShape[0], ...(model.inputs[0].shape.slice(1) as number[])]);
  const y = labelsTensor(model, train);
  await model.fit(x, y, { epochs, batchSize: 64, verbose: 0, shuffle: true, classWeight });
  tf.dispose([x, y]);
}

export function heldOutScore(model: tf.LayersModel, test: Dataset, metric: Metric): number {
  const x = tf.tensor(test.x, [test.xShape[0], ...(model.inputs[0].shape.slice(1) as number[])]);
  const out = model.predict(x) as tf.Tensor;
  const pred = out.dataSync() as Float32Array;
  const units = out.shape[1] as number;
  tf.dispose([x, out]);
  return score(metric, pred, test, units);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await selectBackend();
  const filter = process.argv[2] ?? '';
  for (const setup of [...ZOO, ...ZOO_SEQUENCES, ...ZOO_MORE, ...ZOO_TWINS].filter((s) =>
    s.name.includes(filter),
  )) {
    const model = await setup.model();
    const { train, test } = setup.data();
    const started = performance.now();
    await fitSetup(model, train, setup.fitEpochs, setup.classWeight);
    const s = heldOutScore(model, test, setup.metric);
    const ok = s >= setup.minScore ? 'ok  ' : 'LOW ';
    console.log(
      `${ok} ${setup.name}: ${setup.metric} ${s.toFixed(3)} (needs ≥ ${setup.minScore}) after ${setup.fitEpochs} epochs on ${train.xShape[0]} records, ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    model.dispose();
  }
}
