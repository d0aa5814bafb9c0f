// Loading training data from disk for the CLI: .npy (+ --labels), .npz, .csv, IDX (+ .gz), or MNIST.
import { basename } from 'node:path';
import type { Dataset } from '../core/dataset.ts';
import { inputError } from './common.ts';
import { datasetFromBytes } from './from-bytes.ts';
import type { ImageTarget } from './image-folder.ts';
import { isDirectory } from './image-options.ts';
import { loadMnist, type MnistSplit } from './mnist.ts';
import { readInputFile } from './read-file.ts';

export type { Dataset } from '../core/dataset.ts';
export type { NdArray } from './common.ts';
export { parseCsv } from './csv.ts';
export {
  type DataFormat,
  type DatasetBytes,
  datasetFromBytes,
  detectFormat,
  type NamedBytes,
} from './from-bytes.ts';
export { parseIdx } from './idx.ts';
// The image reader (and its decoders, CommonJS packages) loads only when a folder is read.
export type { ImageTarget } from './image-folder.ts';
export {
  DEFAULT_MAX_PER_CLASS,
  modelRescalesInputs,
  PIXEL_SCALES,
  type PixelScale,
} from './image-options.ts';
export {
  loadMnist,
  MNIST_PIXEL_SCALE,
  MNIST_TEST_SIZE,
  MNIST_TRAIN_SIZE,
  type MnistOptions,
} from './mnist.ts';
export { parseNpy } from './npy.ts';
export { readNpzArrays } from './npz.ts';
export {
  type DataFlags,
  fitDatasetToModel,
  type LossKind,
  lossKind,
  type ModelIO,
  validateDataset,
} from './validate.ts';

export interface LoadDatasetOptions {
  /** `--data`: a file path, or `mnist` (train split) / `mnist:test`. */
  data: string;
  /** `--labels`: the label file for .npy / IDX data (or to replace a CSV's label column). */
  labels?: string;
  /** Keep only the first `limit` records (MNIST then reads only those bytes). */
  limit?: number;
  /** Flag names used in messages (defaults `--data`, `--labels`; e.g. `--val`, `--val-labels`). */
  dataFlag?: string;
  labelsFlag?: string;
  /** For `data` that is a folder of class folders of images: what the model takes. */
  image?: ImageTarget;
}

const MNIST_NAME = /^mnist(?::(train|test))?$/i;

/** Whether `--data` names the bundled MNIST (`mnist`, `mnist:train`, `mnist:test`) rather than a file. */
export function isMnistName(data: string): boolean {
  return MNIST_NAME.test(data);
}

/**
 * Loads `--data` (and `--labels`) into a Dataset. Errors are UsageErrors naming the flag and file.
 * Shapes are as stored (fitDatasetToModel reshapes to the model and checks the labels); NaN/Inf
 * values load as they are. The files are only read.
 */
export async function loadDataset(opts: LoadDatasetOptions): Promise<Dataset> {
  const { data, labels, limit } = opts;
  const DF = opts.dataFlag ?? '--data';
  const LF = opts.labelsFlag ?? '--labels';
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0)) {
    throw new RangeError(`limit must be a non-negative integer, got ${limit}`);
  }
  const mnist = MNIST_NAME.exec(data);
  if (mnist) {
    if (labels !== undefined) {
      throw inputError(`${LF} ${labels}`, `not used with ${DF} mnist (MNIST comes with its labels)`);
    }
    return loadMnist((mnist[1]?.toLowerCase() ?? 'train') as MnistSplit, limit);
  }

  const where = `${DF} ${data}`;
  if (isDirectory(data)) {
    if (labels !== undefined) {
      throw inputError(
        `${LF} ${labels}`,
        `not used with a folder of images (${DF} ${data}): labels come from the class folders`,
      );
    }
    if (!opts.image)
      throw inputError(
        where,
        "is a directory; reading it as class folders of images needs the model's input shape",
      );
    const { loadImageFolder } = await import('./image-folder.ts');
    return loadImageFolder(data, opts.image, DF);
  }
  return datasetFromBytes({
    data: { name: data, read: (at: string) => readInputFile(data, at) },
    ...(labels !== undefined
      ? { labels: { name: labels, read: (at: string) => readInputFile(labels, at) } }
      : {}),
    limit,
    source: basename(data),
    dataFlag: DF,
    labelsFlag: LF,
  });
}
