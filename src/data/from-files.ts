// Datasets from files in memory (browser-safe): a page's `File`s or bytes with names, read like
// files on disk (./from-bytes.ts) after their sizes are checked against the same limit.
import type { Dataset } from '../core/dataset.ts';
import { inputError, MAX_INPUT_FILE_BYTES } from './common.ts';
import { datasetFromBytes, type NamedBytes } from './from-bytes.ts';
import { givenFile, type InputFile } from './input-file.ts';

export interface DatasetFiles {
  /** The data file: .npy, .npz, .csv or IDX, gzipped or not. */
  data: InputFile;
  /** The labels' file, for .npy / IDX data (or to replace a CSV's label column). */
  labels?: InputFile;
  /** Keep only the first `limit` records. */
  limit?: number;
  /** Flag names used in messages (default `data`, `labels`). */
  dataFlag?: string;
  labelsFlag?: string;
}

async function readGiven(file: InputFile, flag: string): Promise<NamedBytes> {
  const given = givenFile(file);
  if (given.size > MAX_INPUT_FILE_BYTES)
    throw inputError(
      `${flag} ${given.key}`,
      `is ${given.size} bytes; the limit for this input is ${MAX_INPUT_FILE_BYTES} bytes`,
    );
  const bytes = await given.read();
  return { name: given.key, read: () => bytes };
}

/** A Dataset from a data file (and a label file) in memory, with the checks `loadDataset` makes. */
export async function datasetFromFiles(input: DatasetFiles): Promise<Dataset> {
  const dataFlag = input.dataFlag ?? 'data';
  const labelsFlag = input.labelsFlag ?? 'labels';
  const data = await readGiven(input.data, dataFlag);
  const labels = input.labels ? await readGiven(input.labels, labelsFlag) : undefined;
  return datasetFromBytes({ data, ...(labels ? { labels } : {}), limit: input.limit, dataFlag, labelsFlag });
}
