// `nn-doctor check`: the checkup of a TF.js model on the user's data (or the built-in example).
import { ALL_CHECKS } from '../checks/index.ts';
import { type CheckupOptions, checkup } from '../checkup.ts';
import type { CheckId } from '../core/check.ts';
import { UsageError } from '../core/errors.ts';
import type { Report } from '../core/report.ts';
import { isMnistName, loadDataset } from '../data/index.ts';
import { exampleData, exampleModel } from '../example/mnist-mlp.ts';
import { selectBackend } from '../tfjs/backend.ts';
import { loadModelFile, modelInputFiles } from '../tfjs/model-files/index.ts';
import { readLoss, TFJS_LOSS_NAMES } from '../tfjs/model-files/loss-metrics.ts';
import { idList, numberFlag, OUTPUT_FLAGS, parse, thresholdOverrides } from './args.ts';
import type { InputFile } from './output.ts';
import { createProgress, type Progress } from './progress.ts';

export const CHECK_USAGE = `usage: nn-doctor check [--model model.json] [--data PATH|mnist] [--labels PATH] [--val PATH [--val-labels PATH]]
                        [--loss NAME] [--optimizer NAME] [--lr N] [--batch-size N] [--seed N]
                        [--backend tensorflow|wasm|cpu] [--only IDS] [--skip IDS]
                        [--threshold CHECK_ID.NAME=VALUE ...]
                        [--json FILE] [--html FILE] [--md FILE] [--quiet]`;

const FLAGS = {
  model: { type: 'string' },
  data: { type: 'string' },
  labels: { type: 'string' },
  val: { type: 'string' },
  'val-labels': { type: 'string' },
  loss: { type: 'string' },
  optimizer: { type: 'string' },
  lr: { type: 'string' },
  'batch-size': { type: 'string' },
  seed: { type: 'string' },
  backend: { type: 'string' },
  only: { type: 'string', multiple: true },
  skip: { type: 'string', multiple: true },
  threshold: { type: 'string', multiple: true },
  ...OUTPUT_FLAGS,
} as const;

export interface CheckCommand {
  options: Omit<CheckupOptions, 'model' | 'data' | 'onProgress'>;
  modelPath?: string;
  data: string;
  labels?: string;
  val?: string;
  valLabels?: string;
  outputs: { json?: string; html?: string; md?: string };
  quiet: boolean;
  help: boolean;
}

export function parseCheckArgs(args: string[]): CheckCommand {
  const { values, positionals } = parse(args, FLAGS, true);
  if (positionals.length)
    throw new UsageError(`check: unexpected argument '${positionals[0]}' (flags start with --)`);
  if (values.labels !== undefined && values.data === undefined)
    throw new UsageError('--labels: needs --data');
  if (values['val-labels'] !== undefined && values.val === undefined)
    throw new UsageError('--val-labels: needs --val');
  if (values.labels !== undefined && isMnistName(values.data ?? ''))
    throw new UsageError(
      `--labels ${values.labels}: not used with --data ${values.data} (MNIST comes with its labels)`,
    );
  if (values['val-labels'] !== undefined && isMnistName(values.val ?? ''))
    throw new UsageError(
      `--val-labels ${values['val-labels']}: not used with --val ${values.val} (MNIST comes with its labels)`,
    );
  const known = new Set(ALL_CHECKS.map((c) => c.id));
  const only = idList('only', values.only);
  const skip = idList('skip', values.skip);
  if (only && !only.some((id) => [...known].some((k) => k === id || k.startsWith(id.replace(/\/?$/, '/'))))) {
    throw new UsageError('--only: selects no check');
  }
  return {
    options: {
      loss: lossFlag(values.loss),
      optimizer: values.optimizer,
      lr: numberFlag('lr', values.lr, { positive: true }),
      batchSize: numberFlag('batch-size', values['batch-size'], { integer: true, positive: true }),
      seed: numberFlag('seed', values.seed, { integer: true, min: 0 }),
      backend: values.backend,
      only,
      skip,
      thresholds: thresholdOverrides(values.threshold) as
        | Partial<Record<CheckId, Record<string, number>>>
        | undefined,
    },
    modelPath: values.model,
    data: values.data ?? 'mnist',
    labels: values.labels,
    val: values.val,
    valLabels: values['val-labels'],
    outputs: { json: values.json, html: values.html, md: values.md },
    quiet: values.quiet ?? false,
    help: values.help ?? false,
  };
}

/** Every file the checkup reads: model.json, the weight files it lists, the data files. */
export function checkInputFiles(cmd: CheckCommand): InputFile[] {
  const files: InputFile[] = [];
  if (cmd.modelPath) {
    const [json, ...shards] = modelInputFiles(cmd.modelPath);
    files.push({ path: json, what: '--model' });
    for (const s of shards) files.push({ path: s, what: `a weight file of --model ${cmd.modelPath}` });
  }
  const data: [string, string | undefined][] = [
    ['--data', isMnistName(cmd.data) ? undefined : cmd.data],
    ['--labels', cmd.labels],
    ['--val', cmd.val && !isMnistName(cmd.val) ? cmd.val : undefined],
    ['--val-labels', cmd.valLabels],
  ];
  for (const [flag, path] of data) if (path !== undefined) files.push({ path, what: flag });
  return files;
}

/** `--loss`: a TF.js Layers loss; Keras spellings (`sparse_categorical_crossentropy`, `mse`) are mapped. */
function lossFlag(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const { loss } = readLoss(value);
  if (!loss) {
    throw new UsageError(`--loss: unknown loss '${value}' (TF.js Layers has ${TFJS_LOSS_NAMES.join(', ')})`);
  }
  return loss;
}

export async function runCheck(
  cmd: CheckCommand,
  progress: Progress = createProgress(cmd.quiet),
): Promise<Report> {
  // The backend first: the model's weights are created on it.
  await selectBackend(cmd.options.backend);
  const model = cmd.modelPath ? await loadUserModel(cmd.modelPath, cmd.options.loss) : exampleModel();
  const data =
    cmd.data === 'mnist' ? exampleData() : await loadDataset({ data: cmd.data, labels: cmd.labels });
  const validation = cmd.val
    ? await loadDataset({
        data: cmd.val,
        labels: cmd.valLabels,
        dataFlag: '--val',
        labelsFlag: '--val-labels',
      })
    : undefined;
  try {
    return await checkup({
      ...cmd.options,
      model,
      data,
      validation,
      validationFlags: cmd.val
        ? { data: cmd.val, labels: cmd.valLabels, dataFlag: '--val', labelsFlag: '--val-labels' }
        : undefined,
      dataFlags: { data: cmd.data, labels: cmd.labels },
      onProgress: progress.update,
    });
  } finally {
    progress.done();
  }
}

/** Loads model.json; a training config TF.js cannot apply is fine when --loss replaces it. */
async function loadUserModel(path: string, loss: string | undefined) {
  const loaded = await loadModelFile(path);
  if (loaded.trainingConfigProblem && loss === undefined) {
    loaded.model.dispose();
    throw new UsageError(
      `--model ${path}: ${loaded.trainingConfigProblem} (give --loss and --optimizer to train it with a supported setup)`,
    );
  }
  if (!loaded.compiled && loss === undefined) {
    loaded.model.dispose();
    throw new UsageError(
      `--model ${path}: has no training config (loss, optimizer); give --loss (and --optimizer, --lr)`,
    );
  }
  return loaded.model;
}
