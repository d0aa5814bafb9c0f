// A page that loads model and data files the way a web app gets them (`File`s), through the
// browser bundle of nn-doctor: bundled and run by model-files.test.ts.
import type * as tf from '@tensorflow/tfjs';
import { datasetFromFiles, loadModelFiles } from '../../src/browser.ts';

const file = async (path: string) =>
  new File([await (await fetch(path)).arrayBuffer()], path.slice(path.lastIndexOf('/') + 1));

/** The weights' values summed in order, in float64: the same figure wherever they were read. */
async function checksum(model: tf.LayersModel): Promise<number> {
  let sum = 0;
  for (const w of model.getWeights()) for (const v of await w.data()) sum += v;
  return sum;
}

const MODELS: Record<string, string[]> = {
  keras: ['mnist_model.keras'],
  h5: ['mnist_model.h5'],
  json: ['model.json', 'group1-shard1of1.bin'],
  escape: ['escape/model.json', 'group1-shard1of1.bin'],
};

const results: Record<string, unknown> = {};
for (const [label, paths] of Object.entries(MODELS)) {
  try {
    const loaded = await loadModelFiles(await Promise.all(paths.map(file)));
    results[label] = {
      format: loaded.format,
      params: loaded.model.countParams(),
      checksum: await checksum(loaded.model),
    };
    loaded.model.dispose();
  } catch (err) {
    results[label] = { error: (err as Error).message };
  }
}
const data = await datasetFromFiles({ data: await file('train.npz') });
results.data = { xShape: data.xShape, yShape: data.yShape, checksum: data.x.reduce((a, b) => a + b, 0) };
console.log(`RESULT ${JSON.stringify(results)}`);
